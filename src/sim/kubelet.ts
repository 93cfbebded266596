import { event, quiet, remove, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import type { KObject, ObjectRef } from '../model/objects';
import { fromRFC3339, toRFC3339 } from '../util/duration';
import { podCondition } from '../api/kinds/pod';
import { KUBELET_STOPPED, nodeAddress } from '../api/kinds/node';
import { DEFAULTS, KNOB, exitAfterSeconds, fullImageRef, isUnpullableImage, knobFlag, knobNumber } from './knobs';
import { containerProbeHooks } from './probes';
import { profileFailure, withProfiles } from './simulation-profile';
import { stableHex } from '../util/hash';
import { afterVolumeWait, holdForConfig, volumesReadyAt, waitForVolumes } from './pod-config';
import { boundedMemo, HiddenField } from '../util/memo';
import { admitPod, type AdmissionRejection } from './kubelet-admission';
import type { Node, Pod } from '../model/kinds';
import type { Container, ContainerState, ContainerStatus, PodCondition, PodStatus } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import { nodePodCounts } from './node-pod-counts';
import { onDemand } from '../util/on-demand';
import { EXEC_WRITES_MEMORY } from './exec-writes';
import { rememberExits, type ContainerExit } from './exit-instants';
import { made, newContainerStatus, podInitializing } from './container-status';
import { memoryLimitBytes } from './usage';

/** the container runtime and its shell interpreter: loaded when a container has a command to run */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime = onDemand('sim/container-runtime', () => require('./container-runtime') as typeof import('./container-runtime'));

/**
 * Whether the kubelet runs the container's command (cheap, for the 150k pods that have none):
 * it has a command or args. A container without one runs until stopped, as kubesim's pods always
 * have (its image's default program only prints its start-up lines for `logs`), so a busybox
 * pod without a command does not exit at once as `sh` without input would.
 */
function runsCommand(c: Container): boolean {
  return !!(c.command?.length || c.args?.length);
}

const SOURCE = 'kubelet';
const CRASH_BACKOFF_CAP_S = 300;
const IMAGE_BACKOFF_CAP_S = 300;
/** kubelet resets the crash back-off after a container ran this long */
const BACKOFF_RESET_S = 600;

/**
 * The back-off after a container exits: 10 s after a first exit or a run of 10 min or more,
 * else double the previous one (the gap between the previous exit and this run's start, less
 * the `pullMs` an Always image took to pull again), capped at 5 min — so the back-off resets
 * without the restart count going down.
 */
export function nextCrashBackoffSeconds(
  previousExit: { finishedAt?: string } | undefined,
  startedAt: number,
  exitAt: number,
  pullMs = 0,
): number {
  if (!previousExit?.finishedAt || exitAt - startedAt >= BACKOFF_RESET_S * 1000) return 10;
  const previous = Math.round((startedAt - pullMs - fromRFC3339(previousExit.finishedAt)) / 1000);
  return Math.min(Math.max(10, previous * 2), CRASH_BACKOFF_CAP_S);
}

/** kubelet's restart back-off: 10 s doubling per restart, capped at 5 min. */
export function crashBackoffSeconds(restartCount: number): number {
  return Math.min(10 * 2 ** restartCount, CRASH_BACKOFF_CAP_S);
}

/**
 * The simulated kubelet: moves scheduled pods through ContainerCreating → Running → Ready,
 * pulls images (or fails to), runs containers until they exit or crash, restarts them with
 * back-off per restartPolicy, and finishes graceful deletion. Timings come from the pod's
 * sim.kubesim.io annotations (DESIGN §3). Each call catches the pod up to `now`.
 */
export const kubelet: Controller<'Pod'> = {
  name: 'kubelet',
  kind: 'Pod',
  // besides the pod, what a quiet pod's next step depends on is its node (gone, stopped): an
  // update of a node wakes its pods only (a cordon at 150k pods woke all 150k, and parsed them)
  dependsOnEach: { kind: 'Node', dependents: (store, name) => store.podSlotsOnNode(name) },
  reconcile(pod, ctx) {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return [quiet(Infinity)];
    const node = ctx.store.get('Node', undefined, nodeName);
    if (!node) {
      // PodGC: pods bound to a node that no longer exists are removed
      return [remove({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name }, 0)];
    }
    if (node.metadata.annotations?.[KUBELET_STOPPED]) return [quiet(Infinity)];
    if (pod.metadata.deletionTimestamp) return finishDeletion(pod, ctx);
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return [quiet(Infinity)];
    // HandlePodAdditions: a pod the kubelet has not started yet must pass admission first
    if (!pod.status?.startTime) {
      const rejection = admitPod(pod, node, ctx.store);
      if (rejection) return rejectPod(pod, node, rejection, ctx.now);
    }
    const volumeWait = waitForVolumes(pod, node, ctx);
    if (volumeWait) return volumeWait;
    return syncPod(afterVolumeWait(pod), node, ctx);
  },
};

/**
 * kubelet.rejectPod: a Warning event with the reason, and a Failed status with the reason and
 * "Pod was rejected: <message>" (the status manager adds startTime; PodScheduled stays).
 */
function rejectPod(pod: Pod, node: Node, rejection: AdmissionRejection, now: number): Action[] {
  const status: PodStatus = {
    phase: 'Failed',
    reason: rejection.reason,
    message: `Pod was rejected: ${rejection.message}`,
    startTime: toRFC3339(now),
  };
  const scheduled = podCondition(pod, 'PodScheduled');
  if (scheduled) status.conditions = [scheduled];
  if (pod.status?.qosClass) status.qosClass = pod.status.qosClass;
  return [
    event(pod, 'Warning', rejection.reason, rejection.message, SOURCE, node.metadata.name),
    update({ ...pod, status }),
    quiet(Infinity),
  ];
}

/**
 * Graceful deletion: each running container's preStop hook runs first (killContainer's
 * executePreStopHook, within the grace period), then SIGTERM and the shutdown time; the pod goes
 * once its last container has stopped, or when the grace period ends. Sidecars stop after the
 * app containers.
 */
function finishDeletion(pod: Pod, ctx: ReconcileContext): Action[] {
  const grace = pod.metadata.deletionGracePeriodSeconds ?? 30;
  const start = fromRFC3339(pod.metadata.deletionTimestamp) - grace * 1000;
  // a SimulationProfile's shutdown time when the pod has no annotation
  const shutdown = Math.min(grace, knobNumber(withProfiles(pod, ctx.store), KNOB.shutdownSeconds) ?? DEFAULTS.shutdownSeconds);
  const running = [
    ...(pod.status?.containerStatuses ?? []).map((cs) => ({ cs, spec: pod.spec.containers.find((c) => c.name === cs.name), init: false })),
    ...(pod.status?.initContainerStatuses ?? []).map((cs) => ({
      cs,
      spec: (pod.spec.initContainers ?? []).find((c) => c.name === cs.name),
      init: true,
    })),
  ].filter((x) => x.cs.state?.running && x.spec);
  let doneAt = start + shutdown * 1000;
  const failedPreStop: { name: string; init: boolean }[] = [];
  for (const { cs, spec, init } of running) {
    if (!spec!.lifecycle?.preStop) continue;
    const startedAt = fromRFC3339(cs.state!.running!.startedAt);
    const hook = runtime().preStopHook(
      { pod, container: spec!, restartCount: cs.restartCount ?? 0, startedAt },
      start,
      grace * 1000,
      ctx.store,
    );
    if (!hook) continue;
    doneAt = Math.max(doneAt, Math.min(start + grace * 1000, hook.endedAt + shutdown * 1000));
    if (!hook.ok) failedPreStop.push({ name: cs.name, init });
  }
  // the containers stop (and the kubelet writes so) a millisecond before the status manager
  // deletes the pod, its own API call: a watch sees the stopped pod (MODIFIED) before it goes.
  // A pod not yet in a terminal phase gets one even when nothing runs (TerminatePod: its status
  // manager deletes a pod only once its phase is terminal)
  const writesStatus = running.length > 0 || (pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed');
  if (ctx.now < doneAt - (writesStatus ? 1 : 0)) return [quiet(doneAt - (writesStatus ? 1 : 0))];
  const actions: Action[] = [];
  const path = (name: string, init: boolean) => (init ? initContainerPath(name) : containerPath(name));
  // do not record the hook's output in the event (kuberuntime: so that secrets won't leak)
  for (const f of failedPreStop)
    actions.push(event(pod, 'Warning', 'FailedPreStopHook', 'PreStopHook failed', SOURCE, pod.spec.nodeName, path(f.name, f.init)));
  for (const { cs, init } of running)
    actions.push(event(pod, 'Normal', 'Killing', `Stopping container ${cs.name}`, SOURCE, pod.spec.nodeName, path(cs.name, init)));
  // SIGKILL when the grace period ran out (137), else the process exited on SIGTERM
  if (writesStatus)
    return [
      ...actions,
      update({ ...pod, status: stoppedStatus(pod, doneAt, doneAt >= start + grace * 1000 ? 137 : 0) }),
      ...rememberExits(
        pod,
        ctx.store,
        running.map(({ cs }) => ({ container: cs.name, restartCount: cs.restartCount ?? 0, at: doneAt })),
      ),
      requeueAt(doneAt),
    ];
  if (ctx.now < doneAt) return [requeueAt(doneAt)];
  actions.push(remove({ kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name }, 0));
  return actions;
}

/**
 * The status the kubelet writes once a deleted pod's containers have stopped, before its status
 * manager deletes it (SyncTerminatingPod: generateAPIPodStatus with podIsTerminal, then
 * TerminatePod): the stopped containers terminated and unready, those that never ran
 * `ContainerStatusUnknown` (137), and since 1.27 a terminal phase (getPhase: Succeeded when
 * every container exited 0, else Failed), so a watch's last rows read `0/1 Completed` (or Error),
 * not `1/1 Terminating`.
 */
function stoppedStatus(pod: Pod, at: number, exitCode: number): PodStatus {
  const status = copyStatus(pod.status);
  const stop = (cs: ContainerStatus) => {
    if (!cs.state?.running) return;
    cs.state = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: cs.state.running.startedAt,
        finishedAt: toRFC3339(at),
        ...(cs.containerID ? { containerID: cs.containerID } : {}),
      },
    };
    cs.ready = false;
    cs.started = false;
  };
  (status.containerStatuses ?? []).forEach(stop);
  (status.initContainerStatuses ?? []).forEach(stop);
  // the status manager's TerminatePod: a container that never ran (or waits to run again) is
  // terminated as one the runtime could not find — the app containers once the pod initialized,
  // and the init containers that had started (all but the waiting ones at the end, at least one)
  const unknown = (cs: ContainerStatus) => {
    if (cs.state?.terminated) return;
    cs.state = {
      terminated: {
        exitCode: 137,
        reason: 'ContainerStatusUnknown',
        message: 'The container could not be located when the pod was terminated',
      },
    };
    cs.ready = false;
    cs.started = false;
  };
  const statuses = status.containerStatuses ?? [];
  if (hasPodInitialized(pod)) statuses.forEach(unknown);
  initializedContainers(status.initContainerStatuses ?? []).forEach(unknown);
  if (pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') {
    // getPhase for a terminal pod, and TerminatePod makes a Pending or Running one Failed
    const phase = statuses.length && statuses.every((cs) => cs.state?.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
    status.phase = phase;
    terminalConditions(status, phase, at);
  }
  return status;
}

/** hasPodInitialized (status_manager.go): no init containers, or an app container has left waiting once. */
function hasPodInitialized(pod: Pod): boolean {
  if (!pod.spec.initContainers?.length) return true;
  return (pod.status?.containerStatuses ?? []).some((cs) => cs.lastState?.terminated || !cs.state?.waiting);
}

/** initializedContainers (status_manager.go): all but the trailing init containers still waiting for their first run; at least the first. */
function initializedContainers(statuses: ContainerStatus[]): ContainerStatus[] {
  for (let i = statuses.length - 1; i >= 0; i--)
    if (!statuses[i].state?.waiting || statuses[i].lastState?.terminated) return statuses.slice(0, i + 1);
  return statuses.slice(0, 1);
}

/** A pod that reached Succeeded or Failed: it can no longer start containers nor be ready. */
function terminalConditions(status: PodStatus, phase: 'Succeeded' | 'Failed', at: number): void {
  setCondition(status, 'PodReadyToStartContainers', 'False', at);
  setCondition(status, 'ContainersReady', 'False', at, phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed');
  setCondition(status, 'Ready', 'False', at, phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed');
}

interface Timeline {
  boundAt: number;
  pullDone: number;
}

/**
 * Pods in time-driven states with nothing due until `next`: syncing them again before then changes
 * nothing (their timeline depends only on the pod's status, spec and annotations, all immutable —
 * an update stores new objects). Keyed by the status object, so the memo survives the kubelet's
 * own status write and the pass after a transition skips the pod too: at 150k pods that
 * confirming re-sync was half the kubelet's time.
 */
interface QuietMemo {
  until: number;
  spec: unknown;
  annotations: unknown;
  /** what exec wrote in its containers then (exec probes read it) */
  execWrites: string | undefined;
}
/** on the status object itself (see HiddenField) */
const quietUntil = new HiddenField<QuietMemo>('kubelet quiet until');

/** Whether the pod's memo says nothing is due at `now` (a memo run out is not checked further: the pod is synced). */
function quietAt(pod: Pod, now: number, store: ReadonlyObjectStore): number | undefined {
  const memo = pod.status && quietUntil.get(pod.status);
  return memo &&
    now < memo.until &&
    memo.spec === pod.spec &&
    memo.annotations === pod.metadata.annotations &&
    memo.execWrites === execWritesText(pod, store)
    ? memo.until
    : undefined;
}

const execWritesText = (pod: Pod, store: ReadonlyObjectStore) =>
  pod.metadata.uid ? store.recallText(EXEC_WRITES_MEMORY, pod.metadata.uid) : undefined;

/** States whose next step depends only on time (not on ConfigMaps, Secrets or volumes appearing). */
const TIME_DRIVEN_WAITS = new Set(['ContainerCreating', 'PodInitializing', 'ErrImagePull', 'ImagePullBackOff', 'CrashLoopBackOff']);
function timeDriven(cs: ContainerStatus): boolean {
  return !!cs.state?.running || TIME_DRIVEN_WAITS.has(cs.state?.waiting?.reason ?? '');
}

function syncPod(pod: Pod, node: Node, ctx: ReconcileContext): Action[] {
  const now = ctx.now;
  const memoUntil = quietAt(pod, now, ctx.store);
  if (memoUntil !== undefined) return [quiet(memoUntil)];
  const kept = keptCourse(pod, node, ctx);
  if (kept) return kept;
  const actions: Action[] = [];
  const boundAt =
    volumesReadyAt(pod, now) ?? fromRFC3339(podCondition(pod, 'PodScheduled')?.lastTransitionTime ?? pod.metadata.creationTimestamp);
  const containers: Container[] = pod.spec.containers ?? [];
  let next = Infinity;
  const wake = (t: number) => {
    if (t > now && t < next) next = t;
  };
  if (now < boundAt) return [requeueAt(boundAt)];
  const status = copyStatus(pod.status);
  let changed = false;
  /** containers that exited in this sync, each at its exact instant (exit-instants.ts) */
  const exited: ContainerExit[] = [];
  // a container's events name it (involvedObject.fieldPath), as the kubelet's recorder does
  const ephemeralNames = new Set((pod.spec.ephemeralContainers ?? []).map((c) => c.name));
  const containerEvents =
    (name: string, init = false): EventFn =>
    (type, reason, message) =>
      actions.push(
        event(
          pod,
          type,
          reason,
          message,
          SOURCE,
          node.metadata.name,
          init ? initContainerPath(name) : ephemeralNames.has(name) ? `spec.ephemeralContainers{${name}}` : containerPath(name),
        ),
      );

  if (!status.startTime) {
    createSandbox(pod, node, status, boundAt, ctx);
    changed = true;
  }
  const imageOnNode = (image: string) => nodeView(ctx, node.metadata.name).images.has(image);
  const pullSeconds = knobNumber(withProfiles(pod, ctx.store), KNOB.imagePullSeconds) ?? DEFAULTS.imagePullSeconds;
  const statuses: ContainerStatus[] = status.containerStatuses ?? [];
  const restartPolicy: string = pod.spec.restartPolicy ?? 'Always';
  /** a container past its image pull: held for a missing ConfigMap/Secret, or stepped */
  const runOne = (
    c: Container,
    cs: ContainerStatus,
    timeline: Timeline,
    policy: string,
    ev: EventFn,
    role: ContainerRole,
    // the pod as the runtime sees it (with the init containers' statuses as stepped so far)
    seen: Pod = pod,
  ): StepResult => {
    const config = holdForConfig(pod, c, cs, timeline.pullDone, now, ctx.store, ev);
    if (config && 'held' in config) return { status: config.held, changed: config.held !== cs, next: Infinity };
    const result = stepContainer(
      seen,
      c,
      cs,
      config ? { boundAt: config.startAt, pullDone: config.startAt } : timeline,
      policy,
      now,
      ev,
      role,
      ctx.store,
    );
    // a view built later reads the pulled image from the pod written now
    if (result.status.imageID) currentNodeView(ctx, node.metadata.name)?.images.add(c.image ?? '');
    for (const e of result.exits ?? []) exited.push({ container: c.name, ...e });
    return result;
  };
  const initContainers: Container[] = pod.spec.initContainers ?? [];
  let phase: string;
  let newStatuses: ContainerStatus[];
  let sidecarStatuses: ContainerStatus[] = [];
  if (!initContainers.length) {
    newStatuses = containers.map((c) => {
      const ev = containerEvents(c.name);
      const image = c.image ?? '';
      let cs: ContainerStatus | undefined = statuses.find((s) => s.name === c.name);
      // a container seen for the first time waits for its image: none when the node has it
      let pull = pullSeconds;
      if (!cs) {
        cs = newContainerStatus(c, 'ContainerCreating');
        changed = true;
        const present = imageOnNode(image) && !isUnpullableImage(image) && c.imagePullPolicy !== 'Always';
        if (present) pull = 0;
        else ev('Normal', 'Pulling', pullingMessage(image));
      }
      const result = runOne(c, cs, { boundAt, pullDone: boundAt + pull * 1000 }, restartPolicy, ev, 'main');
      if (result.changed) changed = true;
      wake(result.next);
      return result.status;
    });
    phase = podPhase(newStatuses, restartPolicy);
  } else {
    /*
     * Init containers run one at a time, in order (kuberuntime's computeInitContainerActions):
     * each starts once the one before it exited 0 — or, for a native sidecar (restartPolicy:
     * Always), once it started — and the app containers once all have. Until then every
     * container not yet created waits as PodInitializing (the kubelet's default waiting reason
     * for a pod with init containers), and its image is pulled only when its turn comes.
     */
    const initStatuses: ContainerStatus[] = status.initContainerStatuses ?? [];
    const initPolicy = restartPolicy === 'Never' ? 'Never' : 'OnFailure';
    // the chain's gate as the input status left it, and as stepped now: a gate that opens now lets the next pull
    let gateBefore: number | undefined = boundAt;
    let gate: number | undefined = boundAt;
    let initFailed = false;
    // what the init containers stepped so far left: the runtime starts the next one with their emptyDir files
    const stepped: ContainerStatus[] = [];
    const seenPod = (): Pod => ({ ...pod, status: { ...status, initContainerStatuses: [...stepped] } });
    const gated = (c: Container, prev: ContainerStatus | undefined, ev: EventFn, policy: string, role: ContainerRole, opened: boolean) => {
      const image = c.image ?? '';
      let cs = prev;
      if (!cs) {
        cs = newContainerStatus(c, 'PodInitializing');
        changed = true;
      }
      const unstarted = cs.state?.waiting?.reason === 'PodInitializing';
      if (unstarted && (gate === undefined || initFailed)) return cs;
      const startAt = gate ?? boundAt;
      const present = imageOnNode(image) && !isUnpullableImage(image) && c.imagePullPolicy !== 'Always';
      const pull = present ? 0 : pullSeconds;
      const timeline: Timeline = { boundAt: startAt, pullDone: startAt + pull * 1000 };
      if (unstarted) {
        if (opened && pull) ev('Normal', 'Pulling', `Pulling image "${image}"`);
        if (now < timeline.pullDone) {
          wake(timeline.pullDone);
          return cs;
        }
        cs = { ...cs, state: { waiting: { reason: 'ContainerCreating' } } };
      }
      const result = runOne(c, cs, timeline, policy, ev, role, seenPod());
      if (result.changed || unstarted) changed = true;
      wake(result.next);
      // the kubelet keeps a pending container's reason PodInitializing while it is created
      if (result.status.state?.waiting?.reason === 'ContainerCreating') result.status.state = podInitializing();
      return result.status;
    };
    const newInit = initContainers.map((c, i) => {
      const ev = containerEvents(c.name, true);
      const sidecar = c.restartPolicy === 'Always';
      const prev = initStatuses.find((s) => s.name === c.name);
      const opened = i === 0 ? !prev : gate !== undefined && gateBefore === undefined;
      // (before stepping: the step edits the status copy in place)
      gateBefore = chainGate(gateBefore, c, prev);
      const cs = gated(c, prev, ev, sidecar ? 'Always' : initPolicy, sidecar ? 'sidecar' : 'init', opened);
      if (!sidecar) {
        // a completed init container is ready (as the kubelet reports it)
        if (cs.state?.terminated?.exitCode === 0 && !cs.ready) {
          cs.ready = true;
          changed = true;
        }
        if (cs.state?.terminated && cs.state.terminated.exitCode !== 0 && initPolicy === 'Never') initFailed = true;
      }
      gate = chainGate(gate, c, cs);
      stepped.push(cs);
      return cs;
    });
    const mainOpened = gate !== undefined && gateBefore === undefined;
    newStatuses = containers.map((c) => {
      const prev = statuses.find((s) => s.name === c.name);
      return gated(c, prev, containerEvents(c.name), restartPolicy, 'main', mainOpened || (!prev && gate !== undefined));
    });
    const regularStarted = newStatuses.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
    const initialized = gate !== undefined || regularStarted;
    sidecarStatuses = newInit.filter((_, i) => initContainers[i].restartPolicy === 'Always');
    phase = initFailed ? 'Failed' : initialized ? podPhase(newStatuses, restartPolicy) : 'Pending';
    // status.GeneratePodInitializedCondition
    const incomplete = initContainers.filter((c, i) =>
      c.restartPolicy === 'Always' ? !newInit[i].started : !(newInit[i].state?.terminated?.exitCode === 0),
    );
    if (
      initialized || phase === 'Succeeded'
        ? setCondition(status, 'Initialized', 'True', now, phase === 'Succeeded' ? 'PodCompleted' : undefined)
        : setCondition(
            status,
            'Initialized',
            'False',
            now,
            'ContainersNotInitialized',
            `containers with incomplete status: [${incomplete.map((c) => c.name).join(' ')}]`,
          )
    )
      changed = true;
    if (phase === 'Succeeded' || phase === 'Failed') {
      // the pod is done: its sidecars are stopped after the app containers (they exit on SIGTERM)
      for (const s of sidecarStatuses) {
        if (!s.state?.running) continue;
        containerEvents(s.name, true)('Normal', 'Killing', `Stopping container ${s.name}`);
        s.state = {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: s.state.running.startedAt,
            finishedAt: toRFC3339(now),
            containerID: s.containerID,
          },
        };
        exited.push({ container: s.name, restartCount: s.restartCount ?? 0, at: now });
        s.ready = false;
        s.started = false;
        changed = true;
      }
    }
    status.initContainerStatuses = newInit;
  }
  status.containerStatuses = newStatuses;
  const ephemeral = ephemeralContainers(pod, status, phase, pullSeconds, imageOnNode, runOne, containerEvents);
  if (ephemeral) {
    status.ephemeralContainerStatuses = ephemeral.statuses;
    if (ephemeral.changed) changed = true;
    wake(ephemeral.next);
  }

  // pod-level phase and readiness: sidecars count as the app containers do (GenerateContainersReadyCondition)
  const readiness = [...sidecarStatuses, ...newStatuses];
  const allReady = readiness.every((s) => s.ready);
  const readyNow = allReady ? 'True' : 'False';
  const reason = allReady ? undefined : 'ContainersNotReady';
  const message = allReady
    ? undefined
    : `containers with unready status: [${readiness
        .filter((s) => !s.ready)
        .map((s) => s.name)
        .join(' ')}]`;
  if (setCondition(status, 'ContainersReady', readyNow, now, reason, message)) changed = true;
  if (setCondition(status, 'Ready', readyNow, now, reason, message)) changed = true;
  if (status.phase !== phase) {
    status.phase = phase;
    changed = true;
    if (phase === 'Succeeded' || phase === 'Failed') {
      for (const s of newStatuses) s.ready = false;
      terminalConditions(status, phase, now);
    }
  }
  const quietFrom = changed ? status : pod.status;
  const timeOnly =
    !!quietFrom &&
    (changed || !actions.length) &&
    newStatuses.every(timeDriven) &&
    [...(status.initContainerStatuses ?? []), ...(status.ephemeralContainerStatuses ?? [])].every(
      (s) => timeDriven(s) || !!s.state?.terminated,
    );
  if (timeOnly)
    quietUntil.set(quietFrom, {
      until: next,
      spec: pod.spec,
      annotations: pod.metadata.annotations,
      execWrites: execWritesText(pod, ctx.store),
    });
  if (changed) actions.unshift(update({ ...pod, status }), ...rememberExits(pod, ctx.store, exited));
  // the status written now has nothing due before `next`: the engine need not look again
  if (timeOnly) actions.push(quiet(next));
  else if (next !== Infinity) actions.push(requeueAt(next));
  return actions;
}

/**
 * The first sync's sandbox: pod IP from the node's podCIDR, host IP, start time, and the
 * conditions of a pod whose containers are being created (on `status`, a copy of the pod's).
 */
function createSandbox(pod: Pod, node: Node, status: PodStatus, boundAt: number, ctx: ReconcileContext): void {
  status.startTime = toRFC3339(boundAt);
  status.hostIP = nodeAddress(node, 'InternalIP');
  // kubelet's generateAPIPodStatus: hostIPs are the node's addresses, none when it has none
  if (status.hostIP) status.hostIPs = [{ ip: status.hostIP }];
  status.podIP = allocatePodIP(node, ctx);
  status.podIPs = [{ ip: status.podIP }];
  status.qosClass ??= pod.status?.qosClass;
  const inits = pod.spec.initContainers ?? [];
  const { unready, incomplete } = sandboxMessages(pod.spec.containers ?? [], inits);
  editConditions(status, pod.status?.conditions, `${boundAt}\u0000${incomplete}\u0000${unready}`, (edited) => {
    setCondition(edited, 'PodReadyToStartContainers', 'True', boundAt);
    if (incomplete) setCondition(edited, 'Initialized', 'False', boundAt, 'ContainersNotInitialized', incomplete);
    else setCondition(edited, 'Initialized', 'True', boundAt);
    setCondition(edited, 'ContainersReady', 'False', boundAt, 'ContainersNotReady', unready);
    setCondition(edited, 'Ready', 'False', boundAt, 'ContainersNotReady', unready);
  });
}

/** The first sync's condition messages, per containers list (the pods of a template share theirs). */
const sandboxMessageMemo = new WeakMap<object, { unready: string; incomplete: string }>();
function sandboxMessages(containers: Container[], inits: Container[]): { unready: string; incomplete: string } {
  const memo = inits.length ? undefined : sandboxMessageMemo.get(containers);
  if (memo) return memo;
  // sidecars (restartable init containers) first, as GenerateContainersReadyCondition lists them
  const unready = `containers with unready status: [${[...inits.filter((c) => c.restartPolicy === 'Always'), ...containers].map((c) => c.name).join(' ')}]`;
  const incomplete = inits.length ? `containers with incomplete status: [${inits.map((c) => c.name).join(' ')}]` : '';
  const made = { unready, incomplete };
  if (!inits.length) sandboxMessageMemo.set(containers, made);
  return made;
}

/**
 * The plain course's first sync (issue #22: 150,000 of them in a 150k-pod apply), without the
 * general state machine: the sandbox (createSandbox, as syncPod makes it), every container
 * waiting as ContainerCreating while its image is pulled (a Pulling event each), nothing due
 * before the pull is done. Only when no image is on the node yet and the pull is not done at
 * `now`; anything else goes the general way (test/scenarios/kubelet-course.test.ts compares).
 */
function keptFirstSync(pod: Pod, node: Node, ctx: ReconcileContext): Action[] | undefined {
  const status = pod.status;
  if (!status || status.startTime || status.phase !== 'Pending' || status.containerStatuses || status.initContainerStatuses)
    return undefined;
  if (status.ephemeralContainerStatuses || ctx.store.count('SimulationProfile')) return undefined;
  const now = ctx.now;
  const boundAt =
    volumesReadyAt(pod, now) ?? fromRFC3339(podCondition(pod, 'PodScheduled')?.lastTransitionTime ?? pod.metadata.creationTimestamp);
  const pullDone = boundAt + DEFAULTS.imagePullSeconds * 1000;
  if (now < boundAt || now >= pullDone) return undefined;
  const containers = pod.spec.containers;
  const images = nodeView(ctx, node.metadata.name).images;
  for (const c of containers) if (images.has(c.image ?? '')) return undefined;
  const copy: PodStatus = copyStatus(status);
  createSandbox(pod, node, copy, boundAt, ctx);
  const host = node.metadata.name;
  const actions: Action[] = [update({ ...pod, status: copy })];
  copy.containerStatuses = containers.map((c) => {
    actions.push(event(pod, 'Normal', 'Pulling', pullingMessage(c.image ?? ''), SOURCE, host, containerPath(c.name)));
    return newContainerStatus(c, 'ContainerCreating');
  });
  quietUntil.set(copy, {
    until: pullDone,
    spec: pod.spec,
    annotations: pod.metadata.annotations,
    execWrites: execWritesText(pod, ctx.store),
  });
  actions.push(quiet(pullDone));
  keptFirstSyncs++;
  return actions;
}

const pullingMessage = boundedMemo((image: string) => `Pulling image "${image}"`, 1000);

/**
 * Whether a pod of this spec runs the plain course — pulled, created and started, then ready
 * after the start-up time, then nothing until something interferes: app containers only,
 * restartPolicy Always, none with a command (the runtime would run it), hooks, probes, a memory
 * limit (OOM), an Always pull policy, an image that cannot be pulled or an env reference (held
 * as CreateContainerConfigError). The containers' part per list object: the pods of a template
 * share theirs (each pod's spec is its own object, with its nodeName).
 */
const plainContainerLists = new WeakMap<object, boolean>();
function plainSpec(pod: Pod): boolean {
  const spec = pod.spec;
  if (spec.initContainers?.length || spec.ephemeralContainers?.length || (spec.restartPolicy ?? 'Always') !== 'Always') return false;
  const containers = spec.containers;
  if (!containers?.length) return false;
  let plain = plainContainerLists.get(containers);
  if (plain === undefined) {
    plain = containers.every(
      (c) =>
        !runsCommand(c) &&
        !c.lifecycle &&
        !c.livenessProbe &&
        !c.readinessProbe &&
        !c.startupProbe &&
        memoryLimitBytes(c) === undefined &&
        c.imagePullPolicy !== 'Always' &&
        !isUnpullableImage(c.image ?? '') &&
        !c.envFrom?.length &&
        !(c.env ?? []).some((e) => e.valueFrom?.configMapKeyRef || e.valueFrom?.secretKeyRef),
    );
    plainContainerLists.set(containers, plain);
  }
  return plain;
}

/** No sim.kubesim.io annotation (knobs, probe failures, a requested crash) steers the pod: per annotations object. */
const unsteered = new WeakMap<object, boolean>();
function steered(pod: Pod): boolean {
  const annotations = pod.metadata.annotations;
  if (!annotations) return false;
  let free = unsteered.get(annotations);
  if (free === undefined) unsteered.set(annotations, (free = !Object.keys(annotations).some((k) => k.startsWith('sim.kubesim.io/'))));
  return !free;
}

/**
 * The two steps of the plain course after the first sync (issue #22: 300,000 of them at 150k
 * pods), taken without the general state machine: every container waiting as ContainerCreating
 * starts once its image is pulled, and every running container that is not ready yet becomes
 * ready after the start-up time. What is written — the status (same fields, same key order),
 * the events in the same order, the quiet mark — is what `syncPod` writes for such a pod
 * (test/unit/sim/kubelet-course.test.ts compares the two); anything else (a knob, a profile,
 * a restart, containers in different states) returns undefined and goes the general way.
 */
function keptCourse(pod: Pod, node: Node, ctx: ReconcileContext): Action[] | undefined {
  if (!keptCourses || !plainSpec(pod) || steered(pod) || exitAfterSeconds(pod)) return undefined;
  if (!pod.status?.startTime) return keptFirstSync(pod, node, ctx);
  const status = pod.status;
  const statuses = status?.containerStatuses;
  const containers = pod.spec.containers;
  if (!status?.startTime || !statuses || statuses.length !== containers.length || status.initContainerStatuses) return undefined;
  if (status.ephemeralContainerStatuses || ctx.store.count('SimulationProfile')) return undefined;
  const now = ctx.now;
  const startingUp = status.phase === 'Pending';
  if (!startingUp && status.phase !== 'Running') return undefined;
  const startupMs = DEFAULTS.startupSeconds * 1000;
  const boundAt = fromRFC3339(status.startTime);
  const pullDone = boundAt + DEFAULTS.imagePullSeconds * 1000;
  for (let i = 0; i < statuses.length; i++) {
    const cs = statuses[i];
    if (cs.name !== containers[i].name || cs.restartCount || cs.lastState?.terminated) return undefined;
    if (startingUp) {
      if (cs.state?.waiting?.reason !== 'ContainerCreating' || cs.containerID || now < pullDone) return undefined;
    } else if (!cs.state?.running || !cs.started || cs.ready || now < fromRFC3339(cs.state.running.startedAt) + startupMs) {
      return undefined;
    }
  }
  const actions: Action[] = [];
  // (the quiet memo is added to it, and startContainer adds containerID to a container's copy)
  const copy: PodStatus = addable(status);
  const host = node.metadata.name;
  let next = Infinity;
  const newStatuses = statuses.map((s, i) => {
    const cs = startingUp ? addable(s) : { ...s };
    const c = containers[i];
    let readyAt: number;
    if (startingUp) {
      const image = c.image ?? '';
      // the container's three events name it with one reference (event() would make one each)
      const md = pod.metadata;
      const involved: ObjectRef = {
        kind: pod.kind,
        namespace: md.namespace,
        name: md.name,
        uid: md.uid,
        apiVersion: pod.apiVersion,
        fieldPath: containerPath(c.name),
      };
      const ev = (type: 'Normal' | 'Warning', reason: string, message: string) =>
        actions.push(event(involved, type, reason, message, SOURCE, host));
      ev('Normal', 'Pulled', pulledMessage(image, pullDone - boundAt));
      startContainer(pod, c, cs, pullDone, ev);
      currentNodeView(ctx, node.metadata.name)?.images.add(image);
      readyAt = pullDone + startupMs;
    } else readyAt = fromRFC3339(cs.state!.running!.startedAt) + startupMs;
    if (now >= readyAt) cs.ready = true;
    else if (readyAt < next) next = readyAt;
    return cs;
  });
  copy.containerStatuses = newStatuses;
  const unready = newStatuses.filter((s) => !s.ready);
  const allReady = !unready.length;
  const reason = allReady ? undefined : 'ContainersNotReady';
  const message = allReady ? undefined : `containers with unready status: [${unready.map((s) => s.name).join(' ')}]`;
  editConditions(copy, status.conditions, `${now}\u0000${message ?? ''}`, (edited) => {
    setCondition(edited, 'ContainersReady', allReady ? 'True' : 'False', now, reason, message);
    setCondition(edited, 'Ready', allReady ? 'True' : 'False', now, reason, message);
  });
  copy.phase = 'Running';
  quietUntil.set(copy, { until: next, spec: pod.spec, annotations: pod.metadata.annotations, execWrites: execWritesText(pod, ctx.store) });
  actions.unshift(update({ ...pod, status: copy }));
  actions.push(quiet(next));
  keptSteps++;
  return actions;
}

/** Steps taken by the kept course, start and ready, and first syncs (the test checks that the course it compares was taken). */
let keptSteps = 0;
let keptFirstSyncs = 0;
export function keptCourseSteps(): number {
  return keptSteps;
}
export function keptCourseFirstSyncs(): number {
  return keptFirstSyncs;
}

/** Off only in the test that compares the kept course with the general state machine. */
let keptCourses = true;
export function useKeptCourses(on: boolean): void {
  keptCourses = on;
}

/** The Pulled event's message after a pull of `ms` (or none: the image was there); one string per image and duration. */
function pulledMessage(image: string, ms: number): string {
  let byImage = pulledMessages.get(ms);
  if (!byImage) {
    if (pulledMessages.size >= 100) pulledMessages.clear();
    pulledMessages.set(ms, (byImage = new Map()));
  }
  let message = byImage.get(image);
  if (message === undefined) {
    if (byImage.size >= 1000) byImage.clear();
    message =
      ms > 0
        ? `Successfully pulled image "${image}" in ${ms / 1000}s (${ms / 1000}s including waiting). Image size: ${imageSize(image)} bytes.`
        : `Container image "${image}" already present on machine`;
    byImage.set(image, message);
  }
  return message;
}
const pulledMessages = new Map<number, Map<string, string>>();

/**
 * The pod's ephemeral containers (added by `kubectl debug` through pods/ephemeralcontainers):
 * each is pulled and started once it is added — its addition's instant is the time of the
 * ephemeralcontainers write in managedFields — runs its command in the container runtime, is
 * never restarted, and counts in neither the pod's readiness nor its phase
 * (kuberuntime's computePodActions: EphemeralContainersToStart). A pod that has finished starts none.
 */
function ephemeralContainers(
  pod: Pod,
  status: PodStatus,
  phase: string,
  pullSeconds: number,
  imageOnNode: (image: string) => boolean,
  runOne: (c: Container, cs: ContainerStatus, t: Timeline, policy: string, ev: EventFn, role: ContainerRole) => StepResult,
  containerEvents: (name: string) => EventFn,
): { statuses: ContainerStatus[]; changed: boolean; next: number } | undefined {
  const list = (pod.spec.ephemeralContainers ?? []) as Container[];
  if (!list.length) return undefined;
  const prev = status.ephemeralContainerStatuses ?? [];
  const managed = (pod.metadata as { managedFields?: { subresource?: string; time?: string }[] }).managedFields ?? [];
  const entry = managed.filter((m) => m.subresource === 'ephemeralcontainers').at(-1);
  const addedAt = entry?.time ? fromRFC3339(entry.time) : fromRFC3339(pod.status?.startTime ?? pod.metadata.creationTimestamp);
  let changed = false;
  let next = Infinity;
  const statuses = list.map((c) => {
    let cs = prev.find((x) => x.name === c.name);
    if (!cs) {
      cs = newContainerStatus(c, 'ContainerCreating');
      changed = true;
    }
    const unstarted = cs.state?.waiting?.reason === 'ContainerCreating' && !cs.containerID;
    if (unstarted && (phase === 'Succeeded' || phase === 'Failed')) return cs;
    const image = c.image ?? '';
    const present = imageOnNode(image) && !isUnpullableImage(image) && c.imagePullPolicy !== 'Always';
    const ev = containerEvents(c.name);
    const boundAt = Math.max(addedAt, fromRFC3339(status.startTime));
    const timeline: Timeline = { boundAt, pullDone: boundAt + (present ? 0 : pullSeconds * 1000) };
    if (unstarted && !prev.some((x) => x.name === c.name) && !present) ev('Normal', 'Pulling', `Pulling image "${image}"`);
    const before = JSON.stringify(prev.find((x) => x.name === c.name) ?? null);
    const result = runOne(c, cs, timeline, 'Never', ev, 'ephemeral');
    if (result.next < next) next = result.next;
    // no prober runs for an ephemeral container: never ready, no started (kubelet's status manager)
    const st = { ...result.status, ready: false };
    delete st.started;
    if (JSON.stringify(st) !== before) changed = true;
    return st;
  });
  return { statuses, changed, next };
}

/**
 * The status to edit: the kubelet replaces fields, conditions and container status fields
 * but never edits deeper, so copying those levels is enough (objects are immutable once stored).
 */
function copyStatus(status: PodStatus | undefined): PodStatus {
  if (!status) return {};
  // (the first sync adds startTime, IPs and the quiet memo to it; a start adds containerID to a container's)
  const out: PodStatus = addable(status);
  if (Array.isArray(status.conditions)) out.conditions = [...status.conditions];
  if (Array.isArray(status.containerStatuses)) out.containerStatuses = status.containerStatuses.map(addable);
  if (Array.isArray(status.initContainerStatuses)) out.initContainerStatuses = status.initContainerStatuses.map(addable);
  if (Array.isArray(status.ephemeralContainerStatuses)) out.ephemeralContainerStatuses = status.ephemeralContainerStatuses.map(addable);
  return out;
}

/**
 * A shallow copy that properties will be added to — the same copy as `{ ...obj }` (own
 * enumerable keys, in order), made by Object.assign: in V8 (node 20) each property added to a
 * spread copy cost ~1 µs (the copy's map is its own, not one from the shared transition tree),
 * ~30× a property added to this copy. At 150k pods the kubelet adds one to ~600,000 copies.
 */
function addable<T extends object>(obj: T): T {
  return Object.assign({}, obj);
}

function podPhase(statuses: ContainerStatus[], restartPolicy: string): string {
  if (statuses.some((s) => s.state?.running)) return 'Running';
  const everStarted = statuses.every((s) => s.state?.terminated || s.lastState?.terminated || s.started);
  const allTerminated = statuses.every((s) => s.state?.terminated);
  if (allTerminated) {
    const failed = statuses.some((s) => s.state?.terminated?.exitCode !== 0);
    if (restartPolicy === 'Never' || (restartPolicy === 'OnFailure' && !failed)) return failed ? 'Failed' : 'Succeeded';
  }
  return everStarted && statuses.some((s) => s.lastState?.terminated || s.state?.terminated) ? 'Running' : 'Pending';
}

type EventFn = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

/**
 * When the containers after an init container may start, given when those before it allowed
 * (undefined: not yet): a regular one once it exited 0, a sidecar once it started.
 */
function chainGate(gate: number | undefined, c: Container, cs: ContainerStatus | undefined): number | undefined {
  if (gate === undefined || !cs) return undefined;
  let at: number | undefined;
  if (c.restartPolicy === 'Always') at = cs.started && cs.state?.running ? fromRFC3339(cs.state.running.startedAt) : undefined;
  else at = cs.state?.terminated?.exitCode === 0 ? fromRFC3339(cs.state.terminated.finishedAt) : undefined;
  return at === undefined ? undefined : Math.max(gate, at);
}

/** What a container is to its pod: an app container, a regular init container or a native sidecar. */
/** (ephemeral: a `kubectl debug` container, run until its command ends, never restarted, in no readiness) */
type ContainerRole = 'main' | 'init' | 'sidecar' | 'ephemeral';

interface StepResult {
  status: ContainerStatus;
  changed: boolean;
  next: number;
  /** the instances that exited in this step, at their exact instants (finishedAt keeps the second) */
  exits?: { restartCount: number; at: number }[];
}

/** Advances one container's state machine to `now`; returns its status and the next transition time. */
function stepContainer(
  pod: Pod,
  c: Container,
  cs: ContainerStatus,
  t: Timeline,
  restartPolicy: string,
  now: number,
  ev: (type: 'Normal' | 'Warning', reason: string, message: string) => void,
  role: ContainerRole,
  store: ReadonlyObjectStore,
): StepResult {
  const image = c.image ?? '';
  // the knobs: the pod's annotations over what its SimulationProfiles draw
  const knobs = withProfiles(pod, store);
  let changed = false;
  let next = Infinity;
  const exits: { restartCount: number; at: number }[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const w = cs.state?.waiting;
    const r = cs.state?.running;
    const term = cs.state?.terminated;
    if (w && (w.reason === 'ContainerCreating' || w.reason === 'ErrImagePull' || w.reason === 'ImagePullBackOff')) {
      if (now < t.pullDone) {
        next = t.pullDone;
        break;
      }
      if (isUnpullableImage(image)) {
        const { reason, until } = imagePullState(t.pullDone, now);
        if (reason !== w.reason) {
          const ref = fullImageRef(image);
          if (reason === 'ErrImagePull') {
            const msg = `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
            cs.state = { waiting: { reason, message: `rpc error: code = NotFound desc = ${msg}` } };
            ev('Warning', 'Failed', `Failed to pull image "${image}": rpc error: code = NotFound desc = ${msg}`);
            ev('Warning', 'Failed', 'Error: ErrImagePull');
          } else {
            cs.state = { waiting: { reason, message: `Back-off pulling image "${image}"` } };
            ev('Normal', 'BackOff', `Back-off pulling image "${image}"`);
            ev('Warning', 'Failed', 'Error: ImagePullBackOff');
          }
          changed = true;
        }
        next = until;
        break;
      }
      // pulled: create and start
      ev('Normal', 'Pulled', pulledMessage(image, t.pullDone - t.boundAt));
      startContainer(pod, c, cs, t.pullDone, ev);
      changed = true;
      continue;
    }
    if (w && w.reason === 'CrashLoopBackOff') {
      const finished = fromRFC3339(cs.lastState?.terminated?.finishedAt);
      // the back-off chosen when the container exited is in the waiting message
      const restartAt =
        finished + (Number(/back-off (\d+)s/.exec(w.message ?? '')?.[1]) || crashBackoffSeconds(cs.restartCount ?? 0)) * 1000;
      if (now < restartAt) {
        next = restartAt;
        break;
      }
      // every start ensures the image first (kuberuntime's EnsureImageExists): an Always image
      // is pulled again, and the container starts once it is (the status shows the back-off
      // until then, as the kubelet's does); any other says it need not be
      const pullMs = c.imagePullPolicy === 'Always' ? repullSeconds(knobs) * 1000 : 0;
      if (now < restartAt + pullMs) {
        next = restartAt + pullMs;
        break;
      }
      cs.restartCount = (cs.restartCount ?? 0) + 1;
      if (pullMs) {
        ev('Normal', 'Pulling', `Pulling image "${image}"`);
        ev(
          'Normal',
          'Pulled',
          `Successfully pulled image "${image}" in ${pullMs / 1000}s (${pullMs / 1000}s including waiting). Image size: ${imageSize(image)} bytes.`,
        );
      } else {
        ev('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      }
      startContainer(pod, c, cs, restartAt + pullMs, ev);
      changed = true;
      continue;
    }
    if (r) {
      const startedAt = fromRFC3339(r.startedAt);
      // the container's command, run by the simulated runtime: it says when the process exits
      // and with what code (run-seconds / crash-after-seconds annotations still decide)
      // the pod's exit annotations script its app containers; an init container runs its command
      const run =
        runsCommand(c) && (role !== 'main' || !hasExitKnob(pod))
          ? runtime().runContainer({ pod, container: c, restartCount: cs.restartCount ?? 0, startedAt }, now, store)
          : undefined;
      const interpreted = run && !run.notInterpreted;
      const hooks = containerProbeHooks(knobs, c, cs, startedAt, now, run);
      // an init container kubesim cannot run does its work in the start-up time and exits 0; a sidecar runs until stopped
      const exitAfter = interpreted
        ? undefined
        : role === 'init'
          ? { seconds: knobNumber(knobs, KNOB.startupSeconds) ?? DEFAULTS.startupSeconds, completes: true }
          : role === 'sidecar' || role === 'ephemeral'
            ? undefined
            : exitAfterSeconds(knobs);
      const processExit = interpreted ? run.exit : undefined;
      if (interpreted && !run.exit) next = Math.min(next, run.next);
      // a postStart hook that fails gets the container killed when it returns (kuberuntime's startContainer)
      const postStart = c.lifecycle?.postStart
        ? runtime().postStartHook({ pod, container: c, restartCount: cs.restartCount ?? 0, startedAt }, store)
        : undefined;
      const hookKillAt = postStart && !postStart.ok ? postStart.endedAt : Infinity;
      // a SimulationProfile's crash or OOM rate (the pod's exit annotations win)
      const failure = role === 'main' && !hasExitKnob(pod) ? profileFailure(pod, c.name, cs.restartCount ?? 0, store) : undefined;
      const failAt = failure ? startedAt + failure.afterMs : Infinity;
      const exitAt = Math.min(
        exitAfter ? startedAt + exitAfter.seconds * 1000 : Infinity,
        processExit?.at ?? Infinity,
        hooks.killAt ?? Infinity,
        hookKillAt,
        failAt,
      );
      if (now >= exitAt) {
        const killedByHook = exitAt === hookKillAt;
        const killedByProbe = !killedByHook && hooks.killAt !== undefined && exitAt === hooks.killAt;
        if (killedByHook) {
          // the event leaves out the hook's output (so that secrets won't leak), the kill says why
          ev('Warning', 'FailedPostStartHook', 'PostStartHook failed');
          ev('Normal', 'Killing', 'FailedPostStartHook');
        }
        const exitCode = killedByHook
          ? 137
          : killedByProbe
            ? (hooks.killExitCode ?? 137)
            : processExit && exitAt === processExit.at
              ? processExit.code
              : failure && exitAt === failAt
                ? failure.exitCode
                : (knobNumber(knobs, KNOB.exitCode) ?? (exitAfter?.completes ? 0 : 1));
        const message = interpreted ? run.terminationMessage(exitAt, exitCode) : '';
        const terminated: NonNullable<ContainerState['terminated']> = {
          exitCode,
          reason: killedByHook
            ? 'Error'
            : killedByProbe
              ? (hooks.killReason ?? 'Error')
              : exitCode === 0
                ? 'Completed'
                : exitCode === 137 && (!processExit || exitAt === failAt)
                  ? 'OOMKilled'
                  : 'Error',
          ...(message ? { message } : {}),
          startedAt: r.startedAt,
          finishedAt: toRFC3339(exitAt),
          containerID: cs.containerID,
        };
        exits.push({ restartCount: cs.restartCount ?? 0, at: exitAt });
        if (killedByProbe) for (const e of hooks.killEvents ?? []) ev(e.type, e.reason, e.message);
        cs.ready = false;
        cs.started = false;
        const restart = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && exitCode !== 0);
        if (restart) {
          // a container that ran long enough starts its back-off afresh
          const backoff = nextCrashBackoffSeconds(
            cs.lastState?.terminated,
            startedAt,
            exitAt,
            c.imagePullPolicy === 'Always' ? repullSeconds(knobs) * 1000 : 0,
          );
          cs.lastState = { terminated };
          cs.state = {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off ${backoff}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
            },
          };
          ev(
            'Warning',
            'BackOff',
            `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
          );
        } else {
          cs.state = { terminated };
        }
        changed = true;
        continue;
      }
      if (exitAt !== Infinity) next = Math.min(next, exitAt);
      if (role === 'init') {
        // a regular init container is not probed: started while it runs, ready once it completed
        if (!cs.started || cs.ready) {
          cs.started = true;
          cs.ready = false;
          changed = true;
        }
        break;
      }
      // readiness: after startup, unless never-ready or a failing readiness probe says otherwise
      const readyAfter = knobNumber(knobs, KNOB.readyAfterSeconds) ?? knobNumber(knobs, KNOB.startupSeconds) ?? DEFAULTS.startupSeconds;
      // not ready before its postStart hook has returned
      const readyAt = Math.max(startedAt + readyAfter * 1000, postStart?.endedAt ?? 0);
      const ready = !knobFlag(knobs, KNOB.neverReady) && now >= readyAt && hooks.ready(readyAt);
      if (!ready && !knobFlag(knobs, KNOB.neverReady) && now < readyAt) next = Math.min(next, readyAt);
      if (hooks.next !== undefined && hooks.next > now) next = Math.min(next, hooks.next);
      const started = now >= startedAt;
      if (cs.ready !== ready || cs.started !== started) {
        if (cs.ready && !ready) for (const e of hooks.unreadyEvents ?? []) ev(e.type, e.reason, e.message);
        cs.ready = ready;
        cs.started = started;
        changed = true;
      }
      break;
    }
    if (term) break;
    break;
  }
  return { status: cs, changed, next, ...(exits.length ? { exits } : {}) };
}

/** The annotations that script when a container exits: they win over what its command would do. */
function hasExitKnob(pod: KObject): boolean {
  const a = pod.metadata.annotations;
  return !!a && (a[KNOB.runSeconds] !== undefined || a[KNOB.crashAfterSeconds] !== undefined);
}

/** How long pulling an image again takes (the pod's image-pull-seconds knob, as for a first pull). */
function repullSeconds(pod: KObject): number {
  return knobNumber(pod, KNOB.imagePullSeconds) ?? DEFAULTS.imagePullSeconds;
}

function startContainer(
  pod: Pod,
  c: Container,
  cs: ContainerStatus,
  at: number,
  ev: (type: 'Normal' | 'Warning', reason: string, message: string) => void,
): void {
  cs.imageID = imageIdOf(c.image ?? '');
  cs.containerID = `containerd://${pseudoDigest(`${pod.metadata.uid}/${c.name}/${cs.restartCount ?? 0}`)}`;
  const startedAt = toRFC3339(at);
  cs.state = made(`running\u0000${startedAt}`, () => ({ running: { startedAt } }));
  cs.started = true;
  cs.ready = false;
  ev('Normal', 'Created', createdMessage(c.name));
  ev('Normal', 'Started', startedMessage(c.name));
}

/** (one string per container name: 150,000 pods start containers of a few names) */
const createdMessage = boundedMemo((name: string) => `Created container: ${name}`, 1000);
const startedMessage = boundedMemo((name: string) => `Started container ${name}`, 1000);

/** The field path of a container in its pod, as events name it (one string per name: 450k events at 150k pods). */
const containerPath = boundedMemo((name: string) => `spec.containers{${name}}`, 1000);
const initContainerPath = boundedMemo((name: string) => `spec.initContainers{${name}}`, 1000);

/** Image pull retries: ErrImagePull for 1 s, then ImagePullBackOff for 10 s doubling (cap 5 min). */
export function imagePullState(firstAttempt: number, now: number): { reason: string; until: number } {
  let attemptAt = firstAttempt;
  for (let k = 0; ; k++) {
    const errUntil = attemptAt + 1000;
    if (now < errUntil) return { reason: 'ErrImagePull', until: errUntil };
    const backoffUntil = errUntil + Math.min(10 * 2 ** k, IMAGE_BACKOFF_CAP_S) * 1000;
    if (now < backoffUntil) return { reason: 'ImagePullBackOff', until: backoffUntil };
    attemptAt = backoffUntil;
  }
}

function setCondition(status: PodStatus, type: string, value: string, at: number, reason?: string, message?: string): boolean {
  const conditions: PodCondition[] = (status.conditions ??= []);
  const existing = conditions.find((c) => c.type === type);
  if (existing && existing.status === value && existing.reason === reason && existing.message === message) return false;
  const lastTransitionTime = existing && existing.status === value ? existing.lastTransitionTime : toRFC3339(at);
  const cond = made(`${type}\u0000${value}\u0000${lastTransitionTime}\u0000${reason ?? ''}\u0000${message ?? ''}`, () => {
    const cond: PodCondition = { type, status: value, lastProbeTime: null, lastTransitionTime };
    if (reason) cond.reason = reason;
    if (message) cond.message = message;
    return cond;
  });
  if (existing) conditions[conditions.indexOf(existing)] = cond;
  else if (inConditionOrder(conditions)) {
    // where a stable sort would put it (each sort copied the list: half a GB at 150k pods)
    const order = CONDITION_ORDER.indexOf(type);
    let at = conditions.length;
    while (at > 0 && CONDITION_ORDER.indexOf(conditions[at - 1].type) > order) at--;
    conditions.splice(at, 0, cond);
    return true;
  } else conditions.push(cond);
  if (!inConditionOrder(conditions)) conditions.sort((a, b) => CONDITION_ORDER.indexOf(a.type) - CONDITION_ORDER.indexOf(b.type));
  return true;
}

/**
 * `edit` (setCondition calls that depend only on the list and `key`) applied to `status`, whose
 * conditions are a copy of `original`: the pods of a template stepped at one instant have one
 * shared list (the store interns equal lists) and get one edited list, made once — shared as
 * the store would share it, since a stored list is never edited in place (writers copy first).
 */
const editedConditions = new WeakMap<object, Map<string, PodCondition[] | undefined>>();
function editConditions(status: PodStatus, original: PodCondition[] | undefined, key: string, edit: (status: PodStatus) => void): void {
  if (!original) {
    edit(status);
    return;
  }
  let edits = editedConditions.get(original);
  if (!edits) editedConditions.set(original, (edits = new Map()));
  if (edits.has(key)) {
    status.conditions = edits.get(key);
    return;
  }
  // (each instant a list is stepped at is a key: a list kept for days in `kubesim serve` stays bounded)
  if (edits.size >= 64) edits.clear();
  const edited: PodStatus = { conditions: [...original] };
  edit(edited);
  edits.set(key, edited.conditions);
  status.conditions = edited.conditions;
}

/** Whether the list is already in kubelet's order (the common case: sorting it again was most of setCondition). */
function inConditionOrder(conditions: PodCondition[]): boolean {
  for (let i = 1; i < conditions.length; i++)
    if (CONDITION_ORDER.indexOf(conditions[i - 1].type) > CONDITION_ORDER.indexOf(conditions[i].type)) return false;
  return true;
}

/** kubelet's order of pod conditions */
const CONDITION_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** Lowest free host address in the node's /24 (.1 is the bridge). */
function allocatePodIP(node: Node, ctx: ReconcileContext): string {
  const view = nodeView(ctx, node.metadata.name);
  const base = view.base;
  // lowest free host address (.1 is the bridge); addresses below nextHost are known taken
  for (let host = view.nextHost; host < 255; host++) {
    if (!view.hostsUsed[host]) {
      view.hostsUsed[host] = 1;
      view.nextHost = host + 1;
      return `${base}.${host}`;
    }
  }
  return `${base}.254`;
}
/**
 * What the kubelet knows about its node (pod IPs in use, images pulled), built once per node
 * per pass from the counts of its pods' IPs and images (node-pod-counts.ts), not for every pod. A view stays valid in later
 * passes until a pod on the node is written; within a pass it is updated as pods start.
 */
interface NodeView {
  /** host numbers in use in the node's /24 (by the last octet of pod IPs there) */
  hostsUsed: Uint8Array;
  nextHost: number;
  images: Set<string>;
  /** the first three octets of the node's podCIDR */
  base: string;
  /** the pass (context) that last used it, and the node's pod version at the end of that use */
  pass: ReconcileContext;
  version: number;
}
const nodeViews = new WeakMap<ReconcileContext['store'], Map<string, NodeView>>();

/** The node's view if one is valid now (never builds one). */
function currentNodeView(ctx: ReconcileContext, nodeName: string): NodeView | undefined {
  const view = nodeViews.get(ctx.store)?.get(nodeName);
  return view && (view.pass === ctx || view.version === ctx.store.podsOnNodeVersion(nodeName)) ? view : undefined;
}

function nodeView(ctx: ReconcileContext, nodeName: string): NodeView {
  let views = nodeViews.get(ctx.store);
  if (!views) nodeViews.set(ctx.store, (views = new Map()));
  let view = views.get(nodeName);
  const version = ctx.store.podsOnNodeVersion(nodeName);
  if (!view || (view.pass !== ctx && view.version !== version)) {
    const cidr = ctx.store.get('Node', undefined, nodeName)?.spec.podCIDR ?? '10.244.0.0/24';
    const base = cidr.split('/')[0].split('.').slice(0, 3).join('.');
    view = { hostsUsed: new Uint8Array(256), nextHost: 2, images: new Set(), base, pass: ctx, version };
    // (the counts of its pods' IPs and images, kept as pods are written and saved with the cluster)
    const counts = nodePodCounts(ctx.store, nodeName, base);
    for (let host = 0; host < 256; host++) if (counts.hosts[host] > 0) view.hostsUsed[host] = 1;
    for (const [image, n] of counts.images) if (n > 0) view.images.add(image!);
    views.set(nodeName, view);
  }
  view.pass = ctx;
  view.version = version;
  return view;
}

/** Image digests and container IDs that look like containerd's and repeat across runs. */
function pseudoDigest(text: string): string {
  return stableHex(text, 64);
}

/** Per image, computed once per process (150k pods share a handful of images). */
const imageIds = new Map<string, string>();
function imageIdOf(image: string): string {
  let id = imageIds.get(image);
  if (id === undefined) imageIds.set(image, (id = `${fullImageRef(image).replace(/:[^:/]+$/, '')}@sha256:${pseudoDigest(image)}`));
  return id;
}

const imageSizes = new Map<string, number>();
function imageSize(image: string): number {
  let size = imageSizes.get(image);
  if (size === undefined) imageSizes.set(image, (size = 20_000_000 + (parseInt(pseudoDigest(image).slice(0, 6), 16) % 80_000_000)));
  return size;
}
