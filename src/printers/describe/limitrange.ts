import type { LimitRange } from '../../model/kinds';
import { registerDescriber, DescribeWriter } from '../describe';

/** kubectl's describeLimitRange: one row per limit type and resource. */
export function describeLimitRange(range: LimitRange): string {
  const w = new DescribeWriter();
  w.line(0, 'Name:', range.metadata.name);
  w.line(0, 'Namespace:', range.metadata.namespace ?? '');
  w.line(0, 'Type', 'Resource', 'Min', 'Max', 'Default Request', 'Default Limit', 'Max Limit/Request Ratio');
  w.line(0, '----', '--------', '---', '---', '---------------', '-------------', '-----------------------');
  for (const item of range.spec?.limits ?? []) {
    const fields = ['min', 'max', 'defaultRequest', 'default', 'maxLimitRequestRatio'] as const;
    const resources = [...new Set(fields.flatMap((f) => Object.keys(item[f] ?? {})))].sort();
    for (const r of resources) {
      const cell = (f: (typeof fields)[number]) => {
        const value = item[f]?.[r];
        return value !== undefined ? String(value) : '-';
      };
      let defaultRequest = cell('defaultRequest');
      // the API server defaults a Container's request to its default limit
      if (item.type === 'Container' && defaultRequest === '-' && cell('default') !== '-') defaultRequest = cell('default');
      w.line(0, item.type, r, cell('min'), cell('max'), defaultRequest, cell('default'), cell('maxLimitRequestRatio'));
    }
  }
  return w.toString();
}

registerDescriber('LimitRange', () => describeLimitRange);
