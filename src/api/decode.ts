import { ApiError } from '../util/errors';
import type { KObject } from '../model/objects';

/**
 * The API server decodes JSON into Go structs before anything else: a field of the wrong
 * type fails there with encoding/json's message. This table covers the fields users
 * write most; anything else is left to validation.
 */
type GoType = 'string' | 'int32' | 'int64' | 'bool' | 'map[string]string' | `[]${string}` | `*${string}`;
interface FieldType {
  struct: string;
  type: GoType;
}

const META: Record<string, FieldType> = {
  'metadata.name': { struct: 'ObjectMeta', type: 'string' },
  'metadata.namespace': { struct: 'ObjectMeta', type: 'string' },
  'metadata.generateName': { struct: 'ObjectMeta', type: 'string' },
  'metadata.labels': { struct: 'ObjectMeta', type: 'map[string]string' },
  'metadata.annotations': { struct: 'ObjectMeta', type: 'map[string]string' },
};

function podSpec(prefix: string): Record<string, FieldType> {
  const c = `${prefix}.containers[]`;
  return {
    [`${prefix}.containers`]: { struct: 'PodSpec', type: '[]v1.Container' },
    [`${prefix}.initContainers`]: { struct: 'PodSpec', type: '[]v1.Container' },
    [`${prefix}.nodeName`]: { struct: 'PodSpec', type: 'string' },
    [`${prefix}.nodeSelector`]: { struct: 'PodSpec', type: 'map[string]string' },
    [`${prefix}.restartPolicy`]: { struct: 'PodSpec', type: 'string' },
    [`${prefix}.serviceAccountName`]: { struct: 'PodSpec', type: 'string' },
    [`${prefix}.priorityClassName`]: { struct: 'PodSpec', type: 'string' },
    [`${prefix}.terminationGracePeriodSeconds`]: { struct: 'PodSpec', type: 'int64' },
    [`${prefix}.tolerations`]: { struct: 'PodSpec', type: '[]v1.Toleration' },
    [`${prefix}.volumes`]: { struct: 'PodSpec', type: '[]v1.Volume' },
    [`${c}.name`]: { struct: 'Container', type: 'string' },
    [`${c}.image`]: { struct: 'Container', type: 'string' },
    [`${c}.command`]: { struct: 'Container', type: '[]string' },
    [`${c}.args`]: { struct: 'Container', type: '[]string' },
    [`${c}.ports`]: { struct: 'Container', type: '[]v1.ContainerPort' },
    [`${c}.ports[].containerPort`]: { struct: 'ContainerPort', type: 'int32' },
    [`${c}.ports[].hostPort`]: { struct: 'ContainerPort', type: 'int32' },
    [`${c}.env`]: { struct: 'Container', type: '[]v1.EnvVar' },
    [`${c}.env[].name`]: { struct: 'EnvVar', type: 'string' },
    [`${c}.env[].value`]: { struct: 'EnvVar', type: 'string' },
    [`${c}.resources`]: { struct: 'Container', type: '*v1.ResourceRequirements' },
  };
}

function workload(spec: string, template = 'spec.template.spec'): Record<string, FieldType> {
  return {
    'spec.replicas': { struct: spec, type: 'int32' },
    'spec.minReadySeconds': { struct: spec, type: 'int32' },
    'spec.revisionHistoryLimit': { struct: spec, type: 'int32' },
    'spec.selector': { struct: spec, type: '*v1.LabelSelector' },
    'spec.selector.matchLabels': { struct: 'LabelSelector', type: 'map[string]string' },
    ...podSpec(template),
  };
}

