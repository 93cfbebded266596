/**
 * kubectl's global flags (`kubectl options`), declared once on the root command: every verb takes
 * them (pflag persistent flags). What each one does in a simulation is in the README's
 * "Global flags" table; the values are checked as kubectl checks them, before the verb runs.
 */
import type { Command } from 'commander';
import { CliError, FlagValueError } from '../util/errors';
// kept light: the root command loads this for every verb (start-up time), so no flag-sets or printers
import { repeatable } from './flags';
import { parseDuration } from '../util/duration';
import type { FlagSet } from './flag-sets';

/** The global flags as commander parses them (kubesim's own --state beside them). */
export interface GlobalFlags {
  state?: string;
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  as?: string;
  asGroup: string[];
  asUid?: string;
  token?: string;
  username?: string;
  password?: string;
  server?: string;
  requestTimeout: string;
  v: string;
  vmodule?: string;
  logFlushFrequency: string;
  profile: string;
  profileOutput: string;
  matchServerVersion?: boolean;
  warningsAsErrors?: boolean;
}

/** ClientConfig flags (clientcmd.RecommendedConfigOverrideFlags): which config, cluster, user and namespace. */
const configFlags: FlagSet = (c) =>
  c
    .option('--kubeconfig <file>', 'Path to the kubeconfig file to use for CLI requests.')
    .option('--context <name>', 'The name of the kubeconfig context to use')
    .option('--cluster <name>', 'The name of the kubeconfig cluster to use')
    .option('--user <name>', 'The name of the kubeconfig user to use')
    .option('-n, --namespace <namespace>', 'If present, the namespace scope for this CLI request')
    .option('-s, --server <address>', 'The address and port of the Kubernetes API server')
    .option(
      '--tls-server-name <name>',
      'Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used',
    )
    .option('--certificate-authority <file>', 'Path to a cert file for the certificate authority')
    .option('--client-certificate <file>', 'Path to a client certificate file for TLS')
    .option('--client-key <file>', 'Path to a client key file for TLS')
    .option(
      '--insecure-skip-tls-verify',
      "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure",
    )
    .option('--disable-compression', 'If true, opt-out of response compression for all requests to the server')
    .option('--cache-dir <dir>', 'Default cache directory')
    .option(
      '--request-timeout <duration>',
      "The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests.",
      '0',
    )
    .option('--match-server-version', 'Require server version to match client version');

/** Who the request is made as: credentials, then impersonation. */
const identityFlags: FlagSet = (c) =>
  c
    .option('--token <token>', 'Bearer token for authentication to the API server')
    .option('--username <name>', 'Username for basic authentication to the API server')
    .option('--password <password>', 'Password for basic authentication to the API server')
    .option('--as <user>', 'Username to impersonate for the operation. User could be a regular user or a service account in a namespace.')
    .option(
      '--as-group <group>',
      'Group to impersonate for the operation, this flag can be repeated to specify multiple groups.',
      repeatable,
      [],
    )
    .option('--as-uid <uid>', 'UID to impersonate for the operation.');

/** klog's and kubectl's logging and profiling flags. */
const loggingFlags: FlagSet = (c) =>
  c
    .option('-v, --v <level>', 'number for the log level verbosity', '0')
    .option(
      '--vmodule <settings>',
      'comma-separated list of pattern=N settings for file-filtered logging (only works for the default text log format)',
    )
    .option('--log-flush-frequency <duration>', 'Maximum number of seconds between log flushes', '5s')
    .option('--profile <name>', 'Name of profile to capture. One of (none|cpu|heap|goroutine|threadcreate|block|mutex)', 'none')
    .option('--profile-output <file>', 'Name of the file to write the profile to', 'profile.pprof')
    .option('--warnings-as-errors', 'Treat warnings received from the server as errors and exit with a non-zero exit code');

export const globalFlags: FlagSet = (c) => loggingFlags(identityFlags(configFlags(c)));

/** kubectl's check of --request-timeout (a bare integer is seconds); milliseconds. */
export function parseRequestTimeout(text: string | undefined): number {
  if (text === undefined) return 0;
  try {
    const ms = parseDuration(text, 'request-timeout');
    if (ms < 0) throw new Error('negative');
    return ms;
  } catch {
    throw new CliError(
      'Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)',
    );
  }
}

const PROFILES = ['none', 'cpu', 'heap', 'goroutine', 'threadcreate', 'block', 'mutex'];

/**
 * Validate: the values kubectl refuses before it runs a verb. The flag values pflag itself refuses
 * (-v, --log-flush-frequency, --vmodule) are said as pflag says them.
 */
export function validateGlobalFlags(opts: GlobalFlags): void {
  if (!/^-?\d+$/.test(opts.v)) throw new FlagValueError('-v', opts.v, `strconv.ParseInt: parsing "${opts.v}": invalid syntax`);
  if (opts.vmodule !== undefined && !vmoduleValid(opts.vmodule))
    throw new FlagValueError('--vmodule', opts.vmodule, 'syntax error: expect comma-separated list of filename=N');
  try {
    parseDuration(opts.logFlushFrequency);
  } catch {
    throw new FlagValueError('--log-flush-frequency', opts.logFlushFrequency, 'parse error');
  }
  // kubectl's profiling hook refuses the name before anything runs (klog's "command failed" line)
  if (!PROFILES.includes(opts.profile)) throw new CliError(`unknown profile '${opts.profile}'`);
  parseRequestTimeout(opts.requestTimeout);
  if ((opts.asGroup.length || opts.asUid) && !opts.as)
    throw new CliError('requesting uid, groups or user-extra for  without impersonating a user');
  if (opts.token && (opts.username || opts.password))
    throw new CliError('more than one authentication method found for ; found [token basicAuth], only one is allowed');
}

/** klog's vmodule: pattern=N pairs, comma separated (an empty value is no setting). */
function vmoduleValid(text: string): boolean {
  return text === '' || text.split(',').every((part) => /^[^=]+=\d+$/.test(part));
}

/** The global flags of the command being run (root options, wherever they were written). */
export function globalFlagsOf(cmd: Command): GlobalFlags {
  let root = cmd;
  while (root.parent) root = root.parent;
  return root.opts<GlobalFlags>();
}
