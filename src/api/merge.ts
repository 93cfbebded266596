import { kindInfo } from './registry';
/**
 * The patch machinery kubectl and the API server use, as pure functions on plain
 * JSON values: JSON merge patch (RFC 7386), JSON patch (RFC 6902), strategic merge
 * patch, and the client-side three-way merge behind `kubectl apply`.
 *
 * Every exported function returns a fresh value and leaves its inputs untouched.
 */
import { ApiError, CliError } from '../util/errors';
import { clone } from '../model/objects';

export type JsonMap = Record<string, unknown>;

export function isMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOwn(map: JsonMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** Structural equality that ignores key order; a key holding `undefined` counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    const other: readonly unknown[] = b;
    return a.every((item, i) => deepEqual(item, other[i]));
  }
  if (isMap(a) && isMap(b)) {
    const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
    if (keysA.length !== keysB.length) return false;
    return keysA.every((k) => hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

// ---------------------------------------------------------------------------
// JSON merge patch (RFC 7386)

/** RFC 7386: `null` deletes a key, objects merge recursively, anything else replaces. */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  return clone(mergePatchValue(target, patch));
}

/** Builds new maps along the patched paths; untouched subtrees are shared until the caller clones. */
function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return patch;
  const result: JsonMap = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (value !== undefined) result[key] = mergePatchValue(result[key], value);
  }
  return result;
}

/**
 * The merge patch that takes `from` to `to` (jsonmergepatch.CreateThreeWayJSONMergePatch's
 * shape): changed keys with their new value, nested maps as their own patch, removed keys as
 * null — or, with `deletions: false`, only what `to` adds or changes.
 */
export function createMergePatch(from: unknown, to: unknown, opts: { deletions?: boolean } = {}): JsonMap {
  const patch: JsonMap = {};
  const source = isMap(from) ? from : {};
  const target = isMap(to) ? to : {};
  if (opts.deletions !== false)
    for (const key of Object.keys(source)) if (source[key] !== undefined && target[key] === undefined) patch[key] = null;
  for (const [key, value] of Object.entries(target)) {
    if (value === undefined || deepEqual(source[key], value)) continue;
    patch[key] = isMap(value) && isMap(source[key]) ? createMergePatch(source[key], value, opts) : clone(value);
  }
  return patch;
}

// ---------------------------------------------------------------------------
// JSON patch (RFC 6902)

const REJECTED = 'the server rejected our request due to an error in our request';

/** Go's name for a JSON value's type, as encoding/json reports it in unmarshal errors. */
function goJsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** What the API server answers when a patch body does not decode into the type it expects. */
function cannotUnmarshal(value: unknown, goType: string): ApiError {
  return new ApiError(
    'BadRequest',
    400,
    `Error from server (BadRequest): json: cannot unmarshal ${goJsonType(value)} into Go value of type ${goType}`,
  );
}

function rejected(detail: string): CliError {
  return new CliError(`${REJECTED}: ${detail}`);
}

type OperationName = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
const OPERATIONS: readonly OperationName[] = ['add', 'remove', 'replace', 'move', 'copy', 'test'];

interface Operation {
  op: OperationName;
  path: string;
  pathSegments: string[];
  from?: string;
  fromSegments?: string[];
  value?: unknown;
}

