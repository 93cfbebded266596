import type { AndOr, Command, List, Pipeline, Redirect, Word } from './ast';
import { parseScript, ShellSyntaxError } from './parser';
import { FsError, normalize, type MemFs } from './fs';
import { BUILTINS, type BuiltinIO } from './builtins';
import { PROGRAMS } from './programs';

/**
 * Runs a parsed script over virtual time. Every evaluation step is a generator, so a script
 * that sleeps yields (`{ wait: 'time' }` once `proc.now` moved) and is resumed by its driver;
 * before asking the cluster anything (DNS, HTTP) it yields `{ wait: 'world' }` so the driver
 * can stop when that instant has not happened yet. A `while`/`until` loop whose iteration left
 * variables, files and status as they were, and did nothing but print and sleep, repeats
 * forever: it yields `{ wait: 'forever' }` with its output per period recorded, instead of being
 * stepped iteration by iteration.
 */
export type Yield = { wait: 'time' } | { wait: 'world' } | { wait: 'forever'; reason?: string };
export type Run<T> = Generator<Yield, T, void>;

export interface LogLine {
  /** virtual time (ms) */
  t: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** What a script's output goes to: a container's log, a buffer (a pipe, `$(…)`), or a file. */
export interface Sink {
  write(text: string): void;
}

export class BufferSink implements Sink {
  text = '';
  write(text: string): void {
    this.text += text;
  }
}

/** The container log: lines with the time they were written, bounded (the kubelet rotates logs). */
export class LogSink {
  lines: LogLine[] = [];
  /** lines dropped from the front when over the bound */
  dropped = 0;
  /** a loop found to repeat forever: its lines per period, from `from` on */
  periodic?: { from: number; period: number; lines: LogLine[] };
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  constructor(
    readonly clock: () => number,
    readonly limit = 50_000,
  ) {}

  stream(stream: 'stdout' | 'stderr'): Sink {
    return {
      write: (text) => {
        const all = this.partial[stream] + text;
        const lines = all.split('\n');
        this.partial[stream] = lines.pop() ?? '';
        for (const line of lines) this.push({ t: this.clock(), stream, text: line });
      },
    };
  }

  push(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) {
      const cut = this.lines.length - this.limit;
      this.lines.splice(0, cut);
      this.dropped += cut;
    }
  }

  /** Ends the output: a last line without a newline is still a line. */
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.push({ t: this.clock(), stream, text: this.partial[stream] });
      this.partial[stream] = '';
    }
  }

  hasPartial(): boolean {
    return !!(this.partial.stdout || this.partial.stderr);
  }

  /** Lines written at or before `until` (the periodic part expanded), the last `max` of them. */
  linesUntil(until: number, max = this.limit): LogLine[] {
    const out = this.lines.filter((l) => l.t <= until);
    const p = this.periodic;
    if (p && p.lines.length && until >= p.from) {
      const iterations = Math.floor((until - p.from) / p.period) + 1;
      const perIteration = p.lines.length;
      // only the iterations that can show within `max`
      const first = Math.max(0, iterations - Math.ceil(max / perIteration) - 1);
      const extra: LogLine[] = [];
      for (let k = first; k < iterations; k++) {
        for (const l of p.lines) {
          const t = l.t + (k + 1) * p.period;
          if (t <= until) extra.push({ t, stream: l.stream, text: l.text });
        }
      }
      out.push(...extra);
    }
    return out.length > max ? out.slice(out.length - max) : out;
  }
}

/** What the script may ask the cluster, at a virtual instant. */
export interface ShellWorld {
  hostname: string;
  /** the addresses a name resolves to, with its full name; undefined when it does not resolve */
  resolve(name: string, at: number): { fqdn: string; addresses: string[] } | undefined;
  /** an HTTP GET from the container: a response, or why no connection was made */
  http(url: string, at: number): { status: number; body: string } | { error: 'resolve' | 'connect'; host: string; port: number };
  /** the DNS server's address (resolv.conf's nameserver) */
  nameserver: string;
}

