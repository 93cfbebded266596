import type { ApiContext, ReadContext, WriteOptions } from './server';
import type { KindInfo } from './registry';
import type { KObject } from '../model/objects';
import { isKind, type Pod } from '../model/kinds';

/**
 * Admission plugins in the order the API server runs them (mutating first, then
 * validating). Each plugin may change `obj` in place or throw an ApiError to deny.
 */
export interface AdmissionPlugin {
  name: string;
  admit(ctx: ApiContext, info: KindInfo, obj: KObject, old: KObject | undefined, opts: WriteOptions): void;
  /** a DELETE request for `obj` (only the plugins that see deletes: the webhooks) */
  admitDelete?(ctx: ApiContext, info: KindInfo, obj: KObject): void;
  /**
   * For a controller's pods stamped from one template (./template-pods.ts): the kinds this
   * plugin reads to admit a Pod create, and whether, with those objects as they are, it does the
   * same to every pod of the template (owner, namespace, metadata and spec equal; name and uid
   * aside) — edits of the spec alone, or nothing. Then the pods after the first take the first
   * one's admitted spec instead of running the chain. Unset: the chain runs for every pod.
   */
  templatePods?: { reads: readonly string[]; same(ctx: ReadContext, pod: Pod): boolean };
}

const plugins: AdmissionPlugin[] = [];

export function registerAdmissionPlugin(plugin: AdmissionPlugin): void {
  plugins.push(plugin);
}

export function admit(ctx: ApiContext, info: KindInfo, obj: KObject, old: KObject | undefined, opts: WriteOptions): void {
  for (const p of plugins) p.admit(ctx, info, obj, old, opts);
}

/**
 * Whether every admission plugin does the same to each pod of this one's template as the store
 * stands (see AdmissionPlugin.templatePods), and the kinds they read: their writes end that.
 */
export function templatePodAdmission(ctx: ReadContext, pod: Pod): { reads: readonly string[] } | undefined {
  const reads = new Set<string>();
  for (const p of plugins) {
    if (!p.templatePods?.same(ctx, pod)) return undefined;
    for (const kind of p.templatePods.reads) reads.add(kind);
  }
  return { reads: [...reads].sort() };
}

export function admitDelete(ctx: ApiContext, info: KindInfo, obj: KObject): void {
  for (const p of plugins) p.admitDelete?.(ctx, info, obj);
}

/**
 * DefaultTolerationSeconds: every pod tolerates not-ready/unreachable NoExecute taints
 * for 300 s unless it says otherwise.
 */
registerAdmissionPlugin({
  name: 'DefaultTolerationSeconds',
  admit(_ctx, _info, obj, old) {
    if (!isKind(obj, 'Pod') || old) return;
    const tolerations = (obj.spec.tolerations ??= []);
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      const has = tolerations.some(
        (t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'),
      );
      if (!has) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  },
  // the tolerations are the spec's own business
  templatePods: { reads: [], same: () => true },
});
