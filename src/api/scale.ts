import type { KObject } from '../model/objects';
import { clone } from '../model/objects';
import { isScalable, SCALABLE_KINDS } from '../model/kinds';
import { fromLabelSelector, parseSelector, type Selector } from './labels';
import { kindInfo } from './registry';
import { readPath, scaleSubresource, writePath } from './crd/custom-kinds';

/** A target's scale subresource as the HPA controller and kubectl scale see it. */
export interface Scale {
  replicas: number;
  /** status.replicas of the Scale: the replicas the workload's controller observed */
  statusReplicas: number;
  /** the pods it counts (null: none) */
  selector: Selector | null;
  /** the object with its desired replicas set to `replicas` */
  withReplicas(replicas: number): KObject;
}

/** Whether a kind has a scale subresource: the built-in workloads, and CRDs that declare one. */
export function hasScale(kind: string): boolean {
  // the built-in kinds' scale is spec.replicas and spec.selector (autoscaling/v1 Scale)
  if (SCALABLE_KINDS.includes(kind)) return true;
  const info = kindInfo(kind);
  return !!info && !!scaleSubresource(info);
}

/** The scale of an object, or undefined when its kind has no scale subresource. */
export function scaleOf(obj: KObject): Scale | undefined {
  if (isScalable(obj)) {
    return {
      replicas: obj.spec?.replicas ?? 1,
      statusReplicas: obj.status?.replicas ?? 0,
      selector: fromLabelSelector(obj.spec?.selector),
      withReplicas: (replicas) => ({ ...obj, spec: { ...obj.spec, replicas } }),
    };
  }
  const info = kindInfo(obj.kind);
  const scale = info && scaleSubresource(info);
  if (!scale) return undefined;
  // a CRD's labelSelectorPath holds the selector in its string form (status.selector: "app=web")
  const selectorText = scale.labelSelectorPath ? readPath(obj, scale.labelSelectorPath) : undefined;
  return {
    replicas: Number(readPath(obj, scale.specReplicasPath) ?? 0),
    statusReplicas: Number(readPath(obj, scale.statusReplicasPath) ?? 0),
    selector: typeof selectorText === 'string' ? parseSelector(selectorText) : null,
    withReplicas: (replicas) => {
      const copy = clone(obj);
      writePath(copy as unknown as Record<string, unknown>, scale.specReplicasPath, replicas);
      return copy;
    },
  };
}
