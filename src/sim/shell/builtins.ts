import { FsError, normalize } from './fs';
import { parseScript } from './parser';
import { ExitSignal, copyStdin, readStdinLine, runArgv, runList, type Proc, type Run, type Sink, type StdinStream } from './interpreter';

/**
 * busybox's applets as kubesim runs them: same output and messages as busybox 1.36 (the
 * `busybox` image), over the container's in-memory files and virtual time. `sleep` moves the
 * process's clock and yields; `nslookup`, `getent`, `wget` and `curl` ask the cluster (they
 * yield first, so the driver runs them only once that instant has happened).
 */
export interface BuiltinIO {
  stdin: string;
  /** the container's own stdin, kept open (`stdin: true`): read as it comes, instead of `stdin` */
  input?: StdinStream;
  out: Sink;
  err: Sink;
  /** the container log's streams (where the interpreter's own notes go) */
  logOut: Sink;
  logErr: Sink;
}

export type Builtin = (proc: Proc, argv: string[], io: BuiltinIO) => number | Run<number>;

/**
 * Splits `-abc` style flags off the front of argv (stops at `--` or the first operand).
 * `withValue`: the short flags that take a value, then `[long]` names that do.
 */
function flags(argv: string[], withValue = ''): { set: Set<string>; values: Map<string, string>; rest: string[] } {
  const set = new Set<string>();
  const values = new Map<string, string>();
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) values.set(name, a.slice(eq + 1));
      else if (withValue.includes(`[${name}]`)) values.set(name, argv[++i] ?? '');
      set.add(name);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (shortWithValue(withValue).includes(f)) {
        values.set(f, a.slice(j + 1) || argv[++i] || '');
        set.add(f);
        break;
      }
      set.add(f);
    }
  }
  return { set, values, rest: argv.slice(i) };
}

const shortWithValue = (spec: string) => spec.replace(/\[[^\]]*\]/g, '');

function escapes(text: string): { text: string; stop: boolean } {
  let stop = false;
  const out = text.replace(/\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|.)/g, (_, e: string) => {
    if (stop) return '';
    switch (e[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '\\':
        return '\\';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'e':
        return '\x1b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'c':
        stop = true;
        return '';
      case '0':
        return String.fromCharCode(parseInt(e.slice(1) || '0', 8));
      case 'x':
        return String.fromCharCode(parseInt(e.slice(1), 16));
      default:
        return `\\${e}`;
    }
  });
  return { text: out, stop };
}

const echo: Builtin = (_proc, argv, io) => {
  let i = 1;
  let newline = true;
  let interpret = false;
  for (; i < argv.length && /^-[neE]+$/.test(argv[i]); i++) {
    if (argv[i].includes('n')) newline = false;
    if (argv[i].includes('e')) interpret = true;
    if (argv[i].includes('E')) interpret = false;
  }
  let text = argv.slice(i).join(' ');
  if (interpret) {
    const e = escapes(text);
    text = e.text;
    if (e.stop) newline = false;
  }
  io.out.write(newline ? `${text}\n` : text);
  return 0;
};

