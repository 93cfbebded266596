import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CommandEnv } from '../../program';
import { CliError } from '../../../util/errors';
import { upsert, type ClusterEntry } from '../../../config/kubeconfig';
import { parseBoolFlag, withFlags, type FlagSet } from '../../flag-sets';
import { goList, helpError, openConfig } from './config-file';
import { configRelativePath, readCertificateFile } from './certificates';

const setClusterFlags: FlagSet = (c) =>
  c
    .option('--server <server>', 'server for the cluster entry in kubeconfig')
    .option('--tls-server-name <name>', 'tls-server-name for the cluster entry in kubeconfig')
    .option('--insecure-skip-tls-verify [bool]', 'insecure-skip-tls-verify for the cluster entry in kubeconfig')
    .option('--certificate-authority <file>', 'Path to certificate-authority file for the cluster entry in kubeconfig')
    .option('--embed-certs [bool]', 'embed-certs for the cluster entry in kubeconfig')
    .option('--proxy-url <url>', 'proxy-url for the cluster entry in kubeconfig');

interface SetClusterFlags {
  server?: string;
  tlsServerName?: string;
  insecureSkipTlsVerify?: string;
  certificateAuthority?: string;
  embedCerts?: string;
  proxyUrl?: string;
}

/** set_cluster.go's modifyCluster: each flag given replaces its field; a CA file and insecure mode exclude each other. */
function modifyCluster(existing: ClusterEntry, opts: SetClusterFlags, cwd: string, configFile: string): ClusterEntry {
  const cluster: ClusterEntry = { ...existing };
  if (opts.server !== undefined) {
    cluster.server = opts.server;
    // a new server drops the TLS name the old one was checked against
    delete cluster['tls-server-name'];
  }
  if (opts.tlsServerName !== undefined) cluster['tls-server-name'] = opts.tlsServerName;
  // the flag defaults to false and counts as given (a Tristate with a default): each run sets it
  cluster['insecure-skip-tls-verify'] = parseBoolFlag(opts.insecureSkipTlsVerify, 'insecure-skip-tls-verify');
  if (cluster['insecure-skip-tls-verify']) {
    delete cluster['certificate-authority'];
    delete cluster['certificate-authority-data'];
  }
  if (opts.certificateAuthority !== undefined) {
    if (parseBoolFlag(opts.embedCerts, 'embed-certs')) {
      cluster['certificate-authority-data'] = readCertificateFile(opts.certificateAuthority, cwd);
      cluster['insecure-skip-tls-verify'] = false;
      delete cluster['certificate-authority'];
    } else {
      // filepath.Abs: an empty path is the working directory
      cluster['certificate-authority'] = configRelativePath(opts.certificateAuthority, cwd, configFile);
      cluster['insecure-skip-tls-verify'] = false;
      delete cluster['certificate-authority-data'];
    }
  }
  if (opts.proxyUrl !== undefined) cluster['proxy-url'] = opts.proxyUrl;
  return cluster;
}

export function register(config: Command, env: CommandEnv): void {
  withFlags(
    config
      .command('set-cluster')
      .description('Set a cluster entry in kubeconfig')
      .argument('[name...]', 'cluster name')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim config set-cluster e2e --server=https://1.2.3.4\n  kubesim config set-cluster e2e --certificate-authority=~/.kube/e2e/kubernetes.ca.crt',
      ),
    setClusterFlags,
  ).action((args: string[], opts: SetClusterFlags, cmd: Command) => {
    // Complete
    if (args.length !== 1) throw helpError(cmd, env, `Unexpected args: ${goList(args)}`);
    const name = args[0];
    // Validate
    if (!name) throw new CliError('you must specify a non-empty cluster name');
    if (parseBoolFlag(opts.insecureSkipTlsVerify, 'insecure-skip-tls-verify') && opts.certificateAuthority)
      throw new CliError('you cannot specify a certificate authority and insecure mode at the same time');
    if (parseBoolFlag(opts.embedCerts, 'embed-certs')) {
      const ca = opts.certificateAuthority ?? '';
      if (!ca) throw new CliError('you must specify a --certificate-authority to embed');
      if (!fs.existsSync(path.resolve(env.io.cwd, ca)))
        throw new CliError(`could not stat certificate-authority file ${ca}: stat ${ca}: no such file or directory`);
    }
    // Run
    const file = openConfig(cmd, env);
    const existing = file.config.clusters.find((c) => c.name === name)?.cluster ?? {};
    file.config.clusters = upsert(file.config.clusters, { name, cluster: modifyCluster(existing, opts, env.io.cwd, file.path) });
    file.save();
    env.out.line(`Cluster "${name}" set.`);
  });
}
