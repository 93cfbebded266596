import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The programs kustomize runs for a build (helm, docker): Go's os/exec as kustomize calls it,
 * with Go's error texts, so a missing or failing program fails as kubectl kustomize reports it.
 */

/** The environment the build's programs inherit (kubectl's own: os.Environ()), and where their stderr goes. */
export interface ProgramEnv {
  env: Record<string, string | undefined>;
  /** a program's stderr when kustomize passes it through (KRM functions) */
  stderr: (text: string) => void;
}

export interface ProgramRun {
  stdout: string;
  stderr: string;
  /** Go's error for the run: exec.LookPath's, fork/exec's, `exit status N` or `signal: …`; undefined on success */
  error?: string;
}

/** Go's names for the signals a program may die of (syscall's signal table). */
const SIGNALS: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
  SIGQUIT: 'quit',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGPIPE: 'broken pipe',
  SIGBUS: 'bus error',
  SIGFPE: 'floating point exception',
};

const isExecutableFile = (file: string): boolean => {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** exec.LookPath: a name with a slash is used as it is; another is searched for on $PATH (executable files only). */
function lookPath(command: string, env: Record<string, string | undefined>): { file?: string; error?: string } {
  if (command.includes('/')) return { file: command };
  for (const dir of (env.PATH ?? '').split(':')) {
    const file = path.join(dir === '' ? '.' : dir, command);
    if (isExecutableFile(file)) return { file };
  }
  return { error: `exec: "${command}": executable file not found in $PATH` };
}

/** Runs a program to completion (kustomize waits for helm and docker), feeding it `input`. */
export function runProgram(
  command: string,
  args: string[],
  options: { env: Record<string, string | undefined>; cwd?: string; input?: string },
): ProgramRun {
  const found = lookPath(command, options.env);
  if (found.error !== undefined) return { stdout: '', stderr: '', error: found.error };
  const run = spawnSync(found.file!, args, {
    env: options.env as NodeJS.ProcessEnv,
    cwd: options.cwd,
    input: options.input ?? '',
    maxBuffer: 1 << 30,
  });
  const stdout = run.stdout?.toString('utf8') ?? '';
  const stderr = run.stderr?.toString('utf8') ?? '';
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : run.error.message;
    return { stdout, stderr, error: `fork/exec ${found.file}: ${reason}` };
  }
  if (run.signal) return { stdout, stderr, error: `signal: ${SIGNALS[run.signal] ?? run.signal}` };
  if (run.status !== 0) return { stdout, stderr, error: `exit status ${run.status}` };
  return { stdout, stderr };
}
