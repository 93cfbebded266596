import type { FieldError } from '../../util/errors';
import { isJsonObject, type JsonObject, type KObject } from '../../model/objects';
import type { FlowSchema, PriorityLevelConfiguration } from '../../model/kinds';
import { registerKind } from './register';
import { dns1123LabelErrors, dns1123SubdomainErrors } from '../labels';
import { ageColumn, nameColumn, validateMeta, zeroValue } from './common';
import { MANDATORY_FLOW_SCHEMAS, MANDATORY_PRIORITY_LEVELS } from './flowcontrol-bootstrap';

/**
 * API Priority and Fairness (flowcontrol.apiserver.k8s.io/v1): FlowSchemas sort requests into
 * PriorityLevelConfigurations. kubesim serves no concurrent requests, so nothing is queued; the
 * objects are stored with the API server's defaulting (pkg/apis/flowcontrol/v1/defaults.go) and
 * validation (pkg/apis/flowcontrol/validation), and the apf configuration controller keeps each
 * FlowSchema's Dangling condition (src/controllers/apf-configuration.ts).
 */

const SUPPORTED_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'proxy', 'update', 'watch'];
const quoteList = (values: string[]) => `supported values: ${values.map((v) => `"${v}"`).join(', ')}`;
/** Go's %#v of a []string: `[]string{"a", "b"}`. */
const goStrings = (values: unknown[] | undefined | null) =>
  values ? `[]string{${values.map((v) => JSON.stringify(String(v))).join(', ')}}` : '[]string(nil)';
const NS_ERR_INTRO = "each member of this list must be '*' or a DNS-1123 label; ";
/** shufflesharding.MaxHashBits */
const MAX_HASH_BITS = 60;
const MAX_QUEUES = 10 * 1000 * 1000;

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** The user's JSON, walked field by field before it is known to match the type (the decode boundary). */
const asJson = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

function validateVerbs(verbs: unknown[], path: string, errs: FieldError[]): void {
  if (!verbs.length) errs.push({ path, type: 'Required value', detail: 'verbs must contain at least one value' });
  else if (verbs.includes('*')) {
    if (verbs.length > 1)
      errs.push({ path, type: 'Invalid value', goValue: goStrings(verbs), detail: "if '*' is present, must not specify other verbs" });
  } else if (verbs.some((v) => !SUPPORTED_VERBS.includes(String(v))))
    errs.push({ path, type: 'Unsupported value', goValue: goStrings(verbs), detail: quoteList(SUPPORTED_VERBS) });
}

/** ValidateNonResourceURLPath */
function nonResourceURLError(url: string): string | undefined {
  if (!url) return 'must not be empty';
  if (url === '/') return undefined;
  if (!url.startsWith('/')) return 'must start with slash';
  if (url.includes(' ')) return 'must not contain white-space';
  if (url.includes('//')) return 'must not contain double slash';
  const wildcards = url.split('*').length - 1;
  if (wildcards > 1 || (wildcards === 1 && !url.endsWith('/*'))) return 'wildcard can only do suffix matching';
  return undefined;
}

function validateResourceRule(rule: JsonObject, path: string, errs: FieldError[]): void {
  validateVerbs(asArray(rule.verbs), `${path}.verbs`, errs);
  for (const [field, what, plural] of [
    ['apiGroups', 'api group', 'api groups'],
    ['resources', 'resource', 'resources'],
  ] as const) {
    const values = asArray(rule[field]);
    if (!values.length)
      errs.push({ path: `${path}.${field}`, type: 'Required value', detail: `resource rules must supply at least one ${what}` });
    else if (values.length > 1 && values.includes('*'))
      errs.push({
        path: `${path}.${field}`,
        type: 'Invalid value',
        goValue: goStrings(values),
        detail: `if '*' is present, must not specify other ${plural}`,
      });
  }
  const namespaces = asArray(rule.namespaces);
  if (!namespaces.length && !rule.clusterScope)
    errs.push({
      path: `${path}.namespaces`,
      type: 'Required value',
      detail: 'resource rules that are not cluster scoped must supply at least one namespace',
    });
  else if (namespaces.includes('*')) {
    if (namespaces.length > 1)
      errs.push({
        path: `${path}.namespaces`,
        type: 'Invalid value',
        goValue: goStrings(namespaces),
        detail: "if '*' is present, must not specify other namespaces",
      });
  } else
    namespaces.forEach((ns, i) => {
      for (const msg of dns1123LabelErrors(String(ns)))
        errs.push({ path: `${path}.namespaces[${i}]`, type: 'Invalid value', value: ns, detail: NS_ERR_INTRO + msg });
    });
}

