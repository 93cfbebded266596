import { registerAdmissionPlugin } from '../admission';
import { isKind } from '../../model/kinds';
import { containerResourcesForPod, controllingVpa, updateMode } from '../vpa';

/**
 * The VPA admission controller (kubernetes/autoscaler vertical-pod-autoscaler v1.3.1
 * pkg/admission-controller, a mutating webhook upstream, so it runs where the webhooks do): a new
 * pod whose top-most controller a VPA in Initial, Recreate or Auto mode targets gets that VPA's
 * recommended requests (resource_updates.go), limits kept in proportion for RequestsAndLimits,
 * and the `vpaUpdates` and `vpaObservedContainers` annotations (observed_containers.go). A pod of
 * an Off VPA, or of none, is left as it is. LimitRange capping is not simulated.
 */
registerAdmissionPlugin({
  name: 'VerticalPodAutoscaler',
  admit(ctx, _info, obj, old) {
    if (!isKind(obj, 'Pod') || old) return;
    const vpa = controllingVpa(obj, ctx.store);
    if (!vpa || updateMode(vpa) === 'Off') return;
    const resources = containerResourcesForPod(vpa, obj);
    const updates: string[] = [];
    obj.spec.containers.forEach((container, i) => {
      const { requests = {}, limits = {} } = resources[i];
      const changed: string[] = [];
      // upstream walks a Go map (random order); sorted here so the annotation is stable
      for (const [field, list, word] of [
        ['requests', requests, 'request'],
        ['limits', limits, 'limit'],
      ] as const) {
        const names = Object.keys(list).sort();
        if (!names.length) continue;
        const current = ((container.resources ??= {})[field] ??= {});
        for (const name of names) {
          current[name] = list[name];
          changed.push(`${name} ${word}`);
        }
      }
      updates.push(`container ${i}: ${changed.join(', ')}`);
    });
    const annotations = (obj.metadata.annotations ??= {});
    if (updates.length) annotations.vpaUpdates = `Pod resources updated by ${vpa.metadata.name}: ${updates.join('; ')}`;
    annotations.vpaObservedContainers = obj.spec.containers.map((c) => c.name).join(', ');
  },
  // a VPA's recommendation and annotations: only a namespace without VPAs is left alone
  templatePods: {
    reads: ['VerticalPodAutoscaler'],
    same: (ctx, pod) => ctx.store.list('VerticalPodAutoscaler', pod.metadata.namespace).length === 0,
  },
});