/** RFC 6901: "" is the whole document; otherwise "/"-separated tokens with ~1 → "/" and ~0 → "~". */
function parsePointer(pointer: string, op: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw rejected(`${op} operation has an invalid JSON pointer: "${pointer}" (it must start with "/")`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parseOperation(raw: unknown): Operation {
  if (!isMap(raw)) throw cannotUnmarshal(raw, 'jsonpatch.Operation');
  const op = raw.op;
  if (typeof op !== 'string' || !OPERATIONS.includes(op as OperationName)) {
    throw rejected(`Unexpected kind: ${typeof op === 'string' ? op : 'unknown'}`);
  }
  const name = op as OperationName;
  if (typeof raw.path !== 'string') throw rejected(`${name} operation failed to decode path`);
  const operation: Operation = { op: name, path: raw.path, pathSegments: parsePointer(raw.path, name) };
  if (name === 'move' || name === 'copy') {
    if (typeof raw.from !== 'string') throw rejected(`${name} operation failed to decode from`);
    operation.from = raw.from;
    operation.fromSegments = parsePointer(raw.from, name);
  }
  if (name === 'add' || name === 'replace' || name === 'test') {
    if (!hasOwn(raw, 'value')) throw rejected(`${name} operation for path ${raw.path} has no value`);
    operation.value = raw.value;
  }
  return operation;
}

type Container = JsonMap | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** Array tokens are decimal indexes without leading zeros (RFC 6901 §4). */
function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}

function readChild(container: Container, token: string): { found: boolean; value?: unknown } {
  if (Array.isArray(container)) {
    const index = arrayIndex(token);
    return index !== undefined && index < container.length ? { found: true, value: container[index] } : { found: false };
  }
  return hasOwn(container, token) ? { found: true, value: container[token] } : { found: false };
}

/**
 * The document sits under one key of a holder map so that the root pointer ""
 * has a parent like every other pointer.
 */
const DOCUMENT = 'document';

interface Location {
  parent: Container;
  token: string;
}

function locate(holder: JsonMap, segments: string[]): Location | undefined {
  const tokens = [DOCUMENT, ...segments];
  let parent: Container = holder;
  for (const token of tokens.slice(0, -1)) {
    const child = readChild(parent, token);
    if (!child.found || !isContainer(child.value)) return undefined;
    parent = child.value;
  }
  return { parent, token: tokens[tokens.length - 1] };
}

function readAt(holder: JsonMap, segments: string[]): { found: boolean; value?: unknown } {
  const location = locate(holder, segments);
  return location ? readChild(location.parent, location.token) : { found: false };
}

/** RFC 6902 add: objects get the member set, arrays get an insert ("-" appends). */
function addAt(location: Location, value: unknown): boolean {
  const { parent, token } = location;
  if (!Array.isArray(parent)) {
    parent[token] = value;
    return true;
  }
  if (token === '-') {
    parent.push(value);
    return true;
  }
  const index = arrayIndex(token);
  if (index === undefined || index > parent.length) return false;
  parent.splice(index, 0, value);
  return true;
}

function removeAt(location: Location): boolean {
  const { parent, token } = location;
  if (!readChild(parent, token).found) return false;
  if (Array.isArray(parent)) parent.splice(Number(token), 1);
  else delete parent[token];
  return true;
}

function doesNotApply(op: OperationName, detail: string): CliError {
  return new CliError(`jsonpatch ${op} operation does not apply: ${detail}`);
}

function applyOperation(holder: JsonMap, operation: Operation): void {
  const { op, path, pathSegments } = operation;
  switch (op) {
    case 'add': {
      const location = locate(holder, pathSegments);
      if (!location || !addAt(location, clone(operation.value))) throw doesNotApply(op, `doc is missing path: ${path}`);
      return;
    }
    case 'remove': {
      if (!pathSegments.length) throw rejected('remove operation cannot remove the whole document');
      const location = locate(holder, pathSegments);
      if (!location || !removeAt(location)) throw doesNotApply(op, `doc is missing path: ${path}`);
      return;
    }
    case 'replace': {
      const location = locate(holder, pathSegments);
      if (!location) throw doesNotApply(op, `doc is missing path: ${path}`);
      if (!readChild(location.parent, location.token).found) throw doesNotApply(op, `doc is missing key: ${path}`);
      const { parent, token } = location;
      if (Array.isArray(parent)) parent[Number(token)] = clone(operation.value);
      else parent[token] = clone(operation.value);
      return;
    }
    case 'move':
    case 'copy': {
      const from = operation.from as string;
      const fromSegments = operation.fromSegments as string[];
      const source = readAt(holder, fromSegments);
      if (!source.found) throw doesNotApply(op, `doc is missing from path: ${from}`);
      if (op === 'move') {
        // RFC 6902 §4.4: a value cannot be moved into one of its own children.
        const intoItself = fromSegments.length < pathSegments.length && fromSegments.every((token, i) => token === pathSegments[i]);
        if (intoItself) throw rejected(`move operation cannot move ${from} into its own child ${path}`);
        removeAt(locate(holder, fromSegments) as Location);
      }
      const destination = locate(holder, pathSegments);
      if (!destination || !addAt(destination, clone(source.value))) throw doesNotApply(op, `doc is missing destination path: ${path}`);
      return;
    }
    case 'test': {
      const actual = readAt(holder, pathSegments);
      // A missing member tests equal to null, as the API server's json-patch library has it.
      const matches = actual.found ? deepEqual(actual.value, operation.value) : operation.value === null;
      if (!matches) throw new CliError(`testing value ${path} failed: test failed`);
      return;
    }
  }
}

/** RFC 6902: applies the operations in order; a failing one rejects the whole patch. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  // Go decodes a JSON null into an empty patch, so the server treats it as a no-op.
  if (ops === null) return clone(target);
  if (!Array.isArray(ops)) throw cannotUnmarshal(ops, 'jsonpatch.Patch');
  const operations = ops.map(parseOperation);
  const holder: JsonMap = { [DOCUMENT]: clone(target) };
  for (const operation of operations) applyOperation(holder, operation);
  return holder[DOCUMENT];
}

// ---------------------------------------------------------------------------
// Strategic merge patch

/**
 * How a list field merges, from the `patchStrategy` / `patchMergeKey` tags on the
 * Kubernetes API types. Fields not named here are atomic: a patch replaces them.
 */
type ListStrategy = { type: 'mergeByKey'; mergeKey: string } | { type: 'set' } | { type: 'replace' };

const MERGE_KEY_BY_FIELD: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  schedulingGates: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
};

