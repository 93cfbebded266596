import type { KObject } from '../model/objects';

/** Simulation knobs: annotations on pods (or pod templates), DESIGN.md §3. */
export const KNOB = {
  startupSeconds: 'sim.kubesim.io/startup-seconds',
  readyAfterSeconds: 'sim.kubesim.io/ready-after-seconds',
  crashAfterSeconds: 'sim.kubesim.io/crash-after-seconds',
  exitCode: 'sim.kubesim.io/exit-code',
  neverReady: 'sim.kubesim.io/never-ready',
  runSeconds: 'sim.kubesim.io/run-seconds',
  cpuMillicores: 'sim.kubesim.io/cpu-millicores',
  memoryBytes: 'sim.kubesim.io/memory-bytes',
  imagePullSeconds: 'sim.kubesim.io/image-pull-seconds',
  shutdownSeconds: 'sim.kubesim.io/shutdown-seconds',
} as const;

export const DEFAULTS = {
  imagePullSeconds: 1,
  startupSeconds: 2,
  shutdownSeconds: 1,
  /** a Job's pods do their work and exit 0 after this, unless run-seconds or crash-after-seconds says otherwise */
  jobRunSeconds: 10,
};

/**
 * When the pod's containers exit on their own, if ever: run-seconds (exit 0), crash-after-seconds
 * (exit 1), or for a pod a Job controls the default run time — a Job's work ends, a server's never.
 */
export function exitAfterSeconds(pod: KObject): { seconds: number; completes: boolean } | undefined {
  const run = knobNumber(pod, KNOB.runSeconds);
  if (run !== undefined) return { seconds: run, completes: true };
  const crash = knobNumber(pod, KNOB.crashAfterSeconds);
  if (crash !== undefined) return { seconds: crash, completes: false };
  const ownedByJob = (pod.metadata.ownerReferences ?? []).some((r) => r.controller && r.kind === 'Job' && r.apiVersion === 'batch/v1');
  return ownedByJob ? { seconds: DEFAULTS.jobRunSeconds, completes: true } : undefined;
}

export function knobNumber(pod: KObject, key: string): number | undefined {
  const v = pod.metadata.annotations?.[key];
  if (v === undefined || v === '') return undefined;
  const n = Number(String(v).replace(/s$/, ''));
  return Number.isFinite(n) ? n : undefined;
}

export function knobFlag(pod: KObject, key: string): boolean {
  const v = pod.metadata.annotations?.[key];
  return v !== undefined && v !== 'false' && v !== '0';
}

/** Images that cannot be pulled: tag `bad`/`doesnotexist`, or a name containing `doesnotexist`. */
export function isUnpullableImage(image: string): boolean {
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon >= 0 ? image.slice(colon + 1) : '';
  const name = colon >= 0 ? image.slice(0, colon) : image;
  return tag === 'bad' || tag === 'doesnotexist' || name.includes('doesnotexist') || name.includes('invalid-image');
}

/** `nginx` → `docker.io/library/nginx:latest`, as containerd reports image references. */
export function fullImageRef(image: string): string {
  let ref = image;
  const lastSlash = ref.lastIndexOf('/');
  if (!ref.slice(lastSlash + 1).includes(':') && !ref.includes('@')) ref += ':latest';
  const first = ref.split('/')[0];
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
  return ref;
}
