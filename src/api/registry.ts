import { ApiError, type FieldError } from '../util/errors';
import type { KObject } from '../model/objects';
import type { ObjectOf } from '../model/kinds';

import type { ObjectStore } from '../store/object-store';
import type { ObjectReader } from '../model/object-reader';
import type { Random } from '../util/random';

export interface PrintContext {
  now: number;
  store: ObjectStore;
}

/** What a read sees besides the object: the time and the other objects. */
export interface ServeContext {
  now: number;
  store: ObjectReader;
  /** the version the request names (`widgets.v1beta1.example.com`); the preferred one when unset */
  version?: string;
}

/**
 * A printer column, declared as data by each kind (kubectl's TableConvertor). A kind's own
 * columns read its typed alias (`Column<Pod>`): the table printer hands each column objects of
 * the kind it was declared for.
 */
export interface Column<T extends KObject = KObject> {
  header: string;
  /** shown only with -o wide */
  wide?: boolean;
  value(obj: T, ctx: PrintContext): string;
  /** a CRD's additionalPrinterColumn: the printers evaluate the JSONPath and format the cell by type */
  jsonPath?: { path: string; type: string };
}

export interface AdmissionContext {
  store: ObjectStore;
  now: number;
  random: Random;
}

export interface KindInfo {
  kind: string;
  group: string;
  version: string;
  /** other versions the API server also serves for this kind (converted on write by `defaults`) */
  otherVersions?: string[];
  plural: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  columns: Column[];
  /** fills defaults in place on a copy (the API server's defaulting) */
  defaults?(obj: KObject, ctx: AdmissionContext): void;
  /** field errors in the API server's words; `old` is set on update */
  validate?(obj: KObject, old: KObject | undefined, ctx: AdmissionContext): FieldError[];
  /**
   * The object as a read returns it, for fields the server keeps current without writing them
   * (a node Lease's renewTime); reads that show objects (get, describe) pass them through here.
   */
  served?(obj: KObject, ctx: ServeContext): KObject;
  /** kubectl describe body (without the Events section) */
  describe?(obj: KObject, ctx: PrintContext): string;
  /** fields that are the object's "spec" for generation bumps (default: spec) */
  specFields?: string[];
  /** metadata.generation kept outside the groups that all keep it (a core ReplicationController does) */
  tracksGeneration?: boolean;
  /** true for kinds kubectl lists under `get all` (discovery's category "all") */
  inAll?: boolean;
  /** discovery categories; `all` is implied by inAll (api-resources --categories) */
  categories?: string[];
  /** the verbs discovery lists, when not the full set (api-resources --verbs) */
  verbs?: string[];
  /** a custom resource's CustomResourceDefinition name (served from the store, not built in) */
  crd?: string;
  /** the row order of the API server's table for a list, when not the stored (name) order */
  tableOrder?(objects: KObject[]): KObject[];
  /**
   * a resource with no storage, whose REST handler makes its objects on each request
   * (componentstatuses: kube-apiserver's componentstatus.REST probes the components): they are
   * listed by `computedObjects`, never stored
   */
  computed?: boolean;
  /** the objects of a `computed` kind, as a list returns them */
  computedObjects?(now: number): KObject[];
  /** the error a get of a name a `computed` kind does not have answers (when it is not NotFound) */
  missing?(name: string): Error;
  /** the release that deprecated the kind's version (`1.19`): every request of it gets the API server's warning */
  deprecatedIn?: string;
  /**
   * another group's view of a kind declared before it, served from the same storage (kube's
   * events.k8s.io Events are the core Events' storage): objects are the kind's, converted by
   * `served`; names go to the kind first declared (`kindInfo('Event')` is core's)
   */
  viewOf?: boolean;
  /** a view's object as the storage it shares keeps it (events.k8s.io/v1 → core v1), on write */
  stored?(obj: KObject): KObject;
}

/** What discovery says most resources support (sorted, as the API server lists them). */
const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function verbsOf(info: KindInfo): string[] {
  return info.verbs ?? STANDARD_VERBS;
}

