/**
 * Objects seen through their schema as structured-merge-diff sees them (sigs.k8s.io/
 * structured-merge-diff typed/): which maps are structs (fields) and which are maps (keys),
 * which lists are associative (items by their keys), sets or atomic, and which types are
 * atomic wholes. From these: an object's field set (ToFieldSet), the comparison of two
 * objects (Compare), the merge of an applied configuration onto the live object (Merge) and
 * the removal of fields (RemoveItems).
 *
 * List keys: the `+listType=map` / `+listMapKey` markers of the v1.32 API types, falling back
 * (as kube-openapi's schemaconv does) to the strategic-merge-patch merge key; other lists are
 * atomic. The imported OpenAPI data carries neither, so they are listed here.
 */
import { deepEqual } from '../merge';
import type { KindSchema, Schema } from '../openapi/schema';
import { FieldSet, comparePathElements, fieldPE, keyPE, pathString, valuePE, type Path, type PathElement } from './fieldset';

type Json = unknown;
type JsonMap = Record<string, unknown>;

const isMap = (v: unknown): v is JsonMap => !!v && typeof v === 'object' && !Array.isArray(v);

/** Definitions marked `+structType=atomic` in k8s.io/api and apimachinery: set as one value. */
const ATOMIC_STRUCTS = new Set([
  'V1LabelSelector',
  'V1LocalObjectReference',
  'V1ConfigMapKeySelector',
  'V1SecretKeySelector',
  'V1ObjectFieldSelector',
  'V1ResourceFieldSelector',
  'V1NodeSelector',
  'V1ObjectReference',
  'V1TypedLocalObjectReference',
  'V1RoleRef',
]);

/** Associative lists by field name: their keys (listMapKey, else patchMergeKey). */
const LIST_KEYS: Readonly<Record<string, string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  volumes: ['name'],
  env: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  hostAliases: ['ip'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  resourceClaims: ['name'],
  schedulingGates: ['name'],
  conditions: ['type'],
  ownerReferences: ['uid'],
  podIPs: ['ip'],
};

/** Key fields' schema defaults, which SMD uses for an item that leaves a key out. */
const KEY_DEFAULTS: Readonly<Record<string, unknown>> = { protocol: 'TCP' };

const SET_LISTS = new Set(['finalizers']);

export type ListType = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' };

