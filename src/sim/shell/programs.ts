import type { Builtin, BuiltinIO } from './builtins';
import type { Proc, Run } from './interpreter';

/**
 * The programs of well-known images, as kubesim runs them when a container gives no command
 * (or names them): a few start-up lines like the real ones, then they serve until stopped.
 */

function stamp(proc: Proc, style: 'nginx' | 'redis' | 'pg' | 'mysql' | 'httpd'): string {
  const d = new Date(proc.now);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
  const time = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  switch (style) {
    case 'nginx':
      return `${date.replace(/-/g, '/')} ${time}`;
    case 'redis':
      return `${p2(d.getUTCDate())} ${mon} ${d.getUTCFullYear()} ${time}.000`;
    case 'pg':
      return `${date} ${time}.000 UTC`;
    case 'mysql':
      return `${date}T${time}.000000Z`;
    case 'httpd':
      return `${day} ${mon} ${p2(d.getUTCDate())} ${time}.000000 ${d.getUTCFullYear()}`;
  }
}

function* serve(io: BuiltinIO, lines: { err?: boolean; text: string }[]): Run<number> {
  for (const l of lines) (l.err ? io.err : io.out).write(`${l.text}\n`);
  yield { wait: 'forever' };
  return 0;
}

const nginx: Builtin = (proc, argv, io) => {
  // `nginx -s quit|stop|reload|reopen` signals the running master and returns (a preStop hook's usual line)
  const signal = argv.indexOf('-s');
  if (signal > 0) {
    if (!['stop', 'quit', 'reopen', 'reload'].includes(argv[signal + 1] ?? '')) {
      io.err.write(`nginx: invalid option: "-s ${argv[signal + 1] ?? ''}"\n`);
      return 1;
    }
    return 0;
  }
  const t = stamp(proc, 'nginx');
  return serve(io, [
    { text: '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration' },
    { text: '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/' },
    { text: '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh' },
    { text: '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf' },
    { text: '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh' },
    { text: '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh' },
    { text: '/docker-entrypoint.sh: Configuration complete; ready for start up' },
    { err: true, text: `${t} [notice] 1#1: using the "epoll" event method` },
    { err: true, text: `${t} [notice] 1#1: nginx/1.27.3` },
    { err: true, text: `${t} [notice] 1#1: OS: Linux 6.1.0` },
    { err: true, text: `${t} [notice] 1#1: start worker processes` },
    { err: true, text: `${t} [notice] 1#1: start worker process 29` },
  ]);
};

const redis: Builtin = (proc, _argv, io) => {
  const t = stamp(proc, 'redis');
  return serve(io, [
    { text: `1:C ${t} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo` },
    { text: `1:C ${t} * Redis version=7.4.1, bits=64, commit=00000000, modified=0, pid=1, just started` },
    { text: `1:M ${t} * Running mode=standalone, port=6379.` },
    { text: `1:M ${t} * Server initialized` },
    { text: `1:M ${t} * Ready to accept connections tcp` },
  ]);
};

const httpd: Builtin = (proc, _argv, io) => {
  const t = stamp(proc, 'httpd');
  const ip = proc.vars.get('KUBESIM_POD_IP') ?? '127.0.0.1';
  const fqdn = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ip}. Set the 'ServerName' directive globally to suppress this message`;
  return serve(io, [
    { err: true, text: fqdn },
    { err: true, text: fqdn },
    { err: true, text: `[${t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations` },
    { err: true, text: `[${t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'` },
  ]);
};

function* postgres(proc: Proc, _argv: string[], io: BuiltinIO): Run<number> {
  const t = stamp(proc, 'pg');
  return yield* serve(io, [
    { text: 'PostgreSQL init process complete; ready for start up.' },
    { text: '' },
    { err: true, text: `${t} [1] LOG:  starting PostgreSQL 17.2 on x86_64-pc-linux-gnu` },
    { err: true, text: `${t} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432` },
    { err: true, text: `${t} [1] LOG:  database system is ready to accept connections` },
  ]);
}

function* mysqld(proc: Proc, _argv: string[], io: BuiltinIO): Run<number> {
  const t = stamp(proc, 'mysql');
  return yield* serve(io, [
    {
      err: true,
      text: `${t} 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '9.1.0'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`,
    },
  ]);
}

export const PROGRAMS: Record<string, Builtin> = {
  nginx,
  'redis-server': redis,
  'httpd-foreground': httpd,
  httpd,
  postgres,
  mysqld,
};

/** Image (repository name) → its entrypoint and command, for the images kubesim knows. */
export const IMAGE_COMMANDS: Record<string, { entrypoint?: string[]; cmd: string[] }> = {
  nginx: { cmd: ['nginx', '-g', 'daemon off;'] },
  redis: { cmd: ['redis-server'] },
  httpd: { cmd: ['httpd-foreground'] },
  postgres: { cmd: ['postgres'] },
  mysql: { cmd: ['mysqld'] },
  busybox: { cmd: ['sh'] },
  alpine: { cmd: ['/bin/sh'] },
  ubuntu: { cmd: ['/bin/bash'] },
  debian: { cmd: ['bash'] },
};

/** `registry/library/nginx:1.27` → `nginx`. */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0];
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  return last.split(':')[0];
}