function validateNonResourceRule(rule: JsonObject, path: string, errs: FieldError[]): void {
  validateVerbs(asArray(rule.verbs), `${path}.verbs`, errs);
  const urls = asArray(rule.nonResourceURLs);
  if (!urls.length)
    errs.push({ path: `${path}.nonResourceURLs`, type: 'Required value', detail: 'nonResourceURLs must contain at least one value' });
  else if (urls.includes('*')) {
    if (urls.length > 1)
      errs.push({
        path: `${path}.nonResourceURLs`,
        type: 'Invalid value',
        goValue: goStrings(urls),
        detail: "if '*' is present, must not specify other non-resource URLs",
      });
  } else
    urls.forEach((url, i) => {
      const detail = nonResourceURLError(String(url));
      if (detail) errs.push({ path: `${path}.nonResourceURLs[${i}]`, type: 'Invalid value', value: url, detail });
    });
}

const SUBJECT_MEMBERS = { User: 'user', Group: 'group', ServiceAccount: 'serviceAccount' } as const;

/** ValidateFlowSchemaSubject */
function validateSubject(subject: JsonObject, path: string, errs: FieldError[]): void {
  const kind = subject.kind as string;
  if (!(kind in SUBJECT_MEMBERS)) {
    errs.push({
      path: `${path}.kind`,
      type: 'Unsupported value',
      value: kind ?? '',
      detail: quoteList(['Group', 'ServiceAccount', 'User']),
    });
    return;
  }
  const member = SUBJECT_MEMBERS[kind as keyof typeof SUBJECT_MEMBERS];
  const body = subject[member] as JsonObject | undefined | null;
  if (!body)
    errs.push({ path: `${path}.${member}`, type: 'Required value', detail: `${member} is required when subject kind is '${kind}'` });
  else if (member === 'serviceAccount') {
    if (!body.name) errs.push({ path: `${path}.serviceAccount.name`, type: 'Required value' });
    else if (body.name !== '*')
      for (const msg of dns1123SubdomainErrors(String(body.name)))
        errs.push({ path: `${path}.serviceAccount.name`, type: 'Invalid value', value: body.name, detail: msg });
    if (!body.namespace)
      errs.push({ path: `${path}.serviceAccount.namespace`, type: 'Required value', detail: 'must specify namespace for service account' });
    else
      for (const msg of dns1123LabelErrors(String(body.namespace)))
        errs.push({ path: `${path}.serviceAccount.namespace`, type: 'Invalid value', value: body.namespace, detail: msg });
  } else if (!body.name) errs.push({ path: `${path}.${member}.name`, type: 'Required value' });
  // the other members must be absent, in the order the API server checks them
  const others: Record<string, [string, string][]> = {
    ServiceAccount: [
      ['user', "user is forbidden when subject kind is not 'User'"],
      ['group', "group is forbidden when subject kind is not 'Group'"],
    ],
    User: [
      ['serviceAccount', "serviceAccount is forbidden when subject kind is not 'ServiceAccount'"],
      ['group', "group is forbidden when subject kind is not 'Group'"],
    ],
    Group: [
      ['serviceAccount', "serviceAccount is forbidden when subject kind is not 'ServiceAccount'"],
      ['user', "user is forbidden when subject kind is not 'User'"],
    ],
  };
  for (const [field, detail] of others[kind])
    if (subject[field] !== undefined && subject[field] !== null) errs.push({ path: `${path}.${field}`, type: 'Forbidden', detail });
}