/**
 * Refuses a verb the resource's REST storage does not implement, as kube-apiserver does for
 * every kind (the verbs `api-resources -o wide` lists): the installer
 * (staging/src/k8s.io/apiserver/pkg/endpoints/installer.go) registers a route only for the
 * interfaces the storage has, so any other method on the resource's path is go-restful's 405,
 * which the server's serviceErrorHandler words with apierrors.NewGenericServerResponse ("the
 * server does not allow this method on the requested resource"); a watch is a GET the list
 * route takes, and handlers.ListResource answers it with apierrors.NewMethodNotSupported when the
 * storage is no rest.Watcher (`watch is not supported on resources of kind "componentstatuses"`).
 * Used by the CLI's writes and watches and by `kubesim serve`'s router.
 */
export function checkVerb(info: KindInfo, verb: string): void {
  if (verbsOf(info).includes(verb)) return;
  if (verb === 'watch') {
    const refused = new ApiError(
      'MethodNotAllowed',
      405,
      `Error from server (MethodNotAllowed): watch is not supported on resources of kind "${resourceName(info)}"`,
    );
    // NewMethodNotSupported's details: the GroupResource (group omitted when empty), no name
    refused.statusDetails = { ...(info.group ? { group: info.group } : {}), kind: info.plural };
    throw refused;
  }
  throw methodNotAllowed();
}

/**
 * go-restful's 405 for a method the path has no route for, as the server's serviceErrorHandler
 * words it: apierrors.NewGenericServerResponse(405, "", schema.GroupResource{}, "", …), whose
 * details are there but empty (`"details":{}`).
 */
export function methodNotAllowed(): ApiError {
  const refused = new ApiError(
    'MethodNotAllowed',
    405,
    'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource',
  );
  refused.statusDetails = {};
  return refused;
}

/**
 * Whether the API server has a route (a handler) for the verb on the resource: its deprecation
 * warning is added by that handler (installer.go registerResourceHandlers wraps each route's
 * handler with the version's warning), so a verb answered by go-restful's 405 gets none; a watch
 * is the list route's.
 */
export function hasRoute(info: KindInfo, verb: string): boolean {
  return verbsOf(info).includes(verb === 'watch' ? 'list' : verb);
}

/** A `computed` kind's object of that name, as its GET makes it (undefined: it has none). */
export function computedObject(info: KindInfo, now: number, name: string): KObject | undefined {
  return info.computedObjects?.(now).find((o) => o.metadata.name === name);
}

export function categoriesOf(info: KindInfo): string[] {
  const categories = info.categories ?? [];
  return info.inAll && !categories.includes('all') ? ['all', ...categories] : categories;
}

/**
 * Kinds register themselves when src/api/kinds/index.ts is imported; the modules that
 * look kinds up (server, printers, resource arguments) import it.
 */
const kinds: KindInfo[] = [];
const byKind = new Map<string, KindInfo>();
const byName = new Map<string, KindInfo>();
/** the views of a kind another group serves, by `Kind.group` (what their modules register as) */
const views = new Map<string, KindInfo>();
const viewKey = (kind: string, group: string) => `${kind}.${group}`;
/** the kinds CustomResourceDefinitions serve: replaced as a whole when the CRDs change */
let customKinds: KindInfo[] = [];
const customByKind = new Map<string, KindInfo>();
const customByName = new Map<string, KindInfo>();

/** how to read the custom kinds when first asked about (see setCustomKindsLoader); none: they are current */
let customLoader: (() => void) | undefined;

/**
 * Forgets the custom kinds served so far; `load` (which calls setCustomKinds) reads them the
 * first time a name is not a built-in one or every kind is listed. A command names its state
 * file before its session reads the CRDs; most commands never need them, and the session's
 * own load serves them without a second read of the file.
 */
export function setCustomKindsLoader(load: () => void): void {
  setCustomKinds([]);
  customLoader = load;
}

function currentCustomKinds(): void {
  const load = customLoader;
  if (!load) return;
  customLoader = undefined;
  load();
}

function indexNames(info: KindInfo, into: Map<string, KindInfo>): void {
  const names = [info.plural, info.singular, info.kind.toLowerCase(), ...info.shortNames];
  for (const n of names) {
    if (!into.has(n)) into.set(n, info);
    if (info.group) into.set(`${n}.${info.group}`, info);
  }
}

