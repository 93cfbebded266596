import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { globalFlagsOf, parseRequestTimeout } from '../global-flags';
import { CliError, ApiError, notFound } from '../../util/errors';
import { fromRFC3339, parseDuration } from '../../util/duration';
import { intFlag } from '../flags';
import { resolveType } from '../resource-args';
import { fromLabelSelector, fromMatchLabels, matches, parseSelector } from '../../api/labels';
import { followVirtualTime } from '../get-watch';
import type { Pod } from '../../model/kinds';
import type { Container } from '../../model/k8s';
import type { ReadonlyObjectStore } from '../../store/object-store';
import type { Session } from '../../engine/session';
import type { LogQuery } from '../../sim/pod-logs';
import { labelSelectorFlag, podRunningTimeout, podRunningTimeoutFlag, withFlags, type FlagSet } from '../flag-sets';
import { onDemand } from '../../util/on-demand';

const podLogs = onDemand(
  'sim/pod-logs',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('../../sim/pod-logs') as typeof import('../../sim/pod-logs'),
);

const USAGE = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";
const usageError = (message: string) => new CliError(`${message}\nSee 'kubesim logs -h' for help and examples`);
const badRequest = (message: string) => new ApiError('BadRequest', 400, `Error from server (BadRequest): ${message}`);

/** logs' flags as commander parses them */
interface LogsFlags {
  container?: string;
  allContainers?: boolean;
  allPods?: boolean;
  previous?: boolean;
  follow?: boolean;
  since?: string;
  sinceTime?: string;
  tail?: string;
  timestamps?: boolean;
  prefix?: boolean;
  selector?: string;
  maxLogRequests: string;
  limitBytes?: string;
  ignoreErrors?: boolean;
  podRunningTimeout: string;
  insecureSkipTlsVerifyBackend?: boolean;
}

/** What `kubesim logs` was asked (LogsOptions after Complete and Validate). */
interface LogsRequest {
  /** POD or TYPE/NAME; undefined with -l */
  target?: string;
  selector?: string;
  container?: string;
  allContainers: boolean;
  /** --all-pods: every pod a workload's selector finds, not kubectl's pick of one */
  allPods: boolean;
  follow: boolean;
  maxRequests: number;
  /** -f stops after this much virtual time (0: when the container ends, nothing more is scheduled, or after 1h) */
  followTimeoutMs: number;
  query: Omit<LogQuery, 'prefix' | 'shift'>;
  prefix: boolean;
}

/** LogsOptions.AddFlags: the flags only logs has (-l and --pod-running-timeout are the shared sets) */
const logsFlags: FlagSet = (c) =>
  c
    .option('-c, --container <name>', 'Print the logs of this container')
    .option('--all-containers', "Get all containers' logs in the pod(s).")
    .option('--all-pods', 'Get logs from all pod(s). Sets prefix to true.')
    .option('-p, --previous', 'If true, print the logs for the previous instance of the container in a pod if it exists.')
    .option('-f, --follow', 'Specify if the logs should be streamed (in virtual time: the clock moves until the container ends).')
    .option('--since <duration>', 'Only return logs newer than a relative duration like 5s, 2m, or 3h. Defaults to all logs.')
    .option('--since-time <time>', 'Only return logs after a specific date (RFC3339). Defaults to all logs.')
    .option('--tail <lines>', 'Lines of recent log file to display. Defaults to -1 with no selector, showing all log lines otherwise 10.')
    .option('--timestamps', 'Include timestamps on each line in the log output')
    .option('--prefix', 'Prefix each log line with the log source (pod name and container name)')
    .option('--max-log-requests <n>', 'Specify maximum number of concurrent logs to follow when using by a selector.', '5')
    .option('--limit-bytes <n>', 'Maximum bytes of logs to return. Defaults to no limit.')
    .option('--ignore-errors', 'If watching / following pod logs, allow for any errors that occur to be non-fatal')
    .option('--insecure-skip-tls-verify-backend', 'Accepted for kubectl compatibility (there is no kubelet TLS to skip)');

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('logs')
      .description('Print the logs for a container in a pod')
      .argument('[args...]', 'POD or TYPE/NAME, then optionally the container'),
    logsFlags,
    labelSelectorFlag,
    podRunningTimeoutFlag('20s'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim logs web-0\n  kubesim logs deploy/web --tail 20 --timestamps\n  kubesim logs -l app=web --prefix\n  kubesim logs -p crashy\n  kubesim logs -f job/pi',
    )
    .action((args: string[], opts: LogsFlags, cmd: Command) => {
      const g = globals(cmd, env);
      // logs has no --request-timeout of its own (kubectl logs --help lists none): the global one
      // bounds -f, in virtual time (0: until the container ends, nothing more is scheduled, or 1h)
      const req = completeLogs(args, opts, globalFlagsOf(cmd).requestTimeout);
      withSession(g, (s) => runLogs(s, env, req, g.namespace), { readOnly: !req.follow });
    });
}

