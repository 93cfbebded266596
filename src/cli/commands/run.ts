import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { createObject, deleteObject } from '../../api/server';
import { waitInVirtualTime } from '../../engine/wait';
import { onDemand } from '../../util/on-demand';
import { attachTo, findOrDefaultContainer } from './attach';
import type { Session } from '../../engine/session';
import type { Pod } from '../../model/kinds';
import { kindInfoOrThrow, qualifiedKind, qualifiedName } from '../../api/registry';
import type { KObject } from '../../model/objects';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { parseKeyValues, parseLabelSpec } from '../generators';
import { dryRunSuffix, intFlag } from '../flags';
import { parseDuration } from '../../util/duration';
import { withLastApplied } from '../apply-object';
import {
  applyOverrides,
  collect,
  deleteFlags,
  dryRunFlag,
  fieldManagerFlag,
  fileNameFlags,
  overrideFlags,
  parseBoolFlag,
  podRunningTimeoutFlag,
  printFlags,
  printOptions,
  saveConfigFlag,
  withFlags,
  writeOptions,
  type PrintOptions,
} from '../flag-sets';

const podLogs = onDemand(
  'sim/pod-logs',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('../../sim/pod-logs') as typeof import('../../sim/pod-logs'),
);

/** run's flags as commander parses them */
interface RunFlags {
  image?: string;
  port?: string;
  labels?: string;
  env: string[];
  annotations: string[];
  restart: string;
  imagePullPolicy?: string;
  privileged?: boolean;
  command?: boolean;
  expose?: boolean;
  stdin?: boolean;
  tty?: boolean;
  attach?: string | boolean;
  leaveStdinOpen?: boolean;
  quiet?: boolean;
  rm?: boolean;
  podRunningTimeout: string;
  dryRun?: string;
  saveConfig?: boolean;
  overrides?: string;
  overrideType?: string;
  output?: string;
  showManagedFields?: string | boolean;
}

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('run')
      .description('Create and run a particular image in a pod')
      .argument('<name>', 'pod name')
      .argument('[args...]', 'after --: the container arguments (with --command, its command)')
      .option('--image <image>', 'The image for the container to run')
      .option('--port <port>', 'The port that this container exposes')
      .option('-l, --labels <labels>', 'Comma separated labels to apply to the pod(s)')
      .option('--env <kv>', 'Environment variables to set in the container', collect, [])
      .option('--restart <policy>', 'The restart policy for this Pod. Legal values [Always, OnFailure, Never]', 'Always')
      .option('--annotations <kv>', 'Annotations to apply to the pod', collect, [])
      .option(
        '--image-pull-policy <policy>',
        'The image pull policy for the container. If left empty, this value will not be specified by the client and defaulted by the server.',
      )
      .option('--privileged', 'If true, run the container in privileged mode.')
      .option(
        '--command',
        "If true and extra arguments are present, use them as the 'command' field in the container, rather than the 'args' field which is the default.",
      )
      .option('--expose', 'If true, create a ClusterIP service associated with the pod.  Requires `--port`.')
      .option('-i, --stdin', 'Keep stdin open on the container in the pod, even if nothing is attached.')
      .option('-t, --tty', 'Allocate a TTY for the container in the pod.')
      .option(
        '--attach [bool]',
        "If true, wait for the Pod to start running, and then attach to the Pod as if 'kubectl attach ...' were called.  Default false, unless '-i/--stdin' is set, in which case the default is true. With '--restart=Never' the exit code of the container process is returned.",
      )
      .option(
        '--leave-stdin-open',
        'If the pod is started in interactive mode or with stdin, leave stdin open after the first attach completes. By default, stdin will be closed after the first attach completes.',
      )
      .option('-q, --quiet', 'If true, suppress prompt messages.')
      .option(
        '--rm',
        "If true, delete the pod after it exits.  Only valid when attaching to the container, e.g. with '--attach' or with '-i/--stdin'.",
      ),
    podRunningTimeoutFlag('1m0s'),
    printFlags,
    dryRunFlag,
    fieldManagerFlag('kubectl-run'),
    saveConfigFlag,
    overrideFlags,
    // the delete flags say how --rm deletes the pod (kubectl's DeleteFlags on run)
    fileNameFlags('to use to replace the resource.'),
    deleteFlags({ now: false, wait: false }),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim run nginx --image=nginx\n  kubesim run hazelcast --image=hazelcast/hazelcast --port=5701 --labels="app=hazelcast,env=prod"\n  kubesim run web --image=nginx --port=80 --expose\n  kubesim run pi --image=perl --restart=Never --command -- perl -Mbignum=bpi -wle "print bpi(2000)"',
    )
    .action((name: string, rest: string[], opts: RunFlags, cmd: Command) => {
      // every argument after NAME (after -- or not) is the container's args, or with --command its command
      const g = globals(cmd, env);
      const { dryRun, fieldManager } = writeOptions(opts);
      const print = printOptions(opts);
      // RunOptions.Complete: --attach defaults to true with -i
      const attach = opts.attach !== undefined ? parseBoolFlag(opts.attach, 'attach') : !!opts.stdin;
      const timeoutMs = validateRun(opts, attach, dryRun !== 'none');
      validateOutputFormat(print.output);
      const labels = opts.labels ? parseLabelSpec(opts.labels) : { run: name };
      const objects = [applyOverrides(podFor(name, labels, rest, opts), opts)];
      if (opts.expose) objects.push(serviceFor(name, labels, opts));
      const toCreate = opts.saveConfig ? objects.map(withLastApplied) : objects;
      if (dryRun === 'client') return printAll(env, toCreate, print, dryRunSuffix(dryRun));
      const create = (s: Session) =>
        toCreate.map((o) =>
          createObject(s.api, { ...o, metadata: { ...o.metadata, namespace: g.namespace } }, { dryRun: dryRun === 'server', fieldManager }),
        );
      if (!attach) return withSession(g, (s) => printAll(env, create(s), print, dryRunSuffix(dryRun)), { dryRun: dryRun === 'server' });
      const input = opts.stdin ? env.io.readStdin() : '';
      const failure = withSession(g, (s) => {
        // the Service (--expose) is printed as it is created; the pod is not: its output is what is shown
        const [pod, ...rest] = create(s);
        printAll(env, rest, print, '');
        return runAttached(s, env, pod as Pod, rest, { ...opts, timeoutMs }, input);
      });
      // the pod and its deletion are written; then the command fails as kubectl's does
      if (failure) throw failure;
    });
}

