import type { Distribution, Pod, SimulationProfile } from '../model/kinds';
import type { KObject } from '../model/objects';
import type { ReadonlyObjectStore } from '../store/object-store';
import { fromLabelSelector, matches } from '../api/labels';
import { stableHex } from '../util/hash';
import { Random } from '../util/random';
import { KNOB } from './knobs';

/**
 * SimulationProfiles applied to pods and node groups. A pod's timings come from, in order: its
 * own sim.kubesim.io/* annotations, the profiles that match it, kubesim's defaults. Each value
 * is drawn from a PRNG seeded by the pod's uid and the field (the uid comes from the cluster's
 * seeded PRNG), so the same cluster seed gives the same timings whatever order pods are looked
 * at in, and a pod keeps its draws across commands.
 *
 * Precedence when several profiles match a pod, field by field: the highest spec.priority, then
 * the more specific match (how many of namespaces, podSelector and images it sets), then name
 * order; the first of them that sets the field gives it.
 */

/** Profile duration fields → the annotation they stand in for. */
const FIELD_KNOB = {
  imagePullSeconds: KNOB.imagePullSeconds,
  startupSeconds: KNOB.startupSeconds,
  readinessSeconds: KNOB.readyAfterSeconds,
  shutdownSeconds: KNOB.shutdownSeconds,
} as const;
type DurationField = keyof typeof FIELD_KNOB;

/** A PRNG for one draw: seeded by what is drawn for (a pod uid and field, a node's name). */
function rngFor(key: string): Random {
  return Random.fromSeed(parseInt(stableHex(key, 8), 16));
}

/** One sample of a distribution, in seconds (a normal is clamped at 0). */
export function sample(d: Distribution, rng: Random): number {
  if (d.fixed !== undefined) return d.fixed;
  if (d.uniform) {
    const min = d.uniform.min ?? 0;
    return min + rng.next() * ((d.uniform.max ?? min) - min);
  }
  if (d.normal) {
    // Box–Muller: two uniforms, one standard normal (1 − u keeps the logarithm finite)
    const u1 = 1 - rng.next();
    const u2 = rng.next();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.max(0, (d.normal.mean ?? 0) + z * (d.normal.stddev ?? 0));
  }
  if (d.exponential) return -(d.exponential.mean ?? 0) * Math.log(1 - rng.next());
  return 0;
}

/** Seconds rounded to the millisecond (virtual time is in ms). */
const toMs = (seconds: number) => Math.round(seconds * 1000);

function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(text);
}

function podImages(pod: Pod): string[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.image ?? '');
}

function profileMatches(p: SimulationProfile, pod: Pod): boolean {
  const m = p.spec?.match;
  if (!m) return true;
  if (m.namespaces?.length && !m.namespaces.includes(pod.metadata.namespace ?? 'default')) return false;
  if (m.podSelector) {
    const sel = fromLabelSelector(m.podSelector);
    if (!sel || !matches(sel, pod.metadata.labels)) return false;
  }
  if (m.images?.length && !podImages(pod).some((image) => m.images!.some((pattern) => globMatch(pattern, image)))) return false;
  return true;
}

function specificity(p: SimulationProfile): number {
  const m = p.spec?.match;
  return m ? +!!m.namespaces?.length + +!!m.podSelector + +!!m.images?.length : 0;
}

/** The profiles that match a pod, in precedence order. */
export function profilesFor(pod: Pod, store: ReadonlyObjectStore): SimulationProfile[] {
  const all = store.list('SimulationProfile');
  if (!all.length) return [];
  return all
    .filter((p) => profileMatches(p, pod))
    .sort(
      (a, b) =>
        (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) ||
        specificity(b) - specificity(a) ||
        (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0),
    );
}

const specTexts = new WeakMap<object, string>();
function specText(p: SimulationProfile): string {
  let text = specTexts.get(p);
  if (text === undefined) specTexts.set(p, (text = JSON.stringify(p.spec ?? {})));
  return text;
}

