import { registerKind } from './register';
import { orEmpty } from '../../model/objects';
import type { DaemonSet } from '../../model/kinds';
import { ageColumn, nameColumn, validateMeta, validateNonNegativeInt, podTemplateWideColumns, zeroValue } from './common';
import { defaultTemplate, validateIntOrPercent, validateSelectorAndTemplate } from './workload-common';

/** kubectl's NODE SELECTOR column: the template's nodeSelector as k=v,… or <none>. */
function nodeSelectorText(o: DaemonSet): string {
  const sel = o.spec?.template?.spec?.nodeSelector ?? {};
  const keys = Object.keys(sel).sort();
  return keys.length ? keys.map((k) => `${k}=${sel[k]}`).join(',') : '<none>';
}

registerKind('DaemonSet', {
  columns: [
    nameColumn,
    { header: 'DESIRED', value: (o) => String(o.status?.desiredNumberScheduled ?? 0) },
    { header: 'CURRENT', value: (o) => String(o.status?.currentNumberScheduled ?? 0) },
    { header: 'READY', value: (o) => String(o.status?.numberReady ?? 0) },
    { header: 'UP-TO-DATE', value: (o) => String(o.status?.updatedNumberScheduled ?? 0) },
    { header: 'AVAILABLE', value: (o) => String(o.status?.numberAvailable ?? 0) },
    { header: 'NODE SELECTOR', value: nodeSelectorText },
    ageColumn,
    ...podTemplateWideColumns(),
  ],
  defaults(obj) {
    const spec = (obj.spec ??= zeroValue());
    spec.revisionHistoryLimit ??= 10;
    spec.updateStrategy ??= {};
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') {
      spec.updateStrategy.rollingUpdate ??= {};
      spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
      spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
    }
    defaultTemplate(spec);
    obj.status ??= { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
  },
  validate(obj) {
    const errs = [...validateMeta(obj), ...validateSelectorAndTemplate(obj)];
    const spec = orEmpty(obj.spec);
    validateNonNegativeInt(spec.minReadySeconds, 'spec.minReadySeconds', errs);
    const strategy = orEmpty(spec.updateStrategy);
    if (!['RollingUpdate', 'OnDelete'].includes(strategy.type ?? '')) {
      errs.push({
        path: 'spec.updateStrategy.type',
        type: 'Unsupported value',
        value: strategy.type,
        detail: 'supported values: "OnDelete", "RollingUpdate"',
      });
    }
    const ru = strategy.rollingUpdate;
    if (ru) {
      validateIntOrPercent(ru.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge', errs);
      validateIntOrPercent(ru.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable', errs);
      const zero = (v: unknown) => v === 0 || v === '0%';
      if (zero(ru.maxSurge) && zero(ru.maxUnavailable)) {
        errs.push({
          path: 'spec.updateStrategy.rollingUpdate.maxUnavailable',
          type: 'Invalid value',
          value: ru.maxUnavailable,
          detail: 'cannot be 0 when maxSurge is 0',
        });
      }
    }
    if (spec.template?.spec?.restartPolicy && spec.template.spec.restartPolicy !== 'Always') {
      errs.push({
        path: 'spec.template.spec.restartPolicy',
        type: 'Unsupported value',
        value: spec.template.spec.restartPolicy,
        detail: 'supported values: "Always"',
      });
    }
    return errs;
  },
});