/**
 * RunOptions.Run with --attach (or -i): wait (in virtual time, --pod-running-timeout) for the pod to
 * run and be ready, attach to its container (or, if it has already ended, print its log), then —
 * for restartPolicy Never or OnFailure — wait for it to end and fail with the container's exit
 * code; with --rm delete what was created first (a deferred removal in kubectl, so it happens
 * whatever the outcome). Returns the error to fail with once the session is written.
 */
function runAttached(
  s: Session,
  env: CommandEnv,
  created: Pod,
  others: KObject[],
  opts: RunFlags & { timeoutMs: number },
  input: string,
): CliError | undefined {
  const ns = created.metadata.namespace ?? 'default';
  let failure: CliError | undefined;
  try {
    const started = waitForPod(s, created, opts.timeoutMs, runningAndReady);
    if (started.status?.phase === 'Succeeded' || started.status?.phase === 'Failed') printLogsOf(s, env, started);
    else attachToRun(s, env, started, opts, input);
    // getRestartPolicy: an empty --restart is OnFailure with -i (the pod itself gets Always)
    const policy = opts.restart || (opts.stdin ? 'OnFailure' : 'Always');
    if (!opts.leaveStdinOpen && (policy === 'Never' || policy === 'OnFailure')) {
      const ended = waitForPod(s, created, opts.timeoutMs, policy === 'Never' ? completed : succeeded);
      failure = exitFailure(ended);
    }
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    failure = e;
  }
  if (opts.rm)
    for (const obj of [created, ...others]) {
      const info = kindInfoOrThrow(obj.kind);
      if (!s.store.get(obj.kind, ns, obj.metadata.name)) continue;
      deleteObject(s.api, obj.kind, ns, obj.metadata.name);
      // DeleteOptions.PrintObj (Quiet with -q)
      if (!opts.quiet) env.out.line(`${qualifiedKind(info)} "${obj.metadata.name}" deleted`);
    }
  return failure;
}