export class ExitSignal {
  constructor(readonly code: number) {}
}
class LoopControl {
  constructor(
    readonly kind: 'break' | 'continue',
    public levels: number,
  ) {}
}
class ReturnSignal {
  constructor(readonly code: number) {}
}

/** Busy loops that never sleep: after this many commands without time moving, the process spins forever. */
const SPIN_LIMIT = 200_000;

export interface ProcOptions {
  fs: MemFs;
  env: [string, string][];
  world: ShellWorld;
  now: number;
  log: LogSink;
  argv0?: string;
  args?: string[];
}

export class Proc {
  vars = new Map<string, string>();
  exported = new Set<string>();
  funcs = new Map<string, Command>();
  positional: string[];
  arg0: string;
  fs: MemFs;
  cwd = '/';
  /**
   * virtual time, shared with subshells (time moves for all of them); `outside` counts the
   * driver's looks at what other containers changed in shared volumes (a loop reading them is never a period)
   */
  clock: { now: number; outside?: number };
  status = 0;
  world: ShellWorld;
  log: LogSink;
  traps = new Map<string, string>();
  options = { errexit: false, xtrace: false, nounset: false };
  /** counts what makes a loop iteration depend on more than its state: the cluster, the clock, randomness */
  impure = 0;
  spin = 0;
  condDepth = 0;
  /** a command that could not be interpreted, once met */
  notInterpreted?: string;
  /** the IO of the command running (a `$(…)` in its words writes errors there) */
  currentIO?: BuiltinIO;

  constructor(opts: ProcOptions) {
    this.fs = opts.fs;
    this.world = opts.world;
    this.clock = { now: opts.now };
    this.log = opts.log;
    this.arg0 = opts.argv0 ?? 'sh';
    this.positional = opts.args ?? [];
    for (const [k, v] of opts.env) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
    if (!this.vars.has('PWD')) this.vars.set('PWD', '/');
  }

  get now(): number {
    return this.clock.now;
  }
  set now(t: number) {
    this.clock.now = t;
  }

  /** A copy for a subshell: its own variables, the same files, time moves for both. */
  fork(): Proc {
    const p = Object.create(Proc.prototype) as Proc;
    Object.assign(p, this);
    p.vars = new Map(this.vars);
    p.exported = new Set(this.exported);
    p.funcs = new Map(this.funcs);
    p.traps = new Map(this.traps);
    p.options = { ...this.options };
    return p;
  }

  /** Environment of a command it runs: the exported variables, in the order they were set. */
  environment(extra?: Map<string, string>): [string, string][] {
    const out: [string, string][] = [];
    for (const [k, v] of this.vars) if (this.exported.has(k) && !extra?.has(k)) out.push([k, v]);
    for (const [k, v] of extra ?? []) out.push([k, v]);
    return out;
  }

  get(name: string): string | undefined {
    if (name === '?') return String(this.status);
    if (name === '$') return '1';
    if (name === '!') return '';
    if (name === '#') return String(this.positional.length);
    if (name === '@' || name === '*') return this.positional.join(' ');
    if (name === '-') return '';
    if (/^[0-9]+$/.test(name)) return name === '0' ? this.arg0 : this.positional[Number(name) - 1];
    if (name === 'RANDOM') {
      this.impure++;
      return String(Math.floor(this.now / 7) % 32768);
    }
    return this.vars.get(name);
  }
}

/**
 * A container's stdin when its spec keeps one open (`stdin: true`): what `attach -i` sent, each
 * piece at its virtual instant, open until `closedAt` (stdinOnce: when that session's input
 * ended). A reader that finds nothing yet waits for the next piece; nothing more coming and
 * still open, it waits for ever (as `cat` on an idle terminal does). Shared by the builtins of
 * one process: what one reads, the next does not see.
 */
export class StdinStream {
  private pos = 0;
  constructor(
    private readonly chunks: readonly { at: number; data: string }[],
    private readonly closedAt = Infinity,
  ) {}

  /** The data arrived by `now` and not read yet. */
  available(now: number): string {
    let text = '';
    let seen = 0;
    for (const c of this.chunks) {
      if (c.at > now) break;
      const start = Math.max(0, this.pos - seen);
      if (start < c.data.length) text += c.data.slice(start);
      seen += c.data.length;
    }
    return text;
  }