function validateConditions(status: unknown, errs: FieldError[]): void {
  const seen = new Set<unknown>();
  asArray(asJson(status).conditions).forEach((c, i) => {
    const type = asJson(c).type;
    if (seen.has(type)) errs.push({ path: `status.conditions[${i}].type`, type: 'Duplicate value', value: type });
    seen.add(type);
    if (!type) errs.push({ path: `status.conditions[${i}].type`, type: 'Required value', detail: 'must not be empty' });
  });
}

/** Go's zero value of a field (what an absent field decodes to; a nil and an empty slice compare equal). */
const isZero = (v: unknown) => v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && !v.length);

/** apiequality.Semantic.DeepEqual of two specs as JSON values: key order does not matter, absent equals zero. */
export function sameFlowControlSpec(a: unknown, b: unknown): boolean {
  return sameValue(a, b);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isZero(a) || isZero(b)) return isZero(a) && isZero(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, (b as unknown[])[i]));
  if (typeof a === 'object') {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return false;
    const keys = new Set([...Object.keys(a as JsonObject), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue((a as JsonObject)[k], (b as JsonObject)[k]));
  }
  return a === b;
}

/**
 * Go's %#v of the internal spec struct, as field.Invalid prints it. Go prints a nested pointer as
 * its address (`(*flowcontrol.GroupSubject)(0xc000…)`), which nothing can reproduce: kubesim prints
 * the value it points to, after `&`.
 */
type GoShape = [
  field: string,
  go: string,
  kind: 'string' | 'int' | 'bool' | 'strings' | GoStruct | { ptr: GoStruct | 'int32' } | { list: GoStruct },
][];
interface GoStruct {
  type: string;
  shape: GoShape;
}
const goStruct = (type: string, shape: GoShape): GoStruct => ({ type, shape });

function goValue(value: unknown, struct: GoStruct): string {
  const obj = (value && typeof value === 'object' ? value : {}) as JsonObject;
  const parts = struct.shape.map(([field, go, kind]) => {
    const v = obj[field];
    let text: string;
    if (kind === 'string') text = JSON.stringify(String(v ?? ''));
    else if (kind === 'int') text = String(num(v));
    else if (kind === 'bool') text = String(v === true);
    else if (kind === 'strings') text = goStrings(Array.isArray(v) ? v : null);
    else if ('ptr' in kind) {
      const name = kind.ptr === 'int32' ? 'int32' : kind.ptr.type;
      text = v === undefined || v === null ? `(*${name})(nil)` : kind.ptr === 'int32' ? `&${num(v)}` : `&${goValue(v, kind.ptr)}`;
    } else if ('list' in kind)
      text = Array.isArray(v) ? `[]${kind.list.type}{${v.map((x) => goValue(x, kind.list)).join(', ')}}` : `[]${kind.list.type}(nil)`;
    else text = goValue(v, kind);
    return `${go}:${text}`;
  });
  return `${struct.type}{${parts.join(', ')}}`;
}