/** The pod's status once its wait is over: the condition met, or kubectl's errors. */
type PodCondition = (pod: Pod) => boolean | 'completed';

/** podRunningAndReady: Running with Ready=True; a pod that has already ended ends the wait too (ErrPodCompleted). */
const runningAndReady: PodCondition = (pod) => {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return 'completed';
  return phase === 'Running' && !!pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
};
const completed: PodCondition = (pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const succeeded: PodCondition = (pod) => pod.status?.phase === 'Succeeded';

/**
 * waitForPod: watches the pod (in virtual time) until the condition holds; `timed out waiting for
 * the condition` after the timeout, NotFound (with no name, as watch's Deleted event gives it) once
 * the pod is gone.
 */
function waitForPod(s: Session, created: Pod, timeoutMs: number, condition: PodCondition): Pod {
  const ns = created.metadata.namespace ?? 'default';
  let current: Pod | undefined;
  const check = () => {
    current = s.store.get('Pod', ns, created.metadata.name);
    if (!current || current.metadata.uid !== created.metadata.uid) throw notFound('pods', '');
    return condition(current) !== false;
  };
  const outcome = waitInVirtualTime(s.engine, check, timeoutMs);
  if (outcome !== 'done') throw new CliError('timed out waiting for the condition');
  return current!;
}

/** handleAttachPod: attach to the pod's one container; a failed attach falls back to its log. */
function attachToRun(s: Session, env: CommandEnv, pod: Pod, opts: RunFlags, input: string): void {
  const container = findOrDefaultContainer(pod, undefined, !!opts.quiet, (line) => env.out.errLine(line))!;
  try {
    attachTo(s, env, pod, container, { stdin: !!opts.stdin, tty: !!opts.tty, quiet: !!opts.quiet }, input, 'kubesim attach', true);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    env.out.errLine(`warning: couldn't attach to pod/${pod.metadata.name}, falling back to streaming logs: ${e.message}`);
    printLogsOf(s, env, pod);
  }
}

/** logOpts: the container's whole log (as `kubectl logs POD`). */
function printLogsOf(s: Session, env: CommandEnv, pod: Pod): void {
  const current = s.store.get('Pod', pod.metadata.namespace, pod.metadata.name) ?? pod;
  const container = findOrDefaultContainer(current, undefined, true, () => {})!;
  const reader = new (podLogs().LogReader)(current, container, { previous: false, tail: -1, timestamps: false, limitBytes: 0 });
  const text = reader.read(s.store, s.now);
  if (text) env.out.out(text);
}

/**
 * The exit code kubectl run returns for a pod that ended: 0 when it Succeeded; the container's
 * exit code (with `pod NS/NAME terminated (REASON)` and its termination message, no `error: `)
 * when it Failed.
 */
function exitFailure(pod: Pod): CliError | undefined {
  const id = `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return undefined;
  if (phase !== 'Failed') return new CliError(`pod ${id} left in phase ${phase ?? ''}`);
  const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
  if (!terminated || !terminated.exitCode) return new CliError(`pod ${id} failed with unknown exit code`);
  return new CliError(`pod ${id} terminated (${terminated.reason ?? ''})\n${terminated.message ?? ''}`, {
    raw: true,
    exitCode: terminated.exitCode,
  });
}

/** cmdutil.UsageErrorf: the message, then where the help is */
function usageError(message: string): CliError {
  return new CliError(`${message}\nSee 'kubesim run -h' for help and examples`);
}

/** RunOptions.Complete/Validate, in kubectl's order (its UsageErrorf ones say where the help is, as kubectl v1.32 does). */
function validateRun(opts: RunFlags, attach: boolean, dryRun: boolean): number {
  if (!opts.image) throw new CliError('required flag(s) "image" not set');
  // getRestartPolicy: an empty value is allowed (the generator then writes Always)
  if (!['', 'Always', 'OnFailure', 'Never'].includes(opts.restart)) throw usageError(`invalid restart policy: ${opts.restart}`);
  if (opts.imagePullPolicy && !['Always', 'IfNotPresent', 'Never'].includes(opts.imagePullPolicy))
    throw usageError(`invalid image pull policy: ${opts.imagePullPolicy}`);
  const timeout = parseDuration(opts.podRunningTimeout, 'pod-running-timeout');
  if (timeout <= 0) throw usageError('--pod-running-timeout must be higher than zero');
  if (opts.tty && !opts.stdin) throw usageError('-i/--stdin is required for containers with -t/--tty=true');
  if (opts.expose && !opts.port) throw usageError('--port must be set when exposing a service');
  // strconv.Atoi of the port (run.go generates the container port from it)
  if (opts.port && !/^[+-]?\d+$/.test(opts.port)) throw new CliError(`strconv.Atoi: parsing ${JSON.stringify(opts.port)}: invalid syntax`);
  if (!attach && opts.rm) throw usageError('--rm should only be used for attached containers');
  if (attach && dryRun)
    throw usageError("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
  return timeout;
}

/** RunOptions.createPod */
function podFor(name: string, labels: Record<string, string>, args: string[], opts: RunFlags): KObject {
  const envVars = Object.entries(parseKeyValues(opts.env, 'env')).map(([n, value]) => ({ name: n, value }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      creationTimestamp: null,
      labels,
      name,
      ...(opts.annotations.length ? { annotations: parseKeyValues(opts.annotations, 'annotation') } : {}),
    } as unknown as KObject['metadata'],
    spec: {
      containers: [
        {
          ...(args.length ? { [opts.command ? 'command' : 'args']: args } : {}),
          ...(envVars.length ? { env: envVars } : {}),
          image: opts.image,
          ...(opts.imagePullPolicy ? { imagePullPolicy: opts.imagePullPolicy } : {}),
          name,
          ...(opts.port ? { ports: [{ containerPort: intFlag(opts.port, 'port') }] } : {}),
          resources: {},
          ...(opts.privileged ? { securityContext: { privileged: true } } : {}),
          // BasicPod: stdin closes after the first attach unless --leave-stdin-open
          ...(opts.stdin ? { stdin: true, ...(opts.leaveStdinOpen ? {} : { stdinOnce: true }) } : {}),
          ...(opts.tty ? { tty: true } : {}),
        },
      ],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: opts.restart || 'Always',
    },
    status: {},
  };
}

/** RunOptions.createService: --expose; it selects the pod's labels and carries only the ones given with -l */
function serviceFor(name: string, labels: Record<string, string>, opts: RunFlags): KObject {
  const port = intFlag(opts.port!, 'port');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      creationTimestamp: null,
      name,
      ...(opts.labels ? { labels: parseLabelSpec(opts.labels) } : {}),
    } as unknown as KObject['metadata'],
    spec: { ports: [{ port, protocol: 'TCP', targetPort: port }], selector: labels },
    status: { loadBalancer: {} },
  };
}

function printAll(env: CommandEnv, objects: KObject[], print: PrintOptions, suffix: string): void {
  for (const obj of objects) {
    const text = formatStructured([obj], print.output, {
      single: true,
      cwd: env.io.cwd,
      showManagedFields: print.showManagedFields,
      allowMissingTemplateKeys: print.allowMissingTemplateKeys,
    });
    env.out.out(text ?? `${qualifiedName(kindInfoOrThrow(obj.kind), obj.metadata.name)} created${suffix}\n`);
  }
}