  consume(n: number): void {
    this.pos += n;
  }

  /** Whether the stream is closed at `now` with everything that came read or available. */
  endedBy(now: number): boolean {
    return this.closedAt <= now && !this.chunks.some((c) => c.at > now);
  }

  /** When something next happens to it after `now`: a piece arrives or it closes (Infinity: never). */
  nextAt(now: number): number {
    const next = this.chunks.find((c) => c.at > now)?.at ?? Infinity;
    return Math.min(next, this.closedAt > now ? this.closedAt : Infinity);
  }
}

/**
 * Waits (in virtual time) until the process's stdin has a whole line or has ended: the line
 * without its newline, what is left at the end, or undefined at the end with nothing left.
 */
export function* readStdinLine(proc: Proc, input: StdinStream): Run<string | undefined> {
  for (;;) {
    // input makes a loop iteration depend on more than its state: never a period
    proc.impure++;
    const avail = input.available(proc.now);
    const nl = avail.indexOf('\n');
    if (nl >= 0) {
      input.consume(nl + 1);
      return avail.slice(0, nl);
    }
    if (input.endedBy(proc.now)) {
      input.consume(avail.length);
      return avail || undefined;
    }
    yield* waitForStdin(proc, input);
  }
}

/** Everything the process's stdin gives until it ends, written to `out` as it arrives. */
export function* copyStdin(proc: Proc, input: StdinStream, out: Sink): Run<void> {
  for (;;) {
    proc.impure++;
    const avail = input.available(proc.now);
    input.consume(avail.length);
    if (avail) out.write(avail);
    if (input.endedBy(proc.now)) return;
    yield* waitForStdin(proc, input);
  }
}

function* waitForStdin(proc: Proc, input: StdinStream): Run<void> {
  const next = input.nextAt(proc.now);
  if (next === Infinity) {
    yield { wait: 'forever' };
    return;
  }
  proc.now = next;
  proc.spin = 0;
  yield { wait: 'time' };
}