/** printf FORMAT ARGS: the format is reused while arguments remain. */
const printf: Builtin = (_proc, argv, io) => {
  const format = argv[1];
  if (format === undefined) {
    io.err.write('printf: usage: printf FORMAT [ARGUMENT...]\n');
    return 2;
  }
  const args = argv.slice(2);
  let used = 0;
  let out = '';
  let status = 0;
  do {
    const before = used;
    out += format.replace(
      /%([-+ 0#]*)(\d+|\*)?(?:\.(\d+))?([sdiuxXofeEgGcb%])|\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|.)/g,
      (m: string, fl: string, width: string | undefined, prec: string | undefined, conv: string | undefined, esc: string | undefined) => {
        if (esc !== undefined) return escapes(m).text;
        if (conv === '%') return '%';
        const arg = args[used++] ?? '';
        let s: string;
        switch (conv) {
          case 'd':
          case 'i':
          case 'u': {
            const n = arg === '' ? 0 : Number(arg.startsWith("'") ? arg.charCodeAt(1) : arg);
            if (!Number.isFinite(n)) {
              io.err.write(`printf: invalid number '${arg}'\n`);
              status = 1;
            }
            s = String(Math.trunc(n || 0));
            if (fl.includes('+') && n >= 0) s = `+${s}`;
            break;
          }
          case 'x':
          case 'X':
          case 'o':
            s = Math.trunc(Number(arg) || 0).toString(conv === 'o' ? 8 : 16);
            if (conv === 'X') s = s.toUpperCase();
            break;
          case 'f':
          case 'e':
          case 'E':
          case 'g':
          case 'G':
            s = conv === 'f' ? (Number(arg) || 0).toFixed(prec === undefined ? 6 : Number(prec)) : String(Number(arg) || 0);
            break;
          case 'c':
            s = arg.slice(0, 1);
            break;
          case 'b':
            s = escapes(arg).text;
            break;
          default:
            s = prec !== undefined ? arg.slice(0, Number(prec)) : arg;
        }
        const w = width === '*' ? 0 : Number(width ?? 0);
        if (s.length < w) s = fl.includes('-') ? s.padEnd(w) : fl.includes('0') && conv !== 's' ? s.padStart(w, '0') : s.padStart(w);
        return s;
      },
    );
    if (used === before) break;
  } while (used < args.length);
  io.out.write(out);
  return status;
};

/** sleep N[smhd]…, virtual: the process's clock moves and the driver may stop here. */
function* sleep(proc: Proc, argv: string[], io: BuiltinIO): Run<number> {
  if (argv.length < 2) {
    io.err.write('sleep: missing operand\n');
    return 1;
  }
  let ms = 0;
  for (const a of argv.slice(1)) {
    if (a === 'infinity' || a === 'inf') {
      yield { wait: 'forever' };
      return 0;
    }
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) {
      io.err.write(`sleep: invalid number '${a}'\n`);
      return 1;
    }
    ms += Number(m[1]) * { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]]!;
  }
  proc.now += Math.round(ms);
  proc.spin = 0;
  yield { wait: 'time' };
  return 0;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** date [+FORMAT]: the virtual time, in UTC (busybox's default format `Sun Dec  6 05:56:29 UTC 2026`). */
function dateText(ms: number, format?: string): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const codes: Record<string, () => string> = {
    Y: () => String(d.getUTCFullYear()),
    y: () => p2(d.getUTCFullYear() % 100),
    m: () => p2(d.getUTCMonth() + 1),
    d: () => p2(d.getUTCDate()),
    e: () => String(d.getUTCDate()).padStart(2),
    H: () => p2(d.getUTCHours()),
    M: () => p2(d.getUTCMinutes()),
    S: () => p2(d.getUTCSeconds()),
    s: () => String(Math.floor(ms / 1000)),
    N: () => String((ms % 1000) * 1_000_000).padStart(9, '0'),
    a: () => DAYS[d.getUTCDay()],
    b: () => MONTHS[d.getUTCMonth()],
    Z: () => 'UTC',
    z: () => '+0000',
    T: () => `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`,
    F: () => `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`,
    '%': () => '%',
    n: () => '\n',
  };
  const fmt = format ?? '%a %b %e %H:%M:%S %Z %Y';
  return fmt.replace(/%(.)/g, (m, c: string) => codes[c]?.() ?? m);
}

const date: Builtin = (proc, argv, io) => {
  proc.impure++;
  const format = argv.slice(1).find((a) => a.startsWith('+'));
  if (argv.slice(1).some((a) => a === '-Iseconds' || a === '-I' || a === '--iso-8601=seconds')) {
    io.out.write(`${new Date(proc.now).toISOString().slice(0, 19)}+00:00\n`);
    return 0;
  }
  io.out.write(`${dateText(proc.now, format?.slice(1))}\n`);
  return 0;
};

function fsFail(io: BuiltinIO, text: string): number {
  io.err.write(`${text}\n`);
  return 1;
}

function* cat(proc: Proc, argv: string[], io: BuiltinIO): Run<number> {
  const { rest } = flags(argv);
  if (!rest.length) rest.push('-');
  let status = 0;
  for (const f of rest) {
    if (f === '-') {
      if (io.input) yield* copyStdin(proc, io.input, io.out);
      else io.out.write(io.stdin);
      continue;
    }
    const e = proc.fs.get(normalize(f, proc.cwd));
    if (!e) status = fsFail(io, `cat: can't open '${f}': No such file or directory`);
    else if (e.dir) status = fsFail(io, `cat: read error: Is a directory`);
    else io.out.write(e.data);
  }
  return status;
}

const touch: Builtin = (proc, argv, io) => {
  let status = 0;
  for (const f of flags(argv).rest) {
    try {
      proc.fs.touch(normalize(f, proc.cwd));
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = fsFail(io, `touch: ${f}: ${e.message}`);
    }
  }
  return status;
};

const rm: Builtin = (proc, argv, io) => {
  const { set, rest } = flags(argv);
  const force = set.has('f');
  let status = 0;
  for (const f of rest) {
    const path = normalize(f, proc.cwd);
    try {
      if (proc.fs.get(path)?.dir && !set.has('r') && !set.has('R')) throw new FsError('is a directory');
      proc.fs.remove(path, true);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      if (force && e.message === 'No such file or directory') continue;
      status = fsFail(io, `rm: can't remove '${f}': ${e.message}`);
    }
  }
  return status;
};

const mkdir: Builtin = (proc, argv, io) => {
  const { set, rest } = flags(argv, 'm');
  let status = 0;
  for (const f of rest) {
    const path = normalize(f, proc.cwd);
    try {
      if (set.has('p')) {
        if (proc.fs.get(path) && !proc.fs.get(path)!.dir) throw new FsError('File exists');
        proc.fs.mkdirs(path);
      } else proc.fs.mkdir(path);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      status = fsFail(io, `mkdir: can't create directory '${f}': ${e.message}`);
    }
  }
  return status;
};

const ls: Builtin = (proc, argv, io) => {
  const { set, rest } = flags(argv);
  const targets = rest.length ? rest : ['.'];
  let status = 0;
  const long = set.has('l');
  const show = (name: string, path: string) => {
    if (!long) return name;
    const e = proc.fs.get(path)!;
    const size = e.dir ? 4096 : Buffer.byteLength(e.data);
    return `${e.dir ? 'drwxr-xr-x' : '-rw-r--r--'}    1 root     root     ${String(size).padStart(8)} ${dateText(proc.now, '%b %e %H:%M')} ${name}`;
  };
  targets.forEach((t, i) => {
    const path = normalize(t, proc.cwd);
    const e = proc.fs.get(path);
    if (!e) {
      status = fsFail(io, `ls: ${t}: No such file or directory`);
      return;
    }
    if (!e.dir) {
      io.out.write(`${show(t, path)}\n`);
      return;
    }
    if (targets.length > 1) io.out.write(`${i ? '\n' : ''}${t}:\n`);
    let names = proc.fs.list(path);
    if (!set.has('a') && !set.has('A')) names = names.filter((n) => !n.startsWith('.'));
    if (set.has('a')) names = ['.', '..', ...names];
    if (long) io.out.write(`total ${names.length}\n`);
    for (const n of names) io.out.write(`${show(n, normalize(n, path))}\n`);
  });
  return status;
};

/** test / [: files, strings, integers, !, -a, -o. */
export function testExpr(proc: Proc, args: string[]): boolean | string {
  const file = (p: string) => proc.fs.get(normalize(p, proc.cwd));
  const int = (s: string) => {
    if (!/^\s*[-+]?\d+\s*$/.test(s)) throw new Error(`${s}: bad number`);
    return Number(s);
  };
  const unary: Record<string, (a: string) => boolean> = {
    '-e': (a) => !!file(a),
    '-f': (a) => file(a)?.dir === false,
    '-d': (a) => !!file(a)?.dir,
    '-s': (a) => {
      const e = file(a);
      return !!e && (e.dir || e.data.length > 0);
    },
    '-r': (a) => !!file(a),
    '-w': (a) => !!file(a) && !file(a)!.readOnly,
    '-x': (a) => !!file(a)?.dir,
    '-L': () => false,
    '-h': () => false,
    '-z': (a) => a.length === 0,
    '-n': (a) => a.length > 0,
  };
  const binary: Record<string, (a: string, b: string) => boolean> = {
    '=': (a, b) => a === b,
    '==': (a, b) => a === b,
    '!=': (a, b) => a !== b,
    '-eq': (a, b) => int(a) === int(b),
    '-ne': (a, b) => int(a) !== int(b),
    '-lt': (a, b) => int(a) < int(b),
    '-le': (a, b) => int(a) <= int(b),
    '-gt': (a, b) => int(a) > int(b),
    '-ge': (a, b) => int(a) >= int(b),
  };
  let i = 0;
  const primary = (): boolean => {
    if (args[i] === '!') {
      i++;
      return !primary();
    }
    if (args[i] === '(') {
      i++;
      const v = or();
      i++;
      return v;
    }
    if (binary[args[i + 1]] && i + 2 < args.length + 0 + 1) {
      const a = args[i];
      const op = args[i + 1];
      const b = args[i + 2] ?? '';
      i += 3;
      return binary[op](a, b);
    }
    if (unary[args[i]] && i + 1 < args.length) {
      const op = args[i];
      const a = args[i + 1];
      i += 2;
      return unary[op](a);
    }
    return (args[i++] ?? '').length > 0;
  };
  const and = (): boolean => {
    let v = primary();
    while (args[i] === '-a') {
      i++;
      const r = primary();
      v = v && r;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (args[i] === '-o') {
      i++;
      const r = and();
      v = v || r;
    }
    return v;
  };
  try {
    if (!args.length) return false;
    return or();
  } catch (e) {
    return (e as Error).message;
  }
}

const test: Builtin = (proc, argv, io) => {
  let args = argv.slice(1);
  // ash's [[ … ]] (as busybox has it): the simple tests, without && and || inside
  const close = argv[0] === '[' ? ']' : argv[0] === '[[' ? ']]' : undefined;
  if (close) {
    if (args[args.length - 1] !== close) {
      io.err.write(`${argv[0]}: missing ${close}\n`);
      return 2;
    }
    args = args.slice(0, -1);
  }
  const r = testExpr(proc, args);
  if (typeof r === 'string') {
    io.err.write(`${proc.arg0}: ${r}\n`);
    return 2;
  }
  return r ? 0 : 1;
};

const SIGNALS: Record<string, number> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, TERM: 15 };
function signalNumber(name: string): number | undefined {
  const n = name.replace(/^-/, '').replace(/^SIG/, '');
  if (/^\d+$/.test(n)) return Number(n);
  return SIGNALS[n.toUpperCase()];
}
const signalName = (n: number) => Object.keys(SIGNALS).find((k) => SIGNALS[k] === n) ?? String(n);

/** trap ACTION SIGNAL…: kept per signal; `kill` on the container's process runs it. */
const trap: Builtin = (proc, argv, io) => {
  if (argv.length === 1) {
    for (const [sig, action] of proc.traps) io.out.write(`trap -- '${action}' ${sig}\n`);
    return 0;
  }
  const [, action, ...signals] = argv;
  for (const s of signals) {
    const n = signalNumber(s) ?? (s === 'EXIT' || s === '0' ? 0 : undefined);
    if (n === undefined) {
      io.err.write(`trap: ${s}: invalid signal specification\n`);
      return 1;
    }
    const name = n === 0 ? 'EXIT' : signalName(n);
    if (action === '-') proc.traps.delete(name);
    else proc.traps.set(name, action);
  }
  return 0;
};

/**
 * kill [-SIG] PID: the container's own process is PID 1 (and `$$`): a trapped signal runs its
 * handler, SIGKILL or an untrapped one ends the process (exit 128+signal).
 */
function* kill(proc: Proc, argv: string[], io: BuiltinIO): Run<number> {
  let sig = 15;
  let i = 1;
  if (argv[1] === '-l') {
    io.out.write(`${Object.keys(SIGNALS).join(' ')}\n`);
    return 0;
  }
  if (argv[1] === '-s') {
    sig = signalNumber(argv[2] ?? '') ?? 15;
    i = 3;
  } else if (argv[1]?.startsWith('-')) {
    const n = signalNumber(argv[1]);
    if (n === undefined) {
      io.err.write(`kill: bad signal name '${argv[1].slice(1)}'\n`);
      return 1;
    }
    sig = n;
    i = 2;
  }
  let status = 0;
  for (const pid of argv.slice(i)) {
    if (pid !== '1' && pid !== '0' && pid !== '-1') {
      io.err.write(`kill: can't kill pid ${pid}: No such process\n`);
      status = 1;
      continue;
    }
    const handler = proc.traps.get(signalName(sig));
    if (handler !== undefined && sig !== 9) {
      if (handler) status = yield* runList(proc, parseScript(handler), io);
      continue;
    }
    throw new ExitSignal(128 + sig);
  }
  return status;
}

/** nslookup NAME: busybox's answer from the cluster DNS. */
function* nslookup(proc: Proc, argv: string[], io: BuiltinIO): Run<number> {
  const name = flags(argv).rest[0];
  if (!name) {
    io.err.write(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n',
    );
    return 1;
  }
  proc.impure++;
  yield { wait: 'world' };
  const answer = proc.world.resolve(name, proc.now);
  const ns = proc.world.nameserver;
  io.out.write(`Server:\t\t${ns}\nAddress:\t${ns}:53\n\n`);
  if (!answer) {
    io.out.write(`** server can't find ${name}: NXDOMAIN\n\n`);
    return 1;
  }
  for (const a of answer.addresses) io.out.write(`Name:\t${answer.fqdn}\nAddress: ${a}\n\n`);
  return 0;
}

/** getent hosts NAME: `ADDRESS  FQDN`, exit 2 when unknown. */
function* getent(proc: Proc, argv: string[], io: BuiltinIO): Run<number> {
  if (argv[1] !== 'hosts' && argv[1] !== 'ahosts') {
    io.err.write(`getent: unknown database: ${argv[1] ?? ''}\n`);
    return 1;
  }
  const name = argv[2];
  if (!name) return 0;
  proc.impure++;
  yield { wait: 'world' };
  const answer = proc.world.resolve(name, proc.now);
  if (!answer) return 2;
  io.out.write(`${answer.addresses[0].padEnd(15)} ${answer.fqdn}\n`);
  return 0;
}

/** wget [-q] [-O FILE|-] [--spider] [-T SEC] URL: busybox's messages. */
function* wget(proc: Proc, argv: string[], io: BuiltinIO): Run<number> {
  const { set, values, rest } = flags(argv, 'OTtU[timeout][output-document][tries][user-agent]');
  const url = rest[0];
  if (!url) {
    io.err.write('wget: missing URL\n');
    return 1;
  }
  const quiet = set.has('q') || set.has('quiet');
  proc.impure++;
  yield { wait: 'world' };
  const full = /^[a-z]+:\/\//.test(url) ? url : `http://${url}`;
  const res = proc.world.http(full, proc.now);
  if ('error' in res) {
    io.err.write(
      res.error === 'resolve' ? `wget: bad address '${res.host}'\n` : `wget: can't connect to remote host: Connection refused\n`,
    );
    return 1;
  }
  if (!quiet) io.err.write(`Connecting to ${new URL(full).host} (${new URL(full).host})\n`);
  if (res.status >= 400) {
    io.err.write(`wget: server returned error: HTTP/1.1 ${res.status} ${res.status === 404 ? 'Not Found' : 'Error'}\n`);
    return 1;
  }
  if (set.has('spider')) return 0;
  const output = values.get('O') ?? values.get('output-document') ?? (new URL(full).pathname.split('/').pop() || 'index.html');
  if (output === '-') io.out.write(res.body);
  else {
    try {
      proc.fs.write(normalize(output, proc.cwd), res.body, false);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      io.err.write(`wget: can't open '${output}': ${e.message}\n`);
      return 1;
    }
    if (!quiet)
      io.err.write(
        `saving to '${output}'\n${output}            100% |********************************|  ${res.body.length}  0:00:00 ETA\n'${output}' saved\n`,
      );
  }
  return 0;
}

/** curl [-s] [-f] [-o FILE] [-I] [-m SEC] URL: curl's exit codes (6 cannot resolve, 7 cannot connect, 22 HTTP error with -f). */
function* curl(proc: Proc, argv: string[], io: BuiltinIO): Run<number> {
  const { set, values, rest } = flags(argv, 'omwHXdA[max-time][connect-timeout][output][header][request][data][retry][write-out]');
  const url = rest[0];
  if (!url) {
    io.err.write("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const silent = set.has('s') || set.has('silent');
  const showError = set.has('S') || set.has('show-error');
  proc.impure++;
  yield { wait: 'world' };
  const full = /^[a-z]+:\/\//.test(url) ? url : `http://${url}`;
  const res = proc.world.http(full, proc.now);
  if ('error' in res) {
    const code = res.error === 'resolve' ? 6 : 7;
    if (!silent || showError)
      io.err.write(
        code === 6
          ? `curl: (6) Could not resolve host: ${res.host}\n`
          : `curl: (7) Failed to connect to ${res.host} port ${res.port} after 0 ms: Couldn't connect to server\n`,
      );
    return code;
  }
  if ((set.has('f') || set.has('fail')) && res.status >= 400) {
    if (!silent || showError) io.err.write(`curl: (22) The requested URL returned error: ${res.status}\n`);
    return 22;
  }
  const body = set.has('I') || set.has('head') ? `HTTP/1.1 ${res.status} ${res.status === 200 ? 'OK' : 'Error'}\r\n\r\n` : res.body;
  const output = values.get('o') ?? values.get('output');
  if (output && output !== '-') {
    if (output !== '/dev/null') proc.fs.write(normalize(output, proc.cwd), body, false);
  } else io.out.write(body);
  const writeOut = values.get('w') ?? values.get('write-out');
  if (writeOut) io.out.write(writeOut.replace(/%\{http_code\}/g, String(res.status)).replace(/\\n/g, '\n'));
  return 0;
}

const env: Builtin = (proc, _argv, io) => {
  for (const [k, v] of proc.environment()) io.out.write(`${k}=${v}\n`);
  return 0;
};

const printenv: Builtin = (proc, argv, io) => {
  if (argv.length === 1) return env(proc, argv, io);
  let status = 0;
  const all = new Map(proc.environment());
  for (const name of argv.slice(1)) {
    const v = all.get(name);
    if (v === undefined) status = 1;
    else io.out.write(`${v}\n`);
  }
  return status;
};

const exportVar: Builtin = (proc, argv) => {
  for (const a of argv.slice(1)) {
    if (a === '-p') continue;
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (eq >= 0) proc.vars.set(name, a.slice(eq + 1));
    proc.exported.add(name);
  }
  return 0;
};

const unset: Builtin = (proc, argv) => {
  for (const a of argv.slice(1)) {
    if (a === '-v' || a === '-f') continue;
    proc.vars.delete(a);
    proc.funcs.delete(a);
    proc.exported.delete(a);
  }
  return 0;
};

const set: Builtin = (proc, argv, io) => {
  if (argv.length === 1) {
    for (const [k, v] of [...proc.vars].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) io.out.write(`${k}='${v}'\n`);
    return 0;
  }
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      proc.positional = argv.slice(i);
      return 0;
    }
    if (!/^[-+]/.test(a)) break;
    const on = a[0] === '-';
    if (a === '-o' || a === '+o') {
      const opt = argv[++i];
      if (opt === 'errexit') proc.options.errexit = on;
      if (opt === 'xtrace') proc.options.xtrace = on;
      if (opt === 'nounset') proc.options.nounset = on;
      continue;
    }
    for (const f of a.slice(1)) {
      if (f === 'e') proc.options.errexit = on;
      if (f === 'x') proc.options.xtrace = on;
      if (f === 'u') proc.options.nounset = on;
    }
  }
  if (i < argv.length) proc.positional = argv.slice(i);
  return 0;
};

/** read [-r] NAME…: a line from stdin (empty: status 1; an open stdin is waited for). */
function* read(proc: Proc, argv: string[], io: BuiltinIO): Run<number> {
  const names = argv.slice(1).filter((a) => !a.startsWith('-'));
  let line: string;
  if (io.input) {
    const got = yield* readStdinLine(proc, io.input);
    if (got === undefined) return 1;
    line = got;
  } else {
    if (!io.stdin) return 1;
    const nl = io.stdin.indexOf('\n');
    line = nl >= 0 ? io.stdin.slice(0, nl) : io.stdin;
    io.stdin = nl >= 0 ? io.stdin.slice(nl + 1) : '';
  }
  const fields = line.trim().split(/\s+/);
  (names.length ? names : ['REPLY']).forEach((n, i, all) =>
    proc.vars.set(n, i === all.length - 1 ? fields.slice(i).join(' ') : (fields[i] ?? '')),
  );
  return 0;
}

function lines(text: string): string[] {
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function inputOf(proc: Proc, files: string[], io: BuiltinIO, name: string): string | undefined {
  if (!files.length) return io.stdin;
  let text = '';
  for (const f of files) {
    const e = proc.fs.get(normalize(f, proc.cwd));
    if (!e || e.dir) {
      io.err.write(`${name}: ${f}: No such file or directory\n`);
      return undefined;
    }
    text += e.data;
  }
  return text;
}

const grep: Builtin = (proc, argv, io) => {
  const { set, values, rest } = flags(argv, 'e');
  const pattern = values.get('e') ?? rest.shift();
  if (pattern === undefined) {
    io.err.write(
      'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n',
    );
    return 2;
  }
  const text = inputOf(proc, rest, io, 'grep');
  if (text === undefined) return 2;
  let re: RegExp;
  try {
    const src = set.has('F')
      ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      : set.has('E')
        ? pattern
        : pattern.replace(/\\([|(){}+?])/g, '$1');
    re = new RegExp(set.has('w') ? `\\b(?:${src})\\b` : set.has('x') ? `^(?:${src})$` : src, set.has('i') ? 'i' : '');
  } catch {
    io.err.write(`grep: bad regex '${pattern}'\n`);
    return 2;
  }
  const matched = lines(text).filter((l) => re.test(l) !== set.has('v'));
  if (set.has('c')) io.out.write(`${matched.length}\n`);
  else if (!set.has('q')) for (const l of matched) io.out.write(`${l}\n`);
  return matched.length ? 0 : 1;
};

const headTail =
  (tail: boolean): Builtin =>
  (proc, argv, io) => {
    const args = argv.map((a) => (/^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
    const { values, rest } = flags(args, 'nc');
    const text = inputOf(proc, rest, io, argv[0]);
    if (text === undefined) return 1;
    const n = values.get('n');
    const all = lines(text);
    const count = n === undefined ? 10 : Number(n.replace('+', ''));
    const picked = tail ? (n?.startsWith('+') ? all.slice(count - 1) : all.slice(Math.max(0, all.length - count))) : all.slice(0, count);
    for (const l of picked) io.out.write(`${l}\n`);
    return 0;
  };

const wc: Builtin = (proc, argv, io) => {
  const { set, rest } = flags(argv);
  const text = inputOf(proc, rest, io, 'wc');
  if (text === undefined) return 1;
  const l = (text.match(/\n/g) ?? []).length;
  const w = text.split(/\s+/).filter(Boolean).length;
  const c = Buffer.byteLength(text);
  const parts = set.size ? [set.has('l') && l, set.has('w') && w, set.has('c') && c].filter((x) => x !== false) : [l, w, c];
  io.out.write(`${parts.map((x) => String(x).padStart(set.size === 1 ? 0 : 7)).join(' ')}${rest.length ? ` ${rest[0]}` : ''}\n`);
  return 0;
};

const seq: Builtin = (_proc, argv, io) => {
  const nums = argv.slice(1).map(Number);
  const [first, step, last] = nums.length === 1 ? [1, 1, nums[0]] : nums.length === 2 ? [nums[0], 1, nums[1]] : [nums[0], nums[1], nums[2]];
  if (!step) return 1;
  for (let v = first; step > 0 ? v <= last : v >= last; v += step) io.out.write(`${v}\n`);
  return 0;
};

const expr: Builtin = (_proc, argv, io) => {
  const [a, op, b] = argv.slice(1);
  const x = Number(a);
  const y = Number(b);
  const ops: Record<string, () => number | string> = {
    '+': () => x + y,
    '-': () => x - y,
    '*': () => x * y,
    '/': () => Math.trunc(x / y),
    '%': () => x % y,
    '=': () => +(a === b),
    '!=': () => +(a !== b),
    '<': () => +(x < y),
    '>': () => +(x > y),
  };
  const r = op === undefined ? a : ops[op]?.();
  if (r === undefined) {
    io.err.write('expr: syntax error\n');
    return 2;
  }
  io.out.write(`${r}\n`);
  return r === 0 || r === '' || r === '0' ? 1 : 0;
};

const cp: Builtin = (proc, argv, io) => {
  const { rest } = flags(argv);
  const [from, to] = rest;
  const e = proc.fs.get(normalize(from ?? '', proc.cwd));
  if (!e || e.dir) return fsFail(io, `cp: can't stat '${from}': No such file or directory`);
  let dest = normalize(to ?? '', proc.cwd);
  if (proc.fs.get(dest)?.dir) dest = normalize(from.split('/').pop()!, dest);
  try {
    proc.fs.write(dest, e.data, false);
  } catch (err) {
    if (!(err instanceof FsError)) throw err;
    return fsFail(io, `cp: can't create '${to}': ${err.message}`);
  }
  if (argv[0] === 'mv') proc.fs.remove(normalize(from, proc.cwd), false);
  return 0;
};

/**
 * busybox ln [-s] [-f] TARGET LINK: the in-memory filesystem has no links, so the link is a copy of
 * what the target holds now (a symbolic link to a file not there yet is an empty file).
 */
const ln: Builtin = (proc, argv, io) => {
  const { set, rest } = flags(argv);
  const [target, link] = rest;
  if (target === undefined) return fsFail(io, 'ln: missing file operand');
  const source = proc.fs.get(normalize(target, proc.cwd));
  if (!set.has('s') && (!source || source.dir)) return fsFail(io, `ln: ${target}: No such file or directory`);
  let dest = normalize(link ?? target.split('/').pop()!, proc.cwd);
  if (proc.fs.get(dest)?.dir) dest = normalize(target.split('/').pop()!, dest);
  if (proc.fs.get(dest) && !set.has('f')) return fsFail(io, `ln: ${link}: File exists`);
  try {
    proc.fs.write(dest, source && !source.dir ? source.data : '', false);
  } catch (err) {
    if (!(err instanceof FsError)) throw err;
    return fsFail(io, `ln: ${link}: ${err.message}`);
  }
  return 0;
};

const tee: Builtin = (proc, argv, io) => {
  const { set, rest } = flags(argv);
  for (const f of rest) proc.fs.write(normalize(f, proc.cwd), io.stdin, set.has('a'));
  io.out.write(io.stdin);
  return 0;
};

const cd: Builtin = (proc, argv, io) => {
  const target = normalize(argv[1] ?? proc.vars.get('HOME') ?? '/', proc.cwd);
  if (!proc.fs.get(target)?.dir) {
    io.err.write(`${proc.arg0}: cd: can't cd to ${argv[1]}: No such file or directory\n`);
    return 2;
  }
  proc.cwd = target;
  proc.vars.set('PWD', target);
  return 0;
};

const shift: Builtin = (proc, argv) => {
  proc.positional = proc.positional.slice(Number(argv[1] ?? 1));
  return 0;
};

const basename: Builtin = (_p, argv, io) => {
  let b = (argv[1] ?? '').replace(/\/+$/, '').split('/').pop() ?? '';
  if (argv[2] && b.endsWith(argv[2])) b = b.slice(0, -argv[2].length);
  io.out.write(`${b}\n`);
  return 0;
};
const dirname: Builtin = (_p, argv, io) => {
  const p = (argv[1] ?? '').replace(/\/+$/, '');
  const i = p.lastIndexOf('/');
  io.out.write(`${i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i)}\n`);
  return 0;
};

const ok: Builtin = () => 0;

export const BUILTINS: Record<string, Builtin> = {
  echo,
  printf,
  sleep,
  true: ok,
  ':': ok,
  false: () => 1,
  date,
  hostname: (proc, _argv, io) => {
    io.out.write(`${proc.world.hostname}\n`);
    return 0;
  },
  cat,
  touch,
  rm,
  mkdir,
  ls,
  test,
  '[': test,
  '[[': test,
  printenv,
  env,
  kill,
  trap,
  nslookup,
  getent,
  wget,
  curl,
  export: exportVar,
  readonly: exportVar,
  local: exportVar,
  unset,
  set,
  read,
  grep,
  head: headTail(false),
  tail: headTail(true),
  wc,
  seq,
  expr,
  cp,
  mv: cp,
  ln,
  tee,
  cd,
  pwd: (proc, _argv, io) => {
    io.out.write(`${proc.cwd}\n`);
    return 0;
  },
  shift,
  basename,
  dirname,
  wait: ok,
  sync: ok,
  chmod: ok,
  chown: ok,
  whoami: (_p, _a, io) => {
    io.out.write('root\n');
    return 0;
  },
  id: (_p, _a, io) => {
    io.out.write('uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
    return 0;
  },
  uname: (_p, argv, io) => {
    io.out.write(argv.includes('-a') ? 'Linux kubesim 6.1.0 #1 SMP x86_64 GNU/Linux\n' : 'Linux\n');
    return 0;
  },
  // `timeout N cmd`: runs cmd (kubesim does not cut it short)
  timeout: function* (proc, argv, io) {
    const { rest } = flags(argv, 's');
    return yield* runArgv(proc, rest.slice(1), io);
  },
};
