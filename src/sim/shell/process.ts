import { BufferSink, LogSink, Proc, runArgv, type Run, type ShellWorld, type StdinStream } from './interpreter';
import type { BuiltinIO } from './builtins';
import type { MemFs } from './fs';

/**
 * A container's main process driven over virtual time. `advance(until, worldKnownUntil)` runs
 * it up to `until` (or until it asks the cluster something at an instant after
 * `worldKnownUntil`: what the cluster answers then is not known yet). The process is resumed
 * where it stopped on the next call; the files it changes are kept as snapshots by time (exec
 * probes read them as they were), its output in its log.
 */
export class ShellProcess {
  readonly proc: Proc;
  readonly log: LogSink;
  private readonly gen: Run<number>;
  exit?: { at: number; code: number };
  /** the process will not do anything more by itself (a loop that repeats, `sleep infinity`, a real program) */
  forever = false;
  private waitingOnWorld = false;
  /** the files after each change, by the time of the change (the first is the start) */
  readonly fsHistory: { t: number; fs: MemFs }[];

  constructor(opts: {
    argv: string[];
    env: [string, string][];
    fs: MemFs;
    world: ShellWorld;
    startedAt: number;
    logLimit?: number;
    /** the container's open stdin (`stdin: true`), with what attach sent it */
    stdin?: StdinStream;
    /**
     * Before each step at `t`: brings in what other containers wrote to volumes it shares with
     * them by then; false when that is not known yet (the step waits, as for the cluster's answers).
     */
    beforeStep?: (proc: Proc, t: number, worldKnownUntil: number) => boolean;
  }) {
    this.beforeStep = opts.beforeStep;
    const holder: { proc?: Proc } = {};
    this.log = new LogSink(() => holder.proc!.now, opts.logLimit);
    const proc =
      (holder.proc =
      this.proc =
        new Proc({ fs: opts.fs, env: opts.env, world: opts.world, now: opts.startedAt, log: this.log }));
    const io: BuiltinIO = {
      stdin: '',
      input: opts.stdin,
      out: this.log.stream('stdout'),
      err: this.log.stream('stderr'),
      logOut: undefined as never,
      logErr: undefined as never,
    };
    io.logOut = io.out;
    io.logErr = io.err;
    this.fsHistory = [{ t: opts.startedAt, fs: opts.fs.clone() }];
    this.gen = (function* (): Run<number> {
      try {
        return yield* runArgv(proc, opts.argv, io);
      } catch (e) {
        // exit from the top level, or a signal that ended it
        const code = (e as { code?: unknown }).code;
        if (typeof code === 'number') {
          const message = (e as { message?: unknown }).message;
          if (typeof message === 'string' && message) io.err.write(`${proc.arg0}: ${message}\n`);
          return code;
        }
        throw e;
      }
    })();
  }

  get ended(): boolean {
    return this.exit !== undefined || this.forever;
  }

  /** When the process next does something (Infinity once it has ended or never will). */
  get nextAt(): number {
    return this.ended ? Infinity : this.proc.now;
  }

  /** set while it runs a step: a read of its files from inside that step (a sibling's curl to it) sees them as they are */
  stepping = false;
  private readonly beforeStep?: (proc: Proc, t: number, worldKnownUntil: number) => boolean;
  /** it stopped before a step whose shared files are not known yet */
  blocked = false;

  advance(until: number, worldKnownUntil: number, maxSteps = 100_000): void {
    if (this.stepping) return;
    this.stepping = true;
    try {
      this.run(until, worldKnownUntil, maxSteps);
    } finally {
      this.stepping = false;
    }
  }

  private run(until: number, worldKnownUntil: number, maxSteps: number): void {
    for (let steps = 0; !this.ended && steps < maxSteps; steps++) {
      if (this.proc.now > until) break;
      if (this.waitingOnWorld) {
        if (this.proc.now > worldKnownUntil) break;
        this.waitingOnWorld = false;
      }
      const at = this.proc.now;
      const version = this.proc.fs.version;
      this.blocked = false;
      if (this.beforeStep && !this.beforeStep(this.proc, at, worldKnownUntil)) {
        this.blocked = true;
        if (this.proc.fs.version !== version) this.fsHistory.push({ t: at, fs: this.proc.fs.clone() });
        break;
      }
      const r = this.gen.next();
      if (this.proc.fs.version !== version) this.fsHistory.push({ t: at, fs: this.proc.fs.clone() });
      if (r.done) {
        this.log.flush();
        this.exit = { at: this.proc.now, code: r.value };
      } else if (r.value.wait === 'forever') this.forever = true;
      else if (r.value.wait === 'world') this.waitingOnWorld = true;
    }
  }

  /** The files now (as the process left them). */
  fs(): MemFs {
    return this.proc.fs;
  }

  /** The files as they were at `t`. */
  fsAt(t: number): MemFs {
    let found = this.fsHistory[0].fs;
    for (const h of this.fsHistory) {
      if (h.t > t) break;
      found = h.fs;
    }
    return found;
  }
}

/**
 * Runs a command line to its end (an exec, a probe) against a copy of the files, for at most
 * `timeoutMs` of virtual time. Its output is returned, not logged.
 */
export function runOnce(opts: {
  argv: string[];
  env: [string, string][];
  fs: MemFs;
  world: ShellWorld;
  at: number;
  timeoutMs: number;
  stdin?: string;
}): { code: number; stdout: string; stderr: string; timedOut: boolean; endedAt: number; notInterpreted?: string } {
  const out = new BufferSink();
  const err = new BufferSink();
  const log = new LogSink(() => 0, 0);
  const proc = new Proc({ fs: opts.fs, env: opts.env, world: opts.world, now: opts.at, log });
  const io: BuiltinIO = { stdin: opts.stdin ?? '', out, err, logOut: err, logErr: err };
  const gen = (function* (): Run<number> {
    try {
      return yield* runArgv(proc, opts.argv, io);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'number') return code;
      throw e;
    }
  })();
  for (let steps = 0; steps < 100_000; steps++) {
    const r = gen.next();
    if (r.done) return { code: r.value, stdout: out.text, stderr: err.text, timedOut: false, endedAt: proc.now };
    // a program kubesim does not interpret: said so, and where it got to
    // (the yield names it: a subshell's process met it, not necessarily this one)
    if (r.value.wait === 'forever' && r.value.reason)
      return { code: 0, stdout: out.text, stderr: err.text, timedOut: true, endedAt: proc.now, notInterpreted: r.value.reason };
    if (r.value.wait === 'forever' || proc.now - opts.at > opts.timeoutMs) break;
  }
  return { code: 1, stdout: out.text, stderr: err.text, timedOut: true, endedAt: opts.at + opts.timeoutMs };
}
