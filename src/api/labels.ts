import { CliError } from '../util/errors';

export type Labels = Record<string, string>;

export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values: string[];
  /** written `=`/`==` (In) or `!=` (NotIn) rather than `in (…)`/`notin (…)` */
  equality?: boolean;
}

/** A parsed selector: every requirement must hold. An empty selector matches everything. */
export type Selector = Requirement[];

export function matches(selector: Selector, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  for (const r of selector) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.operator) {
      case 'In':
        if (!has || !r.values.includes(v)) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(v)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      case 'Gt':
        if (!has || !(Number(v) > Number(r.values[0]))) return false;
        break;
      case 'Lt':
        if (!has || !(Number(v) < Number(r.values[0]))) return false;
        break;
    }
  }
  return true;
}

export interface LabelSelectorSpec {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.LabelSelectorAsSelector; `null`/undefined selects nothing, `{}` selects everything. */
export function fromLabelSelector(spec: LabelSelectorSpec | undefined | null): Selector | null {
  if (!spec) return null;
  const reqs: Selector = [];
  for (const key of Object.keys(spec.matchLabels ?? {}).sort()) reqs.push({ key, operator: 'In', values: [spec.matchLabels![key]] });
  for (const e of spec.matchExpressions ?? [])
    reqs.push({ key: e.key, operator: e.operator as Requirement['operator'], values: e.values ?? [] });
  return reqs;
}

export function fromMatchLabels(labels: Labels | undefined): Selector {
  return Object.keys(labels ?? {})
    .sort()
    .map((key) => ({ key, operator: 'In' as const, values: [labels![key]] }));
}

/** Parses kubectl's -l syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`. */
export function parseSelector(text: string): Selector {
  const reqs: Selector = [];
  const s = text.trim();
  if (!s) return reqs;
  let i = 0;
  const fail = (): never => {
    throw new CliError(`unable to parse requirement: found '${s}', expected: ',', '=', '!=', 'in', 'notin', or '!'`);
  };
  const keyRe = /^\s*(!?)\s*([A-Za-z0-9][-A-Za-z0-9_./]*)\s*/;
  while (i < s.length) {
    const rest = s.slice(i);
    const km = keyRe.exec(rest);
    if (!km) fail();
    const [whole, bang, key] = km!;
    let j = i + whole.length;
    const after = s.slice(j);
    if (bang) {
      reqs.push({ key, operator: 'DoesNotExist', values: [] });
    } else if (/^(==|=|!=)/.test(after)) {
      const op = after.startsWith('!=') ? '!=' : after.startsWith('==') ? '==' : '=';
      j += op.length;
      const vm = /^\s*([A-Za-z0-9]?[-A-Za-z0-9_.]*)\s*/.exec(s.slice(j))!;
      j += vm[0].length;
      reqs.push({ key, operator: op === '!=' ? 'NotIn' : 'In', values: [vm[1]], equality: true });
    } else if (/^(in|notin)\s*\(/.test(after)) {
      const isIn = after.startsWith('in');
      const close = s.indexOf(')', j);
      if (close < 0) fail();
      const inner = s.slice(s.indexOf('(', j) + 1, close);
      reqs.push({
        key,
        operator: isIn ? 'In' : 'NotIn',
        values: inner
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== ''),
      });
      j = close + 1;
    } else if (/^[<>]/.test(after)) {
      const op = after[0];
      const vm = /^\s*(-?\d+)\s*/.exec(after.slice(1));
      if (!vm) fail();
      reqs.push({ key, operator: op === '>' ? 'Gt' : 'Lt', values: [vm![1]] });
      j += 1 + vm![0].length;
    } else {
      reqs.push({ key, operator: 'Exists', values: [] });
    }
    const tail = s.slice(j);
    if (tail.length === 0) break;
    const cm = /^\s*,\s*/.exec(tail);
    if (!cm) fail();
    i = j + cm![0].length;
  }
  return reqs;
}

/**
 * metav1.ParseToLabelSelector (`kubectl create pdb --selector`): `a=b` becomes matchLabels,
 * set-based requirements matchExpressions (values sorted); `!=`, `<` and `>` have no form there.
 */
export function parseToLabelSelector(text: string): LabelSelectorSpec {
  const matchLabels: Labels = {};
  const matchExpressions: NonNullable<LabelSelectorSpec['matchExpressions']> = [];
  for (const r of parseSelector(text)) {
    if (r.equality && r.operator === 'In') {
      matchLabels[r.key] = r.values[0];
      continue;
    }
    if (r.equality) throw new CliError('"!=" is not a valid label selector operator');
    if (r.operator === 'Gt' || r.operator === 'Lt') throw new CliError(`"${r.operator.toLowerCase()}" isn't supported in label selectors`);
    const values = [...new Set(r.values)].sort();
    matchExpressions.push(values.length ? { key: r.key, operator: r.operator, values } : { key: r.key, operator: r.operator });
  }
  return { ...(Object.keys(matchLabels).length ? { matchLabels } : {}), ...(matchExpressions.length ? { matchExpressions } : {}) };
}

/** Selector.String() as kubectl prints it (`app=web,tier in (a,b)`). */
export function selectorString(selector: Selector): string {
  return selector
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        case 'Gt':
          return `${r.key}>${r.values[0]}`;
        case 'Lt':
          return `${r.key}<${r.values[0]}`;
      }
    })
    .join(',');
}