const CONTAINER_LIST_FIELDS: ReadonlySet<string> = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** `metadata.finalizers` has patchStrategy "merge" with no key: a set of strings. */
const SET_FIELDS: ReadonlySet<string> = new Set(['finalizers']);

/** `path` is the chain of field names from the object root; list items add no segment. */
export function listStrategy(path: readonly string[], kind: string): ListStrategy {
  // custom resources have no patch strategies: kubectl sends them JSON merge patches (lists whole)
  if (kindInfo(kind)?.crd) return { type: 'replace' };
  const field = path[path.length - 1];
  const joined = path.join('.');
  if (field === 'ports') {
    // Container ports merge on containerPort; a Service's spec.ports on port; others are atomic.
    if (CONTAINER_LIST_FIELDS.has(path[path.length - 2])) return { type: 'mergeByKey', mergeKey: 'containerPort' };
    if (kind === 'Service' && joined === 'spec.ports') return { type: 'mergeByKey', mergeKey: 'port' };
    return { type: 'replace' };
  }
  if (kind === 'Node' && joined === 'status.addresses') return { type: 'mergeByKey', mergeKey: 'type' };
  if (SET_FIELDS.has(field)) return { type: 'set' };
  const mergeKey = MERGE_KEY_BY_FIELD[field];
  return mergeKey ? { type: 'mergeByKey', mergeKey } : { type: 'replace' };
}

/**
 * Maps with patchStrategy "retainKeys": a Deployment's spec.strategy, and each item of a pod
 * spec's volumes ("merge,retainKeys"). kubectl apply sends `$retainKeys` with the manifest's
 * keys there, so a key the manifest no longer has goes even if kubectl never set it (the
 * defaulted rollingUpdate when switching to Recreate, a volume's old source).
 */
export function retainsKeys(path: readonly string[], kind: string): boolean {
  if (kind === 'Deployment' && path.length === 2 && path[0] === 'spec' && path[1] === 'strategy') return true;
  return path[path.length - 1] === 'volumes';
}