const named = (go: string) => goStruct(`flowcontrol.${go}`, [['name', 'Name', 'string']]);
const FLOW_SCHEMA_SPEC = goStruct('flowcontrol.FlowSchemaSpec', [
  ['priorityLevelConfiguration', 'PriorityLevelConfiguration', named('PriorityLevelConfigurationReference')],
  ['matchingPrecedence', 'MatchingPrecedence', 'int'],
  ['distinguisherMethod', 'DistinguisherMethod', { ptr: goStruct('flowcontrol.FlowDistinguisherMethod', [['type', 'Type', 'string']]) }],
  [
    'rules',
    'Rules',
    {
      list: goStruct('flowcontrol.PolicyRulesWithSubjects', [
        [
          'subjects',
          'Subjects',
          {
            list: goStruct('flowcontrol.Subject', [
              ['kind', 'Kind', 'string'],
              ['user', 'User', { ptr: named('UserSubject') }],
              ['group', 'Group', { ptr: named('GroupSubject') }],
              [
                'serviceAccount',
                'ServiceAccount',
                {
                  ptr: goStruct('flowcontrol.ServiceAccountSubject', [
                    ['namespace', 'Namespace', 'string'],
                    ['name', 'Name', 'string'],
                  ]),
                },
              ],
            ]),
          },
        ],
        [
          'resourceRules',
          'ResourceRules',
          {
            list: goStruct('flowcontrol.ResourcePolicyRule', [
              ['verbs', 'Verbs', 'strings'],
              ['apiGroups', 'APIGroups', 'strings'],
              ['resources', 'Resources', 'strings'],
              ['clusterScope', 'ClusterScope', 'bool'],
              ['namespaces', 'Namespaces', 'strings'],
            ]),
          },
        ],
        [
          'nonResourceRules',
          'NonResourceRules',
          {
            list: goStruct('flowcontrol.NonResourcePolicyRule', [
              ['verbs', 'Verbs', 'strings'],
              ['nonResourceURLs', 'NonResourceURLs', 'strings'],
            ]),
          },
        ],
      ]),
    },
  ],
]);
const PRIORITY_LEVEL_SPEC = goStruct('flowcontrol.PriorityLevelConfigurationSpec', [
  ['type', 'Type', 'string'],
  [
    'limited',
    'Limited',
    {
      ptr: goStruct('flowcontrol.LimitedPriorityLevelConfiguration', [
        ['nominalConcurrencyShares', 'NominalConcurrencyShares', 'int'],
        [
          'limitResponse',
          'LimitResponse',
          goStruct('flowcontrol.LimitResponse', [
            ['type', 'Type', 'string'],
            [
              'queuing',
              'Queuing',
              {
                ptr: goStruct('flowcontrol.QueuingConfiguration', [
                  ['queues', 'Queues', 'int'],
                  ['handSize', 'HandSize', 'int'],
                  ['queueLengthLimit', 'QueueLengthLimit', 'int'],
                ]),
              },
            ],
          ]),
        ],
        ['lendablePercent', 'LendablePercent', { ptr: 'int32' }],
        ['borrowingLimitPercent', 'BorrowingLimitPercent', { ptr: 'int32' }],
      ]),
    },
  ],
  [
    'exempt',
    'Exempt',
    {
      ptr: goStruct('flowcontrol.ExemptPriorityLevelConfiguration', [
        ['nominalConcurrencyShares', 'NominalConcurrencyShares', { ptr: 'int32' }],
        ['lendablePercent', 'LendablePercent', { ptr: 'int32' }],
      ]),
    },
  ],
]);