/** Complete + Validate (logs.go): the arguments, then every flag, before the cluster is read. */
function completeLogs(args: string[], opts: LogsFlags, requestTimeout: string | undefined): LogsRequest {
  if (!args.length && !opts.selector) throw usageError(USAGE);
  if (args.length === 1 && opts.selector) throw usageError('only a selector (-l) or a POD name is allowed');
  if (args.length > 2) throw usageError(USAGE);
  const tailSpecified = opts.tail !== undefined;
  const tail = tailSpecified ? intFlag(opts.tail!, 'tail') : -1;
  const sinceMs = opts.since !== undefined ? parseDuration(opts.since, 'since') : 0;
  const limitBytes = opts.limitBytes !== undefined ? intFlag(opts.limitBytes, 'limit-bytes') : 0;
  const maxRequests = intFlag(opts.maxLogRequests, 'max-log-requests');
  podRunningTimeout(opts.podRunningTimeout);
  let sinceTime: number | undefined;
  if (opts.sinceTime !== undefined) {
    sinceTime = fromRFC3339(opts.sinceTime);
    if (!Number.isFinite(sinceTime) || !/^\d{4}-\d\d-\d\dT/.test(opts.sinceTime))
      throw new CliError(`parsing time "${opts.sinceTime}" as "2006-01-02T15:04:05Z07:00": cannot parse "${opts.sinceTime}" as "2006"`);
  }
  // Validate
  if (opts.sinceTime && sinceMs !== 0) throw new CliError('at most one of `sinceTime` or `sinceSeconds` may be specified');
  if (opts.allContainers && opts.container)
    throw new CliError(`--all-containers=true should not be specified with container name ${opts.container}`);
  if (opts.container !== undefined && args.length === 2) throw new CliError('only one of -c or an inline [CONTAINER] arg is allowed');
  if (limitBytes < 0) throw new CliError('--limit-bytes must be greater than 0');
  if (sinceMs < 0) throw new CliError('--since must be greater than 0');
  if (tail < -1) throw new CliError('--tail must be greater than or equal to -1');
  return {
    target: args[0],
    selector: opts.selector,
    container: opts.container ?? args[1],
    allContainers: !!opts.allContainers,
    allPods: !!opts.allPods,
    follow: !!opts.follow,
    maxRequests,
    followTimeoutMs: parseRequestTimeout(requestTimeout),
    query: {
      previous: !!opts.previous,
      // a selector shows the last 10 lines of each unless --tail says otherwise
      tail: opts.selector && !tailSpecified ? 10 : tail,
      ...(sinceTime !== undefined ? { sinceTime } : sinceMs ? { sinceMs } : {}),
      timestamps: !!opts.timestamps,
      limitBytes,
    },
    // logs.go Complete: `if o.AllPods { o.Prefix = true }`
    prefix: !!opts.prefix || !!opts.allPods,
  };
}

/** RunLogs: one reader per container asked for; with -f, virtual time moves until they end. */
function runLogs(s: Session, env: CommandEnv, req: LogsRequest, namespace: string): void {
  const pods = podsFor(s.store, req.target, req.selector, namespace, env, req.allPods);
  if (req.selector && !pods.length) env.out.errLine(`No resources found in ${namespace} namespace.`);
  const requests = pods.flatMap((pod) => containersFor(pod, req.container, req.allContainers, env).map((c) => ({ pod, c })));
  if (req.follow && requests.length > 1 && requests.length > req.maxRequests)
    throw new CliError(
      `you are attempting to follow ${requests.length} log streams, but maximum allowed concurrency is ${req.maxRequests}, use --max-log-requests to increase the limit`,
    );
  const readers = requests.map(
    ({ pod, c }) =>
      new (podLogs().LogReader)(pod, c, { ...req.query, ...(req.prefix ? { prefix: `[pod/${pod.metadata.name}/${c.name}] ` } : {}) }),
  );
  const print = () => {
    for (const r of readers) {
      const text = r.read(s.store, s.now);
      if (text) env.out.out(text);
    }
  };
  print();
  if (!req.follow) return;
  const running = () => readers.some((r) => r.more(s.store));
  try {
    if (running())
      followVirtualTime(
        s,
        req.followTimeoutMs,
        () => {
          print();
          if (!running()) throw new StopFollowing();
        },
        FOLLOW_HORIZON_MS,
      );
  } catch (e) {
    if (!(e instanceof StopFollowing)) throw e;
  }
}