/**
 * What discovery, resource names and `api-resources` need of a kind, declared up front by
 * api/kinds/index.ts (and only there); the rest of its KindInfo (columns, defaulting, validation,
 * describe…) is in its module, loaded the first time one of those is read.
 */
export type KindMeta = Pick<
  KindInfo,
  | 'kind'
  | 'group'
  | 'version'
  | 'otherVersions'
  | 'plural'
  | 'singular'
  | 'shortNames'
  | 'namespaced'
  | 'inAll'
  | 'categories'
  | 'verbs'
  | 'computed'
  | 'deprecatedIn'
  | 'viewOf'
>;

/** the fields a kind's module supplies when it registers (reading one loads the module) */
const MODULE_FIELDS = [
  'columns',
  'defaults',
  'validate',
  'served',
  'describe',
  'specFields',
  'tracksGeneration',
  'tableOrder',
  'computedObjects',
  'missing',
  'stored',
] as const;

/** declared kinds whose module has not registered yet */
const pending = new Set<KindInfo>();

/**
 * Declares a built-in kind by its names; `load` imports its module (which calls registerKind)
 * when a field only the module has is first read.
 */
export function declareKind(meta: KindMeta, load: () => void): KindInfo {
  if (meta.viewOf ? !byKind.has(meta.kind) : byKind.has(meta.kind))
    throw new Error(meta.viewOf ? `kind ${meta.kind} is a view of nothing declared` : `kind ${meta.kind} is declared twice`);
  const info = { ...meta } as KindInfo;
  for (const field of MODULE_FIELDS) {
    Object.defineProperty(info, field, {
      configurable: true,
      enumerable: true,
      get() {
        if (pending.has(info)) load();
        if (pending.has(info)) throw new Error(`loading the module of ${meta.kind} did not register it`);
        return info[field];
      },
    });
  }
  pending.add(info);
  kinds.push(info);
  if (meta.viewOf) views.set(viewKey(meta.kind, meta.group), info);
  else byKind.set(info.kind, info);
  indexNames(info, byName);
  return info;
}

/**
 * What a kind's module supplies (src/api/kinds/<kind>.ts); the kind's names live once, in its
 * declaration (api/kinds/index.ts). The functions read the kind's typed alias: the registry only
 * hands a kind's strategy objects of that kind. `validate` still checks what the user wrote
 * (typeof, Array.isArray) before trusting a field: the types say what a field should be.
 */
export interface KindModule<T extends KObject = KObject> {
  columns: Column<T>[];
  defaults?(obj: T, ctx: AdmissionContext): void;
  validate?(obj: T, old: T | undefined, ctx: AdmissionContext): FieldError[];
  served?(obj: T, ctx: ServeContext): KObject;
  describe?(obj: T, ctx: PrintContext): string;
  specFields?: string[];
  tracksGeneration?: boolean;
  tableOrder?(objects: T[]): T[];
  computedObjects?(now: number): T[];
  missing?(name: string): Error;
  stored?(obj: T): KObject;
}

/**
 * A kind's module registers its strategy for the kind declared by that name (api/kinds/index.ts,
 * which the modules import through api/kinds/register.ts, so a module imported on its own finds
 * its declaration).
 */
export function registerKind<K extends string>(kind: K, module: KindModule<ObjectOf<K>>): KindInfo {
  // a view registers as `Kind.group` (events.k8s.io's Event: 'Event.events.k8s.io')
  const info = views.get(kind) ?? byKind.get(kind);
  if (!info) throw new Error(`kind ${kind} is registered but not declared in api/kinds/index.ts`);
  if (!pending.has(info)) throw new Error(`kind ${kind} is registered twice`);
  pending.delete(info);
  const fields = module as KindModule as Partial<KindInfo>;
  for (const field of MODULE_FIELDS)
    Object.defineProperty(info, field, { configurable: true, enumerable: true, writable: true, value: fields[field] });
  return info;
}

/**
 * Serves the kinds of the established CRDs (api/crd/custom-kinds builds them), in place of
 * the ones served before. A built-in name wins over a custom one, as kubectl's RESTMapper
 * prefers the built-in groups for a bare resource name.
 */
export function setCustomKinds(infos: KindInfo[]): void {
  customLoader = undefined;
  customKinds = infos.filter((i) => !byKind.has(i.kind));
  customByKind.clear();
  customByName.clear();
  for (const info of customKinds) {
    if (!customByKind.has(info.kind)) customByKind.set(info.kind, info);
    indexNames(info, customByName);
  }
}

