import type { FieldError } from '../../util/errors';
import type { Distribution, SimulationProfile } from '../../model/kinds';
import { registerKind } from './register';
import { orEmpty } from '../../model/objects';
import { ageColumn, nameColumn, validateLabelSelector, validateMeta } from './common';

/**
 * SimulationProfile (kubesim's own, sim.kubesim.io/v1, cluster-scoped): lifecycle timings as
 * distributions and failure rates for the pods it matches, instead of per-pod sim.kubesim.io/*
 * annotations (which still win). src/sim/simulation-profile.ts draws the values; this module
 * defaults, validates and prints the objects.
 */
export const SIMULATION_PROFILE_API_VERSION = 'sim.kubesim.io/v1';

const DISTRIBUTIONS = ['fixed', 'uniform', 'normal', 'exponential'] as const;
const DURATION_FIELDS = ['imagePullSeconds', 'startupSeconds', 'readinessSeconds', 'shutdownSeconds'] as const;

/** `normal(30,5)`, `uniform(1,4)`, `exp(3)`, `2` — a distribution in a column. */
export function distributionText(d: Distribution | undefined): string {
  if (!d) return '';
  if (d.fixed !== undefined) return String(d.fixed);
  if (d.uniform) return `uniform(${d.uniform.min ?? 0},${d.uniform.max ?? 0})`;
  if (d.normal) return `normal(${d.normal.mean ?? 0},${d.normal.stddev ?? 0})`;
  if (d.exponential) return `exp(${d.exponential.mean ?? 0})`;
  return '';
}

const orNone = (s: string) => s || '<none>';

registerKind('SimulationProfile', {
  columns: [
    nameColumn,
    { header: 'PRIORITY', value: (o) => String(o.spec?.priority ?? 0) },
    { header: 'STARTUP', value: (o) => orNone(distributionText(o.spec?.startupSeconds)) },
    {
      header: 'CRASH/H',
      value: (o) => (o.spec?.crashProbabilityPerHour === undefined ? '<none>' : String(o.spec.crashProbabilityPerHour)),
    },
    {
      header: 'OOM/H',
      value: (o) => (o.spec?.oomKillProbabilityPerHour === undefined ? '<none>' : String(o.spec.oomKillProbabilityPerHour)),
    },
    ageColumn,
    { header: 'IMAGE-PULL', wide: true, value: (o) => orNone(distributionText(o.spec?.imagePullSeconds)) },
    { header: 'READINESS', wide: true, value: (o) => orNone(distributionText(o.spec?.readinessSeconds)) },
    { header: 'SHUTDOWN', wide: true, value: (o) => orNone(distributionText(o.spec?.shutdownSeconds)) },
    { header: 'NODE-BOOT', wide: true, value: (o) => orNone(distributionText(o.spec?.nodeBoot?.seconds)) },
  ],
  defaults(obj) {
    const spec = (obj.spec ??= {});
    spec.priority ??= 0;
  },
  validate(obj): FieldError[] {
    const errs = validateMeta(obj);
    const spec = orEmpty(obj.spec) as SimulationProfile['spec'];
    if (spec.priority !== undefined && (typeof spec.priority !== 'number' || !Number.isInteger(spec.priority)))
      errs.push({ path: 'spec.priority', type: 'Invalid value', value: spec.priority, detail: 'must be an integer' });
    const match = spec.match;
    if (match !== undefined) {
      if (typeof match !== 'object' || match === null || Array.isArray(match))
        errs.push({ path: 'spec.match', type: 'Invalid value', value: match, detail: 'must be an object' });
      else {
        for (const field of ['namespaces', 'images'] as const) {
          const list = match[field] as unknown;
          if (list === undefined) continue;
          if (!Array.isArray(list) || list.some((x) => typeof x !== 'string' || !x))
            errs.push({ path: `spec.match.${field}`, type: 'Invalid value', value: list, detail: 'must be a list of non-empty strings' });
        }
        if (match.podSelector !== undefined) errs.push(...validateLabelSelector(match.podSelector, 'spec.match.podSelector'));
      }
    }
    for (const field of DURATION_FIELDS) validateDistribution(spec[field], `spec.${field}`, errs);
    for (const field of ['crashProbabilityPerHour', 'oomKillProbabilityPerHour'] as const) {
      const p = spec[field] as unknown;
      if (p === undefined) continue;
      if (typeof p !== 'number' || !Number.isFinite(p))
        errs.push({ path: `spec.${field}`, type: 'Invalid value', value: p, detail: 'must be a number' });
      else if (p < 0 || p >= 1)
        errs.push({
          path: `spec.${field}`,
          type: 'Invalid value',
          value: p,
          detail: 'must be at least 0 and less than 1 (a probability per hour of running)',
        });
    }
    const boot = spec.nodeBoot;
    if (boot !== undefined) {
      if (typeof boot !== 'object' || boot === null || Array.isArray(boot))
        errs.push({ path: 'spec.nodeBoot', type: 'Invalid value', value: boot, detail: 'must be an object' });
      else {
        const groups = boot.nodeGroups as unknown;
        if (groups !== undefined && (!Array.isArray(groups) || groups.some((x) => typeof x !== 'string' || !x)))
          errs.push({
            path: 'spec.nodeBoot.nodeGroups',
            type: 'Invalid value',
            value: groups,
            detail: 'must be a list of non-empty strings',
          });
        if (boot.seconds === undefined) errs.push({ path: 'spec.nodeBoot.seconds', type: 'Required value', detail: '' });
        else validateDistribution(boot.seconds, 'spec.nodeBoot.seconds', errs);
      }
    }
    return errs;
  },
});