/** Runs a whole script; returns its exit status. */
export function* runScript(proc: Proc, src: string, io: BuiltinIO): Run<number> {
  let list: List;
  try {
    list = parseScript(src);
  } catch (e) {
    if (e instanceof ShellSyntaxError) {
      io.err.write(`${proc.arg0}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    return yield* runList(proc, list, io);
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    if (e instanceof ReturnSignal) return e.code;
    if (e instanceof LoopControl) return proc.status;
    throw e;
  }
}

export function* runList(proc: Proc, list: List, io: BuiltinIO): Run<number> {
  let status = 0;
  for (const item of list.items) {
    status = yield* runAndOr(proc, item, io);
    proc.status = status;
    if (status !== 0 && proc.options.errexit && proc.condDepth === 0 && !item.rest.length && !item.first.negate)
      throw new ExitSignal(status);
  }
  return status;
}

function* runAndOr(proc: Proc, item: AndOr, io: BuiltinIO): Run<number> {
  // `cmd &`: run in the background — kubesim runs it to its end first, which is what
  // the scripts in manifests that use it (`sleep 3600 & wait`) come to
  const conditional = item.rest.length > 0;
  if (conditional) proc.condDepth++;
  let status: number;
  try {
    status = yield* runPipeline(proc, item.first, io);
    for (let i = 0; i < item.rest.length; i++) {
      const { op, pipeline } = item.rest[i];
      proc.status = status;
      if ((op === '&&' && status !== 0) || (op === '||' && status === 0)) continue;
      if (i === item.rest.length - 1) proc.condDepth--;
      try {
        status = yield* runPipeline(proc, pipeline, io);
      } finally {
        if (i === item.rest.length - 1) proc.condDepth++;
      }
    }
  } finally {
    if (conditional) proc.condDepth--;
  }
  return status;
}

function* runPipeline(proc: Proc, pipeline: Pipeline, io: BuiltinIO): Run<number> {
  if (pipeline.negate) proc.condDepth++;
  let status = 0;
  try {
    if (pipeline.commands.length === 1) status = yield* runCommand(proc, pipeline.commands[0], io);
    else {
      // each stage runs to its end, its output the next one's input
      let input = io.stdin;
      for (let i = 0; i < pipeline.commands.length; i++) {
        const last = i === pipeline.commands.length - 1;
        const buffer = new BufferSink();
        const stage = last ? proc : proc.fork();
        try {
          status = yield* runCommand(stage, pipeline.commands[i], {
            ...io,
            stdin: input,
            // the first stage reads the container's stdin; the others read the stage before
            input: i === 0 ? io.input : undefined,
            out: last ? io.out : buffer,
          });
        } catch (e) {
          if (!(e instanceof ExitSignal) || last) throw e;
          status = e.code;
        }
        input = buffer.text;
      }
    }
  } finally {
    if (pipeline.negate) proc.condDepth--;
  }
  return pipeline.negate ? (status === 0 ? 1 : 0) : status;
}

function* withRedirects(proc: Proc, redirects: Redirect[], io: BuiltinIO): Run<BuiltinIO | undefined> {
  if (!redirects.length) return io;
  const next: BuiltinIO = { ...io };
  for (const r of redirects) {
    const target = (yield* expandWord(proc, r.target, false)).join(' ');
    if (r.op === '<<') {
      next.stdin = target;
      next.input = undefined;
      continue;
    }
    if (r.op === '>&') {
      const sink = target === '1' ? next.out : target === '2' ? next.err : undefined;
      if (!sink) {
        next.err.write(`${proc.arg0}: ${target}: bad file descriptor\n`);
        return undefined;
      }
      if (r.fd === 2) next.err = sink;
      else next.out = sink;
      continue;
    }
    const path = normalize(target, proc.cwd);
    if (r.op === '<') {
      const e = proc.fs.get(path);
      if (!e || e.dir) {
        next.err.write(`${proc.arg0}: can't open ${target}: no such file\n`);
        return undefined;
      }
      next.stdin = e.data;
      next.input = undefined;
      continue;
    }
    try {
      if (r.op === '>') proc.fs.write(path, '', false);
      else proc.fs.write(path, '', true);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      next.err.write(`${proc.arg0}: can't create ${target}: ${e.message}\n`);
      return undefined;
    }
    const sink: Sink = path === '/dev/null' ? { write: () => undefined } : { write: (text) => proc.fs.write(path, text, true) };
    if (r.fd === -1) next.out = next.err = sink;
    else if (r.fd === 2) next.err = sink;
    else next.out = sink;
  }
  return next;
}

function* runCommand(proc: Proc, cmd: Command, io0: BuiltinIO): Run<number> {
  if (++proc.spin > SPIN_LIMIT) yield { wait: 'forever' };
  proc.currentIO = io0;
  const io = yield* withRedirects(proc, cmd.redirects, io0);
  if (!io) return 1;
  proc.currentIO = io;
  switch (cmd.t) {
    case 'simple':
      return yield* runSimple(proc, cmd, io);
    case 'group': {
      if (!cmd.subshell) return yield* runList(proc, cmd.body, io);
      const sub = proc.fork();
      try {
        return yield* runList(sub, cmd.body, io);
      } catch (e) {
        if (e instanceof ExitSignal) return e.code;
        throw e;
      }
    }
    case 'if': {
      for (const clause of cmd.clauses) {
        proc.condDepth++;
        let ok: number;
        try {
          ok = yield* runList(proc, clause.cond, io);
        } finally {
          proc.condDepth--;
        }
        if (ok === 0) return yield* runList(proc, clause.body, io);
      }
      return cmd.otherwise ? yield* runList(proc, cmd.otherwise, io) : 0;
    }
    case 'loop':
      return yield* runLoop(proc, cmd, io);
    case 'for': {
      const items = cmd.items ? yield* expandWords(proc, cmd.items) : [...proc.positional];
      let status = 0;
      for (const item of items) {
        proc.vars.set(cmd.name, item);
        try {
          status = yield* runList(proc, cmd.body, io);
        } catch (e) {
          if (!(e instanceof LoopControl)) throw e;
          if (e.levels > 1) {
            e.levels--;
            throw e;
          }
          if (e.kind === 'break') break;
        }
      }
      return status;
    }
    case 'case': {
      const value = (yield* expandWord(proc, cmd.word, false)).join(' ');
      for (const arm of cmd.arms) {
        for (const pattern of arm.patterns) {
          const p = (yield* expandWord(proc, pattern, false)).join(' ');
          if (globToRegExp(p).test(value)) return yield* runList(proc, arm.body, io);
        }
      }
      return 0;
    }
    case 'func':
      proc.funcs.set(cmd.name, cmd.body);
      return 0;
  }
}

