import { registerKind } from './register';
import { orEmpty } from '../../model/objects';
import { ageColumn, nameColumn, validateMeta, validateNonNegativeInt, podTemplateWideColumns, zeroValue } from './common';
import { defaultTemplate, validateIntOrPercent, validateSelectorAndTemplate } from './workload-common';

registerKind('Deployment', {
  columns: [
    nameColumn,
    { header: 'READY', value: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}` },
    { header: 'UP-TO-DATE', value: (o) => String(o.status?.updatedReplicas ?? 0) },
    { header: 'AVAILABLE', value: (o) => String(o.status?.availableReplicas ?? 0) },
    ageColumn,
    ...podTemplateWideColumns(),
  ],
  defaults(obj) {
    const spec = (obj.spec ??= zeroValue());
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    spec.minReadySeconds ??= undefined;
    if (spec.minReadySeconds === undefined) delete spec.minReadySeconds;
    spec.strategy ??= {};
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    defaultTemplate(spec);
    obj.status ??= {};
  },
  validate(obj) {
    const errs = [...validateMeta(obj), ...validateSelectorAndTemplate(obj)];
    const spec = orEmpty(obj.spec);
    validateNonNegativeInt(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit', errs);
    validateNonNegativeInt(spec.minReadySeconds, 'spec.minReadySeconds', errs);
    const strategy = orEmpty(spec.strategy);
    if (!['RollingUpdate', 'Recreate'].includes(strategy.type ?? '')) {
      errs.push({
        path: 'spec.strategy.type',
        type: 'Unsupported value',
        value: strategy.type,
        detail: 'supported values: "Recreate", "RollingUpdate"',
      });
    }
    if (strategy.type === 'Recreate' && strategy.rollingUpdate) {
      errs.push({
        path: 'spec.strategy.rollingUpdate',
        type: 'Forbidden',
        detail: "may not be specified when strategy `type` is 'Recreate'",
      });
    }
    const ru = strategy.rollingUpdate;
    if (ru) {
      validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge', errs);
      validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable', errs);
      const zero = (v: unknown) => v === 0 || v === '0%';
      if (zero(ru.maxSurge) && zero(ru.maxUnavailable)) {
        errs.push({
          path: 'spec.strategy.rollingUpdate.maxUnavailable',
          type: 'Invalid value',
          value: ru.maxUnavailable,
          detail: 'may not be 0 when `maxSurge` is 0',
        });
      }
    }
    if (
      spec.progressDeadlineSeconds !== undefined &&
      spec.minReadySeconds !== undefined &&
      spec.progressDeadlineSeconds <= spec.minReadySeconds
    ) {
      errs.push({
        path: 'spec.progressDeadlineSeconds',
        type: 'Invalid value',
        value: spec.progressDeadlineSeconds,
        detail: 'must be greater than minReadySeconds',
      });
    }
    return errs;
  },
});