/** ValidateFlowSchema (create and update alike) */
export function validateFlowSchema(obj: FlowSchema): FieldError[] {
  const errs = validateMeta(obj);
  const spec = asJson(obj.spec);
  const precedence = num(spec.matchingPrecedence);
  if (precedence <= 0)
    errs.push({ path: 'spec.matchingPrecedence', type: 'Invalid value', value: precedence, detail: 'must be a positive value' });
  if (precedence > 10000)
    errs.push({ path: 'spec.matchingPrecedence', type: 'Invalid value', value: precedence, detail: 'must not be greater than 10000' });
  if (precedence === 1 && obj.metadata.name !== 'exempt')
    errs.push({
      path: 'spec.matchingPrecedence',
      type: 'Invalid value',
      value: precedence,
      detail: "only the schema named 'exempt' may have matchingPrecedence 1",
    });
  const method = spec.distinguisherMethod as JsonObject | undefined | null;
  if (method && method.type !== 'ByNamespace' && method.type !== 'ByUser')
    errs.push({
      path: 'spec.distinguisherMethod.type',
      type: 'Unsupported value',
      goValue: `flowcontrol.FlowDistinguisherMethod{Type:${JSON.stringify(String(method.type ?? ''))}}`,
      detail: quoteList(['ByNamespace', 'ByUser']),
    });
  const plName = asJson(spec.priorityLevelConfiguration).name;
  if (plName)
    for (const msg of dns1123SubdomainErrors(String(plName)))
      errs.push({ path: 'spec.priorityLevelConfiguration.name', type: 'Invalid value', value: plName, detail: msg });
  else errs.push({ path: 'spec.priorityLevelConfiguration.name', type: 'Required value', detail: 'must reference a priority level' });
  asArray(spec.rules).forEach((r, i) => {
    const rule = (r ?? {}) as JsonObject;
    const path = `spec.rules[${i}]`;
    const subjects = asArray(rule.subjects);
    if (subjects.length) subjects.forEach((s, j) => validateSubject((s ?? {}) as JsonObject, `${path}.subjects[${j}]`, errs));
    else errs.push({ path: `${path}.subjects`, type: 'Required value', detail: 'subjects must contain at least one value' });
    const resourceRules = asArray(rule.resourceRules);
    const nonResourceRules = asArray(rule.nonResourceRules);
    if (!resourceRules.length && !nonResourceRules.length)
      errs.push({ path, type: 'Required value', detail: 'at least one of resourceRules and nonResourceRules has to be non-empty' });
    resourceRules.forEach((rr, j) => validateResourceRule((rr ?? {}) as JsonObject, `${path}.resourceRules[${j}]`, errs));
    nonResourceRules.forEach((nr, j) => validateNonResourceRule((nr ?? {}) as JsonObject, `${path}.nonResourceRules[${j}]`, errs));
  });
  const mandatory = MANDATORY_FLOW_SCHEMAS.find((m) => m.metadata.name === obj.metadata.name);
  if (mandatory && !sameValue(spec, mandatory.spec))
    errs.push({
      path: 'spec',
      type: 'Invalid value',
      goValue: goValue(spec, FLOW_SCHEMA_SPEC),
      detail: `spec of '${obj.metadata.name}' must equal the fixed value`,
    });
  validateConditions(obj.status, errs);
  return errs;
}

function validatePercent(value: unknown, path: string, errs: FieldError[]): void {
  if (value !== undefined && value !== null && !(num(value) >= 0 && num(value) <= 100))
    errs.push({ path, type: 'Invalid value', value, detail: 'must be between 0 and 100, inclusive' });
}

/** ValidatePriorityLevelQueuingConfiguration */
function validateQueuing(queuing: JsonObject, errs: FieldError[]): void {
  const path = 'spec.limited.limitResponse.queuing';
  const queues = num(queuing.queues);
  const handSize = num(queuing.handSize);
  const queueLengthLimit = num(queuing.queueLengthLimit);
  if (queueLengthLimit <= 0)
    errs.push({ path: `${path}.queueLengthLimit`, type: 'Invalid value', value: queueLengthLimit, detail: 'must be positive' });
  if (queues <= 0) errs.push({ path: `${path}.queues`, type: 'Invalid value', value: queues, detail: 'must be positive' });
  else if (queues > MAX_QUEUES)
    errs.push({ path: `${path}.queues`, type: 'Invalid value', value: queues, detail: `must not be greater than ${MAX_QUEUES}` });
  if (handSize <= 0) errs.push({ path: `${path}.handSize`, type: 'Invalid value', value: handSize, detail: 'must be positive' });
  else if (handSize > queues)
    errs.push({
      path: `${path}.handSize`,
      type: 'Invalid value',
      value: handSize,
      detail: `should not be greater than queues (${queues})`,
    });
  else if (Math.ceil(Math.log2(queues) * handSize) > MAX_HASH_BITS)
    errs.push({
      path: `${path}.handSize`,
      type: 'Invalid value',
      value: handSize,
      detail: `required entropy bits of deckSize ${queues} and handSize ${handSize} should not be greater than ${MAX_HASH_BITS}`,
    });
}

