import { clone, type KObject } from '../model/objects';
import { isKind, type Pod } from '../model/kinds';
import type { ObjectStore } from '../store/object-store';
import { sameJson } from '../store/intern';
import { templatePodAdmission } from './admission';
import type { ApiContext, WriteOptions } from './server';

/**
 * A ReplicaSet stamps its pods from one template: each create used to copy the template's spec,
 * default it, run it through admission and have the store compare the result with the last
 * pod's to share it (at 150,000 pods: ~1.4 s of CPU, and the copies fed the collector). When
 * every admission plugin does the same to each pod of the template as the store stands
 * (AdmissionPlugin.templatePods), the second pod on takes the first one's admitted spec, the
 * very object stored (so the store knows its template by identity), its defaulted status (a
 * copy: the kubelet keys its memo on a pod's status) and its shared labels and owner references.
 * The memo holds while the create is the same: the same spec object from the same controller,
 * metadata equal but for nothing (the name is generated later), the same instant, and no write
 * of a kind the plugins read since.
 */
interface TemplatePod {
  /** the controller's template spec, as the create action carried it */
  input: object;
  /** the create's metadata as it came (copied), before the server named the pod */
  metadata: KObject['metadata'];
  /** the create's own keys, in order */
  keys: readonly string[];
  now: number;
  /** the kinds admission read, and their write counts summed */
  reads: readonly string[];
  world: number;
  /** the first pod's spec and status after defaulting and admission; its metadata as stored */
  spec: object;
  status: unknown;
  stored: KObject['metadata'];
  /**
   * the last create's input that matched: a ReplicaSet hands one pod object to all of one
   * reconcile's creates, and a create never writes its input, so the same object matches again
   * (its keys and metadata compared once, not for each of 1,000 pods)
   */
  matched?: KObject;
}

const memos = new WeakMap<ObjectStore, Map<string, TemplatePod>>();
/** (a long-lived store in kubesim serve: a memo per controller uid, forgotten past this many) */
const MAX_MEMOS = 10_000;

/** The controller uid of a create that may take a memo: a controller's trusted create of a pod with a spec and no status. */
export function templatePodOwner(input: KObject, opts: WriteOptions): string | undefined {
  if (input.kind !== 'Pod' || !opts.trusted || opts.dryRun || opts.restore || opts.subresource) return undefined;
  if (input.status !== undefined || input.spec === null || typeof input.spec !== 'object') return undefined;
  for (const ref of input.metadata?.ownerReferences ?? []) if (ref.controller && ref.uid) return ref.uid;
  return undefined;
}

function world(store: ObjectStore, reads: readonly string[]): number {
  let n = 0;
  for (const kind of reads) n += store.kindWrites(kind);
  return n;
}

/** Whether the object's own keys are these, in this order (no string joined per create). */
function hasKeys(obj: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in obj) if (!Object.hasOwn(obj, key) || keys[i++] !== key) return false;
  return i === keys.length;
}

/**
 * The object a create of `input` would be before the server names it, admitted as the memo's
 * first pod was, or undefined when the memo does not hold.
 */
export function fromTemplatePod(ctx: ApiContext, input: KObject, owner: string): KObject | undefined {
  const memo = memos.get(ctx.store)?.get(owner);
  if (!memo || memo.input !== input.spec || memo.now !== ctx.now) return undefined;
  if (memo.matched !== input) {
    if (!hasKeys(input, memo.keys) || !sameJson(memo.metadata, input.metadata)) return undefined;
    memo.matched = input;
  }
  if (memo.world !== world(ctx.store, memo.reads)) return undefined;
  // the metadata as a copy would have it; the shared parts as the store will share them (copied
  // by Object.assign, not spread: the server adds name, uid, creationTimestamp and
  // resourceVersion to it, and in V8 a key added to a spread copy gives it a map of its own,
  // one per created pod, that every reader of pods then met)
  const metadata = Object.assign({}, input.metadata) as unknown as Record<string, unknown>;
  for (const key of Object.keys(metadata)) {
    const value = metadata[key];
    if (value === null || typeof value !== 'object') continue;
    const stored = (memo.stored as unknown as Record<string, unknown>)[key];
    metadata[key] = (key === 'labels' || key === 'ownerReferences') && stored ? stored : clone(value);
  }
  // (Object.assign, not a spread with status added: in V8 a key a spread copy does not have gives
  // the copy a map of its own, one per created pod, which every reader of pods then meets)
  return Object.assign({}, input, { metadata: metadata as unknown as KObject['metadata'], spec: memo.spec, status: clone(memo.status) });
}

/** The metadata as defaulting and admission get it: the create compares it with what they leave. */
export function metadataText(obj: KObject): string {
  return JSON.stringify(obj.metadata);
}

/**
 * After a create of `input` that ran defaulting and admission, which left the metadata as it
 * was, and stored `stored`: the next create of the same template takes what it got if every
 * plugin says it would do the same again.
 */
export function rememberTemplatePod(ctx: ApiContext, input: KObject, owner: string, stored: KObject): void {
  if (!isKind(stored, 'Pod')) return;
  const admission = templatePodAdmission(ctx, stored as Pod);
  if (!admission) return;
  let byOwner = memos.get(ctx.store);
  if (!byOwner) memos.set(ctx.store, (byOwner = new Map()));
  if (byOwner.size >= MAX_MEMOS) byOwner.clear();
  byOwner.set(owner, {
    input: input.spec as object,
    metadata: clone(input.metadata),
    keys: Object.keys(input),
    now: ctx.now,
    reads: admission.reads,
    world: world(ctx.store, admission.reads),
    spec: stored.spec as object,
    status: clone(stored.status),
    stored: stored.metadata,
    matched: input,
  });
}
