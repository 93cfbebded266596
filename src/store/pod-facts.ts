import type { KObject } from '../model/objects';
import type { ReadonlyObjectStore, Slot } from './object-store';
import { quotedRepeated } from './intern';

/**
 * What the readers of a node's or an owner's pods read of each pod besides the scheduling class
 * (schema 7 `facts` column, written with every pod row): the kubelet's pod IPs and pulled images
 * of a node, the eviction manager's memory sums, the ReplicaSet controller's counts and ranking.
 * They read it from the slot of a pod loaded from its row (`rowFacts`) instead of parsing the
 * row; a pod written since load is an object in memory and they read the object.
 */
export interface PodFacts {
  phase: string | undefined;
  podIP: string | undefined;
  /** the uid of the controlling ownerReference */
  controller: string | undefined;
  /** the Ready condition's status is True, and its lastTransitionTime */
  ready: boolean;
  readySince: string | undefined;
  creationTimestamp: string | undefined;
  /** status.containerStatuses, in order */
  containers: ContainerFacts[];
  /**
   * undefined: the pod has no annotations; else those whose values the readers use (the
   * simulation's `sim.kubesim.io/` knobs — memory and CPU use — and the pod deletion cost the
   * ReplicaSet ranks by), an empty object when it has annotations but none of those.
   */
  annotations: Record<string, string> | undefined;
}

export interface ContainerFacts {
  name: string;
  image: string | undefined;
  /** imageID is set: the image is on the node */
  pulled: boolean;
  /** state.running is set */
  running: boolean;
  restartCount: number;
}

/** annotation keys kept in the facts (see PodFacts.annotations) */
const KNOB_PREFIX = 'sim.kubesim.io/';
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

type ContainerRow = [string, string | null, 0 | 1, 0 | 1, number];
/** the column's JSON: [phase, podIP, controller uid, ready, readySince, creationTimestamp, containers, annotations] */
type FactsRow = [
  string | null,
  string | null,
  string | null,
  0 | 1,
  string | null,
  string | null,
  ContainerRow[],
  Record<string, string> | null,
];

interface PodFields {
  metadata?: {
    annotations?: Record<string, unknown> | null;
    creationTimestamp?: unknown;
    ownerReferences?: unknown;
  };
  status?: {
    phase?: unknown;
    podIP?: unknown;
    conditions?: unknown;
    containerStatuses?: unknown;
  };
}

/**
 * The `facts` column of a pod (its parts resolved: conditions and container states as objects,
 * not shared-row references). Written with every pod row, so made as text directly (half
 * the cost of JSON.stringify of the array: ~2 µs a pod on a loaded machine).
 */
export function podFactsColumn(pod: KObject): string {
  const { metadata, status } = pod as PodFields;
  let controller: unknown;
  const refs = metadata?.ownerReferences;
  if (Array.isArray(refs))
    for (const r of refs as ({ uid?: unknown; controller?: unknown } | null)[])
      if (r?.controller) {
        controller = r.uid;
        break;
      }
  let ready: { status?: unknown; lastTransitionTime?: unknown } | undefined;
  const conditions = status?.conditions;
  if (Array.isArray(conditions))
    for (const c of conditions as ({ type?: unknown; status?: unknown; lastTransitionTime?: unknown } | null)[])
      if (c?.type === 'Ready') {
        ready = c;
        break;
      }
  let containers = '';
  const statuses = status?.containerStatuses;
  if (Array.isArray(statuses))
    for (const s of statuses as (Record<string, unknown> | null)[]) {
      const restarts = s?.restartCount;
      containers += `${containers ? ',' : ''}[${quotedRepeated(s?.name) ?? '""'},${quotedRepeated(s?.image) ?? 'null'},${s?.imageID ? 1 : 0},${
        (s?.state as { running?: unknown } | undefined)?.running ? 1 : 0
      },${typeof restarts === 'number' ? JSON.stringify(restarts) : 0}]`;
    }
  let annotations = 'null';
  if (metadata?.annotations) {
    const kept: Record<string, unknown> = {};
    for (const k in metadata.annotations) if (k.startsWith(KNOB_PREFIX) || k === DELETION_COST) kept[k] = metadata.annotations[k];
    annotations = JSON.stringify(kept);
  }
  return `[${quotedRepeated(status?.phase) ?? 'null'},${str(status?.podIP) ?? 'null'},${quotedRepeated(controller) ?? 'null'},${ready?.status === 'True' ? 1 : 0},${
    quotedRepeated(ready?.lastTransitionTime) ?? 'null'
  },${quotedRepeated(metadata?.creationTimestamp) ?? 'null'},[${containers}],${annotations}]`;
}

/** a string as JSON; undefined for anything else */
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? JSON.stringify(v) : undefined;
}

/** The facts a column holds; undefined when it cannot be read (the pod is then parsed when read). */
export function parsePodFacts(column: string): PodFacts | undefined {
  let row: unknown;
  try {
    row = JSON.parse(column);
  } catch {
    return undefined;
  }
  if (!Array.isArray(row) || row.length !== 8 || !Array.isArray(row[6])) return undefined;
  const [phase, podIP, controller, ready, readySince, created, containers, annotations] = row as FactsRow;
  return {
    phase: phase ?? undefined,
    podIP: podIP ?? undefined,
    controller: controller ?? undefined,
    ready: ready === 1,
    readySince: readySince ?? undefined,
    creationTimestamp: created ?? undefined,
    containers: containers.map(([name, image, pulled, running, restartCount]) => ({
      name,
      image: image ?? undefined,
      pulled: pulled === 1,
      running: running === 1,
      restartCount,
    })),
    annotations: annotations ?? undefined,
  };
}

/**
 * The facts of a pod slot loaded from its row and not written since (a parse changes nothing of
 * them), read from the row's column at the first ask; undefined otherwise (read the object).
 */
export function rowFacts(slot: Slot, store: Pick<ReadonlyObjectStore, 'rowFactsText'>): PodFacts | undefined {
  const facts = slot.facts;
  if (facts !== '') return facts;
  const text = store.rowFactsText(slot);
  const parsed = text === undefined ? undefined : parsePodFacts(text);
  slot.facts = parsed;
  return parsed;
}