/** ValidatePriorityLevelConfiguration, for a v1 request (a zero nominalConcurrencyShares is allowed) */
export function validatePriorityLevel(obj: PriorityLevelConfiguration): FieldError[] {
  const errs = validateMeta(obj);
  const spec = asJson(obj.spec);
  const name = obj.metadata.name;
  const type = spec.type;
  if ((name === 'exempt') !== (type === 'Exempt'))
    errs.push({
      path: 'spec.type',
      type: 'Invalid value',
      value: type ?? '',
      detail: "type must be 'Exempt' if and only if name is 'exempt'",
    });
  const limited = spec.limited as JsonObject | undefined | null;
  const exempt = spec.exempt as JsonObject | undefined | null;
  if (type === 'Exempt') {
    if (limited) errs.push({ path: 'spec.limited', type: 'Forbidden', detail: 'must be nil if the type is not Limited' });
    if (exempt) {
      const ncs = exempt.nominalConcurrencyShares;
      if (ncs !== undefined && ncs !== null && num(ncs) < 0)
        errs.push({
          path: 'spec.exempt.nominalConcurrencyShares',
          type: 'Invalid value',
          value: ncs,
          detail: 'must be a non-negative number',
        });
      validatePercent(exempt.lendablePercent, 'spec.exempt.lendablePercent', errs);
    }
  } else if (type === 'Limited') {
    if (exempt) errs.push({ path: 'spec.exempt', type: 'Forbidden', detail: 'must be nil if the type is Limited' });
    if (!limited) errs.push({ path: 'spec.limited', type: 'Required value', detail: 'must not be empty when type is Limited' });
    else {
      const ncs = num(limited.nominalConcurrencyShares);
      if (ncs < 0)
        errs.push({
          path: 'spec.limited.nominalConcurrencyShares',
          type: 'Invalid value',
          value: ncs,
          detail: 'must be a non-negative integer',
        });
      const response = (limited.limitResponse ?? {}) as JsonObject;
      if (response.type === 'Reject') {
        if (response.queuing)
          errs.push({
            path: 'spec.limited.limitResponse.queuing',
            type: 'Forbidden',
            detail: 'must be nil if limited.limitResponse.type is not Limited',
          });
      } else if (response.type === 'Queue') {
        if (!response.queuing)
          errs.push({
            path: 'spec.limited.limitResponse.queuing',
            type: 'Required value',
            detail: 'must not be empty if limited.limitResponse.type is Limited',
          });
        else validateQueuing(response.queuing as JsonObject, errs);
      } else
        errs.push({
          path: 'spec.limited.limitResponse.type',
          type: 'Unsupported value',
          value: response.type ?? '',
          detail: quoteList(['Queue', 'Reject']),
        });
      validatePercent(limited.lendablePercent, 'spec.limited.lendablePercent', errs);
      const borrowing = limited.borrowingLimitPercent;
      if (borrowing !== undefined && borrowing !== null && num(borrowing) < 0)
        errs.push({
          path: 'spec.limited.borrowingLimitPercent',
          type: 'Invalid value',
          value: borrowing,
          detail: 'if specified, must be a non-negative integer',
        });
    }
  } else errs.push({ path: 'spec.type', type: 'Unsupported value', value: type ?? '', detail: quoteList(['Exempt', 'Limited']) });
  // ValidateIfMandatoryPriorityLevelConfigurationObject: the admin may tune only spec.exempt of 'exempt'
  const mandatory = MANDATORY_PRIORITY_LEVELS.find((m) => m.metadata.name === name);
  if (mandatory) {
    const have = name === 'exempt' ? { ...spec, exempt: mandatory.spec.exempt } : spec;
    if (!sameValue(have, mandatory.spec))
      errs.push({
        path: 'spec',
        type: 'Invalid value',
        goValue: goValue(spec, PRIORITY_LEVEL_SPEC),
        detail:
          name === 'exempt'
            ? `spec of '${name}' except the 'spec.exempt' field must equal the fixed value`
            : `spec of '${name}' must equal the fixed value`,
      });
  }
  validateConditions(obj.status, errs);
  return errs;
}