/** One of fixed/uniform/normal/exponential, with non-negative seconds (a uniform's max at least its min). */
function validateDistribution(d: unknown, path: string, errs: FieldError[]): void {
  if (d === undefined) return;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) {
    errs.push({ path, type: 'Invalid value', value: d, detail: 'must be an object with one of: fixed, uniform, normal, exponential' });
    return;
  }
  // the decoder has dropped or refused any other key (the kind's schema, src/api/openapi/kubesim-schemas.ts)
  const kinds = Object.keys(d).filter((k) => (DISTRIBUTIONS as readonly string[]).includes(k));
  if (kinds.length !== 1) {
    errs.push({
      path,
      type: 'Invalid value',
      value: kinds.join(', ') || '{}',
      detail: `must set exactly one of: ${DISTRIBUTIONS.join(', ')}`,
    });
    return;
  }
  const seconds = (value: unknown, at: string, required = true): number | undefined => {
    if (value === undefined) {
      if (required) errs.push({ path: at, type: 'Required value', detail: '' });
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value))
      errs.push({ path: at, type: 'Invalid value', value, detail: 'must be a number' });
    else if (value < 0) errs.push({ path: at, type: 'Invalid value', value, detail: 'must be greater than or equal to 0' });
    else return value;
    return undefined;
  };
  const dist = d as Distribution;
  const body = (k: string) => {
    const v = (d as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return true;
    errs.push({ path: `${path}.${k}`, type: 'Invalid value', value: v, detail: 'must be an object' });
    return false;
  };
  if (kinds[0] === 'fixed') seconds(dist.fixed, `${path}.fixed`);
  else if (kinds[0] === 'uniform' && body('uniform')) {
    const min = seconds(dist.uniform!.min, `${path}.uniform.min`);
    const max = seconds(dist.uniform!.max, `${path}.uniform.max`);
    if (min !== undefined && max !== undefined && max < min)
      errs.push({ path: `${path}.uniform.max`, type: 'Invalid value', value: max, detail: 'must be greater than or equal to `min`' });
  } else if (kinds[0] === 'normal' && body('normal')) {
    seconds(dist.normal!.mean, `${path}.normal.mean`);
    seconds(dist.normal!.stddev, `${path}.normal.stddev`);
  } else if (kinds[0] === 'exponential' && body('exponential')) seconds(dist.exponential!.mean, `${path}.exponential.mean`);
}
