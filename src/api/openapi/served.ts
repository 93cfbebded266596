/**
 * The OpenAPI documents the API server serves: /openapi/v3 (a root listing one document per
 * group-version, each under a hash of its bytes) and /openapi/v2 (one swagger document), built
 * from the v1.32 built-in schemas (third_party/kubernetes-openapi) and the CRDs' published schemas.
 *
 * What kubectl v1.32 reads in them (and so what must be right):
 * - `kubectl apply` / `create` validation: cli-runtime's queryParamVerifierV3 looks, in the
 *   group-version's document, for a PATCH operation whose `x-kubernetes-group-version-kind` is the
 *   object's and which declares the `fieldValidation` query parameter; then the server validates;
 * - `kubectl apply`'s patch: patcher.go gvkSupportsPatchOpenAPIV3 wants that PATCH operation to
 *   accept `application/strategic-merge-patch+json`, then builds the patch with
 *   strategicpatch.PatchMetaFromOpenAPIV3 over `components.schemas` (the schema whose
 *   `x-kubernetes-group-version-kind` list has the kind, `x-kubernetes-patch-strategy` and
 *   `x-kubernetes-patch-merge-key` on its fields, `allOf[0]` / `$ref` to follow types);
 * - `kubectl explain`: the plaintext template finds the kind from the `x-kubernetes-group-version-kind`
 *   of an operation on `/apis/<g>/<v>/[namespaces/{namespace}/]<plural>[/{name}]`, then its schema.
 *
 * The shapes follow kube-openapi's builder as the API server serves them (kubectl's
 * testdata/openapi/v3/apis/apps/v1.json is such a document). Left out: the deprecated `watch/`
 * paths, parameter descriptions, subresources other than status and scale, and the discovery
 * documents (`api`, `apis`, `apis/<group>`, `version`) that the v3 root also lists on a real server.
 */
import { createHash } from 'node:crypto';
import type { KObject } from '../../model/objects';
import { isKind, type CustomResourceDefinition } from '../../model/kinds';
import '../kinds/index';
import { allKinds, verbsOf } from '../registry';
import { publishedCustomSchema } from '../crd/published-schema';
import type { JSONSchemaProps } from '../crd/schema';
import { builtinDefinition, builtinKindModels } from './builtin-schemas';
import { DEFINITION_NAME_EXCEPTIONS, DEFINITION_PACKAGES } from './definition-names';
import { isKubesimGroup, KUBESIM_DEFINITION_PACKAGES } from './kubesim-schemas';
import { statusOwnedBySubresource } from '../status-strategy';
import { PATCH_METADATA, type FieldPatchMetadata } from './patch-metadata';
import { definitionTypeName, type Schema } from './schema';
import { encodeOpenApiV2, OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_DEPRECATED } from './openapi-v2-protobuf';

type Json = Record<string, unknown>;
type Style = 'v2' | 'v3';

// ---------------------------------------------------------------------------
// Definition names

let servedNames: Map<string, string> | undefined;

/** The served name of a model of the data: `V1DeploymentSpec` → `io.k8s.api.apps.v1.DeploymentSpec`. */
export function servedDefinitionName(model: string): string {
  if (!servedNames) {
    servedNames = new Map(Object.entries(DEFINITION_NAME_EXCEPTIONS));
    for (const [pkg, models] of [...Object.entries(DEFINITION_PACKAGES), ...Object.entries(KUBESIM_DEFINITION_PACKAGES)])
      for (const m of models) servedNames.set(m, `${pkg}.${definitionTypeName(m)}`);
  }
  return servedNames.get(model) ?? model;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const INT_OR_STRING = 'IntOrString';
/** metav1.Patch's doc comment (apimachinery pkg/apis/meta/v1/types.go): the PATCH body's type, not in the imported data. */
const PATCH_DEFINITION: Json = {
  description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  type: 'object',
};

/** `stable.example.com` → `com.example.stable`: the reversed group apiextensions-apiserver names a CRD's definitions with. */
function reversedGroup(group: string): string {
  return group.split('.').reverse().join('.');
}

// ---------------------------------------------------------------------------
// What is served

interface ServedResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  verbs: readonly string[];
  /** the kind's model (built-in) or served definition name (custom) */
  model: string;
  listModel: string;
  status: boolean;
  scale: boolean;
  /** built-in types take strategic merge patches; custom resources do not */
  strategic: boolean;
}

/** A custom kind's version: its published schema and its list's, under their served names. */
interface CustomDefinitions {
  [servedName: string]: Schema;
}

interface ServedSet {
  resources: ServedResource[];
  custom: CustomDefinitions;
  customV2: CustomDefinitions;
  /** `group/version/Kind` of every custom definition with a kind */
  customKinds: Map<string, { group: string; version: string; kind: string }>;
}

/**
 * The kinds whose storage has a scale subresource (kube-apiserver pkg/registry: deployments,
 * replicasets, statefulsets and replicationcontrollers each have a ScaleREST), served as autoscaling/v1 Scale.
 */
const SCALABLE = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', '/ReplicationController']);

/** A subresource written by POST (or PUT) with a request type of its own. */
interface ActionSubresource {
  sub: string;
  verb: 'post' | 'put';
  model: string;
  gvk: { group: string; version: string; kind: string };
}

