import * as net from 'node:net';
import type { FieldError } from '../../util/errors';
import { formatGoFloat } from '../../util/go-fmt';
import { deepEqual } from '../merge';
import { additionalSchema, childPath, isObject, itemSchema, jsonTypeOf, type JSONSchemaProps } from './schema';

/**
 * A custom resource checked against its openAPIV3Schema as the API server does: kube-openapi's
 * validator, its errors turned into field errors by apiextensions' kubeOpenAPIResultToFieldErrors
 * (`spec.size: Invalid value: 15: spec.size in body should be less than or equal to 10`).
 * Properties are visited in sorted order so that several errors always read the same way.
 */
export function validateAgainstSchema(schema: JSONSchemaProps, value: unknown, path = ''): FieldError[] {
  const errs: FieldError[] = [];
  visit(schema, value, path, errs);
  return errs;
}

/** kube-openapi's message body: `<path> in body <what>` */
function inBody(path: string, what: string): string {
  return `${path} in body ${what}`;
}

function invalidValue(path: string, value: unknown, what: string): FieldError {
  return { path, type: 'Invalid value', value, detail: inBody(path, what) };
}

/** go-openapi's composite errors carry no field path: apiextensions reports them at `<nil>` with an empty value. */
function composite(errs: FieldError[], message: string): void {
  errs.push({ path: '<nil>', type: 'Invalid value', value: '', detail: message });
}

function typeAllowed(schema: JSONSchemaProps, actual: string): boolean {
  if (schema['x-kubernetes-int-or-string']) return actual === 'integer' || actual === 'string';
  if (!schema.type) return true;
  if (schema.type === 'number') return actual === 'number' || actual === 'integer';
  return schema.type === actual;
}

function visit(schema: JSONSchemaProps, value: unknown, path: string, errs: FieldError[]): void {
  const actual = jsonTypeOf(value);
  const expected = schema['x-kubernetes-int-or-string'] ? 'integer,string' : schema.type;
  if (actual === 'null') {
    if (schema.nullable || !expected) return;
    errs.push(typeError(path, expected));
    return;
  }
  if (expected && !typeAllowed(schema, actual)) {
    errs.push({ path, type: 'Invalid value', value: actual, detail: inBody(path, `must be of type ${expected}: "${actual}"`) });
    return;
  }
  if (schema.enum && !schema.enum.some((e) => deepEqual(e, value))) {
    const allowed = schema.enum.map((e) => `"${typeof e === 'string' ? e : JSON.stringify(e)}"`).join(', ');
    errs.push({ path, type: 'Unsupported value', value, detail: `supported values: ${allowed}` });
  }
  if (typeof value === 'string') checkString(schema, value, path, errs);
  if (typeof value === 'number') checkNumber(schema, value, path, errs);
  if (Array.isArray(value)) checkArray(schema, value, path, errs);
  if (isObject(value)) checkObject(schema, value, path, errs);
  checkCombinators(schema, value, path, errs);
}

function typeError(path: string, expected: string): FieldError {
  return { path, type: 'Invalid value', value: 'null', detail: inBody(path, `must be of type ${expected}: "null"`) };
}

function checkString(schema: JSONSchemaProps, value: string, path: string, errs: FieldError[]): void {
  const length = [...value].length;
  if (schema.maxLength !== undefined && length > schema.maxLength)
    errs.push({ path, type: 'Too long', detail: `may not be more than ${schema.maxLength} bytes` });
  if (schema.minLength !== undefined && length < schema.minLength)
    errs.push(invalidValue(path, value, `should be at least ${schema.minLength} chars long`));
  if (schema.pattern !== undefined && !patternMatches(schema.pattern, value))
    errs.push(invalidValue(path, value, `should match '${schema.pattern}'`));
  const format = schema.format;
  if (format && FORMATS[format] && !FORMATS[format](value))
    errs.push({ path, type: 'Invalid value', value, detail: inBody(path, `must be of type ${format}: "${value}"`) });
}

const patterns = new Map<string, RegExp>();
function patternMatches(pattern: string, value: string): boolean {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    patterns.set(pattern, re);
  }
  return re.test(value);
}

function isIPv4(v: string): boolean {
  return /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(v);
}

/** Whether kube-openapi's strfmt registry takes a string in a format it checks (the CEL format library's uuid, byte, date, datetime too). */
export function stringFormatValid(format: string, value: string): boolean {
  return !FORMATS[format] || FORMATS[format](value);
}

/** The string formats kube-openapi's strfmt registry checks (others are accepted as they are). */
const FORMATS: Record<string, (v: string) => boolean> = {
  'date-time': (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v),
  byte: (v) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  ipv4: (v) => isIPv4(v),
  // strfmt IsIPv6: net.ParseIP accepts it and it has a colon (an IPv4-mapped ::ffff:1.2.3.4 too); Go takes no zone
  ipv6: (v) => !v.includes('%') && net.isIPv6(v),
  // net.ParseCIDR: an address and a prefix length within its size
  cidr: (v) => {
    const m = /^([^/]+)\/(0|[1-9]\d{0,2})$/.exec(v);
    if (!m) return false;
    const bits = isIPv4(m[1]) ? 32 : !m[1].includes('%') && net.isIPv6(m[1]) ? 128 : 0;
    return bits > 0 && Number(m[2]) <= bits;
  },
  email: (v) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v),
  hostname: (v) => /^(?=.{1,253}$)[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*$/.test(v),
};