/** What an iteration starts from: variables, files, status — if equal twice, the loop repeats. */
function loopState(proc: Proc): string {
  let s = `${proc.fs.version}\u0001${proc.status}\u0001${proc.cwd}\u0001${proc.clock.outside ?? 0}`;
  for (const [k, v] of proc.vars) s += `\u0001${k}=${v}`;
  return s;
}

function* runLoop(proc: Proc, cmd: Extract<Command, { t: 'loop' }>, io: BuiltinIO): Run<number> {
  let status = 0;
  let previous: { state: string; impure: number; t: number; logIndex: number; dropped: number } | undefined;
  const toLog = io.out === io.logOut;
  for (;;) {
    // a repeat of an iteration that was pure and took time: the rest is that period, forever
    if (toLog && !proc.log.hasPartial()) {
      const state = loopState(proc);
      const mark = { state, impure: proc.impure, t: proc.now, logIndex: proc.log.lines.length, dropped: proc.log.dropped };
      if (
        previous &&
        previous.state === state &&
        previous.impure === proc.impure &&
        proc.now > previous.t &&
        previous.dropped === mark.dropped
      ) {
        const lines = proc.log.lines.slice(previous.logIndex).map((l) => ({ ...l, t: l.t - (proc.now - previous!.t) }));
        proc.log.periodic = { from: previous.t, period: proc.now - previous.t, lines };
        // the lines of the iteration just done are part of the periodic record from here on
        proc.log.lines.splice(previous.logIndex);
        yield { wait: 'forever' };
      }
      previous = mark;
    }
    proc.condDepth++;
    let cond: number;
    try {
      cond = yield* runList(proc, cmd.cond, io);
    } finally {
      proc.condDepth--;
    }
    if (cmd.until ? cond === 0 : cond !== 0) break;
    try {
      status = yield* runList(proc, cmd.body, io);
    } catch (e) {
      if (!(e instanceof LoopControl)) throw e;
      if (e.levels > 1) {
        e.levels--;
        throw e;
      }
      if (e.kind === 'break') break;
    }
  }
  return status;
}

function* runSimple(proc: Proc, cmd: Extract<Command, { t: 'simple' }>, io: BuiltinIO): Run<number> {
  const argv = yield* expandWords(proc, cmd.words);
  const assigned = new Map<string, string>();
  for (const a of cmd.assigns) assigned.set(a.name, (yield* expandWord(proc, a.value, false)).join(' '));
  if (!argv.length) {
    for (const [k, v] of assigned) proc.vars.set(k, v);
    return proc.status === undefined ? 0 : cmd.words.length ? proc.status : 0;
  }
  if (proc.options.xtrace) io.err.write(`+ ${argv.join(' ')}\n`);
  return yield* runArgv(proc, argv, io, assigned);
}

