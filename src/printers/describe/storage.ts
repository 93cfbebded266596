import type { PersistentVolume, PriorityClass, StorageClass } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { accessModesText } from '../../api/kinds/persistentvolume';
import { canonicalQuantity } from '../../api/quantity-exact';
import { humanDuration, fromRFC3339 } from '../../util/duration';
import { formatLabelMap, goBool, writeEvents } from './format';

/** kubectl's describePersistentVolume (the volume sources kubesim provisions: hostPath, local). */
export function describePersistentVolume(pv: PersistentVolume, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const spec = pv.spec ?? {};
  w.line(0, 'Name:', pv.metadata.name);
  w.map(0, 'Labels', pv.metadata.labels);
  w.annotations(0, pv.metadata.annotations);
  w.line(0, 'Finalizers:', `[${(pv.metadata.finalizers ?? []).join(' ')}]`);
  w.line(0, 'StorageClass:', spec.storageClassName ?? '');
  if (pv.metadata.deletionTimestamp)
    w.line(0, 'Status:', `Terminating (lasts ${humanDuration(ctx.now - fromRFC3339(pv.metadata.deletionTimestamp))})`);
  else w.line(0, 'Status:', pv.status?.phase ?? '');
  w.line(0, 'Claim:', spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '');
  w.line(0, 'Reclaim Policy:', spec.persistentVolumeReclaimPolicy ?? '');
  w.line(0, 'Access Modes:', accessModesText(spec.accessModes));
  if (spec.volumeMode) w.line(0, 'VolumeMode:', spec.volumeMode);
  w.line(0, 'Capacity:', canonicalQuantity(spec.capacity?.storage));
  const required = spec.nodeAffinity?.required;
  w.line(0, 'Node Affinity:', required ? '' : '<none>');
  if (required) {
    const terms = required.nodeSelectorTerms ?? [];
    w.line(1, 'Required Terms:', terms.length ? '' : '<none>');
    // printNodeSelectorTermsMultilineWithIndent: `key in [a, b]` per requirement, one per line
    terms.forEach((term, i) => {
      const reqs = term.matchExpressions ?? [];
      if (!reqs.length) w.write(2, `Term ${i}:\t<none>\n`);
      reqs.forEach((r, j) => {
        const values: string[] = r.values ?? [];
        w.write(
          2,
          `${j === 0 ? `Term ${i}:` : ''}\t${r.key} ${String(r.operator).toLowerCase()}${values.length ? ` [${values.join(', ')}]` : ''}\n`,
        );
      });
    });
  }
  w.line(0, 'Message:', pv.status?.message ?? '');
  w.write(0, 'Source:\n');
  // printHostPathVolumeSource / printLocalVolumeSource write at LEVEL_2
  if (spec.hostPath) {
    w.write(2, 'Type:\tHostPath (bare host directory volume)\n');
    w.write(2, `Path:\t${spec.hostPath.path ?? ''}\n`);
    w.write(2, `HostPathType:\t${spec.hostPath.type || '<none>'}\n`);
  } else if (spec.local) {
    w.write(2, 'Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n');
    w.write(2, `Path:\t${spec.local.path ?? ''}\n`);
  }
  writeEvents(w, ctx.events(pv), ctx.now);
  return w.toString();
}

/** kubectl's describeStorageClass. */
export function describeStorageClass(sc: StorageClass, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  const annotations: Record<string, string> = sc.metadata.annotations ?? {};
  const isDefault =
    annotations['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
  w.line(0, 'Name:', sc.metadata.name);
  w.line(0, 'IsDefaultClass:', isDefault ? 'Yes' : 'No');
  w.line(0, 'Annotations:', formatLabelMap(annotations));
  w.line(0, 'Provisioner:', sc.provisioner ?? '');
  w.line(0, 'Parameters:', formatLabelMap(sc.parameters));
  w.line(
    0,
    'AllowVolumeExpansion:',
    sc.allowVolumeExpansion === undefined || sc.allowVolumeExpansion === null ? '<unset>' : goBool(sc.allowVolumeExpansion),
  );
  const mountOptions: string[] = sc.mountOptions ?? [];
  w.line(0, 'MountOptions:', mountOptions.length ? '' : '<none>');
  for (const o of mountOptions) w.write(1, `${o}\n`);
  if (sc.reclaimPolicy) w.line(0, 'ReclaimPolicy:', sc.reclaimPolicy);
  if (sc.volumeBindingMode) w.line(0, 'VolumeBindingMode:', sc.volumeBindingMode);
  writeEvents(w, ctx.events(sc), ctx.now);
  return w.toString();
}

/** kubectl's describePriorityClass. */
export function describePriorityClass(pc: PriorityClass, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.line(0, 'Name:', pc.metadata.name);
  w.line(0, 'Value:', String(pc.value ?? 0));
  w.line(0, 'GlobalDefault:', String(!!pc.globalDefault));
  w.line(0, 'PreemptionPolicy:', pc.preemptionPolicy ?? '');
  w.line(0, 'Description:', pc.description ?? '');
  w.line(0, 'Annotations:', formatLabelMap(pc.metadata.annotations));
  writeEvents(w, ctx.events(pc), ctx.now);
  return w.toString();
}

registerDescriber('PersistentVolume', () => describePersistentVolume);
registerDescriber('StorageClass', () => describeStorageClass);
registerDescriber('PriorityClass', () => describePriorityClass);
