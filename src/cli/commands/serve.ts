import * as os from 'node:os';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals } from '../context';
import { CliError, errorMessage } from '../../util/errors';
import { Session } from '../../engine/session';
import { ApiServer } from '../../serve/listener';
import { generateCertificates, reissueServing, servingNames, type ClusterCertificates } from '../../serve/tls';
import { clusterCA, type ClusterCA } from '../../auth/cluster-ca';
import { writeKubeconfig } from '../../serve/kubeconfig';
import { wallNow } from '../../clock/clock';
import { parseSpeed } from './watch';

/** where the state file keeps the cluster's CA and certificates */
const CERTIFICATES_META = 'serve:certificates';

interface ServeFlags {
  address: string;
  port: string;
  speed: string;
  mergeKubeconfig?: boolean;
}

function parsePort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw new CliError(`invalid argument "${text}" for "--port" flag: must be a port number between 0 and 65535`);
  return Number(text);
}

function parseAddress(text: string): string {
  if (!/^[\d.]+$/.test(text) && !text.includes(':') && text !== 'localhost')
    throw new CliError(`invalid argument "${text}" for "--address" flag: must be an IP address`);
  return text === 'localhost' ? '127.0.0.1' : text;
}

/** The cluster's certificates from its state file, made on first use (and a serving certificate for a new address). */
async function certificatesFor(statePath: string, address: string, ca: ClusterCA): Promise<ClusterCertificates> {
  const stored = Session.readMeta(statePath, CERTIFICATES_META);
  const kept = stored ? (JSON.parse(stored) as ClusterCertificates) : undefined;
  // made from the cluster's CA (a state file from before kubesim had one kept its own: made again)
  let certs = kept?.caCert === ca.caCert ? kept : await generateCertificates(address, wallNow(), ca);
  if (!servingNames(address).every((n) => certs.serverNames.includes(n))) certs = await reissueServing(certs, address, wallNow());
  if (JSON.stringify(certs) !== stored) Session.writeMeta(statePath, CERTIFICATES_META, JSON.stringify(certs));
  return certs;
}

/** Runs until SIGINT or SIGTERM. */
function untilSignalled(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = on('SIGINT');
    const onTerm = on('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export function register(program: Command, env: CommandEnv): void {
  serveCommand(program, env, 'serve');
}

/**
 * `kubesim serve`, and `kubesim dashboard`: the same server, which then also makes a token for
 * the dashboard's page (random per start, read-only) and prints the page's URL with it.
 */
export function serveCommand(program: Command, env: CommandEnv, verb: 'serve' | 'dashboard'): void {
  const dashboard = verb === 'dashboard';
  program
    .command(verb)
    .description(
      dashboard
        ? 'Serve the cluster as serve does, and print the URL of its dashboard (cluster map, rollouts, timeline, charts)'
        : 'Serve the cluster as a Kubernetes API over HTTPS, for kubectl and client libraries',
    )
    .option('--address <ip>', 'The IP address to listen on.', '127.0.0.1')
    .option('--port <port>', 'The port to listen on (0: any free port).', '6443')
    .option('--speed <n>', 'Virtual seconds per wall-clock second while serving (60: an hour a minute).', '1')
    .option(
      '--merge-kubeconfig',
      'Merge the cluster, user and context into the kubeconfig file (default ~/.kube/config) instead of writing a file of its own.',
    )
    .addHelpText(
      'after',
      dashboard
        ? `
The dashboard is a page of the server (https://ADDRESS:PORT/). The URL printed ends in
#token=…: a token made for this run that reads the API (writes are refused); without it the
API refuses the page as it refuses any client without credentials. The server's certificate is
signed by the cluster's own CA (in the kubeconfig written), so a browser warns once.
Everything else is as for kubesim serve.

Examples:
  kubesim dashboard --port 0
  kubesim dashboard --speed 10`
        : `
The kubeconfig written (--kubeconfig FILE, default <state file dir>/<cluster>.kubeconfig) has the
server URL, the cluster's CA and the admin's client certificate, in a context named after the cluster.
The controllers, scheduler and kubelet run continuously; kubesim commands on the same state file keep
working and their changes reach open watches. Stops on SIGINT or SIGTERM, with everything saved.
"kubesim dashboard" is the same server with a token for its web page.

Examples:
  kubesim serve --port 0 --kubeconfig /tmp/kubesim.kubeconfig
  kubectl --kubeconfig /tmp/kubesim.kubeconfig get pods -A`,
    )
    .action(async (opts: ServeFlags, cmd: Command) => {
      // serve's --kubeconfig names the file it writes, not a config to read the cluster from
      let root = cmd;
      while (root.parent) root = root.parent;
      const output = root.opts<{ kubeconfig?: string }>().kubeconfig;
      root.setOptionValue('kubeconfig', undefined);
      const address = parseAddress(opts.address);
      const port = parsePort(opts.port);
      const speed = parseSpeed(opts.speed);
      if (speed <= 0) throw new CliError(`invalid argument "${opts.speed}" for "--speed" flag: must be greater than 0`);
      const g = globals(cmd, env);
      const name = g.context ?? path.basename(g.statePath).replace(/\.db$/, '');
      let file: string;
      if (output) file = path.resolve(env.io.cwd, output);
      else if (opts.mergeKubeconfig) {
        const first = (env.io.env.KUBECONFIG ?? '').split(path.delimiter).find(Boolean);
        file = first ? path.resolve(env.io.cwd, first) : path.join(env.io.env.HOME || os.homedir(), '.kube', 'config');
      } else file = path.join(path.dirname(g.statePath), `${name}.kubeconfig`);
      // the cluster exists (a new file gets the default one) before its certificates are stored in it
      const ca = Session.run({ statePath: g.statePath }, (session) => clusterCA(session.store));
      if (!ca) throw new CliError('the cluster has no kube-system namespace, whose identity its CA is derived from');
      const certificates = await certificatesFor(g.statePath, address, ca);
      // 192 random bits, URL-safe: a secret (not simulation), so not the cluster's seeded PRNG
      const dashboardToken = dashboard ? randomBytes(24).toString('base64url') : undefined;
      const server = new ApiServer({ statePath: g.statePath, address, port, speed, certificates, dashboardToken });
      let bound: number;
      try {
        bound = await server.start();
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliError(`listen tcp ${address}:${port}: bind: address already in use`);
        if (code === 'EADDRNOTAVAIL') throw new CliError(`listen tcp ${address}:${port}: bind: cannot assign requested address`);
        throw new CliError(`listen tcp ${address}:${port}: ${errorMessage(e)}`);
      }
      const host = address.includes(':') ? `[${address}]` : address === '0.0.0.0' ? '127.0.0.1' : address;
      const url = `https://${host}:${bound}`;
      try {
        writeKubeconfig(file, { name, server: url, certificates, merge: !!opts.mergeKubeconfig });
      } catch (e) {
        await server.stop();
        throw e;
      }
      env.io.out(`Serving cluster ${name} at ${url} (kubeconfig: ${file})\n`);
      if (dashboardToken) env.io.out(`Dashboard: ${url}/#token=${dashboardToken}\n`);
      await untilSignalled();
      await server.stop();
    });
}
