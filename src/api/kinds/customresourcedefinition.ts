import type { FieldError } from '../../util/errors';
import { orEmpty } from '../../model/objects';
import type { CustomResourceDefinition } from '../../model/kinds';
import type {
  CustomResourceColumnDefinition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionSpec,
  CustomResourceSubresources,
  WebhookClientConfig,
} from '../../model/k8s';
import { toRFC3339 } from '../../util/duration';
import { registerKind } from './register';
import { isOneOf, nameColumn, validateMeta, zeroValue } from './common';
import { validateStructuralSchema } from '../crd/structural';
import { isObject } from '../crd/schema';
import { validateClientConfig } from './webhookconfiguration';

/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition: validated as apiextensions' validation.go
 * does; the API server's CRD controllers (naming, establishing) answer at once, so a new CRD
 * is stored with NamesAccepted and Established true and its resource is served right away.
 */
registerKind('CustomResourceDefinition', {
  columns: [nameColumn, { header: 'CREATED AT', value: (o) => o.metadata.creationTimestamp ?? '' }],
  defaults(obj, ctx) {
    const spec = (obj.spec ??= zeroValue());
    const names = (spec.names ??= zeroValue());
    // v1 SetDefaults_CustomResourceDefinitionSpec
    if (names.kind && !names.singular) names.singular = String(names.kind).toLowerCase();
    if (names.kind && !names.listKind) names.listKind = `${names.kind}List`;
    spec.conversion ??= { strategy: 'None' };
    // v1 SetDefaults_ServiceReference
    if (isObject(spec.conversion.webhook?.clientConfig?.service)) spec.conversion.webhook.clientConfig.service.port ??= 443;
    establish(obj, ctx.now);
  },
  validate(obj, old) {
    return validateCrd(obj, old);
  },
});

/** The naming and establishing controllers' status: accepted names, both conditions, stored versions. */
function establish(obj: CustomResourceDefinition, now: number): void {
  const spec = obj.spec;
  const names = orEmpty(spec.names);
  const storage = (Array.isArray(spec.versions) ? spec.versions : []).find((v) => v?.storage)?.name;
  const previous = orEmpty(obj.status);
  const at = (type: string) => previous.conditions?.find((c) => c.type === type)?.lastTransitionTime ?? toRFC3339(now);
  const stored = new Set<string>([...(previous.storedVersions ?? []), ...(storage ? [storage] : [])]);
  obj.status = {
    acceptedNames: {
      // (a CRD whose names are missing is refused by validation before it is stored)
      kind: names.kind as string,
      listKind: names.listKind,
      plural: names.plural as string,
      singular: names.singular,
      ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
      ...(names.categories?.length ? { categories: names.categories } : {}),
    },
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: at('NamesAccepted'),
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: at('Established'),
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    storedVersions: [...stored],
  };
}

const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** validation.IsDNS1035Label's messages, joined as apiextensions joins them. */
function dns1035Errors(value: string): string {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(value)) errs.push(DNS1035_MESSAGE);
  return errs.join(',');
}

const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const PRINTER_COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const PRINTER_COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

function validateCrd(obj: CustomResourceDefinition, old: CustomResourceDefinition | undefined): FieldError[] {
  const spec = orEmpty(obj.spec);
  const names = orEmpty(spec.names);
  const errs = validateMeta(obj);
  if (obj.metadata.name && obj.metadata.name !== `${names.plural}.${spec.group}`)
    errs.push({
      path: 'metadata.name',
      type: 'Invalid value',
      value: obj.metadata.name,
      detail: 'must be spec.names.plural+"."+spec.group',
    });
  if (!spec.group) errs.push({ path: 'spec.group', type: 'Required value' });
  else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(spec.group) || spec.group.length > 253)
    errs.push({ path: 'spec.group', type: 'Invalid value', value: spec.group, detail: DNS1123_SUBDOMAIN_MESSAGE });
  else if (!spec.group.includes('.'))
    errs.push({ path: 'spec.group', type: 'Invalid value', value: spec.group, detail: 'should be a domain with at least one dot' });
  if (!spec.scope) errs.push({ path: 'spec.scope', type: 'Required value' });
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced')
    errs.push({ path: 'spec.scope', type: 'Unsupported value', value: spec.scope, detail: 'supported values: "Cluster", "Namespaced"' });
  errs.push(...validateVersions(spec));
  for (const field of ['plural', 'singular', 'kind', 'listKind'] as const)
    if (!names[field]) errs.push({ path: `spec.names.${field}`, type: 'Required value' });
  errs.push(...validateNames(names, 'spec.names'));
  errs.push(...validateConversion(spec.conversion, !old));
  if (old) {
    const was = orEmpty(old.spec);
    // the resource name and, once established, the storage layout cannot change
    const immutable: [string, unknown, unknown][] = [
      ['spec.scope', spec.scope, was.scope],
      ['spec.names.kind', names.kind, was.names?.kind],
      ['spec.group', spec.group, was.group],
      ['spec.names.plural', names.plural, was.names?.plural],
    ];
    for (const [path, now, before] of immutable)
      if (now !== before) errs.push({ path, type: 'Invalid value', value: now, detail: 'field is immutable' });
    // ValidateCustomResourceDefinitionStoredVersions: a version objects may still be stored in cannot go
    const versionNames = new Set((Array.isArray(spec.versions) ? spec.versions : []).map((v) => v?.name));
    ((obj.status?.storedVersions as string[] | undefined) ?? []).forEach((v, i) => {
      if (!versionNames.has(v))
        errs.push({ path: `status.storedVersions[${i}]`, type: 'Invalid value', value: v, detail: 'must appear in spec.versions' });
    });
  }
  return errs;
}