const PATCH_DIRECTIVE = '$patch';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList/';

/** Only the strategic-merge directive keys; other `$` keys (a CRD schema's `$ref`) are data. */
function isDirectiveKey(key: string): boolean {
  return (
    key === PATCH_DIRECTIVE ||
    key === RETAIN_KEYS_DIRECTIVE ||
    key.startsWith(SET_ELEMENT_ORDER_PREFIX) ||
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)
  );
}

/** Go's %v of a map, as the strategic-merge errors print it: `map[image:nginx name:web]`. */
function goMap(map: JsonMap): string {
  const entries = Object.keys(map)
    .sort()
    .map((key) => `${key}:${isContainer(map[key]) ? JSON.stringify(map[key]) : String(map[key])}`);
  return `map[${entries.join(' ')}]`;
}

function missingMergeKey(item: unknown, mergeKey: string): CliError {
  const shown = isMap(item) ? goMap(item) : JSON.stringify(item);
  return new CliError(`map: ${shown} does not contain declared merge key: ${mergeKey}`);
}

function badPatchType(directive: unknown, map: JsonMap): CliError {
  return new CliError(`unknown patch type: ${String(directive)} in map: ${goMap(map)}`);
}

function mergeKeyOf(item: unknown, mergeKey: string): unknown {
  if (!isMap(item) || item[mergeKey] === undefined || item[mergeKey] === null) throw missingMergeKey(item, mergeKey);
  return item[mergeKey];
}

/**
 * Kubernetes strategic merge patch of `patch` onto `target`; `kind` picks kind-specific merge keys.
 * Lists merged by key are ordered as the API server orders them (the patch's items in patch order,
 * the live-only items slotted in by their live position), or with the patch's items first and then
 * the rest, as kustomize's patches do (`order: 'patch-first'`).
 */
export function strategicMergePatch(target: unknown, patch: unknown, kind: string, order: ListOrder = 'server'): unknown {
  // Go decodes a JSON null into a nil map: the server applies nothing.
  if (patch === null) return clone(target);
  if (!isMap(patch)) throw cannotUnmarshal(patch, 'map[string]interface {}');
  return clone(strategicMergeMap(isMap(target) ? target : {}, patch, [], kind, order));
}

export type ListOrder = 'server' | 'patch-first';

function strategicMergeMap(original: JsonMap, patch: JsonMap, path: string[], kind: string, order: ListOrder): JsonMap {
  const directive = patch[PATCH_DIRECTIVE];
  if (directive === 'replace') return strategicMergeMap({}, withoutKey(patch, PATCH_DIRECTIVE), path, kind, order);
  // The API server turns `$patch: delete` on a map into an empty map, not a missing field.
  if (directive === 'delete') return {};
  if (directive !== undefined && directive !== 'merge') throw badPatchType(directive, patch);

  const result: JsonMap = applyRetainKeysDirective(original, patch);
  for (const [key, values] of Object.entries(patch)) {
    if (!key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || !Array.isArray(values)) continue;
    const field = key.slice(DELETE_FROM_PRIMITIVE_LIST_PREFIX.length);
    const current = result[field];
    if (Array.isArray(current)) result[field] = current.filter((item) => !values.some((value) => deepEqual(value, item)));
  }
  for (const [key, value] of Object.entries(patch)) {
    if (isDirectiveKey(key) || value === undefined) continue;
    const fieldPath = [...path, key];
    if (value === null) delete result[key];
    else if (isMap(value))
      result[key] = strategicMergeMap(isMap(result[key]) ? (result[key] as JsonMap) : {}, value, fieldPath, kind, order);
    else if (Array.isArray(value))
      result[key] = strategicMergeList(
        Array.isArray(result[key]) ? (result[key] as unknown[]) : [],
        value,
        fieldPath,
        kind,
        order,
        patch[`${SET_ELEMENT_ORDER_PREFIX}${key}`],
      );
    else result[key] = value;
  }
  return result;
}