const SCHEMAS: Record<string, Record<string, FieldType>> = {
  Pod: podSpec('spec'),
  Deployment: {
    ...workload('DeploymentSpec'),
    'spec.progressDeadlineSeconds': { struct: 'DeploymentSpec', type: 'int32' },
    'spec.paused': { struct: 'DeploymentSpec', type: 'bool' },
  },
  ReplicaSet: workload('ReplicaSetSpec'),
  StatefulSet: { ...workload('StatefulSetSpec'), 'spec.serviceName': { struct: 'StatefulSetSpec', type: 'string' } },
  DaemonSet: workload('DaemonSetSpec'),
  Job: {
    ...podSpec('spec.template.spec'),
    'spec.completions': { struct: 'JobSpec', type: 'int32' },
    'spec.parallelism': { struct: 'JobSpec', type: 'int32' },
    'spec.backoffLimit': { struct: 'JobSpec', type: 'int32' },
  },
  CronJob: {
    'spec.schedule': { struct: 'CronJobSpec', type: 'string' },
    'spec.suspend': { struct: 'CronJobSpec', type: 'bool' },
    ...podSpec('spec.jobTemplate.spec.template.spec'),
  },
  Service: {
    'spec.type': { struct: 'ServiceSpec', type: 'string' },
    'spec.selector': { struct: 'ServiceSpec', type: 'map[string]string' },
    'spec.ports': { struct: 'ServiceSpec', type: '[]v1.ServicePort' },
    'spec.ports[].port': { struct: 'ServicePort', type: 'int32' },
    'spec.ports[].nodePort': { struct: 'ServicePort', type: 'int32' },
    'spec.ports[].name': { struct: 'ServicePort', type: 'string' },
  },
  ConfigMap: { data: { struct: 'ConfigMap', type: 'map[string]string' } },
  Secret: { data: { struct: 'Secret', type: 'map[string]string' }, stringData: { struct: 'Secret', type: 'map[string]string' } },
};

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** encoding/json's UnmarshalTypeError text for one value, or undefined when it fits. */
function mismatch(value: unknown, type: GoType): string | undefined {
  if (value === null || value === undefined) return undefined;
  const kind = jsonKind(value);
  switch (type) {
    case 'string':
      return kind === 'string' ? undefined : kind;
    case 'bool':
      return kind === 'bool' ? undefined : kind;
    case 'int32':
    case 'int64':
      if (kind !== 'number') return kind;
      return Number.isInteger(value) ? undefined : `number ${value}`;
    case 'map[string]string':
      return kind === 'object' ? undefined : kind;
    default:
      if (type.startsWith('[]')) return kind === 'array' ? undefined : kind;
      return kind === 'object' ? undefined : kind;
  }
}

/** Throws the API server's BadRequest for the first field of the wrong type. */
export function checkFieldTypes(obj: KObject): void {
  const schema = { ...META, ...(SCHEMAS[obj.kind] ?? {}) };
  const fail = (path: string, field: FieldType, got: string, goType: string) => {
    throw new ApiError(
      'BadRequest',
      400,
      `Error from server (BadRequest): ${obj.kind} in version "${String(obj.apiVersion).split('/').pop()}" cannot be handled as a ${obj.kind}: json: cannot unmarshal ${got} into Go struct field ${field.struct}.${path} of type ${goType}`,
    );
  };
  const walk = (value: unknown, path: string, schemaPath: string) => {
    const field = schema[schemaPath];
    if (field) {
      const bad = mismatch(value, field.type);
      if (bad) fail(path, field, bad, field.type.replace(/^\*/, ''));
      if (field.type === 'map[string]string' && value && typeof value === 'object') {
        for (const v of Object.values(value)) {
          const inner = mismatch(v, 'string');
          if (inner) fail(path, field, inner, 'string');
        }
        return;
      }
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item, path, `${schemaPath}[]`);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const childSchema = schemaPath ? `${schemaPath}.${k}` : k;
        // only descend where the schema knows something below
        if (Object.keys(schema).some((p) => p === childSchema || p.startsWith(`${childSchema}.`) || p.startsWith(`${childSchema}[]`)))
          walk(v, path ? `${path}.${k}` : k, childSchema);
      }
    }
  };
  walk(obj, '', '');
}