function listType(names: readonly string[], kind: string): ListType {
  const field = names[names.length - 1];
  if (field === 'ports') {
    const parent = names[names.length - 2];
    if (parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers')
      return { type: 'map', keys: ['containerPort', 'protocol'] };
    if (kind === 'Service' && names.join('.') === 'spec.ports') return { type: 'map', keys: ['port', 'protocol'] };
    return { type: 'atomic' };
  }
  if (kind === 'Node' && names.join('.') === 'status.addresses') return { type: 'map', keys: ['type'] };
  if (SET_LISTS.has(field)) return { type: 'set' };
  const keys = LIST_KEYS[field];
  return keys ? { type: 'map', keys } : { type: 'atomic' };
}

/** Where in the schema a value sits: the schema node and the field names from the root. */
export interface TypeRef {
  doc?: KindSchema;
  schema?: Schema;
  kind: string;
  names: readonly string[];
  /** a custom resource: its lists are what their x-kubernetes-list-type says, atomic when it says nothing */
  custom?: boolean;
}

/** The SMD markers a schema may carry (a CRD's openAPIV3Schema has them). */
interface Markers {
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
}

function listTypeOf(ref: TypeRef, schema: Schema): ListType {
  const m = schema as Markers;
  const declared = m['x-kubernetes-list-type'];
  if (declared === 'map') return { type: 'map', keys: m['x-kubernetes-list-map-keys'] ?? [] };
  if (declared === 'set') return { type: 'set' };
  if (declared === 'atomic') return { type: 'atomic' };
  if (ref.custom && ref.names[0] !== 'metadata') return { type: 'atomic' };
  return listType(ref.names, ref.kind);
}

type Shape =
  | { t: 'scalar' }
  | { t: 'atomic' }
  | { t: 'struct'; fields: Record<string, Schema>; open: boolean }
  | { t: 'map'; elem?: Schema }
  | { t: 'list'; list: ListType; items?: Schema };

function resolve(ref: TypeRef): { schema?: Schema; name?: string } {
  let s = ref.schema;
  let name: string | undefined;
  for (let i = 0; s && i < 10; i++) {
    if (s.$ref) {
      name = s.$ref;
      s = ref.doc?.resolve(s.$ref);
      continue;
    }
    if (!s.properties && s.allOf?.length === 1) {
      s = s.allOf[0];
      continue;
    }
    break;
  }
  return { schema: s, name };
}

function shapeOf(ref: TypeRef, value: Json): Shape {
  const { schema, name } = resolve(ref);
  if ((name && ATOMIC_STRUCTS.has(name)) || (schema as Markers | undefined)?.['x-kubernetes-map-type'] === 'atomic') return { t: 'atomic' };
  if (schema?.properties) return { t: 'struct', fields: schema.properties, open: schema['x-kubernetes-preserve-unknown-fields'] === true };
  if (schema && typeof schema.additionalProperties === 'object') return { t: 'map', elem: schema.additionalProperties };
  if (schema?.type === 'array' || (!schema && Array.isArray(value)))
    return { t: 'list', list: schema ? listTypeOf(ref, schema) : { type: 'atomic' }, items: schema?.items };
  // an untyped object (preserve-unknown-fields, or no schema): a map whose keys are its fields
  if (isMap(value) && (!schema || schema.type === 'object' || schema['x-kubernetes-preserve-unknown-fields'])) return { t: 'map' };
  if (Array.isArray(value)) return { t: 'atomic' };
  return { t: 'scalar' };
}

function childRef(ref: TypeRef, shape: Shape, key: string): TypeRef {
  let schema: Schema | undefined;
  if (shape.t === 'struct') schema = shape.fields[key];
  else if (shape.t === 'map') schema = shape.elem;
  return { doc: ref.doc, schema, kind: ref.kind, names: [...ref.names, key], custom: ref.custom };
}

function itemRef(ref: TypeRef, shape: Shape & { t: 'list' }): TypeRef {
  return { doc: ref.doc, schema: shape.items, kind: ref.kind, names: ref.names, custom: ref.custom };
}

/** The path element of a list item (listItemToPathElement). */
function itemPE(list: ListType, item: Json, index: number): PathElement {
  if (list.type === 'set') return valuePE(item);
  if (list.type === 'map' && isMap(item)) return keyPE(list.keys.map((k) => [k, item[k] ?? KEY_DEFAULTS[k] ?? null]));
  return `i:${index}`;
}

// ---- ToFieldSet ----

/** The set of fields a value sets (typed.TypedValue.ToFieldSet). */
export function toFieldSet(value: Json, ref: TypeRef): FieldSet {
  const set = new FieldSet();
  walkSet(value, ref, [], set);
  return set;
}

function walkSet(value: Json, ref: TypeRef, path: PathElement[], set: FieldSet): void {
  const shape = shapeOf(ref, value);
  switch (shape.t) {
    case 'scalar':
    case 'atomic':
      if (path.length) set.insert(path);
      return;
    case 'list': {
      if (shape.list.type === 'atomic') {
        set.insert(path);
        return;
      }
      if (!Array.isArray(value)) return;
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const pe = itemPE(shape.list, item, i);
        if (seen.has(pe)) return;
        seen.add(pe);
        const p = [...path, pe];
        walkSet(item, itemRef(ref, shape), p, set);
        set.insert(p);
      });
      return;
    }
    default: {
      if (!isMap(value)) return;
      for (const key of Object.keys(value)) {
        const child = value[key];
        if (child === undefined) continue;
        const p = [...path, fieldPE(key)];
        walkSet(child, childRef(ref, shape, key), p, set);
        const declared = shape.t === 'struct' && key in shape.fields;
        if (child === null || (isMap(child) && !Object.keys(child).length) || !declared) set.insert(p);
      }
    }
  }
}

