import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError, notFound } from '../../util/errors';
import { fromRFC3339 } from '../../util/duration';
import { resolveType } from '../resource-args';
import { fromLabelSelector, fromMatchLabels, matches } from '../../api/labels';
import type { Pod } from '../../model/kinds';
import type { ReadonlyObjectStore } from '../../store/object-store';
import { onDemand } from '../../util/on-demand';
import { remember } from '../../reconcile/actions';
import { EXEC_WRITES_MAX_BYTES, EXEC_WRITES_MEMORY, type ExecWrites } from '../../sim/exec-writes';
import type { Instance } from '../../sim/container-runtime';

const runtime = onDemand(
  'sim/container-runtime',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('../../sim/container-runtime') as typeof import('../../sim/container-runtime'),
);

interface ExecFlags {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
  quiet?: boolean;
  filename?: string;
  podRunningTimeout?: string;
}

/**
 * `kubesim exec POD [-c C] -- CMD ARGS…`: runs a command line in the container's simulated
 * shell, against its files as they are now, printing its output and exiting with its status as
 * kubectl does ("command terminated with exit code N"). What it writes stays for the container
 * instance (later execs and exec probes see it; a restart loses it).
 */
export function register(program: Command, env: CommandEnv): void {
  program
    .command('exec')
    .description('Execute a command in a container (in its simulated shell)')
    .argument('[args...]', 'POD or TYPE/NAME, then -- and the command')
    .option('-c, --container <name>', 'Container name. If omitted, the default-container annotation or the first container in the pod')
    .option('-i, --stdin', 'Pass stdin to the container')
    .option('-t, --tty', 'Stdin is a TTY')
    .option('-q, --quiet', 'Only print output from the remote session')
    .option('-f, --filename <file>', 'to use to exec into the resource')
    .option('--pod-running-timeout <duration>', 'The length of time to wait until at least one pod is running', '1m0s')
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim exec web-0 -- cat /etc/hostname\n  kubesim exec deploy/web -c app -- env\n  kubesim exec web-0 -- sh -c "ls /data"',
    )
    .action((args: string[], opts: ExecFlags, cmd: Command) => {
      const g = globals(cmd, env);
      const target = args[0];
      const argv = args.slice(1);
      if (!target) throw new CliError("pod, type/name or --filename must be specified\nSee 'kubesim exec -h' for help and examples");
      if (!argv.length)
        throw new CliError("you must specify at least one command for the container\nSee 'kubesim exec -h' for help and examples");
      const stdin = opts.stdin ? env.io.readStdin() : '';
      const result = withSession(
        g,
        (s) => {
          const pod = podFor(s.store, target, g.namespace);
          if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
            throw new CliError(`cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
          const main = pod.spec?.containers ?? [];
          let c = main[0];
          if (opts.container) {
            const found = [...main, ...(pod.spec?.initContainers ?? [])].find((x) => x.name === opts.container);
            if (!found) throw new CliError(`container ${opts.container} not found in pod ${pod.metadata.name}`);
            c = found;
          } else {
            const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
            const byAnnotation = annotated ? main.find((x) => x.name === annotated) : undefined;
            if (byAnnotation) c = byAnnotation;
            else if (main.length > 1 && !opts.quiet)
              env.out.errLine(`Defaulted container "${c.name}" out of: ${main.map((x) => x.name).join(', ')}`);
          }
          const cs = (pod.status?.containerStatuses ?? []).find((x) => x.name === c.name);
          const startedAt = cs?.state?.running?.startedAt;
          if (!pod.spec?.nodeName || !startedAt) throw new CliError(`unable to upgrade connection: container not found ("${c.name}")`);
          const instance = { pod, container: c, restartCount: cs.restartCount ?? 0, startedAt: fromRFC3339(startedAt) };
          return { ...runtime().execInContainer(instance, argv, s.now, s.store, stdin), instance };
        },
        { readOnly: true },
      );
      if (result.writes) keepExecWrites(g, result.instance, result.writes);
      if (result.stdout) env.out.out(result.stdout);
      if (result.stderr) env.out.err(result.stderr);
      if (result.overLimit)
        env.out.errLine(
          `Warning: kubesim keeps at most ${EXEC_WRITES_MAX_BYTES / 1024 / 1024}MiB of files written by exec per pod; what this command wrote is not kept`,
        );
      if (result.code !== 0) {
        env.out.errLine(`command terminated with exit code ${result.code}`);
        env.exitCode = result.code;
      }
    });
}

/**
 * Remembers what exec wrote for the pod (a second, writing session: exec reads in a read-only
 * one, and most execs write nothing), if the container is still the instance exec ran in, and
 * wakes the kubelet for the pod, whose exec probes read those files.
 */
function keepExecWrites(g: ReturnType<typeof globals>, instance: Instance, writes: ExecWrites): void {
  const { pod, container } = instance;
  withSession(g, (s) => {
    const now = s.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
    const cs = [...(now?.status?.containerStatuses ?? []), ...(now?.status?.initContainerStatuses ?? [])].find(
      (x) => x.name === container.name,
    );
    if (!now || now.metadata.uid !== pod.metadata.uid || !cs || (cs.restartCount ?? 0) !== instance.restartCount) return;
    if (fromRFC3339(cs.state?.running?.startedAt) !== instance.startedAt) return;
    s.engine.apply([remember(EXEC_WRITES_MEMORY, pod.metadata.uid!, writes)]);
    s.engine.wakeObject('Pod', pod.metadata.namespace, pod.metadata.name);
  });
}

/** The pod to exec into: by name, or the first pod a workload's selector finds. */
function podFor(store: ReadonlyObjectStore, arg: string, namespace: string): Pod {
  const slash = arg.indexOf('/');
  if (slash < 0) {
    const pod = store.get('Pod', namespace, arg);
    if (!pod) throw notFound('pods', arg);
    return pod;
  }
  const kind = resolveType(arg.slice(0, slash));
  const name = arg.slice(slash + 1);
  const obj = store.get(kind.kind as 'Pod', kind.namespaced ? namespace : undefined, name);
  if (!obj) throw notFound(kind.group ? `${kind.plural}.${kind.group}` : kind.plural, name);
  if (kind.kind === 'Pod') return obj;
  const raw = (obj as { spec?: { selector?: unknown } }).spec?.selector;
  const sel =
    kind.kind === 'Service' || kind.kind === 'ReplicationController'
      ? fromMatchLabels(raw as Record<string, string>)
      : fromLabelSelector(raw as Parameters<typeof fromLabelSelector>[0]);
  const pods = sel
    ? store
        .list('Pod', namespace)
        .filter((p) => matches(sel, p.metadata.labels) && p.status?.phase === 'Running')
        .sort(
          (a, b) =>
            fromRFC3339(a.metadata.creationTimestamp) - fromRFC3339(b.metadata.creationTimestamp) ||
            (a.metadata.name < b.metadata.name ? -1 : 1),
        )
    : [];
  if (!pods.length) throw new CliError(`timed out waiting for the condition`);
  return pods[0];
}