/** Pods with their profile-drawn annotations, by uid and the profiles' versions (one draw per pod). */
const profiled = new Map<string, Record<string, string>>();
const MAX_PROFILED = 20_000;

/**
 * The pod as the kubelet reads its knobs: the same object when no profile matches, else a
 * shallow copy whose annotations add the profiles' draws (never written back).
 */
export function withProfiles<T extends Pod>(pod: T, store: ReadonlyObjectStore): T {
  const profiles = profilesFor(pod, store);
  if (!profiles.length) return pod;
  // by what the profiles say, not their names: in-process runs (tests, serve) see clusters whose uids repeat
  const key = `${pod.metadata.uid}/${profiles.map(specText).join(',')}`;
  let drawn = profiled.get(key);
  if (!drawn) {
    drawn = {};
    for (const field of Object.keys(FIELD_KNOB) as DurationField[]) {
      const d = profiles.find((p) => p.spec?.[field])?.spec[field];
      if (d) drawn[FIELD_KNOB[field]] = String(toMs(sample(d, rngFor(`${pod.metadata.uid}/${field}`))) / 1000);
    }
    if (profiled.size >= MAX_PROFILED) profiled.delete(profiled.keys().next().value!);
    profiled.set(key, drawn);
  }
  const own = pod.metadata.annotations ?? {};
  const merged: Record<string, string> = { ...own };
  for (const [k, v] of Object.entries(drawn)) {
    // the pod's own start-up annotation also sets its readiness: a profile's readiness does not override it
    if (k === KNOB.readyAfterSeconds && own[KNOB.startupSeconds] !== undefined) continue;
    if (own[k] === undefined) merged[k] = v;
  }
  return { ...pod, metadata: { ...pod.metadata, annotations: merged } };
}

/**
 * When a container instance fails by a profile's crash or OOM rate: each is an exponential
 * waiting time with rate −ln(1 − p) per hour (so the chance of failing within an hour of running
 * is p), drawn per pod, container and restart; the earlier one wins. Undefined when no profile
 * gives a rate.
 */
export function profileFailure(
  pod: Pod,
  container: string,
  restartCount: number,
  store: ReadonlyObjectStore,
): { afterMs: number; exitCode: number } | undefined {
  const profiles = profilesFor(pod, store);
  if (!profiles.length) return undefined;
  let first: { afterMs: number; exitCode: number } | undefined;
  for (const [field, exitCode] of [
    ['crashProbabilityPerHour', 1],
    ['oomKillProbabilityPerHour', 137],
  ] as const) {
    const p = profiles.find((x) => x.spec?.[field] !== undefined)?.spec[field];
    if (!p) continue;
    const meanSeconds = 3600 / -Math.log(1 - p);
    const afterMs = toMs(
      sample({ exponential: { mean: meanSeconds } }, rngFor(`${pod.metadata.uid}/${container}/${restartCount}/${field}`)),
    );
    if (!first || afterMs < first.afterMs) first = { afterMs, exitCode };
  }
  return first;
}

/**
 * How long a NodeGroup's new node takes to register: the first profile (priority, then name
 * order) whose nodeBoot names the group or names none, drawn per node; undefined when none.
 */
export function nodeBootMs(group: KObject, nodeKey: string, store: ReadonlyObjectStore): number | undefined {
  const profile = store
    .list('SimulationProfile')
    .filter(
      (p) => p.spec?.nodeBoot?.seconds && (!p.spec.nodeBoot.nodeGroups?.length || p.spec.nodeBoot.nodeGroups.includes(group.metadata.name)),
    )
    .sort(
      (a, b) =>
        (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) ||
        (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0),
    )[0];
  if (!profile) return undefined;
  return toMs(sample(profile.spec.nodeBoot!.seconds!, rngFor(`node/${group.metadata.name}/${nodeKey}`)));
}