function checkNumber(schema: JSONSchemaProps, value: number, path: string, errs: FieldError[]): void {
  if (schema.multipleOf !== undefined && !isMultiple(value, schema.multipleOf))
    errs.push(invalidValue(path, value, `should be a multiple of ${formatGoFloat(schema.multipleOf)}`));
  if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) {
    const what = schema.exclusiveMaximum ? 'less than' : 'less than or equal to';
    errs.push(invalidValue(path, value, `should be ${what} ${formatGoFloat(schema.maximum)}`));
  }
  if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) {
    const what = schema.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
    errs.push(invalidValue(path, value, `should be ${what} ${formatGoFloat(schema.minimum)}`));
  }
}

function isMultiple(value: number, factor: number): boolean {
  const q = value / factor;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

function checkArray(schema: JSONSchemaProps, value: unknown[], path: string, errs: FieldError[]): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems)
    errs.push({
      path,
      type: 'Too many',
      detail: `${value.length}: must have at most ${schema.maxItems} ${schema.maxItems === 1 ? 'item' : 'items'}`,
    });
  if (schema.minItems !== undefined && value.length < schema.minItems)
    errs.push(invalidValue(path, value.length, `should have at least ${schema.minItems} items`));
  if (schema.uniqueItems && value.some((v, i) => value.findIndex((w) => deepEqual(v, w)) !== i))
    errs.push(invalidValue(path, '', `shouldn't contain duplicates`));
  const items = itemSchema(schema);
  if (items) value.forEach((v, i) => visit(items, v, `${path}[${i}]`, errs));
  checkListType(schema, value, path, errs);
}

/** x-kubernetes-list-type set and map: apiextensions' listtype validation (`Duplicate value: …`). */
function checkListType(schema: JSONSchemaProps, value: unknown[], path: string, errs: FieldError[]): void {
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') {
    value.forEach((v, i) => {
      if (value.findIndex((w) => deepEqual(v, w)) !== i) errs.push({ path: `${path}[${i}]`, type: 'Duplicate value', value: v });
    });
  } else if (listType === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const keyOf = (v: unknown) => (isObject(v) ? keys.map((k) => v[k]) : []);
    value.forEach((v, i) => {
      const key = keyOf(v);
      if (value.findIndex((w) => deepEqual(keyOf(w), key)) !== i) {
        const shown = Object.fromEntries(
          keys.filter((k) => isObject(v) && v[k] !== undefined).map((k) => [k, (v as Record<string, unknown>)[k]]),
        );
        errs.push({ path: `${path}[${i}]`, type: 'Duplicate value', value: shown });
      }
    });
  }
}

function checkObject(schema: JSONSchemaProps, value: Record<string, unknown>, path: string, errs: FieldError[]): void {
  for (const name of schema.required ?? []) if (!(name in value)) errs.push({ path: childPath(path, name), type: 'Required value' });
  const count = Object.keys(value).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties)
    errs.push({
      path,
      type: 'Too many',
      detail: `${count}: must have at most ${schema.maxProperties} ${schema.maxProperties === 1 ? 'item' : 'items'}`,
    });
  if (schema.minProperties !== undefined && count < schema.minProperties)
    errs.push(invalidValue(path, count, `should have at least ${schema.minProperties} properties`));
  if (schema['x-kubernetes-embedded-resource']) {
    // apiextensions' objectmeta validation of an embedded object
    for (const field of ['apiVersion', 'kind'])
      if (!value[field]) errs.push({ path: childPath(path, field), type: 'Required value', detail: 'must not be empty' });
  }
  const props = schema.properties ?? {};
  const extra = additionalSchema(schema);
  for (const key of Object.keys(value).sort()) {
    const sub = props[key] ?? extra;
    if (sub) visit(sub, value[key], childPath(path, key), errs);
  }
}

function checkCombinators(schema: JSONSchemaProps, value: unknown, path: string, errs: FieldError[]): void {
  const passes = (s: JSONSchemaProps) => validateAgainstSchema(s, value, path).length === 0;
  const quoted = JSON.stringify(path);
  if (schema.allOf) {
    for (const s of schema.allOf) visit(s, value, path, errs);
  }
  if (schema.anyOf && !schema.anyOf.some(passes)) composite(errs, `${quoted} must validate at least one schema (anyOf)`);
  if (schema.oneOf) {
    const valid = schema.oneOf.filter(passes).length;
    if (valid !== 1)
      composite(
        errs,
        `${quoted} must validate one and only one schema (oneOf). ${valid === 0 ? 'Found none valid' : `Found ${valid} valid alternatives`}`,
      );
  }
  if (schema.not && passes(schema.not)) composite(errs, `${quoted} must not validate the schema (not)`);
}