/**
 * applyRetainKeysDirective: `$retainKeys` lists the keys the map keeps; the original loses the
 * others before the patch merges in. Every key the patch sets must be in the list.
 */
function applyRetainKeysDirective(original: JsonMap, patch: JsonMap): JsonMap {
  const retain = patch[RETAIN_KEYS_DIRECTIVE];
  if (retain === undefined) return { ...original };
  if (!Array.isArray(retain)) throw retainKeysFormat();
  const kept = new Set(retain.map((k) => String(k)));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (key !== RETAIN_KEYS_DIRECTIVE && key !== PATCH_DIRECTIVE && !kept.has(key)) throw retainKeysFormat();
  }
  return Object.fromEntries(Object.entries(original).filter(([key]) => kept.has(key)));
}

/** mergepatch.ErrBadPatchFormatForRetainKeys, which the API server answers with a 400 */
const retainKeysFormat = () => new ApiError('BadRequest', 400, 'Error from server (BadRequest): invalid patch format of retainKeys');

function withoutKey(map: JsonMap, key: string): JsonMap {
  const copy = { ...map };
  delete copy[key];
  return copy;
}

function isDirectiveItem(item: unknown, directive?: string): boolean {
  return isMap(item) && hasOwn(item, PATCH_DIRECTIVE) && (directive === undefined || item[PATCH_DIRECTIVE] === directive);
}

function strategicMergeList(
  original: unknown[],
  patch: unknown[],
  path: string[],
  kind: string,
  order: ListOrder,
  elementOrder?: unknown,
): unknown[] {
  const merged = strategicMergeListUnordered(original, patch, path, kind, order);
  const strategy = listStrategy(path, kind);
  if (!Array.isArray(elementOrder) || strategy.type !== 'mergeByKey' || order === 'patch-first') return merged;
  // $setElementOrder (what kubectl debug's and apply's patches carry): the items it lists in its
  // order, the ones it does not list after them (apimachinery's normalizeElementOrder)
  const rank = new Map(elementOrder.filter(isMap).map((o, i) => [keyString(o[strategy.mergeKey]), i]));
  const rankOf = (item: unknown) => (isMap(item) ? rank.get(keyString(item[strategy.mergeKey])) : undefined);
  const listed = merged.filter((item) => rankOf(item) !== undefined).sort((a, b) => rankOf(a)! - rankOf(b)!);
  return [...listed, ...merged.filter((item) => rankOf(item) === undefined)];
}

function strategicMergeListUnordered(original: unknown[], patch: unknown[], path: string[], kind: string, order: ListOrder): unknown[] {
  const strategy = listStrategy(path, kind);
  if (strategy.type === 'replace') return patch.filter((item) => !isDirectiveItem(item));
  if (strategy.type === 'set') {
    const result = [...original];
    for (const item of patch) if (!result.some((existing) => deepEqual(existing, item))) result.push(item);
    return result;
  }
  const { mergeKey } = strategy;
  // A `{$patch: replace}` item makes the rest of the patch list the whole list.
  if (patch.some((item) => isDirectiveItem(item, 'replace'))) {
    return patch
      .filter((item) => !isDirectiveItem(item, 'replace'))
      .map((item) => (isMap(item) ? strategicMergeMap({}, item, path, kind, order) : item));
  }
  // `$patch: delete` items go first, as apimachinery's mergeSliceWithSpecialElements takes them
  const deleted = new Set(patch.filter((item) => isDirectiveItem(item, 'delete')).map((item) => keyString(mergeKeyOf(item, mergeKey))));
  const patchItems: PositionedItem[] = [];
  const positionOf = (key: unknown): number =>
    deleted.has(keyString(key)) ? -1 : original.findIndex((existing) => isMap(existing) && deepEqual(existing[mergeKey], key));
  for (const item of patch) {
    const key = mergeKeyOf(item, mergeKey);
    const patchItem = item as JsonMap;
    if (patchItem[PATCH_DIRECTIVE] === 'delete') continue;
    const already = patchItems.find((entry) => deepEqual((entry.item as JsonMap)[mergeKey], key));
    if (already) {
      already.item = strategicMergeMap(already.item as JsonMap, patchItem, path, kind, order);
      continue;
    }
    const position = positionOf(key);
    const base = position >= 0 ? (original[position] as JsonMap) : {};
    patchItems.push({ item: strategicMergeMap(base, patchItem, path, kind, order), position: position >= 0 ? position : undefined });
  }
  const taken = new Set(patchItems.map((entry) => entry.position));
  const serverOnly: PositionedItem[] = [];
  original.forEach((item, position) => {
    if (taken.has(position)) return;
    if (isMap(item) && item[mergeKey] !== undefined && deleted.has(keyString(item[mergeKey]))) return;
    serverOnly.push({ item, position });
  });
  // kustomize (kyaml merge2 with ListIncreaseDirection prepend) puts the patch's items first
  if (order === 'patch-first') return [...patchItems.map((entry) => entry.item), ...serverOnly.map((entry) => entry.item)];
  return orderLikeManifest(patchItems, serverOnly);
}