/** printFlowSchemaList orders by matching precedence, then name (FlowSchemaSequence) */
export function flowSchemaOrder<T extends KObject<{ matchingPrecedence?: number }>>(objects: T[]): T[] {
  return [...objects].sort(
    (a, b) =>
      num(a.spec?.matchingPrecedence) - num(b.spec?.matchingPrecedence) ||
      (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0),
  );
}

registerKind('FlowSchema', {
  // the registry strategy sets generation 1 on create and bumps it on a spec change
  tracksGeneration: true,
  // printFlowSchema
  columns: [
    nameColumn,
    { header: 'PRIORITYLEVEL', value: (o) => String(o.spec?.priorityLevelConfiguration?.name ?? '') },
    { header: 'MATCHINGPRECEDENCE', value: (o) => String(num(o.spec?.matchingPrecedence)) },
    {
      header: 'DISTINGUISHERMETHOD',
      value: (o) => (o.spec?.distinguisherMethod ? String(o.spec.distinguisherMethod.type ?? '') : '<none>'),
    },
    ageColumn,
    {
      header: 'MISSINGPL',
      value: (o) => String((asArray(o.status?.conditions) as JsonObject[]).find((c) => c?.type === 'Dangling')?.status ?? '?'),
    },
  ],
  tableOrder: flowSchemaOrder,
  defaults(obj) {
    // SetDefaults_FlowSchemaSpec
    const spec = (obj.spec ??= zeroValue());
    if (!spec.matchingPrecedence) spec.matchingPrecedence = 1000;
    obj.status ??= {};
  },
  validate: validateFlowSchema,
});

/** a *int32 cell: the number, or <none> */
const cell = (v: unknown) => (v === undefined || v === null ? '<none>' : String(v));

registerKind('PriorityLevelConfiguration', {
  tracksGeneration: true,
  // printPriorityLevelConfiguration
  columns: [
    nameColumn,
    { header: 'TYPE', value: (o) => String(o.spec?.type ?? '') },
    { header: 'NOMINALCONCURRENCYSHARES', value: (o) => (o.spec?.limited ? cell(o.spec.limited.nominalConcurrencyShares) : '<none>') },
    {
      header: 'QUEUES',
      value: (o) => cell(o.spec?.limited?.limitResponse?.queuing ? o.spec.limited.limitResponse.queuing.queues : undefined),
    },
    {
      header: 'HANDSIZE',
      value: (o) => cell(o.spec?.limited?.limitResponse?.queuing ? o.spec.limited.limitResponse.queuing.handSize : undefined),
    },
    {
      header: 'QUEUELENGTHLIMIT',
      value: (o) => cell(o.spec?.limited?.limitResponse?.queuing ? o.spec.limited.limitResponse.queuing.queueLengthLimit : undefined),
    },
    ageColumn,
  ],
  defaults(obj) {
    // SetDefaults_ExemptPriorityLevelConfiguration, SetDefaults_LimitedPriorityLevelConfiguration, SetDefaults_QueuingConfiguration
    const spec = (obj.spec ??= zeroValue());
    if (spec.exempt && typeof spec.exempt === 'object') {
      spec.exempt.nominalConcurrencyShares ??= 0;
      spec.exempt.lendablePercent ??= 0;
    }
    const limited = spec.limited;
    if (limited && typeof limited === 'object') {
      limited.nominalConcurrencyShares ??= 30;
      limited.lendablePercent ??= 0;
      limited.limitResponse ??= zeroValue();
      const queuing = limited.limitResponse?.queuing;
      if (queuing && typeof queuing === 'object') {
        if (!queuing.handSize) queuing.handSize = 8;
        if (!queuing.queues) queuing.queues = 64;
        if (!queuing.queueLengthLimit) queuing.queueLengthLimit = 50;
      }
    }
    obj.status ??= {};
  },
  validate: validatePriorityLevel,
});
