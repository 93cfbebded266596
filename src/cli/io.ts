import { systemRealTime, type RealTime } from '../clock/clock';

/** Where a command's output goes: the real process streams, or buffers in tests. */
export interface IO {
  out(text: string): void;
  err(text: string): void;
  readStdin(): string;
  env: Record<string, string | undefined>;
  cwd: string;
  isTTY: boolean;
  /** whether stdin is a terminal (attach -t sets a raw terminal only then, as kubectl's SetupTTY) */
  stdinIsTTY?: boolean;
  /** the real clock `kubesim watch` paces against */
  realTime: RealTime;
}

/**
 * kubectl dies of SIGPIPE when its reader goes away (`kubectl get pods | head -1`): no
 * message, status 141. Node ignores SIGPIPE and reports EPIPE as an error event instead,
 * which would print a stack trace; exit the same way kubectl does. Anything the command
 * wrote is committed before its output is printed.
 */
const SIGPIPE_STATUS = 141;
let quietOnBrokenPipe = false;
function exitOnBrokenPipe(): void {
  if (quietOnBrokenPipe) return;
  quietOnBrokenPipe = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(SIGPIPE_STATUS);
    });
  }
}

/**
 * Node writes to a pipe asynchronously: what the reader has not taken yet is queued in memory,
 * so `get pods -A -o yaml | grep …` on 150,000 pods (0.5 GB of text printed faster than the
 * reader reads it) held it all and ran out of heap. kubectl's writes block until the reader takes
 * them: stdout's pipe is made blocking and written with write(2) itself, which also says at once
 * when the reader has gone (`| head`), so the command stops there as SIGPIPE stops kubectl
 * instead of making the rest of the list for nobody. A terminal or a file is written
 * synchronously by Node already.
 */
function blockingPipeWriter(): ((text: string) => void) | undefined {
  const handle = (process.stdout as unknown as { _handle?: { setBlocking?: (on: boolean) => number } })._handle;
  if (process.stdout.isTTY || typeof handle?.setBlocking !== 'function' || handle.setBlocking(true) !== 0) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('node:fs') as typeof import('node:fs');
  return (text) => {
    const bytes = Buffer.from(text);
    try {
      for (let at = 0; at < bytes.length;) at += fs.writeSync(1, bytes, at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(SIGPIPE_STATUS);
      throw e;
    }
  };
}

export function processIO(): IO {
  exitOnBrokenPipe();
  const toPipe = blockingPipeWriter();
  return {
    out: toPipe ?? ((t) => process.stdout.write(t)),
    err: (t) => process.stderr.write(t),
    readStdin: () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fs = require('node:fs') as typeof import('node:fs');
      try {
        return fs.readFileSync(0, 'utf8');
      } catch {
        return '';
      }
    },
    env: process.env,
    cwd: process.cwd(),
    isTTY: !!process.stdout.isTTY,
    stdinIsTTY: !!process.stdin.isTTY,
    realTime: systemRealTime,
  };
}

/** Collects output; tests read `stdout`/`stderr` after the command. */
export class BufferIO implements IO {
  stdout = '';
  stderr = '';
  isTTY = false;
  realTime: RealTime = systemRealTime;
  constructor(
    public env: Record<string, string | undefined> = {},
    public cwd: string = process.cwd(),
    private stdin = '',
  ) {}
  out(t: string): void {
    this.stdout += t;
  }
  err(t: string): void {
    this.stderr += t;
  }
  readStdin(): string {
    return this.stdin;
  }
}

/**
 * Output held until the command's transaction commits, so nothing claims
 * "created" for a write that was then rolled back. Lines keep their stream.
 */
export class PendingOutput {
  private chunks: { stream: 'out' | 'err'; text: string }[] = [];
  out(text: string): void {
    this.chunks.push({ stream: 'out', text });
  }
  err(text: string): void {
    this.chunks.push({ stream: 'err', text });
  }
  line(text: string): void {
    this.out(`${text}\n`);
  }
  errLine(text: string): void {
    this.err(`${text}\n`);
  }
  flushTo(io: IO): void {
    for (const c of this.chunks) (c.stream === 'out' ? io.out : io.err).call(io, c.text);
    this.chunks = [];
  }
  /** Drops stdout written so far but keeps stderr (used when a command fails after printing). */
  discard(): void {
    this.chunks = this.chunks.filter((c) => c.stream === 'err');
  }
}
