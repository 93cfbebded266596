import { describe, expect, it } from 'vitest';
import { ShellProcess, runOnce } from '../../../src/sim/shell/process';
import { baseFs } from '../../../src/sim/shell/fs';
import type { ShellWorld } from '../../../src/sim/shell/interpreter';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

function world(services: Record<string, { ip: string; from?: number; endpoints?: boolean }> = {}): ShellWorld {
  return {
    hostname: 'pod-a',
    nameserver: '10.96.0.10',
    resolve(name, at) {
      const svc = services[name.split('.')[0]];
      if (!svc || (svc.from ?? 0) > at) return undefined;
      return { fqdn: `${name.split('.')[0]}.default.svc.cluster.local`, addresses: [svc.ip] };
    },
    http(url, at) {
      const u = new URL(url);
      const svc = services[u.hostname];
      if (!svc || (svc.from ?? 0) > at) return { error: 'resolve', host: u.hostname, port: 80 };
      if (!svc.endpoints) return { error: 'connect', host: u.hostname, port: 80 };
      return { status: 200, body: `hello from ${u.hostname}\n` };
    },
  };
}

/** Runs `sh -c script` to its end (or `until`), returning its exit and output lines with seconds since start. */
function run(script: string, opts: { until?: number; env?: [string, string][]; w?: ShellWorld; known?: number } = {}) {
  const p = new ShellProcess({
    argv: ['sh', '-c', script],
    env: opts.env ?? [
      ['PATH', '/bin'],
      ['HOME', '/root'],
    ],
    fs: baseFs(),
    world: opts.w ?? world(),
    startedAt: T0,
  });
  const until = T0 + (opts.until ?? 3600) * 1000;
  p.advance(until, opts.known === undefined ? until : T0 + opts.known * 1000);
  const lines = p.log.linesUntil(until).map((l) => `${(l.t - T0) / 1000} ${l.stream === 'stderr' ? 'E ' : ''}${l.text}`);
  return { p, lines, exit: p.exit && { at: (p.exit.at - T0) / 1000, code: p.exit.code } };
}