/**
 * The core subresources kubesim serves besides status and scale, with the types their REST
 * storage takes (kube-apiserver pkg/registry/core/pod/storage: BindingREST, EvictionREST, LogREST;
 * serviceaccount/storage TokenREST; namespace/storage FinalizeREST). exec, attach, portforward
 * and proxy are connect operations kubesim does not serve.
 */
const ACTION_SUBRESOURCES: Readonly<Record<string, readonly ActionSubresource[]>> = {
  Pod: [
    { sub: 'binding', verb: 'post', model: 'V1Binding', gvk: { group: '', version: 'v1', kind: 'Binding' } },
    { sub: 'eviction', verb: 'post', model: 'V1Eviction', gvk: { group: 'policy', version: 'v1', kind: 'Eviction' } },
  ],
  ServiceAccount: [
    {
      sub: 'token',
      verb: 'post',
      model: 'AuthenticationV1TokenRequest',
      gvk: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
    },
  ],
  Namespace: [{ sub: 'finalize', verb: 'put', model: 'V1Namespace', gvk: { group: '', version: 'v1', kind: 'Namespace' } }],
};

/** pods/log's query parameters (corev1.PodLogOptions) */
const LOG_PARAMETERS: [string, string][] = [
  ['container', 'string'],
  ['follow', 'boolean'],
  ['insecureSkipTLSVerifyBackend', 'boolean'],
  ['limitBytes', 'integer'],
  ['previous', 'boolean'],
  ['sinceSeconds', 'integer'],
  ['tailLines', 'integer'],
  ['timestamps', 'boolean'],
];

function builtinResources(): ServedResource[] {
  const kinds = builtinKindModels();
  const out: ServedResource[] = [];
  for (const info of allKinds()) {
    if (info.crd) continue;
    for (const version of [info.version, ...(info.otherVersions ?? [])]) {
      const model = kinds[`${info.group}/${version}/${info.kind}`];
      const def = model ? builtinDefinition(model) : undefined;
      if (!model || !def) continue;
      out.push({
        group: info.group,
        version,
        kind: info.kind,
        plural: info.plural,
        namespaced: info.namespaced,
        verbs: verbsOf(info),
        model,
        listModel: builtinDefinition(`${model}List`) ? `${model}List` : model,
        // a status subresource where the kind's storage has one (kubesim's NodeGroup has a status but no subresource)
        status: !!def.properties?.status && statusOwnedBySubresource(info),
        scale: SCALABLE.has(`${info.group}/${info.kind}`),
        strategic: true,
      });
    }
  }
  return out;
}

interface CrdVersionSpec {
  name: string;
  served?: boolean;
  schema?: { openAPIV3Schema?: JSONSchemaProps };
  subresources?: { status?: object; scale?: object };
}

