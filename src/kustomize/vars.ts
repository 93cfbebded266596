import type { KObject } from '../model/objects';
import { CliError } from '../util/errors';
import { fieldValue } from './replacements';
import { gvk, specApplies, visitField, type FieldSpec, type Resource } from './resource';

/** A kustomization's `vars:` entry (deprecated in favour of replacements, still built by kustomize v5). */
export interface Var {
  name: string;
  objref?: { apiVersion?: string; group?: string; version?: string; kind?: string; name?: string; namespace?: string };
  fieldref?: { fieldpath?: string };
}

const DEFAULT_FIELD_PATH = 'metadata.name';

/** The objref's group and version: its own fields, else its apiVersion once defaulted (Var.Defaulting). */
function objrefGv(v: Var, defaulted: boolean): { group: string; version: string } {
  const ref = v.objref ?? {};
  if (!defaulted || !ref.apiVersion) return { group: ref.group ?? '', version: ref.version ?? '' };
  const slash = ref.apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: ref.apiVersion }
    : { group: ref.apiVersion.slice(0, slash), version: ref.apiVersion.slice(slash + 1) };
}

/** Go's %v of a Var: {NAME Kind.version.group {fieldpath}}. */
function describeVar(v: Var, defaulted: boolean): string {
  const { group, version } = objrefGv(v, defaulted);
  const fieldPath = v.fieldref?.fieldpath || (defaulted ? DEFAULT_FIELD_PATH : '');
  return `{${v.name} ${v.objref?.kind || '[noKind]'}.${version || '[noVer]'}.${group || '[noGrp]'} {${fieldPath}}}`;
}

/** ResAccumulator.MergeVars: a kustomization's vars join those of the build so far; a name may be declared once. */
export function mergeVars(known: Var[], incoming: Var[]): void {
  for (const v of incoming) {
    if (known.some((k) => k.name === v.name))
      throw new CliError(`merging vars [${incoming.map((i) => describeVar(i, false)).join(' ')}]: var '${v.name}' already encountered`);
    known.push(v);
  }
}

/** Where `$(VAR)` is expanded (kustomize's default varReference config), `[]` marking lists. */
const containerFields = ['args', 'command', 'env[]/value', 'volumeMounts[]/mountPath'];
const podSpecs: Record<string, string> = {
  CronJob: 'spec/jobTemplate/spec/template/spec',
  DaemonSet: 'spec/template/spec',
  Deployment: 'spec/template/spec',
  Job: 'spec/template/spec',
  Pod: 'spec',
  ReplicaSet: 'spec/template/spec',
  StatefulSet: 'spec/template/spec',
};
export const VAR_REFERENCES: FieldSpec[] = [
  ...Object.entries(podSpecs).flatMap(([kind, podSpec]) =>
    ['containers', 'initContainers'].flatMap((list) => containerFields.map((field) => ({ path: `${podSpec}/${list}[]/${field}`, kind }))),
  ),
  { path: 'spec/rules[]/host', kind: 'Ingress' },
  { path: 'spec/tls[]/hosts', kind: 'Ingress' },
  { path: 'spec/tls[]/secretName', kind: 'Ingress' },
  { path: 'spec/ports[]/port', kind: 'Service' },
  { path: 'spec/ports[]/targetPort', kind: 'Service' },
  { path: 'metadata/labels' },
];

/**
 * Kubernetes' $(VAR) expansion (third_party/forked/golang/expansion): `$$` is a `$`, an unknown
 * variable stays as written. A value that is one reference and nothing else takes the variable's
 * value as it is (a number stays a number), as kustomize's refvar filter does.
 */
function expand(input: string, values: Map<string, unknown>, used: Set<string>): unknown {
  const whole = /^\$\(([^)]*)\)$/.exec(input);
  if (whole && values.has(whole[1])) {
    used.add(whole[1]);
    return values.get(whole[1]);
  }
  let out = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 >= input.length) {
      out += input[i];
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      if (values.has(name)) {
        used.add(name);
        out += String(values.get(name));
      } else out += `$(${name})`;
      i = close;
    } else out += '$';
  }
  return out;
}

/** Each string at the field (or in the list or map there) expanded. */
function expandField(holder: Record<string, unknown>, field: string, values: Map<string, unknown>, used: Set<string>): void {
  const value = holder[field];
  if (typeof value === 'string') holder[field] = expand(value, values, used);
  else if (Array.isArray(value)) {
    const items: unknown[] = value;
    items.forEach((item, i) => typeof item === 'string' && (items[i] = expand(item, values, used)));
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') (value as Record<string, unknown>)[k] = expand(v, values, used);
}

/** Whether a var's objref names the resource (by any name it has had; an exact group and version). */
function refersTo(v: Var, obj: KObject, names: string[]): boolean {
  const id = gvk(obj);
  const { group, version } = objrefGv(v, true);
  const ref = v.objref ?? {};
  if (id.group !== group || id.version !== version || id.kind !== (ref.kind ?? '') || !names.includes(ref.name ?? '')) return false;
  return !ref.namespace || (ref.namespace || 'default') === (obj.metadata.namespace || 'default');
}

/** ResolveVars: each var's value read from its object, then `$(VAR)` expanded where kustomize expands it. */
export function resolveVars(resources: Resource[], vars: Var[], references: FieldSpec[] = VAR_REFERENCES): void {
  if (!vars.length) return;
  const values = new Map<string, unknown>();
  for (const v of vars) {
    const matched = resources.filter((r) => refersTo(v, r.obj, r.names));
    if (matched.length > 1)
      throw new CliError(`found ${matched.length} resId matches for var ${describeVar(v, true)} (unable to disambiguate)`);
    if (!matched.length) throw new CliError(`var '${describeVar(v, true)}' cannot be mapped to a field in the set of known resources`);
    const value = fieldValue(matched[0].obj, v.fieldref?.fieldpath || DEFAULT_FIELD_PATH);
    if (value === undefined) throw new CliError(`field specified in var '${describeVar(v, true)}' not found in corresponding resource`);
    values.set(v.name, value);
  }
  const used = new Set<string>();
  for (const res of resources)
    for (const spec of references)
      if (specApplies(spec, res.obj)) visitField(res.obj, spec.path, false, (holder, field) => expandField(holder, field, values, used));
}