export function formatLabels(labels: Labels | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** validation.IsQualifiedName: returns problems, empty when valid */
export function qualifiedNameErrors(key: string): string[] {
  const parts = key.split('/');
  let name = key;
  const errs: string[] = [];
  if (parts.length > 2)
    return [
      `a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (!prefix) errs.push('prefix part must be non-empty');
    else if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
      errs.push(
        `prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      );
  }
  if (!name) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  else if (!NAME_PART.test(name))
    errs.push(
      `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  return errs;
}

export function labelValueErrors(value: string): string[] {
  if (value === '') return [];
  if (value.length > 63) return ['must be no more than 63 characters'];
  if (!NAME_PART.test(value))
    return [
      `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ];
  return [];
}

const DNS1123_SUBDOMAIN_REGEX_ERROR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL_REGEX_ERROR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** validation.IsDNS1123Subdomain: the length (MaxLenError) and the pattern are separate problems. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) errs.push(DNS1123_SUBDOMAIN_REGEX_ERROR);
  return errs;
}

/** validation.IsDNS1123Label: a valid subdomain that is not a label must have dots in it. */
export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value))
    errs.push(DNS1123_SUBDOMAIN.test(value) ? 'must not contain dots' : DNS1123_LABEL_REGEX_ERROR);
  return errs;
}

const DNS1035_LABEL_REGEX_ERROR =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** validation.IsDNS1035Label (Service names: core validation's ValidateServiceName = NameIsDNS1035Label). */
export function dns1035LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(value)) errs.push(DNS1035_LABEL_REGEX_ERROR);
  return errs;
}

export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

/**
 * labels.Selector.String() of metav1.LabelSelectorAsSelector: requirements sorted by key,
 * matchLabels as `k=v`, expressions as `k in (a,b)`, `k notin (a)`, `k`, `!k`.
 */
export function labelSelectorString(spec: LabelSelectorSpec | undefined | null): string {
  if (!spec) return '';
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(spec.matchLabels ?? {})) requirements.push({ key, text: `${key}=${value}` });
  for (const e of spec.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort();
    const list = values.length === 1 ? values[0] : values.join(',');
    switch (e.operator) {
      case 'In':
        requirements.push({ key: e.key, text: `${e.key} in (${list})` });
        break;
      case 'NotIn':
        requirements.push({ key: e.key, text: `${e.key} notin (${list})` });
        break;
      case 'Exists':
        requirements.push({ key: e.key, text: e.key });
        break;
      case 'DoesNotExist':
        requirements.push({ key: e.key, text: `!${e.key}` });
        break;
    }
  }
  return requirements
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}