/** The ConversionReview versions this API server speaks (acceptedConversionReviewVersions, listed sorted). */
const CONVERSION_REVIEW_VERSIONS = ['v1', 'v1beta1'];

/**
 * validateCustomResourceConversion. It validates the internal type, where v1's
 * `webhook.clientConfig` and `webhook.conversionReviewVersions` are `webhookClientConfig` and
 * `conversionReviewVersions` of the conversion itself: the paths name those. A recognized review
 * version is required on create only (an update keeps what was accepted before).
 */
function validateConversion(conversion: unknown, create: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObject(conversion)) return errs;
  const path = 'spec.conversion';
  const strategy = conversion.strategy;
  if (!strategy) errs.push({ path: `${path}.strategy`, type: 'Required value' });
  else if (strategy !== 'None' && strategy !== 'Webhook')
    errs.push({ path: `${path}.strategy`, type: 'Unsupported value', value: strategy, detail: 'supported values: "None", "Webhook"' });
  const webhook = isObject(conversion.webhook) ? conversion.webhook : undefined;
  const clientConfig = webhook?.clientConfig;
  const reviewVersions: unknown[] = Array.isArray(webhook?.conversionReviewVersions) ? webhook.conversionReviewVersions : [];
  if (strategy === 'Webhook') {
    if (!isObject(clientConfig))
      errs.push({ path: `${path}.webhookClientConfig`, type: 'Required value', detail: 'required when strategy is set to Webhook' });
    else validateClientConfig(clientConfig as WebhookClientConfig, `${path}.webhookClientConfig`, errs);
    errs.push(...validateConversionReviewVersions(reviewVersions.map(String), create, `${path}.conversionReviewVersions`));
  } else {
    if (isObject(clientConfig))
      errs.push({
        path: `${path}.webhookClientConfig`,
        type: 'Forbidden',
        detail: 'should not be set when strategy is not set to Webhook',
      });
    if (reviewVersions.length)
      errs.push({
        path: `${path}.conversionReviewVersions`,
        type: 'Forbidden',
        detail: 'should not be set when strategy is not set to Webhook',
      });
  }
  return errs;
}

/** validateConversionReviewVersions: present, unique, DNS-1035 labels, one this server speaks. */
function validateConversionReviewVersions(versions: string[], requireRecognized: boolean, path: string): FieldError[] {
  if (!versions.length) return [{ path, type: 'Required value' }];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      errs.push({ path: `${path}[${i}]`, type: 'Invalid value', value: v, detail: 'duplicate version' });
      return;
    }
    seen.add(v);
    const e = dns1035Errors(v);
    if (e) errs.push({ path: `${path}[${i}]`, type: 'Invalid value', value: v, detail: e });
  });
  if (requireRecognized && !versions.some((v) => CONVERSION_REVIEW_VERSIONS.includes(v)))
    errs.push({
      path,
      type: 'Invalid value',
      goValue: `[]string{${versions.map((v) => JSON.stringify(v)).join(', ')}}`,
      detail: `must include at least one of ${CONVERSION_REVIEW_VERSIONS.join(', ')}`,
    });
  return errs;
}

const VERSIONS_VALUE = '[]apiextensions.CustomResourceDefinitionVersion{…}';

