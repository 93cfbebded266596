import { registerKind } from './register';
import { controllerOf } from '../../model/objects';
import { ageColumn, nameColumn, validateMeta } from './common';

/**
 * ControllerRevision (apps/v1): an immutable snapshot of a StatefulSet's or DaemonSet's pod
 * template, numbered; their controllers keep one per template and `rollout history|undo`
 * read them.
 */
registerKind('ControllerRevision', {
  columns: [
    nameColumn,
    {
      header: 'CONTROLLER',
      value: (o) => {
        const owner = controllerOf(o);
        if (!owner) return '<none>';
        const group = String(owner.apiVersion ?? '').includes('/') ? `.${String(owner.apiVersion).split('/')[0]}` : '';
        return `${owner.kind.toLowerCase()}${group}/${owner.name}`;
      },
    },
    { header: 'REVISION', value: (o) => String(o.revision ?? 0) },
    ageColumn,
  ],
  validate(obj) {
    const errs = validateMeta(obj);
    if (typeof obj.revision !== 'number' || !Number.isInteger(obj.revision) || obj.revision < 0)
      errs.push({ path: 'revision', type: 'Invalid value', value: obj.revision, detail: 'must be greater than or equal to 0' });
    return errs;
  },
  specFields: ['data'],
});
