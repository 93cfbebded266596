import { processIO, type IO } from './io';
import { runProgram } from './program';

/** Entry point for bin/kubesim and for in-process tests. Resolves to the exit code. */
export async function main(argv: string[], io: IO = processIO()): Promise<number> {
  return runProgram(argv, io);
}
