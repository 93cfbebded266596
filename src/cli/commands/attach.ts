import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession } from '../context';
import { CliError } from '../../util/errors';
import { fromRFC3339 } from '../../util/duration';
import { podFor } from '../exec-target';
import { followVirtualTime } from '../get-watch';
import { podRunningTimeout, podRunningTimeoutFlag, withFlags, type FlagSet } from '../flag-sets';
import { onDemand } from '../../util/on-demand';
import { remember } from '../../reconcile/actions';
import { EXEC_WRITES_MAX_BYTES, EXEC_WRITES_MEMORY } from '../../sim/exec-writes';
import type { Pod } from '../../model/kinds';
import type { Container } from '../../model/k8s';
import type { Session } from '../../engine/session';

const runtime = onDemand(
  'sim/container-runtime',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('../../sim/container-runtime') as typeof import('../../sim/container-runtime'),
);
const podLogs = onDemand(
  'sim/pod-logs',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  () => require('../../sim/pod-logs') as typeof import('../../sim/pod-logs'),
);

interface AttachFlags {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
  quiet?: boolean;
  podRunningTimeout: string;
}

/** What `kubesim attach` was asked (AttachOptions after ToOptions and Validate). */
export interface AttachRequest {
  /** POD or TYPE/NAME */
  target: string;
  container?: string;
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
}

/** AttachFlags.AddFlags (attach.go, kubectl 1.32) */
const attachFlags: FlagSet = (c) =>
  c
    .option(
      '-c, --container <name>',
      'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen',
    )
    .option('-i, --stdin', 'Pass stdin to the container')
    .option('-t, --tty', 'Stdin is a TTY')
    .option('-q, --quiet', 'Only print output from the remote session');

/**
 * `kubesim attach (POD | TYPE/NAME) [-c C] [-i] [-t] [-q]`: what the container's process prints
 * from now on, following virtual time until it ends (an hour at most, as `logs -f`); with -i,
 * stdin (read to its end) goes to a container whose spec keeps stdin open (`stdin: true`), at
 * this instant, and its process reads it (`cat`, `read`, an `sh` reading commands).
 */
export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program.command('attach').description('Attach to a running container').argument('[args...]', 'POD, TYPE/NAME, or TYPE NAME'),
    attachFlags,
    podRunningTimeoutFlag('1m0s'),
  )
    .addHelpText(
      'after',
      "\nExamples:\n  # Get output from running pod mypod; use the 'kubectl.kubernetes.io/default-container' annotation\n  # for selecting the container to be attached or the first container in the pod will be chosen\n  kubesim attach mypod\n\n  # Get output from ruby-container from pod mypod\n  kubesim attach mypod -c ruby-container\n\n  # Sends stdin to 'cat' in ruby-container from pod mypod (the container has stdin: true)\n  echo hello | kubesim attach mypod -c ruby-container -i\n\n  # Get output from the first pod of a replica set named nginx\n  kubesim attach rs/nginx",
    )
    .action((args: string[], opts: AttachFlags, cmd: Command) => {
      const g = globals(cmd, env);
      const req = completeAttach(args, opts);
      const input = req.stdin ? env.io.readStdin() : '';
      withSession(g, (s) => {
        const pod = podFor(s.store, req.target, g.namespace);
        if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
          throw new CliError(`cannot attach a container in a completed pod; current phase is ${pod.status.phase}`);
        const container = findOrDefaultContainer(pod, req.container, req.quiet, (line) => env.out.errLine(line));
        if (!container)
          throw new CliError(`cannot attach to the container: container ${req.container} not found in pod ${pod.metadata.name}`);
        attachTo(s, env, pod, container, req, input, 'kubesim attach');
      });
    });
}

/** ToOptions + Validate: the arguments and the timeout, before the cluster is read. */
function completeAttach(args: string[], opts: AttachFlags): AttachRequest {
  if (!args.length) throw new CliError('at least 1 argument is required for attach');
  if (args.length > 2)
    throw new CliError(`expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${args.length}: [${args.join(' ')}]`);
  podRunningTimeout(opts.podRunningTimeout);
  return {
    target: args.length === 2 ? `${args[0]}/${args[1]}` : args[0],
    container: opts.container,
    stdin: !!opts.stdin,
    tty: !!opts.tty,
    quiet: !!opts.quiet,
  };
}