/** An Established CustomResourceDefinition (the list may hold other kinds' objects: the guard narrows to the generated type). */
function isEstablished(crd: KObject): crd is CustomResourceDefinition {
  if (!isKind(crd, 'CustomResourceDefinition')) return false;
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

/** The established CRDs' served versions, with their schemas as apiextensions-apiserver publishes them. */
function customResources(crds: readonly KObject[]): Omit<ServedSet, 'resources'> & { resources: ServedResource[] } {
  const resources: ServedResource[] = [];
  const custom: CustomDefinitions = {};
  const customV2: CustomDefinitions = {};
  const customKinds = new Map<string, { group: string; version: string; kind: string }>();
  const sorted = [...crds].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  for (const crd of sorted) {
    if (!isEstablished(crd)) continue;
    const spec = (crd.spec ?? {}) as {
      group?: string;
      names?: { kind?: string; listKind?: string; plural?: string };
      scope?: string;
      versions?: CrdVersionSpec[];
    };
    const group = spec.group;
    const kind = spec.names?.kind;
    const plural = spec.names?.plural;
    if (!group || !kind || !plural) continue;
    const listKind = spec.names?.listKind ?? `${kind}List`;
    for (const v of spec.versions ?? []) {
      const schema = v.schema?.openAPIV3Schema;
      if (!v.served || !schema) continue;
      const published = publishedCustomSchema(group, v.name, kind, schema);
      const publishedV2 = publishedCustomSchema(group, v.name, kind, schema, true);
      if (!published || !publishedV2) continue;
      const name = `${reversedGroup(group)}.${v.name}.${kind}`;
      const listName = `${reversedGroup(group)}.${v.name}.${listKind}`;
      custom[name] = published.root;
      customV2[name] = publishedV2.root;
      custom[listName] = customList(kind, name);
      customV2[listName] = customList(kind, name);
      customKinds.set(name, { group, version: v.name, kind });
      customKinds.set(listName, { group, version: v.name, kind: listKind });
      resources.push({
        group,
        version: v.name,
        kind,
        plural,
        namespaced: spec.scope !== 'Cluster',
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        model: name,
        listModel: listName,
        status: !!v.subresources?.status,
        scale: !!v.subresources?.scale,
        strategic: false,
      });
    }
  }
  return { resources, custom, customV2, customKinds };
}

/** A custom kind's list (apiextensions-apiserver builder's list schema): apiVersion, kind, items, metadata. */
function customList(kind: string, itemName: string): Schema {
  const typeMeta = builtinDefinition('V1PodList')?.properties ?? {};
  return {
    description: `${kind}List is a list of ${kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      ...(typeMeta.apiVersion && { apiVersion: typeMeta.apiVersion }),
      items: {
        description: `List of ${kind.toLowerCase()}s. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md`,
        type: 'array',
        items: { $ref: itemName },
      },
      ...(typeMeta.kind && { kind: typeMeta.kind }),
      metadata: { $ref: 'V1ListMeta' },
    },
  };
}

// ---------------------------------------------------------------------------
// Schemas

/** Builds the definitions one document needs: each referenced type once, converted for the style. */
class Definitions {
  readonly out = new Map<string, Json>();
  private readonly pending: string[] = [];

  constructor(
    private readonly style: Style,
    private readonly set: ServedSet,
    private readonly gvks: ReadonlyMap<string, { group: string; version: string; kind: string }[]>,
  ) {}

  /** A reference to a model (or custom definition), queueing its definition. */
  ref(model: string): string {
    const name = this.set.custom[model] ? model : servedDefinitionName(model);
    if (!this.out.has(name) && !this.pending.includes(model)) this.pending.push(model);
    return (this.style === 'v3' ? '#/components/schemas/' : '#/definitions/') + name;
  }

  /** Converts every queued definition and whatever they reference. */
  drain(): void {
    while (this.pending.length) {
      const model = this.pending.shift()!;
      const customSchema = (this.style === 'v3' ? this.set.custom : this.set.customV2)[model];
      const name = customSchema ? model : servedDefinitionName(model);
      if (this.out.has(name)) continue;
      if (name === `${META}.Patch`) {
        this.out.set(name, PATCH_DEFINITION);
        continue;
      }
      const source = customSchema ?? builtinDefinition(model);
      if (!source) continue;
      this.out.set(name, {});
      this.out.set(name, this.definition(model, name, source));
    }
  }

  private definition(model: string, name: string, source: Schema): Json {
    if (model === INT_OR_STRING) {
      // intstr.IntOrString's OpenAPIV3OneOfTypes / OpenAPISchemaType: a string of format int-or-string in v2
      const base = { description: source.description, format: 'int-or-string' };
      return this.style === 'v3' ? { ...base, oneOf: [{ type: 'integer' }, { type: 'string' }] } : { ...base, type: 'string' };
    }
    const schema = this.convert(source, PATCH_METADATA[name]?.fields);
    const mapType = PATCH_METADATA[name]?.mapType;
    if (mapType) schema['x-kubernetes-map-type'] = mapType;
    const gvks = this.gvks.get(name);
    if (gvks?.length) schema['x-kubernetes-group-version-kind'] = gvks;
    return schema;
  }

  private convert(schema: Schema, fields?: Readonly<Record<string, FieldPatchMetadata>>): Json {
    const out: Json = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' || value === undefined) continue;
      if (key === 'properties') {
        const props: Json = {};
        for (const [field, sub] of Object.entries(value as Record<string, Schema>)) {
          const converted = this.convert(sub);
          const meta = fields?.[field];
          if (meta) Object.assign(converted, patchExtensions(meta));
          props[field] = converted;
        }
        out.properties = props;
      } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) out[key] = this.convert(value as Schema);
      else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') out[key] = (value as Schema[]).map((s) => this.convert(s));
      else if (key === 'not') out[key] = this.convert(value as Schema);
      else out[key] = value;
    }
    if (schema.$ref) {
      const ref = this.ref(schema.$ref);
      // OpenAPI v3 ignores a $ref's siblings, so the builder wraps it in allOf when the field says more
      if (this.style === 'v3' && Object.keys(out).length) out.allOf = [{ $ref: ref }];
      else out.$ref = ref;
    }
    return out;
  }
}

function patchExtensions(meta: FieldPatchMetadata): Json {
  const out: Json = {};
  if (meta.listMapKeys) out['x-kubernetes-list-map-keys'] = meta.listMapKeys;
  if (meta.listType) out['x-kubernetes-list-type'] = meta.listType;
  if (meta.mapType) out['x-kubernetes-map-type'] = meta.mapType;
  if (meta.patchMergeKey) out['x-kubernetes-patch-merge-key'] = meta.patchMergeKey;
  if (meta.patchStrategy) out['x-kubernetes-patch-strategy'] = meta.patchStrategy;
  return out;
}

/** `x-kubernetes-group-version-kind` of every definition that is a kind: the served ones, their lists, and meta's shared kinds. */
function kindExtensions(set: ServedSet): Map<string, { group: string; version: string; kind: string }[]> {
  const out = new Map<string, { group: string; version: string; kind: string }[]>();
  const add = (name: string, gvk: { group: string; version: string; kind: string }) => {
    const list = out.get(name) ?? [];
    if (!list.some((g) => g.group === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) list.push(gvk);
    out.set(name, list);
  };
  for (const [key, model] of Object.entries(builtinKindModels())) {
    const [group, version, kind] = key.split('/');
    add(servedDefinitionName(model), { group, version, kind });
    if (builtinDefinition(`${model}List`)) add(servedDefinitionName(`${model}List`), { group, version, kind: `${kind}List` });
  }
  for (const [name, gvk] of set.customKinds) add(name, gvk);
  add(servedDefinitionName('V1Scale'), { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  for (const list of Object.values(ACTION_SUBRESOURCES)) for (const a of list) add(servedDefinitionName(a.model), a.gvk);
  add(`${META}.Status`, { group: '', version: 'v1', kind: 'Status' });
  add(`${META}.APIResourceList`, { group: '', version: 'v1', kind: 'APIResourceList' });
  // DeleteOptions and WatchEvent are registered in every built-in group-version (the scheme's AddToGroupVersion);
  // kubesim's own groups would be another server's scheme (an aggregated API), so kube-apiserver's documents stay as they are
  const gvs = [
    ...new Set(set.resources.filter((r) => r.strategic && !isKubesimGroup(r.group)).map((r) => `${r.group}/${r.version}`)),
  ].sort();
  for (const gv of gvs) {
    const [group, version] = gv.split('/');
    add(`${META}.DeleteOptions`, { group, version, kind: 'DeleteOptions' });
    add(`${META}.WatchEvent`, { group, version, kind: 'WatchEvent' });
  }
  for (const list of out.values()) list.sort((a, b) => cmp(`${a.group}/${a.version}/${a.kind}`, `${b.group}/${b.version}/${b.kind}`));
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Paths and operations

const LIST_PARAMETERS: [string, string][] = [
  ['allowWatchBookmarks', 'boolean'],
  ['continue', 'string'],
  ['fieldSelector', 'string'],
  ['labelSelector', 'string'],
  ['limit', 'integer'],
  ['resourceVersion', 'string'],
  ['resourceVersionMatch', 'string'],
  ['sendInitialEvents', 'boolean'],
  ['timeoutSeconds', 'integer'],
  ['watch', 'boolean'],
];
const WRITE_PARAMETERS: [string, string][] = [
  ['dryRun', 'string'],
  ['fieldManager', 'string'],
  ['fieldValidation', 'string'],
];
const PATCH_PARAMETERS: [string, string][] = [...WRITE_PARAMETERS, ['force', 'boolean']];
const DELETE_PARAMETERS: [string, string][] = [
  ['dryRun', 'string'],
  ['gracePeriodSeconds', 'integer'],
  ['orphanDependents', 'boolean'],
  ['propagationPolicy', 'string'],
];
const DELETE_COLLECTION_PARAMETERS: [string, string][] = [
  ['continue', 'string'],
  ['dryRun', 'string'],
  ['fieldSelector', 'string'],
  ['gracePeriodSeconds', 'integer'],
  ['labelSelector', 'string'],
  ['limit', 'integer'],
  ['orphanDependents', 'boolean'],
  ['propagationPolicy', 'string'],
  ['resourceVersion', 'string'],
  ['resourceVersionMatch', 'string'],
  ['sendInitialEvents', 'boolean'],
  ['timeoutSeconds', 'integer'],
];

const OBJECT_TYPES = ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml'];
const LIST_TYPES = [
  'application/json',
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf',
  'application/vnd.kubernetes.protobuf;stream=watch',
  'application/yaml',
];
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** `apps` → `Apps`, `rbac.authorization.k8s.io` → `RbacAuthorization`, core → `Core` (the builder's operation id prefix). */
function groupWords(group: string): string[] {
  if (!group) return ['core'];
  return group.replace(/\.k8s\.io$/, '').split(/[.-]/);
}
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** the installer's article for a kind (`a Deployment`, `an Ingress`) */
const article = (kind: string) => (/^[AEIOU]/.test(kind) ? 'an' : 'a');

function operationPrefix(group: string, version: string): string {
  return groupWords(group).map(capital).join('') + capital(version);
}

function tag(group: string, version: string): string {
  const [first, ...rest] = groupWords(group);
  return `${first}${rest.map(capital).join('')}_${version}`;
}

function gvPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

class Paths {
  readonly out: Record<string, Json> = {};

  constructor(
    private readonly style: Style,
    private readonly defs: Definitions,
  ) {}

  private param(name: string, type: string, where: 'query' | 'path', description?: string): Json {
    const p: Json = { ...(description && { description }), in: where, name };
    if (where === 'path') p.required = true;
    if (this.style === 'v3') p.schema = { type, uniqueItems: true };
    else Object.assign(p, { type, uniqueItems: true });
    return p;
  }

  private query(list: [string, string][]): Json[] {
    return list.map(([name, type]) => this.param(name, type, 'query'));
  }

  private responses(codes: [string, string][], model: string | undefined, types: string[]): Json {
    const out: Json = {};
    const ref = model ? { $ref: this.defs.ref(model) } : undefined;
    for (const [code, description] of codes) {
      if (!ref) out[code] = { description };
      else if (this.style === 'v3') out[code] = { content: Object.fromEntries(types.map((t) => [t, { schema: ref }])), description };
      else out[code] = { description, schema: ref };
    }
    out['401'] = { description: 'Unauthorized' };
    return out;
  }

  private body(model: string, types: string[], required: boolean): Json {
    const ref = { $ref: this.defs.ref(model) };
    if (this.style === 'v3')
      return { requestBody: { content: Object.fromEntries(types.map((t) => [t, { schema: ref }])), ...(required && { required }) } };
    return { body: { in: 'body', name: 'body', ...(required && { required }), schema: ref } };
  }

  /** One operation; v2 puts the body among the parameters and names the media types it consumes and produces. */
  private operation(o: {
    description: string;
    id: string;
    action: string;
    gvk?: { group: string; version: string; kind: string };
    params?: Json[];
    body?: { model: string; types: string[]; required: boolean };
    responses: Json;
    produces: string[];
    tags: string;
  }): Json {
    const op: Json = { description: o.description, operationId: o.id };
    const params = [...(o.params ?? [])];
    if (o.body) {
      const b = this.body(o.body.model, o.body.types, o.body.required);
      if (this.style === 'v3') op.requestBody = b.requestBody;
      else params.unshift(b.body as Json);
    }
    if (params.length) op.parameters = params;
    op.responses = o.responses;
    op.tags = [o.tags];
    op['x-kubernetes-action'] = o.action;
    if (o.gvk) op['x-kubernetes-group-version-kind'] = o.gvk;
    if (this.style === 'v2') {
      op.consumes = o.body ? o.body.types : ['*/*'];
      op.produces = o.produces;
      op.schemes = ['https'];
    }
    return op;
  }

  /** pods/binding, pods/eviction, pods/log, serviceaccounts/token, namespaces/finalize: their parameters sit on the path, sorted by name */
  private coreSubresources(r: ServedResource, item: string, prefix: string, t: string): void {
    const scope = r.namespaced ? 'Namespaced' : '';
    // the name parameter is described with the kind the subresource takes (`name of the Eviction`)
    const pathParams = (query: [string, string][], kind: string) => {
      const all: Json[] = [
        ...this.query(query),
        this.param('name', 'string', 'path', `name of the ${kind}`),
        this.param('pretty', 'string', 'query'),
      ];
      if (r.namespaced) all.push(this.param('namespace', 'string', 'path', 'object name and auth scope, such as for teams and projects'));
      return all.sort((a, b) => cmp(a.name as string, b.name as string));
    };
    for (const a of ACTION_SUBRESOURCES[r.kind] ?? []) {
      const created = a.verb === 'post';
      const op = this.operation({
        description: created ? `create ${a.sub} of ${article(r.kind)} ${r.kind}` : `replace ${a.sub} of the specified ${r.kind}`,
        id: `${created ? 'create' : 'replace'}${prefix}${scope}${r.kind}${capital(a.sub)}`,
        action: a.verb,
        gvk: { group: a.gvk.group, kind: a.gvk.kind, version: a.gvk.version },
        body: { model: a.model, types: ['*/*'], required: true },
        responses: this.responses(
          created
            ? [
                ['200', 'OK'],
                ['201', 'Created'],
                ['202', 'Accepted'],
              ]
            : [
                ['200', 'OK'],
                ['201', 'Created'],
              ],
          a.model,
          OBJECT_TYPES,
        ),
        produces: OBJECT_TYPES,
        tags: t,
      });
      this.out[`${item}/${a.sub}`] = { [a.verb]: op, parameters: pathParams(WRITE_PARAMETERS, a.gvk.kind) };
    }
    if (r.kind === 'Pod') {
      const op = this.operation({
        description: `read log of the specified ${r.kind}`,
        id: `read${prefix}${scope}${r.kind}Log`,
        action: 'get',
        gvk: { group: r.group, kind: r.kind, version: r.version },
        responses: this.stringResponse([...OBJECT_TYPES, 'text/plain']),
        produces: [...OBJECT_TYPES, 'text/plain'],
        tags: t,
      });
      this.out[`${item}/log`] = { get: op, parameters: pathParams(LOG_PARAMETERS, r.kind) };
    }
  }

  private stringResponse(types: string[]): Json {
    const schema = { type: 'string' };
    const ok =
      this.style === 'v3'
        ? { content: Object.fromEntries(types.map((t) => [t, { schema }])), description: 'OK' }
        : { description: 'OK', schema };
    return { '200': ok, '401': { description: 'Unauthorized' } };
  }

  discovery(group: string, version: string): void {
    const prefix = operationPrefix(group, version);
    const op = this.operation({
      description: 'get available resources',
      id: `get${prefix}APIResources`,
      action: '',
      responses: this.responses([['200', 'OK']], 'V1APIResourceList', OBJECT_TYPES),
      produces: OBJECT_TYPES,
      tags: tag(group, version),
    });
    delete op['x-kubernetes-action'];
    this.out[`${gvPath(group, version)}/`] = { get: op };
  }

  resource(r: ServedResource): void {
    const base = gvPath(r.group, r.version);
    const prefix = operationPrefix(r.group, r.version);
    const scope = r.namespaced ? 'Namespaced' : '';
    const gvk = { group: r.group, kind: r.kind, version: r.version };
    const t = tag(r.group, r.version);
    const collection = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}` : `${base}/${r.plural}`;
    const item = `${collection}/{name}`;
    const pretty = this.param('pretty', 'string', 'query');
    const namespace = this.param('namespace', 'string', 'path', 'object name and auth scope, such as for teams and projects');
    const name = this.param('name', 'string', 'path', `name of the ${r.kind}`);
    const has = (verb: string) => r.verbs.includes(verb);
    const patchTypes = r.strategic ? [...PATCH_TYPES, STRATEGIC_MERGE_PATCH] : PATCH_TYPES;
    const objectCodes: [string, string][] = [['200', 'OK']];
    const writeCodes: [string, string][] = [
      ['200', 'OK'],
      ['201', 'Created'],
    ];

    const list = (id: string) =>
      this.operation({
        description: `list or watch objects of kind ${r.kind}`,
        id,
        action: 'list',
        gvk,
        responses: this.responses(objectCodes, r.listModel, LIST_TYPES),
        produces: LIST_TYPES,
        tags: t,
      });

    const coll: Json = {};
    if (has('list')) coll.get = { ...list(`list${prefix}${scope}${r.kind}`), parameters: this.query(LIST_PARAMETERS) };
    if (has('create'))
      coll.post = this.operation({
        description: `create ${article(r.kind)} ${r.kind}`,
        id: `create${prefix}${scope}${r.kind}`,
        action: 'post',
        gvk,
        params: this.query(WRITE_PARAMETERS),
        body: { model: r.model, types: ['*/*'], required: true },
        responses: this.responses([...writeCodes, ['202', 'Accepted']], r.model, OBJECT_TYPES),
        produces: OBJECT_TYPES,
        tags: t,
      });
    if (has('deletecollection'))
      coll.delete = this.operation({
        description: `delete collection of ${r.kind}`,
        id: `delete${prefix}Collection${scope}${r.kind}`,
        action: 'deletecollection',
        gvk,
        params: this.query(DELETE_COLLECTION_PARAMETERS),
        body: { model: 'V1DeleteOptions', types: ['*/*'], required: false },
        responses: this.responses(objectCodes, 'V1Status', OBJECT_TYPES),
        produces: OBJECT_TYPES,
        tags: t,
      });
    if (Object.keys(coll).length) this.out[collection] = { ...coll, parameters: r.namespaced ? [namespace, pretty] : [pretty] };
    if (r.namespaced && has('list'))
      this.out[`${base}/${r.plural}`] = {
        get: list(`list${prefix}${r.kind}ForAllNamespaces`),
        parameters: [...this.query(LIST_PARAMETERS.slice(0, 5)), pretty, ...this.query(LIST_PARAMETERS.slice(5))],
      };

    const itemParams = r.namespaced ? [name, namespace, pretty] : [name, pretty];
    const itemOps = (
      sub: '' | 'Status' | 'Scale',
      model: string,
      opGvk: typeof gvk,
      verbs: { get: boolean; put: boolean; patch: boolean; delete: boolean },
    ) => {
      const what = sub ? `${sub.toLowerCase()} of the specified ${r.kind}` : `the specified ${r.kind}`;
      const ops: Json = {};
      if (verbs.get)
        ops.get = this.operation({
          description: `read ${what}`,
          id: `read${prefix}${scope}${r.kind}${sub}`,
          action: 'get',
          gvk: opGvk,
          responses: this.responses(objectCodes, model, OBJECT_TYPES),
          produces: OBJECT_TYPES,
          tags: t,
        });
      if (verbs.put)
        ops.put = this.operation({
          description: `replace ${what}`,
          id: `replace${prefix}${scope}${r.kind}${sub}`,
          action: 'put',
          gvk: opGvk,
          params: this.query(WRITE_PARAMETERS),
          body: { model, types: ['*/*'], required: true },
          responses: this.responses(writeCodes, model, OBJECT_TYPES),
          produces: OBJECT_TYPES,
          tags: t,
        });
      if (verbs.patch)
        ops.patch = this.operation({
          description: `partially update ${what}`,
          id: `patch${prefix}${scope}${r.kind}${sub}`,
          action: 'patch',
          gvk: opGvk,
          params: this.query(PATCH_PARAMETERS),
          body: { model: `${META}.Patch`, types: patchTypes, required: true },
          responses: this.responses(writeCodes, model, OBJECT_TYPES),
          produces: OBJECT_TYPES,
          tags: t,
        });
      if (verbs.delete)
        ops.delete = this.operation({
          description: `delete ${article(r.kind)} ${r.kind}`,
          id: `delete${prefix}${scope}${r.kind}`,
          action: 'delete',
          gvk: opGvk,
          params: this.query(DELETE_PARAMETERS),
          body: { model: 'V1DeleteOptions', types: ['*/*'], required: false },
          responses: this.responses([...objectCodes, ['202', 'Accepted']], 'V1Status', OBJECT_TYPES),
          produces: OBJECT_TYPES,
          tags: t,
        });
      return ops;
    };
    const main = itemOps('', r.model, gvk, { get: has('get'), put: has('update'), patch: has('patch'), delete: has('delete') });
    if (Object.keys(main).length) this.out[item] = { ...main, parameters: itemParams };
    const subVerbs = { get: has('get'), put: has('update'), patch: has('patch'), delete: false };
    if (r.status) this.out[`${item}/status`] = { ...itemOps('Status', r.model, gvk, subVerbs), parameters: itemParams };
    if (r.strategic && r.group === '' && r.version === 'v1') this.coreSubresources(r, item, prefix, t);
    if (r.scale)
      this.out[`${item}/scale`] = {
        ...itemOps('Scale', 'V1Scale', { group: 'autoscaling', kind: 'Scale', version: 'v1' }, subVerbs),
        parameters: itemParams,
      };
  }
}

// ---------------------------------------------------------------------------
// Documents

function servedSet(crds: readonly KObject[]): ServedSet {
  const custom = customResources(crds);
  const builtins = builtinResources();
  // a custom resource never shadows a built-in group-version's kind
  const taken = new Set(builtins.map((r) => `${r.group}/${r.version}/${r.kind}`));
  const resources = [...builtins, ...custom.resources.filter((r) => !taken.has(`${r.group}/${r.version}/${r.kind}`))];
  return { ...custom, resources };
}

function documentOf(style: Style, set: ServedSet, resources: ServedResource[], gvks: ReturnType<typeof kindExtensions>): Json {
  const defs = new Definitions(style, set, gvks);
  const paths = new Paths(style, defs);
  const gvs = [...new Set(resources.map((r) => `${r.group}/${r.version}`))];
  for (const gv of gvs) {
    const [group, version] = gv.split('/');
    paths.discovery(group, version);
  }
  for (const r of resources) paths.resource(r);
  defs.drain();
  const definitions = Object.fromEntries(defs.out);
  const bearer = { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' };
  if (style === 'v3')
    return {
      components: { schemas: definitions, securitySchemes: { BearerToken: bearer } },
      info: { title: 'Kubernetes', version: 'unversioned' },
      openapi: '3.0.0',
      paths: paths.out,
    };
  return {
    definitions,
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: paths.out,
    security: [{ BearerToken: [] }],
    securityDefinitions: { BearerToken: bearer },
    swagger: '2.0',
  };
}

/** The document's key of a group-version: `api/v1`, `apis/apps/v1`. */
function documentPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** A served document: its bytes (what the hash and ETag are of) and the object they encode. */
export interface ServedDocument {
  body: string;
  /** uppercase hex SHA-512 of body (kube-openapi handler computeETag) */
  etag: string;
  document: object;
  /** the document in protobuf (GET /openapi/v2 only), made on first request */
  protobuf?: Buffer;
}

interface Built {
  v3: Map<string, ServedDocument>;
  root?: ServedDocument;
  v2?: ServedDocument;
  set: ServedSet;
  gvks?: ReturnType<typeof kindExtensions>;
}

/**
 * Go's encoding/json output: keys sorted (documents are maps), no spaces, and `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as encoding/json does by default.
 */
export function serializeDocument(value: unknown): string {
  return JSON.stringify(sortKeys(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const key of Object.keys(value).sort(cmp)) out[key] = sortKeys((value as Json)[key]);
  return out;
}

function served(document: object): ServedDocument {
  const body = serializeDocument(document);
  return { body, etag: createHash('sha512').update(body).digest('hex').toUpperCase(), document: JSON.parse(body) as object };
}

/** The documents of the last few CRD sets (a serve process sees the same set request after request). */
const cache = new Map<string, Built>();
const CACHE_SIZE = 4;

function cacheKey(crds: readonly KObject[]): string {
  const parts = crds
    .filter(isEstablished)
    .map((c) =>
      JSON.stringify([c.metadata.name, c.metadata.uid ?? '', c.metadata.resourceVersion ?? '', c.metadata.generation ?? 0, c.spec ?? {}]),
    )
    .sort();
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

function built(crds: readonly KObject[]): Built {
  const key = cacheKey(crds);
  let entry = cache.get(key);
  if (entry) {
    cache.delete(key);
    cache.set(key, entry);
    return entry;
  }
  entry = { v3: new Map(), set: servedSet(crds) };
  cache.set(key, entry);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return entry;
}

function groupVersions(set: ServedSet): string[] {
  return [...new Set(set.resources.map((r) => documentPath(r.group, r.version)))].sort(cmp);
}

/** The built-in group-versions' documents, which no CRD set changes: built once per process. */
const builtinV3 = new Map<string, ServedDocument>();

function v3Document(entry: Built, path: string): ServedDocument | undefined {
  let doc = entry.v3.get(path);
  if (doc) return doc;
  const resources = entry.set.resources.filter((r) => documentPath(r.group, r.version) === path);
  if (!resources.length) return undefined;
  const builtinOnly = resources.every((r) => r.strategic);
  doc = builtinOnly ? builtinV3.get(path) : undefined;
  if (!doc) {
    entry.gvks ??= kindExtensions(entry.set);
    doc = served(documentOf('v3', entry.set, resources, entry.gvks));
    if (builtinOnly) builtinV3.set(path, doc);
  }
  entry.v3.set(path, doc);
  return doc;
}

/** GET /openapi/v3: each group-version's document under `?hash=` of its bytes (handler3 constructServerRelativeURL). */
export function servedOpenApiV3Root(crds: readonly KObject[]): ServedDocument {
  const entry = built(crds);
  if (!entry.root) {
    const paths: Json = {};
    for (const path of groupVersions(entry.set))
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${v3Document(entry, path)!.etag}` };
    entry.root = served({ paths });
  }
  return entry.root;
}

/** GET /openapi/v3/<path> (`api/v1`, `apis/apps/v1`); undefined for a group-version nothing serves. */
export function servedOpenApiV3Document(path: string, crds: readonly KObject[]): ServedDocument | undefined {
  return v3Document(built(crds), path.replace(/^\/+|\/+$/g, ''));
}

/** GET /openapi/v2: one swagger document of every served kind. */
export function servedOpenApiV2(crds: readonly KObject[]): ServedDocument {
  const entry = built(crds);
  entry.gvks ??= kindExtensions(entry.set);
  entry.v2 ??= served(documentOf('v2', entry.set, entry.set.resources, entry.gvks));
  return entry.v2;
}

export function openApiV3Root(crds: readonly KObject[]): object {
  return servedOpenApiV3Root(crds).document;
}

export function openApiV3Document(path: string, crds: readonly KObject[]): object | undefined {
  return servedOpenApiV3Document(path, crds)?.document;
}

export function openApiV2Document(crds: readonly KObject[]): object {
  return servedOpenApiV2(crds).document;
}

// ---------------------------------------------------------------------------
// HTTP

export interface OpenApiResponse {
  status: 200 | 301 | 304 | 404 | 406;
  headers: Record<string, string>;
  /** the bytes to send (empty for a redirect or 406) */
  body: string;
  /** a binary answer (the protobuf document), sent instead of body */
  bytes?: Buffer;
}

/** Go's time.RFC1123 of a UTC time: `Mon, 02 Jan 2006 15:04:05 UTC`. */
function rfc1123(t: Date): string {
  return t.toUTCString().replace(/GMT$/, 'UTC');
}

/** Whether an Accept header takes JSON (goautoneg clauses against application/json); empty means any. */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept?.trim()) return true;
  return accept.split(',').some((clause) => {
    const [range, ...params] = clause.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) return false;
    const [type, sub] = range.trim().toLowerCase().split('/');
    return (type === 'application' || type === '*') && (sub === 'json' || sub === '*');
  });
}

/**
 * The response to GET /openapi/v3 (`path` undefined) or /openapi/v3/<path>, as kube-openapi's
 * handler3 answers: the root with its Etag; a document with `Vary: Accept` and its Etag, and when
 * the request names a `hash` either a 301 to the current one (a stale hash) or, for the current
 * hash, `Cache-Control: public, immutable` and `Expires` a year from `now`. Undefined for a
 * group-version nothing serves (404). Only JSON is served: an Accept without it gets 406.
 */
export function openApiV3Response(
  crds: readonly KObject[],
  path: string | undefined,
  request: { accept?: string; hash?: string; now: Date },
): OpenApiResponse | undefined {
  if (path === undefined) {
    const root = servedOpenApiV3Root(crds);
    return { status: 200, headers: { 'Content-Type': 'application/json', Etag: JSON.stringify(root.etag) }, body: root.body };
  }
  const doc = servedOpenApiV3Document(path, crds);
  if (!doc) return undefined;
  if (!acceptsJson(request.accept)) return { status: 406, headers: { Vary: 'Accept' }, body: '' };
  const headers: Record<string, string> = { Vary: 'Accept', 'Content-Type': 'application/json', Etag: JSON.stringify(doc.etag) };
  if (request.hash) {
    if (request.hash !== doc.etag) {
      const location = `/openapi/v3/${path.replace(/^\/+|\/+$/g, '')}?hash=${doc.etag}`;
      return { status: 301, headers: { ...headers, Location: location }, body: '' };
    }
    headers['Cache-Control'] = 'public, immutable';
    const expires = new Date(request.now.getTime());
    expires.setUTCFullYear(expires.getUTCFullYear() + 1);
    headers.Expires = rfc1123(expires);
  }
  return { status: 200, headers, body: doc.body };
}

/**
 * GET /openapi/v2 as kube-openapi's handler answers (`Vary: Accept`, one Etag for every
 * encoding): JSON, or gnostic's protobuf for a client that asks for it first — client-go's
 * OpenAPISchema asks for nothing else, and kubectl v1.32 reads it when a group-version's v3
 * document has no PATCH operation for a kind (autoscaling/v1 Scale). Any other Accept gets 406.
 */
export function openApiV2Response(crds: readonly KObject[], request: { accept?: string }): OpenApiResponse {
  const protobuf = prefersOpenApiProtobuf(request.accept);
  if (!protobuf && !acceptsJson(request.accept)) return { status: 406, headers: { Vary: 'Accept' }, body: '' };
  const doc = servedOpenApiV2(crds);
  const headers = { Vary: 'Accept', Etag: JSON.stringify(doc.etag) };
  if (protobuf) {
    doc.protobuf ??= Buffer.from(encodeOpenApiV2(JSON.parse(doc.body) as Json));
    return { status: 200, headers: { ...headers, 'Content-Type': OPENAPI_V2_PROTOBUF }, body: '', bytes: doc.protobuf };
  }
  return { status: 200, headers: { ...headers, 'Content-Type': 'application/json' }, body: doc.body };
}

/** Whether the Accept header's first type kube-openapi serves is the protobuf one (goautoneg picks by order among equal q). */
function prefersOpenApiProtobuf(accept: string | undefined): boolean {
  for (const clause of (accept ?? '').split(',')) {
    const [range, ...params] = clause.trim().split(';');
    const type = range.trim().toLowerCase();
    if (params.some((p) => /^q=0(\.0*)?$/.test(p.trim()))) continue;
    if (type === OPENAPI_V2_PROTOBUF || type === OPENAPI_V2_PROTOBUF_DEPRECATED) return true;
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return false;
  }
  return false;
}

/**
 * Routes a GET or HEAD under /openapi (`/openapi/v2`, `/openapi/v3`, `/openapi/v3/<group-version>`)
 * to the answers above; undefined for any other path. An If-None-Match naming the current Etag
 * answers 304 without a body, as net/http's ServeContent (which both handlers end in) does; a
 * group-version nothing serves answers the mux's 404.
 */
export function openApiRoute(
  crds: readonly KObject[],
  request: { path: string; query?: URLSearchParams; accept?: string; ifNoneMatch?: string; now: Date },
): OpenApiResponse | undefined {
  const { path } = request;
  let response: OpenApiResponse;
  if (path === '/openapi/v2') response = openApiV2Response(crds, request);
  else if (path === '/openapi/v3' || path === '/openapi/v3/') response = openApiV3Response(crds, undefined, request)!;
  else if (path.startsWith('/openapi/v3/')) {
    const hash = request.query?.get('hash') ?? undefined;
    response = openApiV3Response(crds, path.slice('/openapi/v3/'.length), { ...request, hash }) ?? {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
      body: '404 page not found\n',
    };
  } else return undefined;
  const etag = response.headers.Etag;
  if (response.status === 200 && etag && request.ifNoneMatch?.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
    const headers = { ...response.headers };
    delete headers['Content-Type'];
    return { status: 304, headers, body: '' };
  }
  return response;
}