function validateVersions(spec: Partial<CustomResourceDefinitionSpec>): FieldError[] {
  const errs: FieldError[] = [];
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const path = `spec.versions[${i}]`;
    const name = String(v?.name ?? '');
    if (seen.has(name)) unique = false;
    seen.add(name);
    const nameErrs = dns1035Errors(name);
    if (nameErrs) errs.push({ path: `${path}.name`, type: 'Invalid value', value: name, detail: nameErrs });
    errs.push(...validateStructuralSchema(v?.schema?.openAPIV3Schema, `${path}.schema.openAPIV3Schema`));
    errs.push(...validateSubresources(v?.subresources, `${path}.subresources`));
    (Array.isArray(v?.additionalPrinterColumns) ? v.additionalPrinterColumns : []).forEach((col, j) =>
      errs.push(...validateColumn(col, `${path}.additionalPrinterColumns[${j}]`)),
    );
  });
  if (!unique)
    errs.push({ path: 'spec.versions', type: 'Invalid value', goValue: VERSIONS_VALUE, detail: 'must contain unique version names' });
  if (versions.filter((v) => v?.storage === true).length !== 1)
    errs.push({
      path: 'spec.versions',
      type: 'Invalid value',
      goValue: VERSIONS_VALUE,
      detail: 'must have exactly one version marked as storage version',
    });
  return errs;
}

function validateNames(names: Partial<CustomResourceDefinitionNames>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of ['plural', 'singular'] as const) {
    const value = names[field];
    const e = value ? dns1035Errors(value) : '';
    if (e) errs.push({ path: `${path}.${field}`, type: 'Invalid value', value: names[field], detail: e });
  }
  for (const field of ['kind', 'listKind'] as const) {
    const e = names[field] ? dns1035Errors(String(names[field]).toLowerCase()) : '';
    if (e)
      errs.push({
        path: `${path}.${field}`,
        type: 'Invalid value',
        value: names[field],
        detail: `may have mixed case, but should otherwise match: ${e}`,
      });
  }
  (names.shortNames ?? []).forEach((s, i) => {
    const e = dns1035Errors(s);
    if (e) errs.push({ path: `${path}.shortNames[${i}]`, type: 'Invalid value', value: s, detail: e });
  });
  if (names.kind && names.kind === names.listKind)
    errs.push({ path: `${path}.listKind`, type: 'Invalid value', value: names.listKind, detail: 'kind and listKind may not be the same' });
  (names.categories ?? []).forEach((c, i) => {
    const e = dns1035Errors(c);
    if (e) errs.push({ path: `${path}.categories[${i}]`, type: 'Invalid value', value: c, detail: e });
  });
  return errs;
}

function validateSubresources(sub: CustomResourceSubresources | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const scale = sub?.scale;
  if (!isObject(scale)) return errs;
  const paths: [string, unknown, string, boolean][] = [
    ['specReplicasPath', scale.specReplicasPath, '.spec', true],
    ['statusReplicasPath', scale.statusReplicasPath, '.status', true],
    ['labelSelectorPath', scale.labelSelectorPath, '', false],
  ];
  for (const [field, value, prefix, required] of paths) {
    const at = `${path}.scale.${field}`;
    if (!value) {
      if (required) errs.push({ path: at, type: 'Required value' });
      continue;
    }
    const text = String(value);
    if (prefix && !text.startsWith(`${prefix}.`))
      errs.push({ path: at, type: 'Invalid value', value: text, detail: `should be a json path under ${prefix}` });
    else if (!prefix && !text.startsWith('.spec.') && !text.startsWith('.status.'))
      errs.push({ path: at, type: 'Invalid value', value: text, detail: 'should be a json path under either .spec or .status' });
  }
  return errs;
}

function validateColumn(col: CustomResourceColumnDefinition, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!col?.name) errs.push({ path: `${path}.name`, type: 'Required value' });
  if (!col?.type) errs.push({ path: `${path}.type`, type: 'Required value', detail: `must be one of ${PRINTER_COLUMN_TYPES.join(',')}` });
  else if (!isOneOf(PRINTER_COLUMN_TYPES, col.type))
    errs.push({ path: `${path}.type`, type: 'Invalid value', value: col.type, detail: `must be one of ${PRINTER_COLUMN_TYPES.join(',')}` });
  if (col?.format && !isOneOf(PRINTER_COLUMN_FORMATS, col.format))
    errs.push({
      path: `${path}.format`,
      type: 'Invalid value',
      value: col.format,
      detail: `must be one of ${PRINTER_COLUMN_FORMATS.join(',')}`,
    });
  if (!col?.jsonPath) errs.push({ path: `${path}.JSONPath`, type: 'Required value' });
  return errs;
}