class StopFollowing extends Error {}

/**
 * kubectl follows until interrupted; here, with no --request-timeout, until the container ends,
 * nothing more is scheduled, or an hour of virtual time: a loop that prints forever in a busy
 * cluster gives an hour of its output (3,600 lines of a once-a-second loop), not a day of it.
 */
const FOLLOW_HORIZON_MS = 3_600_000;

/** The pod(s) to read: a pod by name, the pods a selector picks, or the pod a workload's selector finds (kubectl's pick: ready, then oldest). */
function podsFor(
  store: ReadonlyObjectStore,
  arg: string | undefined,
  selector: string | undefined,
  namespace: string,
  env: CommandEnv,
  allPods: boolean,
): Pod[] {
  if (selector) {
    const sel = parseSelector(selector);
    return store
      .list('Pod', namespace)
      .filter((p) => matches(sel, p.metadata.labels))
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  }
  const slash = arg!.indexOf('/');
  if (slash < 0) {
    const pod = store.get('Pod', namespace, arg!);
    if (!pod) throw notFound('pods', arg!);
    return [pod];
  }
  const kind = resolveType(arg!.slice(0, slash));
  const name = arg!.slice(slash + 1);
  const obj = store.get(kind.kind as 'Pod', kind.namespaced ? namespace : undefined, name);
  if (!obj) throw notFound(kind.group ? `${kind.plural}.${kind.group}` : kind.plural, name);
  if (kind.kind === 'Pod') return [obj];
  const spec = (obj as { spec?: { selector?: unknown } }).spec;
  const raw = spec?.selector as Record<string, unknown> | undefined;
  const sel =
    kind.kind === 'Service' || kind.kind === 'ReplicationController'
      ? fromMatchLabels(raw as Record<string, string>)
      : fromLabelSelector(raw as Parameters<typeof fromLabelSelector>[0]);
  if (!sel) throw new CliError(`cannot get the logs from ${kind.group ? `${kind.kind}.${kind.group}` : kind.kind}`);
  const pods = store
    .list('Pod', namespace)
    .filter((p) => matches(sel, p.metadata.labels))
    .sort((a, b) => {
      const ready = (p: Pod) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      if (ready(a) !== ready(b)) return ready(a) ? -1 : 1;
      const ta = fromRFC3339(a.metadata.creationTimestamp);
      const tb = fromRFC3339(b.metadata.creationTimestamp);
      return ta - tb || (a.metadata.name < b.metadata.name ? -1 : 1);
    });
  if (!pods.length) throw new CliError(`timed out waiting for the condition`);
  // polymorphichelpers logsForObject with allPods: every pod of the selector, in the same order
  if (allPods) return pods;
  if (pods.length > 1) env.out.errLine(`Found ${pods.length} pods, using pod/${pods[0].metadata.name}`);
  return [pods[0]];
}

/** The containers to read in a pod: the named one, all of them, or the default (the annotation, else the first). */
function containersFor(pod: Pod, name: string | undefined, all: boolean, env: CommandEnv): Container[] {
  const init = pod.spec?.initContainers ?? [];
  const main = pod.spec?.containers ?? [];
  if (all) return [...init, ...main];
  if (name) {
    const c = [...main, ...init, ...((pod.spec?.ephemeralContainers ?? []) as Container[])].find((x) => x.name === name);
    if (!c) throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
    return [c];
  }
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated) {
    const c = main.find((x) => x.name === annotated) ?? init.find((x) => x.name === annotated);
    if (c) return [c];
    env.out.errLine(`Default container name "${annotated}" not found in pod ${pod.metadata.name}`);
  }
  if (main.length > 1 || init.length) {
    const names = [...main.map((c) => c.name), ...init.map((c) => `${c.name} (init)`)].join(', ');
    env.out.errLine(`Defaulted container "${main[0].name}" out of: ${names}`);
  }
  return [main[0]];
}
