import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { ageColumn, nameColumn, validateMeta } from './common';

/**
 * VolumeAttachment (storage.k8s.io/v1): a request to attach a volume to a node. An external
 * attacher (a CSI driver's sidecar) would report status.attached; none runs in kubesim, so
 * it is stored and printed as written.
 */
registerKind('VolumeAttachment', {
  // printVolumeAttachment
  columns: [
    nameColumn,
    { header: 'ATTACHER', value: (o) => o.spec?.attacher ?? '' },
    { header: 'PV', value: (o) => o.spec?.source?.persistentVolumeName ?? '' },
    { header: 'NODE', value: (o) => o.spec?.nodeName ?? '' },
    { header: 'ATTACHED', value: (o) => String(o.status?.attached ?? false) },
    ageColumn,
  ],
  validate(obj) {
    // ValidateVolumeAttachment: attacher, nodeName and exactly one source
    const errs: FieldError[] = validateMeta(obj);
    const spec = obj.spec ?? {};
    if (!spec.attacher) errs.push({ path: 'spec.attacher', type: 'Required value' });
    if (!spec.nodeName) errs.push({ path: 'spec.nodeName', type: 'Required value' });
    const sources = (['persistentVolumeName', 'inlineVolumeSpec'] as const).filter((k) => spec.source?.[k]);
    if (sources.length !== 1)
      errs.push({
        path: 'spec.source',
        type: 'Required value',
        detail: 'must specify exactly one of inlineVolumeSpec and persistentVolumeName',
      });
    return errs;
  },
});