// ---- Compare ----

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * Fields of a Go API type that are there in its zero value: struct fields that are not
 * pointers, and slices serialized without omitempty (as null). On a create the API server
 * compares against the zero-valued object, so these never count as added themselves.
 */
const ZERO_PRESENT_STRUCTS = new Set([
  'metadata',
  'spec',
  'status',
  'template',
  'jobTemplate',
  'strategy',
  'updateStrategy',
  'loadBalancer',
  'nodeInfo',
  'daemonEndpoints',
]);
const ZERO_PRESENT_NULL = new Set(['containers', 'selector', 'rules', 'creationTimestamp']);
const ZERO_PRESENT = [...ZERO_PRESENT_STRUCTS, ...ZERO_PRESENT_NULL];

/** Compares two versions of an object (typed.TypedValue.Compare): what was added, changed, removed. */
export function compare(lhs: Json, rhs: Json, ref: TypeRef): Comparison {
  const cmp: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walkCompare(lhs, rhs, ref, [], cmp);
  return cmp;
}

const isEmpty = (v: Json) => v === undefined || v === null || (Array.isArray(v) ? !v.length : isMap(v) && !Object.keys(v).length);

function leaf(lhs: Json, rhs: Json, path: Path, cmp: Comparison): void {
  if (!path.length) return;
  if (lhs === undefined) cmp.added.insert(path);
  else if (rhs === undefined) cmp.removed.insert(path);
  else if (!deepEqual(lhs, rhs)) cmp.modified.insert(path);
}

function walkCompare(lhs: Json, rhs: Json, ref: TypeRef, path: PathElement[], cmp: Comparison): void {
  const shape = shapeOf(ref, rhs !== undefined && rhs !== null ? rhs : lhs);
  if (
    shape.t === 'scalar' ||
    shape.t === 'atomic' ||
    (shape.t === 'list' && shape.list.type === 'atomic') ||
    (isEmpty(lhs) && isEmpty(rhs))
  ) {
    leaf(lhs, rhs, path, cmp);
    return;
  }
  if (shape.t === 'list') {
    const index = (v: Json) => {
      const m = new Map<string, Json>();
      if (Array.isArray(v))
        v.forEach((item, i) => {
          const pe = itemPE(shape.list, item, i);
          if (!m.has(pe)) m.set(pe, item);
        });
      return m;
    };
    const l = index(lhs);
    const r = index(rhs);
    for (const pe of new Set([...l.keys(), ...r.keys()])) walkCompare(l.get(pe), r.get(pe), itemRef(ref, shape), [...path, pe], cmp);
  } else {
    const l = isMap(lhs) ? lhs : undefined;
    const r = isMap(rhs) ? rhs : undefined;
    const keys = new Set([...Object.keys(l ?? {}), ...Object.keys(r ?? {})]);
    if (shape.t === 'struct') {
      if (l || r) for (const k of ZERO_PRESENT) if (k in shape.fields) keys.add(k);
    }
    for (const key of keys) {
      let lv = l?.[key];
      let rv = r?.[key];
      if (shape.t === 'struct') {
        // the Go zero value of a field that is always serialized stands in for an absent one
        const zero = ZERO_PRESENT_STRUCTS.has(key) ? {} : ZERO_PRESENT_NULL.has(key) ? null : undefined;
        if (zero !== undefined) {
          if (lv === undefined && lhs !== undefined) lv = zero;
          if (rv === undefined && rhs !== undefined) rv = zero;
        }
      }
      if (lv === undefined && rv === undefined) continue;
      walkCompare(lv, rv, childRef(ref, shape, key), [...path, fieldPE(key)], cmp);
    }
  }
  if (path.length) {
    if (lhs === undefined) cmp.added.insert(path);
    else if (rhs === undefined) cmp.removed.insert(path);
  }
}