/** Runs one command line already split into words: a function, a builtin, or what cannot be interpreted. */
export function* runArgv(proc: Proc, argv: string[], io: BuiltinIO, assigned = new Map<string, string>()): Run<number> {
  const name = argv[0];
  const fn = proc.funcs.get(name);
  if (fn) {
    const saved = proc.positional;
    proc.positional = argv.slice(1);
    try {
      return yield* runCommand(proc, fn, io);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.code;
      throw e;
    } finally {
      proc.positional = saved;
    }
  }
  switch (name) {
    case 'break':
    case 'continue':
      throw new LoopControl(name, Math.max(1, Number(argv[1] ?? 1) || 1));
    case 'return':
      throw new ReturnSignal(argv[1] === undefined ? proc.status : Number(argv[1]) & 255);
    case 'exit':
      throw new ExitSignal(argv[1] === undefined ? proc.status : Number(argv[1]) & 255);
    case 'exec':
      if (argv.length === 1) return 0;
      throw new ExitSignal(yield* runArgv(proc, argv.slice(1), io, assigned));
    case 'eval': {
      return yield* runList(proc, parseScript(argv.slice(1).join(' ')), io);
    }
    case '.':
    case 'source': {
      const file = proc.fs.get(normalize(argv[1] ?? '', proc.cwd));
      if (!file || file.dir) {
        io.err.write(`${proc.arg0}: .: ${argv[1]}: not found\n`);
        return 1;
      }
      return yield* runList(proc, parseScript(file.data), io);
    }
    case 'sh':
    case 'bash':
    case 'ash':
    case '/bin/sh':
    case '/bin/bash':
    case '/bin/ash':
    case '/usr/bin/env':
    case 'env':
      if (name.endsWith('env')) {
        if (argv.length === 1 || argv[1].startsWith('-')) break;
        const extra = new Map(assigned);
        let i = 1;
        for (; i < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]); i++) {
          const eq = argv[i].indexOf('=');
          extra.set(argv[i].slice(0, eq), argv[i].slice(eq + 1));
        }
        if (i >= argv.length) {
          for (const [k, v] of proc.environment(extra)) io.out.write(`${k}=${v}\n`);
          return 0;
        }
        return yield* runArgv(proc, argv.slice(i), io, extra);
      }
      return yield* runShell(proc, argv, io, assigned);
  }
  const base = name.replace(/^\/(usr\/)?(local\/)?(s?bin)\//, '');
  const builtin = BUILTINS[base] ?? PROGRAMS[base];
  if (builtin) {
    const saved: [string, string | undefined][] = [];
    for (const [k, v] of assigned) {
      saved.push([k, proc.vars.get(k)]);
      proc.vars.set(k, v);
    }
    try {
      const r = builtin(proc, argv, io);
      return typeof r === 'number' ? r : yield* r;
    } finally {
      for (const [k, v] of saved)
        if (v === undefined) proc.vars.delete(k);
        else proc.vars.set(k, v);
    }
  }
  // a real program (python, java, a server binary): it runs until the container is stopped
  proc.notInterpreted = name;
  io.logErr.write(`kubesim: "${name}" is not interpreted; the container runs until it is stopped\n`);
  yield { wait: 'forever', reason: name };
  return 0;
}

/**
 * `sh` reading an open stdin (`kubectl attach -i`, `kubectl debug -i -- sh`): each command line
 * runs when it has come (one that is not complete yet, an `if` without its `fi`, waits for the
 * next lines); the shell exits when stdin ends, with the last status, or at `exit`.
 */
function* interactiveShell(proc: Proc, io: BuiltinIO): Run<number> {
  const input = io.input!;
  const lineIO: BuiltinIO = { ...io, input };
  let pending = '';
  for (;;) {
    const line = yield* readStdinLine(proc, input);
    if (line === undefined) return proc.status;
    pending += `${line}\n`;
    try {
      parseScript(pending);
    } catch (e) {
      if (e instanceof ShellSyntaxError && /unexpected end of file|unterminated/.test(e.message) && !input.endedBy(proc.now)) continue;
    }
    const script = pending;
    pending = '';
    try {
      proc.status = yield* runList(proc, parseScript(script), lineIO);
    } catch (e) {
      if (e instanceof ShellSyntaxError) {
        io.err.write(`${proc.arg0}: ${e.message}\n`);
        proc.status = 2;
        continue;
      }
      if (e instanceof ExitSignal) return e.code;
      if (e instanceof ReturnSignal || e instanceof LoopControl) continue;
      throw e;
    }
  }
}

