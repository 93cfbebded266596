import { registerAdmissionPlugin } from '../admission';
import { milliValue } from '../quantity';
import { isKind, type LimitRange, type Pod } from '../../model/kinds';
import type { ResourceRequirements } from '../../model/k8s';
import { aggregate, forbidden } from './forbidden';

const ANNOTATION = 'kubernetes.io/limit-ranger';

type ResourceList = Record<string, string>;

/**
 * LimitRanger (plugin/pkg/admission/limitranger): on pod create, containers get the
 * LimitRange's `defaultRequest`/`default` for what they leave unset (recorded in the
 * `kubernetes.io/limit-ranger` annotation), then min/max/maxLimitRequestRatio are
 * enforced per Container and per Pod.
 */
registerAdmissionPlugin({
  name: 'LimitRanger',
  admit(ctx, info, obj, old) {
    if (!isKind(obj, 'Pod') || old) return;
    const ranges = ctx.store.list('LimitRange', obj.metadata.namespace);
    for (const range of ranges) {
      mergeDefaults(obj, range);
      const errors = enforce(obj, range);
      if (errors.length) throw forbidden(info, obj, aggregate(errors));
    }
  },
  // with a LimitRange in the namespace it annotates each pod: only without one is it a no-op
  templatePods: { reads: ['LimitRange'], same: (ctx, pod) => ctx.store.list('LimitRange', pod.metadata.namespace).length === 0 },
});

function mergeDefaults(pod: Pod, range: LimitRange): void {
  const requests: ResourceList = {};
  const limits: ResourceList = {};
  for (const item of range.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  const notes: string[] = [];
  for (const c of pod.spec?.containers ?? []) {
    const resources: ResourceRequirements = (c.resources ??= {});
    const cLimits = (resources.limits ??= {});
    const cRequests = (resources.requests ??= {});
    const setLimits = Object.keys(limits)
      .filter((k) => cLimits[k] === undefined)
      .sort();
    const setRequests = Object.keys(requests)
      .filter((k) => cRequests[k] === undefined)
      .sort();
    for (const k of setLimits) cLimits[k] = limits[k];
    for (const k of setRequests) cRequests[k] = requests[k];
    // a default limit with no default request: the API server's defaulting (requests = limits) already ran, so apply it here too
    for (const k of setLimits) if (cRequests[k] === undefined) cRequests[k] = limits[k];
    if (setRequests.length) notes.push(`${setRequests.join(', ')} request for container ${c.name}`);
    if (setLimits.length) notes.push(`${setLimits.join(', ')} limit for container ${c.name}`);
    if (!Object.keys(cLimits).length) delete resources.limits;
    if (!Object.keys(cRequests).length) delete resources.requests;
  }
  if (notes.length)
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
}

function sum(lists: ResourceList[]): ResourceList {
  const out: ResourceList = {};
  const keys = new Set(lists.flatMap((l) => Object.keys(l)));
  for (const k of keys) {
    if (!lists.every((l) => l[k] !== undefined)) continue;
    const milli = lists.reduce((t, l) => t + milliValue(l[k]), 0);
    out[k] = milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  return out;
}

function enforce(pod: Pod, range: LimitRange): string[] {
  const errors: string[] = [];
  for (const item of range.spec?.limits ?? []) {
    const type = item.type;
    const check = (requests: ResourceList, limits: ResourceList) => {
      for (const [name, min] of Object.entries(item.min ?? {})) {
        const req = requests[name];
        const lim = limits[name];
        if (req === undefined) errors.push(`minimum ${name} usage per ${type} is ${min}.  No request is specified`);
        else if (milliValue(req) < milliValue(min)) errors.push(`minimum ${name} usage per ${type} is ${min}, but request is ${req}`);
        else if (lim !== undefined && milliValue(lim) < milliValue(min))
          errors.push(`minimum ${name} usage per ${type} is ${min}, but limit is ${lim}`);
      }
      for (const [name, max] of Object.entries(item.max ?? {})) {
        const req = requests[name];
        const lim = limits[name];
        if (lim === undefined) errors.push(`maximum ${name} usage per ${type} is ${max}.  No limit is specified`);
        else if (milliValue(lim) > milliValue(max)) errors.push(`maximum ${name} usage per ${type} is ${max}, but limit is ${lim}`);
        else if (req !== undefined && milliValue(req) > milliValue(max))
          errors.push(`maximum ${name} usage per ${type} is ${max}, but request is ${req}`);
      }
      for (const [name, ratio] of Object.entries(item.maxLimitRequestRatio ?? {})) {
        const req = milliValue(requests[name]);
        const lim = milliValue(limits[name]);
        if (!req) errors.push(`${name} max limit to request ratio per ${type} is ${ratio}, but no request is specified or request is 0`);
        else if (!lim) errors.push(`${name} max limit to request ratio per ${type} is ${ratio}, but no limit is specified or limit is 0`);
        else if (lim / req > milliValue(ratio) / 1000)
          errors.push(`${name} max limit to request ratio per ${type} is ${ratio}, but provided ratio is ${(lim / req).toFixed(6)}`);
      }
    };
    const containers = pod.spec?.containers ?? [];
    if (type === 'Container') for (const c of containers) check(c.resources?.requests ?? {}, c.resources?.limits ?? {});
    if (type === 'Pod')
      check(sum(containers.map((c) => c.resources?.requests ?? {})), sum(containers.map((c) => c.resources?.limits ?? {})));
  }
  return errors;
}
