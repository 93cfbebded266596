import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { ageColumn, nameColumn, validateMeta, isOneOf } from './common';

const MODES = ['Persistent', 'Ephemeral'];
const FS_GROUP_POLICIES = ['ReadWriteOnceWithFSType', 'File', 'None'];

/** CSIDriver (storage.k8s.io/v1): a CSI driver's capabilities, stored and printed (no driver runs in kubesim). */
registerKind('CSIDriver', {
  // printCSIDriver
  columns: [
    nameColumn,
    { header: 'ATTACHREQUIRED', value: (o) => String(o.spec?.attachRequired ?? true) },
    { header: 'PODINFOONMOUNT', value: (o) => String(o.spec?.podInfoOnMount ?? false) },
    { header: 'STORAGECAPACITY', value: (o) => String(o.spec?.storageCapacity ?? false) },
    {
      header: 'TOKENREQUESTS',
      value: (o) => (o.spec?.tokenRequests ? o.spec.tokenRequests.map((t: { audience: string }) => t.audience).join(',') : '<unset>'),
    },
    { header: 'REQUIRESREPUBLISH', value: (o) => String(o.spec?.requiresRepublish ?? false) },
    { header: 'MODES', value: (o) => (o.spec?.volumeLifecycleModes ?? []).join(',') || '<none>' },
    ageColumn,
  ],
  defaults(obj) {
    // SetDefaults_CSIDriverSpec
    const spec = (obj.spec ??= {});
    spec.attachRequired ??= true;
    spec.podInfoOnMount ??= false;
    spec.storageCapacity ??= false;
    spec.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
    spec.requiresRepublish ??= false;
    spec.volumeLifecycleModes ??= ['Persistent'];
    spec.seLinuxMount ??= false;
  },
  validate(obj) {
    // ValidateCSIDriver: a DNS-subdomain name, known lifecycle modes and fsGroupPolicy
    const errs: FieldError[] = validateMeta(obj);
    const spec = obj.spec ?? {};
    for (const [i, mode] of (spec.volumeLifecycleModes ?? []).entries())
      if (!MODES.includes(mode))
        errs.push({
          path: `spec.volumeLifecycleModes[${i}]`,
          type: 'Unsupported value',
          value: mode,
          detail: 'supported values: "Ephemeral", "Persistent"',
        });
    if (!isOneOf(FS_GROUP_POLICIES, spec.fsGroupPolicy))
      errs.push({
        path: 'spec.fsGroupPolicy',
        type: 'Unsupported value',
        value: spec.fsGroupPolicy,
        detail: 'supported values: "File", "None", "ReadWriteOnceWithFSType"',
      });
    return errs;
  },
});
