import { CliError } from '../util/errors';
import type { KubesimConfig } from './kubeconfig';

/**
 * `config set|unset PROPERTY_NAME`: kubectl walks clientcmd's internal Config type by reflection
 * (navigation_step_parser.go, set.go's modifyConfig). The same walk over the type written as
 * data: each field with its JSON name (the name a PROPERTY_NAME uses), where kubesim keeps it,
 * and its Go type name for kubectl's messages.
 */
type FieldType =
  | { kind: 'string' | 'bool' | 'bytes' | 'unsupported'; go: string }
  | { kind: 'struct'; go: string; fields: Record<string, Field> }
  | { kind: 'map'; go: string; value: FieldType; list?: 'clusters' | 'users' | 'contexts'; entry?: 'cluster' | 'user' | 'context' };

interface Field {
  type: FieldType;
  /** the field's key in the kubeconfig file when it differs from its internal JSON name (act-as → as) */
  stored?: string;
}

const str: Field = { type: { kind: 'string', go: 'string' } };
const bool: Field = { type: { kind: 'bool', go: 'bool' } };
const bytes: Field = { type: { kind: 'bytes', go: '[]uint8' } };
const extensions: Field = { type: { kind: 'map', go: 'map[string]runtime.Object', value: { kind: 'unsupported', go: 'runtime.Object' } } };
const unsupported = (go: string): Field => ({ type: { kind: 'unsupported', go } });

const CLUSTER: FieldType = {
  kind: 'struct',
  go: 'api.Cluster',
  fields: {
    server: str,
    'tls-server-name': str,
    'insecure-skip-tls-verify': bool,
    'certificate-authority': str,
    'certificate-authority-data': bytes,
    'proxy-url': str,
    'disable-compression': bool,
    extensions,
    state: str,
  },
};

const AUTH_INFO: FieldType = {
  kind: 'struct',
  go: 'api.AuthInfo',
  fields: {
    'client-certificate': str,
    'client-certificate-data': bytes,
    'client-key': str,
    'client-key-data': bytes,
    token: str,
    tokenFile: str,
    'act-as': { ...str, stored: 'as' },
    'act-as-uid': { ...str, stored: 'as-uid' },
    'act-as-groups': { type: { kind: 'unsupported', go: '[]string' }, stored: 'as-groups' },
    'act-as-user-extra': {
      type: { kind: 'map', go: 'map[string][]string', value: { kind: 'unsupported', go: 'string' } },
      stored: 'as-user-extra',
    },
    username: str,
    password: str,
    'auth-provider': unsupported('*api.AuthProviderConfig'),
    exec: unsupported('*api.ExecConfig'),
    extensions,
  },
};

const CONTEXT: FieldType = { kind: 'struct', go: 'api.Context', fields: { cluster: str, user: str, namespace: str, extensions } };

const CONFIG: FieldType = {
  kind: 'struct',
  go: 'api.Config',
  fields: {
    kind: str,
    apiVersion: str,
    preferences: { type: { kind: 'struct', go: 'api.Preferences', fields: { colors: bool, extensions } } },
    clusters: { type: { kind: 'map', go: 'map[string]*api.Cluster', value: CLUSTER, list: 'clusters', entry: 'cluster' } },
    users: { type: { kind: 'map', go: 'map[string]*api.AuthInfo', value: AUTH_INFO, list: 'users', entry: 'user' } },
    contexts: { type: { kind: 'map', go: 'map[string]*api.Context', value: CONTEXT, list: 'contexts', entry: 'context' } },
    'current-context': str,
    extensions,
  },
};

interface Step {
  name: string;
  type: FieldType;
  field?: Field;
}

/** newNavigationSteps: a map key runs until the next word that names a field of the map's values (so keys may hold dots). */
export function navigationSteps(property: string): Step[] {
  const parts = property.split('.');
  const steps: Step[] = [];
  let type = CONFIG;
  let i = 0;
  while (i < parts.length) {
    if (type.kind === 'map') {
      const value = type.value;
      if (value.kind !== 'struct') throw new CliError(`${value.go} is not of type struct`);
      const next = parts.slice(i + 1).findIndex((p) => p in value.fields);
      const count = next < 0 ? parts.length - i : next + 1;
      steps.push({ name: parts.slice(i, i + count).join('.'), type: value });
      i += count;
      type = value;
    } else if (type.kind === 'struct') {
      const field = type.fields[parts[i]];
      if (!field) {
        const shown = steps.map((s) => `{${s.name} ${s.type.go}}`).join(' ');
        throw new CliError(`unable to parse ${property} after [${shown}] at ${type.go}`);
      }
      steps.push({ name: parts[i], type: field.type, field });
      i++;
      type = field.type;
    } else throw new CliError(`unable to parse one or more field values of ${property}`);
  }
  return steps;
}