// ---------------------------------------------------------------------------
// Three-way merge (client-side `kubectl apply`)

/**
 * kubectl apply's three-way merge. `original` is the last-applied configuration
 * (undefined when the live object has none), `modified` the new manifest and
 * `current` the live object. Fields the manifest dropped since the last apply are
 * removed; fields it sets win; fields it never managed (status, defaults, labels
 * added by `kubectl label`, list items added by controllers) are kept.
 */
export function threeWayMerge(original: unknown, modified: unknown, current: unknown, kind: string): { merged: unknown; changed: boolean } {
  const merged = clone(mergeThreeWay(original, modified, current, [], kind));
  return { merged, changed: !deepEqual(merged, current) };
}

function mergeThreeWay(original: unknown, modified: unknown, current: unknown, path: string[], kind: string): unknown {
  if (isMap(modified)) return mergeThreeWayMap(isMap(original) ? original : {}, modified, isMap(current) ? current : {}, path, kind);
  if (!Array.isArray(modified)) return modified;
  const strategy = listStrategy(path, kind);
  if (strategy.type === 'replace') return modified;
  const originalItems = Array.isArray(original) ? original : [];
  const currentItems = Array.isArray(current) ? current : [];
  if (strategy.type === 'set')
    return mergeThreeWayList(
      originalItems,
      modified,
      currentItems,
      (item) => item,
      (_orig, mod) => mod,
    );
  const { mergeKey } = strategy;
  return mergeThreeWayList(
    originalItems,
    modified,
    currentItems,
    (item) => mergeKeyOf(item, mergeKey),
    (orig, mod, cur) => mergeThreeWay(orig, mod, cur, path, kind),
  );
}

function mergeThreeWayMap(original: JsonMap, modified: JsonMap, current: JsonMap, path: string[], kind: string): JsonMap {
  const result: JsonMap = { ...current };
  for (const key of Object.keys(original)) {
    if (modified[key] === undefined) delete result[key];
  }
  for (const [key, value] of Object.entries(modified)) {
    // A null in the manifest asks for the field to be cleared, as it does in a patch (a field
    // that is null already, like a template's creationTimestamp, stays as it is)
    if (value === null || value === undefined) {
      if (current[key] !== null) delete result[key];
    } else result[key] = mergeThreeWay(original[key], value, current[key], [...path, key], kind);
  }
  // the patch's $retainKeys (the manifest's keys) clears the rest of the live map
  if (retainsKeys(path, kind)) {
    for (const key of Object.keys(result)) if (modified[key] === undefined || modified[key] === null) delete result[key];
  }
  return result;
}