describe('shell interpreter', () => {
  it('runs ; && || and exit codes', () => {
    const r = run('echo a; false && echo no || echo yes; true && echo b; exit 3');
    expect(r.lines).toEqual(['0 a', '0 yes', '0 b']);
    expect(r.exit).toEqual({ at: 0, code: 3 });
  });

  it('sleeps in virtual time and keeps the time of each line', () => {
    const r = run('echo start; sleep 30; echo middle; sleep 1m; echo end');
    expect(r.lines).toEqual(['0 start', '30 middle', '90 end']);
    expect(r.exit).toEqual({ at: 90, code: 0 });
  });

  it('expands variables, ${X:-default}, $(…), $((…)) and quotes', () => {
    const r = run('X=world; echo "hello $X" \'$X\' ${Y:-dflt} $(echo sub) $((2 + 3 * 4)) ${#X} ${X%ld}', {
      env: [['PATH', '/bin']],
    });
    expect(r.lines).toEqual(['0 hello world $X dflt sub 14 5 wor']);
  });

  it('runs if/elif/else, for, while and until, case', () => {
    const r = run(
      'for i in 1 2 3; do if [ $i -eq 2 ]; then echo two; elif [ "$i" = 3 ]; then echo three; else echo one; fi; done; ' +
        'n=0; while [ $n -lt 3 ]; do n=$((n+1)); done; echo n=$n; until [ $n -eq 0 ]; do n=$((n-1)); done; echo n=$n; ' +
        'case abc in a*) echo matched;; *) echo no;; esac',
    );
    expect(r.lines).toEqual(['0 one', '0 two', '0 three', '0 n=3', '0 n=0', '0 matched']);
  });

  it('pipes output into the next command', () => {
    expect(run('printf "a\\nb\\nc\\n" | grep -v b | wc -l').lines).toEqual(['0 2']);
  });

  it('keeps files: touch, cat, rm, mkdir, ls, test -f, redirections', () => {
    const r = run(
      'mkdir -p /data/x; echo hi > /data/f; echo more >> /data/f; cat /data/f; ls /data; test -f /data/f && echo file; ' +
        'rm /data/f; cat /data/f; echo status=$?',
    );
    expect(r.lines).toEqual([
      '0 hi',
      '0 more',
      '0 f',
      '0 x',
      '0 file',
      "0 E cat: can't open '/data/f': No such file or directory",
      '0 status=1',
    ]);
  });

  it('prints date in UTC at the virtual time, and hostname', () => {
    expect(run('sleep 5; date; date +%s; hostname').lines).toEqual(['5 Fri Jan  2 03:04:10 UTC 2026', `5 ${T0 / 1000 + 5}`, '5 pod-a']);
  });

  it('a loop that repeats is recorded once and its output produced when asked', () => {
    const r = run('while true; do echo tick; sleep 1; done');
    expect(r.p.forever).toBe(true);
    // stepped only a couple of iterations, not 3600
    expect(r.p.log.lines.length).toBeLessThan(5);
    expect(r.lines.length).toBe(3601);
    expect(r.lines.slice(0, 2)).toEqual(['0 tick', '1 tick']);
    expect(r.p.log.linesUntil(T0 + 10_500, 2).map((l) => l.t - T0)).toEqual([9000, 10_000]);
  });

  it('a loop whose state changes is stepped', () => {
    const r = run('i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); sleep 2; done; echo done');
    expect(r.lines).toEqual(['0 0', '2 1', '4 2', '6 done']);
  });

  it('waits for the cluster: until nslookup succeeds, stopping where the answer is not known yet', () => {
    const w = world({ mysvc: { ip: '10.96.0.20', from: T0 + 7000 } });
    const script = 'until nslookup mysvc; do echo waiting; sleep 2; done; echo found';
    const early = run(script, { w, known: 3 });
    expect(early.exit).toBeUndefined();
    expect(early.p.nextAt).toBe(T0 + 4000);
    const late = run(script, { w });
    expect(late.exit).toEqual({ at: 8, code: 0 });
    expect(late.lines.filter((l) => /waiting|found/.test(l))).toEqual(['0 waiting', '2 waiting', '4 waiting', '6 waiting', '8 found']);
    expect(late.lines).toContain('8 Address: 10.96.0.20');
  });

  it('wget and curl reach a Service, with busybox and curl errors', () => {
    const w = world({ web: { ip: '10.96.0.30', endpoints: true }, down: { ip: '10.96.0.31' } });
    expect(run('wget -qO- http://web/', { w }).lines).toEqual(['0 hello from web']);
    expect(run('wget -qO- http://nope/; echo $?', { w }).lines).toEqual(["0 E wget: bad address 'nope'", '0 1']);
    expect(run('curl -s http://down/; echo $?', { w }).lines).toEqual(['0 7']);
    expect(run('curl http://nope/', { w }).exit?.code).toBe(6);
  });

  it('a command it cannot run keeps running and says so', () => {
    const r = run('echo before; python app.py; echo after');
    expect(r.p.forever).toBe(true);
    expect(r.lines).toEqual(['0 before', '0 E kubesim: "python" is not interpreted; the container runs until it is stopped']);
  });

  it('ln makes the link a copy of the target (the filesystem has no links); a hard link needs the target', () => {
    const r = run(
      'echo hi > /tmp/a; ln -s /tmp/a /tmp/b; cat /tmp/b; ln -s /tmp/later /tmp/c && cat /tmp/c; ln /tmp/a /tmp/b; ln -sf /tmp/a /tmp/b && echo forced; ln /tmp/zz /tmp/d',
    );
    expect(r.lines).toEqual(['0 hi', '0 E ln: /tmp/b: File exists', '0 forced', '0 E ln: /tmp/zz: No such file or directory']);
    expect(r.exit).toEqual({ at: 0, code: 1 });
  });

  it('kill 1 runs the SIGTERM trap, or ends the process with 143', () => {
    expect(run("trap 'echo bye; exit 0' TERM; echo up; kill 1; echo unreachable").lines).toEqual(['0 up', '0 bye']);
    expect(run('kill -TERM 1; echo no').exit?.code).toBe(143);
    expect(run('kill -9 1').exit?.code).toBe(137);
  });

  it('set -e stops at the first failure; syntax errors exit 2', () => {
    expect(run('set -e; echo a; false; echo b').exit?.code).toBe(1);
    expect(run('set -e; echo a; false; echo b').lines).toEqual(['0 a']);
    const bad = run('if true; then echo x');
    expect(bad.exit?.code).toBe(2);
    expect(bad.lines).toEqual(['0 E sh: syntax error: unexpected end of file']);
  });

  it('env lists the exported variables; functions take arguments', () => {
    const r = run('export A=1; f() { echo "f:$1:$#"; }; f x y; env | grep ^A=', { env: [['PATH', '/bin']] });
    expect(r.lines).toEqual(['0 f:x:2', '0 A=1']);
  });

  it('runOnce: an exec probe against files, with a timeout', () => {
    const fs = baseFs();
    fs.write('/tmp/healthy', '', false);
    const ok = runOnce({ argv: ['cat', '/tmp/healthy'], env: [], fs, world: world(), at: T0, timeoutMs: 1000 });
    expect(ok.code).toBe(0);
    const missing = runOnce({ argv: ['cat', '/tmp/nope'], env: [], fs, world: world(), at: T0, timeoutMs: 1000 });
    expect(missing).toMatchObject({ code: 1, stderr: "cat: can't open '/tmp/nope': No such file or directory\n" });
    expect(runOnce({ argv: ['sleep', '5'], env: [], fs, world: world(), at: T0, timeoutMs: 1000 }).timedOut).toBe(true);
  });
});