/** Go's base64.StdEncoding.DecodeString, strict: the error names the first byte it could not read. */
function decodeBase64(text: string): string {
  const alphabet = /[A-Za-z0-9+/]/;
  for (let q = 0; q < text.length; q += 4) {
    const quantum = text.slice(q, q + 4);
    const pad = quantum.indexOf('=');
    const body = pad < 0 ? quantum : quantum.slice(0, pad);
    const bad = [...body].findIndex((c) => !alphabet.test(c));
    if (bad >= 0) throw new CliError(`error decoding input value: illegal base64 data at input byte ${q + bad}`);
    const complete = quantum.length === 4 && (pad < 0 || (pad >= 2 && /^=+$/.test(quantum.slice(pad)) && q + 4 === text.length));
    if (!complete)
      throw new CliError(`error decoding input value: illegal base64 data at input byte ${q + Math.max(0, pad < 0 ? 0 : pad)}`);
  }
  return Buffer.from(text, 'base64').toString('base64');
}

function toBool(value: string): boolean {
  if (value === '') return false;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new CliError(`strconv.ParseBool: parsing "${value}": invalid syntax`);
}

/** A leaf's new value as the file stores it, or undefined to remove it (unset, or Go's zero value). */
function leafValue(type: FieldType, value: string | undefined, rawBytes: boolean): string | boolean | undefined {
  if (value === undefined) return undefined;
  switch (type.kind) {
    case 'string':
      return value || undefined;
    case 'bool':
      return toBool(value) || undefined;
    case 'bytes':
      return rawBytes ? Buffer.from(value).toString('base64') : decodeBase64(value) || undefined;
    default:
      throw new CliError(`unrecognized slice type. ${type.go === '[]string' ? 'string' : type.go}`);
  }
}

/**
 * set.go's modifyConfig over the config: `value` sets, undefined unsets. Setting a whole map is
 * refused; unsetting a map key that is not there is refused; a missing entry on the way is created.
 */
export function modifyConfig(config: KubesimConfig, property: string, value: string | undefined, rawBytes = false): void {
  const steps = navigationSteps(property);
  const unset = value === undefined;
  let target: Record<string, unknown> = config as unknown as Record<string, unknown>;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const last = i === steps.length - 1;
    const type = step.type;
    if (type.kind === 'map' && type.list) {
      // the field naming a map of named entries (clusters, users, contexts): the next step is its key
      const list = config[type.list] as { name: string }[];
      const key = steps[i + 1]?.name;
      if (key === undefined) {
        if (!unset) throw new CliError(`can't set a map to a value: map[${list.map((e) => e.name).join(' ')}]`);
        (config[type.list] as unknown[]) = [];
        return;
      }
      const entryKey = type.entry!;
      let entry = list.find((e) => e.name === key) as Record<string, unknown> | undefined;
      if (i + 1 === steps.length - 1 && unset) {
        (config[type.list] as unknown[]) = list.filter((e) => e.name !== key);
        return;
      }
      if (i + 1 === steps.length - 1) throw new CliError(`can't set a map to a value: map[${list.map((e) => e.name).join(' ')}]`);
      if (!entry) {
        if (unset) throw new CliError(`current map key \`${key}\` is invalid`);
        entry = { name: key, [entryKey]: {} };
        list.push(entry as { name: string });
      }
      target = entry[entryKey] as Record<string, unknown>;
      i++;
      continue;
    }
    if (type.kind === 'map') {
      if (last && !unset) throw new CliError("can't set a map to a value: map[]");
      if (last) {
        delete target[step.field?.stored ?? step.name];
        return;
      }
      throw new CliError(`current map key \`${steps[i + 1].name}\` is invalid`);
    }
    const key = step.field?.stored ?? step.name;
    if (type.kind === 'struct') {
      if (last && unset) {
        target[key] = {};
        return;
      }
      target = (target[key] ??= {}) as Record<string, unknown>;
      continue;
    }
    if (config === (target as unknown) && (key === 'kind' || key === 'apiVersion')) return; // written as Config/v1 whatever they are set to
    const leaf = leafValue(type, value, rawBytes);
    if (leaf === undefined) delete target[key];
    else target[key] = leaf;
  }
}