/** Keys become strings so that 80 and "80" stay distinct and lookups are O(1). */
function keyString(key: unknown): string {
  return `${typeof key}:${JSON.stringify(key)}`;
}

/**
 * A list merged by key: items the manifest dropped since the last apply go, the
 * manifest's items merge into the live ones with the same key (or are added), and
 * items only the live object has stay.
 */
function mergeThreeWayList(
  originalItems: unknown[],
  modifiedItems: unknown[],
  currentItems: unknown[],
  keyOf: (item: unknown) => unknown,
  mergeItem: (original: unknown, modified: unknown, current: unknown) => unknown,
): unknown[] {
  // Only the manifest must carry merge keys; a keyless live or last-applied item is left alone.
  const keyIfAny = (item: unknown): string | undefined => {
    try {
      return keyString(keyOf(item));
    } catch {
      return undefined;
    }
  };
  const originalByKey = new Map<string, unknown>();
  for (const item of originalItems) {
    const key = keyIfAny(item);
    if (key !== undefined) originalByKey.set(key, item);
  }
  const modifiedByKey = new Map(modifiedItems.map((item) => [keyString(keyOf(item)), item]));
  const deletedKeys = new Set([...originalByKey.keys()].filter((key) => !modifiedByKey.has(key)));
  const currentByKey = new Map<string, unknown>();
  for (const item of currentItems) {
    const key = keyIfAny(item);
    if (key !== undefined && !currentByKey.has(key)) currentByKey.set(key, item);
  }

  const mergedByKey = new Map<string, unknown>();
  let manifestChangesList = false;
  for (const [key, item] of modifiedByKey) {
    const live = currentByKey.get(key);
    const merged = mergeItem(originalByKey.get(key), item, live);
    mergedByKey.set(key, merged);
    if (!currentByKey.has(key) || !deepEqual(merged, live)) manifestChangesList = true;
  }

  const inLiveOrder: unknown[] = [];
  const liveOnly: PositionedItem[] = [];
  const placed = new Set<string>();
  currentItems.forEach((item, position) => {
    const key = keyIfAny(item);
    if (key !== undefined && deletedKeys.has(key)) return;
    if (key !== undefined && mergedByKey.has(key) && !placed.has(key)) {
      placed.add(key);
      inLiveOrder.push(mergedByKey.get(key));
    } else {
      inLiveOrder.push(item);
      liveOnly.push({ item, position });
    }
  });
  const added = [...mergedByKey.keys()].filter((key) => !placed.has(key)).map((key) => mergedByKey.get(key));
  // Without changes from the manifest the live order stands: a reordered manifest alone patches nothing.
  if (!manifestChangesList) return [...inLiveOrder, ...added];
  const livePositionByKey = new Map<string, number>();
  currentItems.forEach((item, position) => {
    const key = keyIfAny(item);
    if (key !== undefined && !livePositionByKey.has(key)) livePositionByKey.set(key, position);
  });
  const manifestItems = [...mergedByKey.entries()].map(([key, item]) => ({ item, position: livePositionByKey.get(key) }));
  return orderLikeManifest(manifestItems, liveOnly);
}

interface PositionedItem {
  item: unknown;
  /** index in the live list; undefined for items the live list does not have yet */
  position?: number;
}

/**
 * When the patch carries list changes, kubectl sends `$setElementOrder` and the
 * server orders the manifest's items as the manifest does, slotting each live-only
 * item in ahead of the first manifest item that came after it in the live list
 * (apimachinery strategicpatch mergeSortedSlice).
 */
function orderLikeManifest(manifestItems: PositionedItem[], liveOnly: PositionedItem[]): unknown[] {
  const result: unknown[] = [];
  let next = 0;
  for (const { item, position } of manifestItems) {
    while (position !== undefined && next < liveOnly.length && (liveOnly[next].position as number) < position)
      result.push(liveOnly[next++].item);
    result.push(item);
  }
  for (const rest of liveOnly.slice(next)) result.push(rest.item);
  return result;
}