/**
 * The API server's warning on every request of a deprecated version (apiserver
 * pkg/endpoints/deprecation WarningMessage): `v1 ComponentStatus is deprecated in v1.19+`.
 */
export function deprecationWarning(info: KindInfo): string | undefined {
  return info.deprecatedIn ? `${apiVersionOf(info)} ${info.kind} is deprecated in v${info.deprecatedIn}+` : undefined;
}

export function apiVersionOf(info: KindInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** `deployments.apps`, `pods` — the resource as the API server names it in messages. */
export function resourceName(info: KindInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

/** `deployment.apps`, `pod` — the kind as kubectl prints it before a name (`-o name`, `… "web" deleted`). */
export function qualifiedKind(info: KindInfo): string {
  return info.group ? `${info.singular}.${info.group}` : info.singular;
}

/** `deployment.apps/web`, `pod/x` (kubectl -o name and apply's result lines) */
export function qualifiedName(info: KindInfo, name: string): string {
  return `${qualifiedKind(info)}/${name}`;
}

/** What a read returns for a stored object (KindInfo.served). */
export function servedObject(info: KindInfo, obj: KObject, ctx: ServeContext): KObject {
  return info.served ? info.served(obj, ctx) : obj;
}

export function kindInfo(kind: string): KindInfo | undefined {
  const info = byKind.get(kind);
  if (info) return info;
  currentCustomKinds();
  return customByKind.get(kind);
}

/** An object's kind by its apiVersion too: a view's objects (events.k8s.io/v1 Events) are the view's. */
export function kindInfoOfObject(obj: { apiVersion?: string; kind: string }): KindInfo | undefined {
  const slash = obj.apiVersion?.indexOf('/') ?? -1;
  const view = slash > 0 ? views.get(viewKey(obj.kind, obj.apiVersion!.slice(0, slash))) : undefined;
  return view ?? kindInfo(obj.kind);
}

export function kindInfoOrThrow(kind: string): KindInfo {
  const info = kindInfo(kind);
  if (!info) throw new Error(`unknown kind ${kind}`);
  return info;
}

/** Resolves what a user typed (`po`, `deploy`, `deployments.apps`, `Deployment`, `deployments.v1.apps`). */
export function resolveResource(name: string): KindInfo | undefined {
  return resolveResourceVersion(name)?.info;
}

function resolveName(name: string): KindInfo | undefined {
  const lower = name.toLowerCase();
  const info = byName.get(name) ?? byName.get(lower);
  if (info) return info;
  currentCustomKinds();
  return customByName.get(name) ?? customByName.get(lower);
}

/**
 * A resource argument and the version it names, if it names one: kubectl's ParseResourceArg
 * reads `widgets.v1beta1.example.com` as resource.version.group first, when that version is
 * served, and as resource.group otherwise.
 */
export function resolveResourceVersion(name: string): { info: KindInfo; version?: string } | undefined {
  const parts = name.split('.');
  if (parts.length >= 3) {
    const info = resolveName(`${parts[0]}.${parts.slice(2).join('.')}`);
    const version = parts[1];
    if (info && info.group === parts.slice(2).join('.') && [info.version, ...(info.otherVersions ?? [])].includes(version))
      return { info, version };
  }
  const info = resolveName(name);
  return info && { info };
}

/** Looks a manifest's apiVersion/kind up; undefined when the version or kind is unknown. */
export function resolveManifestKind(apiVersion: string, kind: string): KindInfo | undefined {
  // another group's view of a kind (events.k8s.io/v1 Event) is written through that group
  const view = kindInfoOfObject({ apiVersion, kind });
  if (view?.viewOf && apiVersionOf(view) === apiVersion) return view;
  const info = kindInfo(kind);
  if (!info) return undefined;
  if (apiVersionOf(info) === apiVersion) return info;
  if (info.otherVersions?.some((v) => (info.group ? `${info.group}/${v}` : v) === apiVersion)) return info;
  return undefined;
}

export function allKinds(): KindInfo[] {
  currentCustomKinds();
  return [...kinds, ...customKinds];
}