/** podcmd.AllContainerNames: the containers, then init containers and ephemeral ones, marked. */
function allContainerNames(pod: Pod): string {
  return [
    ...(pod.spec?.containers ?? []).map((c) => c.name),
    ...(pod.spec?.initContainers ?? []).map((c) => `${c.name} (init)`),
    ...(pod.spec?.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`),
  ].join(', ');
}

/**
 * podcmd.FindOrDefaultContainerByName: the named container (of any kind; undefined when there
 * is none), else the default-container annotation's, else the first, saying so when there are others.
 */
export function findOrDefaultContainer(
  pod: Pod,
  name: string | undefined,
  quiet: boolean,
  warn: (line: string) => void,
): Container | undefined {
  const all = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
    ...((pod.spec?.ephemeralContainers ?? []) as Container[]),
  ];
  if (name) return all.find((c) => c.name === name);
  const main = pod.spec?.containers ?? [];
  if (!main.length) throw new CliError(`pod ${pod.metadata.namespace}/${pod.metadata.name} does not have any containers`);
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  const byAnnotation = annotated ? all.find((c) => c.name === annotated) : undefined;
  if (byAnnotation) return byAnnotation;
  if (!quiet && (main.length > 1 || pod.spec?.initContainers?.length || pod.spec?.ephemeralContainers?.length))
    warn(`Defaulted container "${main[0].name}" out of: ${allContainerNames(pod)}`);
  return main[0];
}

/**
 * kubectl 1.32 AttachOptions.Run from the container on: the TTY checks and their messages, the
 * prompt hint, stdin sent to the container, its output followed in virtual time, and the
 * "Session ended" line of an interactive session. `commandName` is what the reattach hint names.
 */
export function attachTo(
  s: Session,
  env: CommandEnv,
  pod: Pod,
  container: Container,
  req: Omit<AttachRequest, 'target' | 'container'>,
  input: string,
  commandName: string,
  /** print what the instance printed since it started (`run` attaches as its container starts) */
  fromStart = false,
): void {
  let tty = req.tty;
  if (tty && !container.tty) {
    tty = false;
    if (!req.quiet) env.out.errLine(`error: Unable to use a TTY - container ${container.name} did not allocate one`);
  } else if (!tty && container.tty) tty = true;
  // SetupTTY: no TTY without stdin; a raw terminal only when stdin is one
  if (!req.stdin) tty = false;
  else if (tty && !env.io.stdinIsTTY) {
    tty = false;
    if (!req.quiet) env.out.errLine('Unable to use a TTY - input is not a terminal or the right kind of file');
  }
  const raw = tty;
  if (!req.quiet) env.out.errLine("If you don't see a command prompt, try pressing enter.");

  // the kubelet's attach: to the running instance of the container
  const statuses = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ];
  const cs = statuses.find((x) => x.name === container.name);
  const startedAt = cs?.state?.running?.startedAt;
  if (!pod.spec?.nodeName || !startedAt) throw new CliError(`unable to upgrade connection: container not found ("${container.name}")`);
  const instance = { pod, container, restartCount: cs.restartCount ?? 0, startedAt: fromRFC3339(startedAt) };

  const reader = new (podLogs().LogReader)(pod, container, { previous: false, tail: fromStart ? -1 : 0, timestamps: false, limitBytes: 0 });
  // without a TTY the container's stderr comes back on its own stream (DisableStderr only with a raw terminal)
  const print = (lines: { stream: 'stdout' | 'stderr'; text: string }[]) => {
    for (const l of lines)
      if (raw) env.out.out(l.text.replace(/\r?\n/g, '\r\n'));
      else if (l.stream === 'stderr') env.out.err(l.text);
      else env.out.out(l.text);
  };
  const before = reader.readLines(s.store, s.now);
  if (fromStart) print(before);
  // stdin reaches the process only when the container keeps it open (a container without
  // `stdin: true` has /dev/null there: the runtime drops what is sent, as containerd does)
  if (req.stdin && container.stdin && !runtime().stdinClosed(instance, s.store)) {
    // stdinOnce: the container's stdin closes when the first attached session's input ends
    const memory = runtime().withAttachedStdin(instance, input, s.now, !!container.stdinOnce, s.store);
    if (!memory)
      env.out.errLine(
        `Warning: kubesim keeps at most ${EXEC_WRITES_MAX_BYTES / 1024 / 1024}MiB of files and input per pod; this input is not sent`,
      );
    else {
      s.engine.apply([remember(EXEC_WRITES_MEMORY, pod.metadata.uid!, memory)]);
      s.engine.wakeObject('Pod', pod.metadata.namespace, pod.metadata.name);
      s.engine.settle();
    }
  }
  // the session ends with the instance it attached to (a restarted container is another process)
  const attached = () => {
    const now = s.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
    const st = [
      ...(now?.status?.containerStatuses ?? []),
      ...(now?.status?.initContainerStatuses ?? []),
      ...(now?.status?.ephemeralContainerStatuses ?? []),
    ].find((x) => x.name === container.name);
    return (
      now?.metadata.uid === pod.metadata.uid &&
      (st?.restartCount ?? 0) === instance.restartCount &&
      fromRFC3339(st?.state?.running?.startedAt) === instance.startedAt &&
      reader.more(s.store) &&
      // a process waiting for input that is not coming (or for nothing) prints no more: the session ends
      !runtime().printsNoMore({ ...instance, pod: now! }, s.now, s.store)
    );
  };
  print(reader.readLines(s.store, s.now));
  try {
    if (attached())
      followVirtualTime(
        s,
        0,
        () => {
          print(reader.readLines(s.store, s.now));
          if (!attached()) throw new StopFollowing();
        },
        FOLLOW_HORIZON_MS,
      );
  } catch (e) {
    if (!(e instanceof StopFollowing)) throw e;
  }
  // reattachMessage: only a pod that restarts its containers can be attached to again
  if (!req.quiet && req.stdin && raw && pod.spec?.restartPolicy === 'Always') {
    const ns = pod.metadata.name;
    const ephemeral = (pod.spec?.ephemeralContainers ?? []).some((c) => c.name === container.name);
    const again = `'${commandName} ${ns} -c ${container.name} -i -t'`;
    env.out.out(
      ephemeral
        ? `Session ended, the ephemeral container will not be restarted but may be reattached using ${again} if it is still running\n`
        : `Session ended, resume using ${again} command when the pod is running\n`,
    );
  }
}

class StopFollowing extends Error {}

/**
 * kubectl stays attached until the container ends or the user detaches; here until it ends,
 * nothing more is scheduled, or an hour of virtual time has passed (as `logs -f`).
 */
const FOLLOW_HORIZON_MS = 3_600_000;