// ---- Merge ----

/** The applied configuration merged onto the live object (typed.TypedValue.Merge): the configuration wins. */
export function merge(live: Json, config: Json, ref: TypeRef): Json {
  if (config === undefined) return structuredClone(live);
  if (live === undefined || live === null || config === null) return structuredClone(config);
  const shape = shapeOf(ref, config);
  if (shape.t === 'struct' || shape.t === 'map') {
    if (!isMap(live) || !isMap(config)) return structuredClone(config);
    const out: JsonMap = structuredClone(live);
    for (const key of Object.keys(config)) out[key] = merge(live[key], config[key], childRef(ref, shape, key));
    return out;
  }
  if (shape.t === 'list' && shape.list.type !== 'atomic' && Array.isArray(live) && Array.isArray(config)) {
    const list = shape.list;
    const out = live.map((item) => structuredClone(item) as Json);
    const at = new Map(out.map((item, i) => [itemPE(list, item, i), i]));
    config.forEach((item, i) => {
      const pe = itemPE(list, item, i);
      const j = at.get(pe);
      if (j === undefined) {
        at.set(pe, out.length);
        out.push(structuredClone(item));
      } else out[j] = merge(out[j], item, itemRef(ref, shape));
    });
    return out;
  }
  return structuredClone(config);
}

// ---- RemoveItems ----

/** Removes the fields at `paths` (and what is under them) from a value, in place. */
export function removePaths(value: Json, paths: Path[], ref: TypeRef): void {
  for (const p of paths) removeOne(value, p, 0, ref);
}

function removeOne(value: Json, path: Path, depth: number, ref: TypeRef): void {
  const pe = path[depth];
  const last = depth === path.length - 1;
  const shape = shapeOf(ref, value);
  if (pe.startsWith('f:') && isMap(value)) {
    const key = pe.slice(2);
    if (!(key in value)) return;
    if (last) delete value[key];
    else removeOne(value[key], path, depth + 1, childRef(ref, shape, key));
    return;
  }
  if (shape.t === 'list' && Array.isArray(value)) {
    const i = value.findIndex((item, idx) => itemPE(shape.list, item, idx) === pe);
    if (i < 0) return;
    const items: unknown[] = value;
    if (last) items.splice(i, 1);
    else removeOne(items[i], path, depth + 1, itemRef(ref, shape));
  }
}

