import type { ApiContext, WriteOptions } from './server';
import type { KindInfo } from './registry';
import type { KObject } from '../model/objects';
import { isKind } from '../model/kinds';

/**
 * Admission plugins in the order the API server runs them (mutating first, then
 * validating). Each plugin may change `obj` in place or throw an ApiError to deny.
 */
export interface AdmissionPlugin {
  name: string;
  admit(ctx: ApiContext, info: KindInfo, obj: KObject, old: KObject | undefined, opts: WriteOptions): void;
  /** a DELETE request for `obj` (only the plugins that see deletes: the webhooks) */
  admitDelete?(ctx: ApiContext, info: KindInfo, obj: KObject): void;
}

const plugins: AdmissionPlugin[] = [];

export function registerAdmissionPlugin(plugin: AdmissionPlugin): void {
  plugins.push(plugin);
}

export function admit(ctx: ApiContext, info: KindInfo, obj: KObject, old: KObject | undefined, opts: WriteOptions): void {
  for (const p of plugins) p.admit(ctx, info, obj, old, opts);
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
});