/** `sh -c 'script' [arg0 args…]`, `sh script-file`, `sh` (reads stdin: empty exits 0, an open one runs as it comes). */
function* runShell(proc: Proc, argv: string[], io: BuiltinIO, assigned: Map<string, string>): Run<number> {
  const child = proc.fork();
  for (const [k, v] of assigned) {
    child.vars.set(k, v);
    child.exported.add(k);
  }
  let i = 1;
  let script: string | undefined;
  for (; i < argv.length && argv[i].startsWith('-') && argv[i] !== '-'; i++) {
    const flags = argv[i];
    if (flags.includes('c')) {
      script = argv[i + 1];
      i++;
    }
    if (flags.includes('e')) child.options.errexit = true;
    if (flags.includes('x')) child.options.xtrace = true;
    if (flags.includes('u')) child.options.nounset = true;
  }
  if (script === undefined) {
    const file = argv[i];
    // an open stdin (a container with stdin: true): read and run line by line as input comes
    if (file === undefined && io.input) return yield* interactiveShell(child, io);
    if (file === undefined) script = io.stdin;
    else {
      const entry = child.fs.get(normalize(file, child.cwd));
      if (!entry || entry.dir) {
        io.err.write(`${argv[0].replace(/.*\//, '')}: can't open '${file}': No such file or directory\n`);
        return 127;
      }
      script = entry.data;
      child.arg0 = file;
      child.positional = argv.slice(i + 1);
    }
  } else {
    child.arg0 = argv[i] ?? argv[0].replace(/.*\//, '');
    child.positional = argv.slice(i + 1);
  }
  child.condDepth = 0;
  return yield* runScript(child, script, io);
}

// ---- expansion ----

/** Expands words into fields: parameters, `$(…)`, arithmetic, field splitting, globs. */
export function* expandWords(proc: Proc, words: Word[]): Run<string[]> {
  const out: string[] = [];
  for (const w of words) out.push(...(yield* expandWord(proc, w, true)));
  return out;
}

/** One word: with `split`, unquoted expansion results are split on blanks (and globbed). */
export function* expandWord(proc: Proc, word: Word, split: boolean): Run<string[]> {
  // fields being built; `glob` marks an unquoted * or ? in the text
  const fields: string[] = [];
  let cur = '';
  let has = false;
  let globbable = false;
  for (const part of word.parts) {
    let text: string;
    if (part.t === 'lit') {
      if (!part.q && /[*?]/.test(part.v)) globbable = true;
      cur += part.v;
      has = true;
      continue;
    }
    if (part.t === 'param') text = yield* expandParam(proc, part);
    else if (part.t === 'cmd') text = yield* commandSubstitution(proc, part.list);
    else text = String(arith((yield* expandWord(proc, part.expr, false)).join(' '), proc));
    if (part.q || !split) {
      cur += text;
      has = true;
      continue;
    }
    const pieces = text.split(/[ \t\n]+/);
    if (pieces.length === 1) {
      cur += text;
      if (text) has = true;
      continue;
    }
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) {
        if (has) fields.push(cur);
        cur = '';
        has = false;
      }
      cur += pieces[i];
      if (pieces[i]) has = true;
    }
  }
  if (has) fields.push(cur);
  if (split && globbable) return fields.flatMap((f) => glob(proc, f));
  return split ? fields : [fields.join(' ')];
}

function glob(proc: Proc, pattern: string): string[] {
  if (!/[*?]/.test(pattern)) return [pattern];
  const abs = pattern.startsWith('/');
  const dir = pattern.includes('/') ? pattern.slice(0, pattern.lastIndexOf('/')) || '/' : '.';
  const base = pattern.slice(pattern.lastIndexOf('/') + 1);
  if (/[*?]/.test(dir)) return [pattern];
  const re = globToRegExp(base);
  const names = proc.fs.list(normalize(dir, proc.cwd)).filter((n) => re.test(n) && (!n.startsWith('.') || base.startsWith('.')));
  if (!names.length) return [pattern];
  const prefix = pattern.includes('/') ? (dir === '/' && abs ? '/' : `${dir}/`) : '';
  return names.map((n) => prefix + n);
}

export function globToRegExp(pattern: string, anchored = true): RegExp {
  let re = '';
  for (const c of pattern) re += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(anchored ? `^${re}$` : re, 's');
}