/** Reads the value at a path, or undefined. */
export function valueAt(value: Json, path: Path, ref: TypeRef): Json {
  let v = value;
  let r = ref;
  for (const pe of path) {
    const shape = shapeOf(r, v);
    if (pe.startsWith('f:') && isMap(v)) {
      r = childRef(r, shape, pe.slice(2));
      v = v[pe.slice(2)];
    } else if (shape.t === 'list' && Array.isArray(v)) {
      const list = shape.list;
      v = v.find((item, i) => itemPE(list, item, i) === pe);
      r = itemRef(r, shape);
    } else return undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

// ---- a create's field set, straight to FieldsV1 ----

type Tree = Record<string, unknown>;

/**
 * What compare(zero, value) adds, as FieldsV1, without building paths: the field set of an
 * Update that creates `value` (a bulk apply creates thousands of objects, and this is its
 * share of the write). `skip(names)` leaves out fields by their field names from the root.
 */
export function createdFieldsV1(value: Json, ref: TypeRef, skip: (names: readonly string[]) => boolean): Tree {
  const root = addedTree({}, value, ref, [], skip);
  return root ? emitTree({ node: root.node, member: false }) : {};
}

function addedTree(
  lhs: Json,
  rhs: Json,
  ref: TypeRef,
  names: string[],
  skip: (names: readonly string[]) => boolean,
): { node: Tree; member: boolean } | undefined {
  const shape = shapeOf(ref, rhs !== undefined && rhs !== null ? rhs : lhs);
  if (
    shape.t === 'scalar' ||
    shape.t === 'atomic' ||
    (shape.t === 'list' && shape.list.type === 'atomic') ||
    (isEmpty(lhs) && isEmpty(rhs))
  )
    return lhs === undefined || (rhs !== undefined && !deepEqual(lhs, rhs)) ? { node: {}, member: true } : undefined;
  const node: Tree = {};
  if (shape.t === 'list') {
    if (Array.isArray(rhs)) {
      const items = itemRef(ref, shape);
      rhs.forEach((item, i) => {
        const pe = itemPE(shape.list, item, i);
        if (pe in node) return;
        const r = addedTree(undefined, item, items, names, skip);
        if (r) node[pe] = emitTree(r);
      });
    }
  } else {
    const l = isMap(lhs) ? lhs : undefined;
    const r = isMap(rhs) ? rhs : undefined;
    const keys = new Set(Object.keys(r ?? {}));
    if (shape.t === 'struct' && l) for (const k of ZERO_PRESENT) if (k in shape.fields) keys.add(k);
    for (const key of keys) {
      const childNames = [...names, key];
      if (skip(childNames)) continue;
      let lv = l?.[key];
      let rv = r?.[key];
      if (shape.t === 'struct') {
        const zero = ZERO_PRESENT_STRUCTS.has(key) ? {} : ZERO_PRESENT_NULL.has(key) ? null : undefined;
        if (zero !== undefined) {
          if (lv === undefined && lhs !== undefined) lv = zero;
          if (rv === undefined && rhs !== undefined) rv = zero;
        }
      }
      if (lv === undefined && rv === undefined) continue;
      const sub = addedTree(lv, rv, childRef(ref, shape, key), childNames, skip);
      if (sub) node[fieldPE(key)] = emitTree(sub);
    }
  }
  const member = lhs === undefined;
  if (!member && !Object.keys(node).length) return undefined;
  return { node, member };
}

function emitTree(r: { node: Tree; member: boolean }): Tree {
  const keys = Object.keys(r.node);
  if (!keys.length) return {};
  const out: Tree = r.member ? { '.': {} } : {};
  for (const k of keys.sort(comparePathElements)) out[k] = r.node[k];
  return out;
}

// ---- Validate ----

/**
 * What makes a value no typed object of its schema for structured-merge-diff (typed/validate.go):
 * a field the schema does not declare, an associative list with two items of the same key.
 * Each as `path: message`, sorted.
 */
export function typeErrors(value: Json, ref: TypeRef): string[] {
  const errors: string[] = [];
  walkValidate(value, ref, [], errors);
  return errors.sort();
}

function walkValidate(value: Json, ref: TypeRef, path: PathElement[], errors: string[]): void {
  if (value === null || value === undefined) return;
  const shape = shapeOf(ref, value);
  if (shape.t === 'list') {
    if (shape.list.type === 'atomic' || !Array.isArray(value)) return;
    const seen = new Set<string>();
    const reported = new Set<string>();
    value.forEach((item, i) => {
      const pe = itemPE(shape.list, item, i);
      if (seen.has(pe)) {
        if (!reported.has(pe)) errors.push(`${pathString(path)}: duplicate entries for key ${pathString([pe])}`);
        reported.add(pe);
        return;
      }
      seen.add(pe);
      walkValidate(item, itemRef(ref, shape), [...path, pe], errors);
    });
    return;
  }
  if ((shape.t === 'struct' || shape.t === 'map') && isMap(value)) {
    for (const key of Object.keys(value)) {
      const p = [...path, fieldPE(key)];
      if (shape.t === 'struct' && !(key in shape.fields) && !shape.open) {
        errors.push(`${pathString(p)}: field not declared in schema`);
        continue;
      }
      walkValidate(value[key], childRef(ref, shape, key), p, errors);
    }
  }
}