function* expandParam(proc: Proc, part: Extract<Word['parts'][number], { t: 'param' }>): Run<string> {
  const value = proc.get(part.name);
  const op = part.op;
  if (!op) {
    if (value === undefined && proc.options.nounset && !/^[@*#?$!0-]$/.test(part.name)) {
      throw new ExitSignal(2);
    }
    return value ?? '';
  }
  if (op === '#len') return String((value ?? '').length);
  const arg = () => expandWord(proc, part.arg ?? { parts: [] }, false);
  const unsetOrEmpty = op.startsWith(':') ? !value : value === undefined;
  switch (op.replace(':', '')) {
    case '-':
      return unsetOrEmpty ? (yield* arg()).join(' ') : (value ?? '');
    case '=': {
      if (!unsetOrEmpty) return value ?? '';
      const v = (yield* arg()).join(' ');
      proc.vars.set(part.name, v);
      return v;
    }
    case '+':
      return unsetOrEmpty ? '' : (yield* arg()).join(' ');
    case '?':
      if (unsetOrEmpty) {
        const msg = (yield* arg()).join(' ') || 'parameter not set';
        throw Object.assign(new ExitSignal(2), { message: `${part.name}: ${msg}` });
      }
      return value ?? '';
  }
  const pattern = (yield* arg()).join(' ');
  const v = value ?? '';
  const longest = op.length === 2;
  const re = globToRegExp(pattern);
  if (op.startsWith('#')) {
    for (let n = longest ? v.length : 0; longest ? n >= 0 : n <= v.length; n += longest ? -1 : 1)
      if (re.test(v.slice(0, n))) return v.slice(n);
    return v;
  }
  for (let n = longest ? 0 : v.length; longest ? n <= v.length : n >= 0; n += longest ? 1 : -1)
    if (re.test(v.slice(n))) return v.slice(0, n);
  return v;
}

function* commandSubstitution(proc: Proc, list: List): Run<string> {
  const sub = proc.fork();
  const buffer = new BufferSink();
  const io: BuiltinIO = { ...proc.currentIO!, out: buffer };
  let status: number;
  try {
    status = yield* runList(sub, list, io);
  } catch (e) {
    if (!(e instanceof ExitSignal)) throw e;
    status = e.code;
  }
  proc.status = status;
  return buffer.text.replace(/\n+$/, '');
}

/** `$((…))`: integers with + - * / % ** comparisons, && || ! and parentheses; names read variables. */
export function arith(expr: string, proc: Proc): number {
  const tokens = expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<=|>=|==|!=|&&|\|\||[-+*/%()<>!]/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const value = (name: string) => Number(proc.get(name) ?? 0) || 0;
  const primary = (): number => {
    const t = tokens[i++];
    if (t === '(') {
      const v = or();
      i++;
      return v;
    }
    if (t === '-') return -primary();
    if (t === '+') return primary();
    if (t === '!') return primary() ? 0 : 1;
    if (t === undefined) return 0;
    return /^\d/.test(t) ? Number(t) : value(t);
  };
  const power = (): number => {
    const b = primary();
    if (peek() === '**') {
      i++;
      return b ** power();
    }
    return b;
  };
  const binary = (next: () => number, ops: Record<string, (a: number, b: number) => number>) => (): number => {
    let v = next();
    while (ops[peek()]) v = ops[tokens[i++]](v, next());
    return v;
  };
  const mul = binary(power, {
    '*': (a, b) => a * b,
    '/': (a, b) => (b ? Math.trunc(a / b) : 0),
    '%': (a, b) => (b ? a % b : 0),
  });
  const add = binary(mul, { '+': (a, b) => a + b, '-': (a, b) => a - b });
  const cmp = binary(add, { '<': (a, b) => +(a < b), '>': (a, b) => +(a > b), '<=': (a, b) => +(a <= b), '>=': (a, b) => +(a >= b) });
  const eq = binary(cmp, { '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b) });
  const and = binary(eq, { '&&': (a, b) => +(!!a && !!b) });
  const or = binary(and, { '||': (a, b) => +(!!a || !!b) });
  return or();
}
