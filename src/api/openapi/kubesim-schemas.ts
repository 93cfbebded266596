import type { Schema } from './schema';

/**
 * The OpenAPI schemas of kubesim's own kinds (NodeGroup, autoscaling.kubesim.io/v1;
 * SimulationProfile, sim.kubesim.io/v1), in the shape of the imported Kubernetes data
 * (third_party/kubernetes-openapi: model names, `$ref` to a model name), so that they join the
 * built-in schemas: `explain`, field validation (unknown fields dropped, warned about or refused)
 * and `serve`'s /openapi/v2 and /openapi/v3 treat them as the API server treats its compiled-in
 * types. The descriptions say what kubesim does with each field (the kinds' modules,
 * src/api/kinds/nodegroup.ts and simulationprofile.ts, default and validate them; the Cluster
 * Autoscaler, src/controllers/cluster-autoscaler.ts, and src/sim/simulation-profile.ts read them).
 *
 * Model names start `Kubesim` + version (`KubesimV1NodeGroup`), so that `definitionTypeName`
 * shows them as `NodeGroup`; they are served as a CRD's would be, under the reversed group
 * (`io.kubesim.autoscaling.v1.NodeGroup`, KUBESIM_DEFINITION_PACKAGES).
 */

/** `group/version/Kind` → model name, as the imported data's `kinds` table. */
export const KUBESIM_KIND_MODELS: Readonly<Record<string, string>> = {
  'autoscaling.kubesim.io/v1/NodeGroup': 'KubesimV1NodeGroup',
  'sim.kubesim.io/v1/SimulationProfile': 'KubesimV1SimulationProfile',
};

/** Whether a group is one of kubesim's own (autoscaling.kubesim.io, sim.kubesim.io). */
export function isKubesimGroup(group: string): boolean {
  return group.endsWith('.kubesim.io');
}

/** The served definitions' packages (the reversed group and version, as apiextensions-apiserver names a CRD's). */
export const KUBESIM_DEFINITION_PACKAGES: Readonly<Record<string, readonly string[]>> = {
  'io.kubesim.autoscaling.v1': [
    'KubesimV1NodeGroup',
    'KubesimV1NodeGroupList',
    'KubesimV1NodeGroupSpec',
    'KubesimV1NodeGroupTemplate',
    'KubesimV1NodeGroupStatus',
    'KubesimV1NodeGroupProvisioning',
  ],
  'io.kubesim.sim.v1': [
    'KubesimV1SimulationProfile',
    'KubesimV1SimulationProfileList',
    'KubesimV1SimulationProfileSpec',
    'KubesimV1SimulationProfileMatch',
    'KubesimV1NodeBoot',
    'KubesimV1Distribution',
    'KubesimV1UniformDistribution',
    'KubesimV1NormalDistribution',
    'KubesimV1ExponentialDistribution',
  ],
};

/** apiVersion and kind, worded as every Kubernetes type's TypeMeta (k8s.io/apimachinery pkg/apis/meta/v1 types.go). */
const API_VERSION: Schema = {
  type: 'string',
  description:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
};
const KIND: Schema = {
  type: 'string',
  description:
    'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
};

const METADATA: Schema = {
  $ref: 'V1ObjectMeta',
  description:
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
};

function kindSchema(description: string, spec: [string, string], status?: [string, string]): Schema {
  return {
    type: 'object',
    description,
    properties: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: METADATA,
      spec: { $ref: spec[0], description: spec[1] },
      ...(status && { status: { $ref: status[0], description: status[1] } }),
    },
  };
}

function listSchema(kind: string, plural: string, item: string): Schema {
  return {
    type: 'object',
    description: `${kind}List is a list of ${plural}.`,
    properties: {
      apiVersion: API_VERSION,
      items: { type: 'array', items: { $ref: item }, description: `List of ${plural}.` },
      kind: KIND,
      metadata: { $ref: 'V1ListMeta' },
    },
    required: ['items'],
  };
}

const int32 = (description: string): Schema => ({ type: 'integer', format: 'int32', description });
const seconds = (description: string): Schema => ({ type: 'number', format: 'double', description });
const distribution = (description: string): Schema => ({ $ref: 'KubesimV1Distribution', description });
const strings = (description: string): Schema => ({ type: 'array', items: { type: 'string' }, description });

export const KUBESIM_DEFINITIONS: Readonly<Record<string, Schema>> = {
  KubesimV1NodeGroup: kindSchema(
    "NodeGroup is kubesim's stand-in for a cloud provider's node group (an auto scaling group): nodes made from one template, which the simulated Cluster Autoscaler adds when pods cannot be scheduled and removes when they are unneeded. Nodes of a group carry the label autoscaling.kubesim.io/nodegroup=<name>.",
    ['KubesimV1NodeGroupSpec', "The group's size range and the nodes it makes."],
    [
      'KubesimV1NodeGroupStatus',
      "The group's current size and the nodes being provisioned, as the Cluster Autoscaler last wrote them. Read-only.",
    ],
  ),
  KubesimV1NodeGroupList: listSchema('NodeGroup', 'node groups', 'KubesimV1NodeGroup'),
  KubesimV1NodeGroupSpec: {
    type: 'object',
    description: 'NodeGroupSpec is the size range of a node group and the nodes it makes.',
    properties: {
      maxSize: int32('The most nodes the Cluster Autoscaler may grow the group to. Required; must be greater than 0 and at least minSize.'),
      minSize: int32(
        'The fewest nodes the group keeps: the Cluster Autoscaler grows a smaller group to it and never scales down below it. Defaults to 0.',
      ),
      provisionSeconds: int32(
        "Simulated seconds from a scale-up to the new node registering Ready (a SimulationProfile's nodeBoot overrides it). Defaults to 60.",
      ),
      template: {
        $ref: 'KubesimV1NodeGroupTemplate',
        description: "The nodes the group makes: each new node's capacity, labels and taints.",
      },
    },
    required: ['maxSize'],
  },
  KubesimV1NodeGroupTemplate: {
    type: 'object',
    description: "NodeGroupTemplate is what a node group's nodes have: their capacity (also their allocatable), labels and taints.",
    properties: {
      cpu: { type: 'string', description: 'CPU capacity of each node, a quantity (4, 3500m). Defaults to 4.' },
      labels: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'Labels of each node, besides the standard node labels and autoscaling.kubesim.io/nodegroup=<group name>.',
      },
      memory: { type: 'string', description: 'Memory capacity of each node, a quantity (16Gi). Defaults to 16Gi.' },
      pods: int32('How many pods each node can hold. Defaults to 110.'),
      taints: { type: 'array', items: { $ref: 'V1Taint' }, description: 'Taints of each new node.' },
    },
  },
  KubesimV1NodeGroupStatus: {
    type: 'object',
    description: "NodeGroupStatus is the Cluster Autoscaler's view of a node group, written by the autoscaler.",
    properties: {
      currentSize: int32("The group's registered nodes."),
      lastScaleUpTime: {
        type: 'string',
        format: 'date-time',
        description: 'When the Cluster Autoscaler last grew the group (scale-down waits 10 minutes after it).',
      },
      nodesCreated: int32('How many nodes the group has made; the next is named <group name>-<nodesCreated + 1>.'),
      provisioning: {
        type: 'array',
        items: { $ref: 'KubesimV1NodeGroupProvisioning' },
        description: 'Nodes asked for and not registered yet.',
      },
      readyNodes: int32("The group's Ready nodes."),
      targetSize: int32('The size the Cluster Autoscaler wants: the registered nodes and those being provisioned.'),
    },
  },
  KubesimV1NodeGroupProvisioning: {
    type: 'object',
    description: 'NodeGroupProvisioning is a batch of nodes of a scale-up that have not registered yet.',
    properties: {
      count: int32('How many nodes.'),
      readyAt: { type: 'string', format: 'date-time', description: 'When they register Ready.' },
    },
    required: ['count', 'readyAt'],
  },

  KubesimV1SimulationProfile: kindSchema(
    'SimulationProfile gives the pods it matches their lifecycle timings as distributions and their failures as rates per hour, instead of per-pod sim.kubesim.io/* annotations (which still win). Among matching profiles, field by field, the first that sets the field gives it: higher priority, then the more specific match, then name order. Each pod draws its own value per field from a PRNG seeded by its uid, so the same seed and commands give the same timings.',
    ['KubesimV1SimulationProfileSpec', 'Which pods the profile applies to, and the timings and failure rates it gives them.'],
  ),
  KubesimV1SimulationProfileList: listSchema('SimulationProfile', 'simulation profiles', 'KubesimV1SimulationProfile'),
  KubesimV1SimulationProfileSpec: {
    type: 'object',
    description: 'SimulationProfileSpec is which pods a profile applies to and the timings and failure rates it gives them.',
    properties: {
      crashProbabilityPerHour: {
        type: 'number',
        format: 'double',
        description:
          'The chance that a running container crashes (exits 1, Error) within an hour of running, at least 0 and less than 1: the time to a crash is exponential with rate -ln(1 - p) per hour, drawn again for each restart; restartPolicy and CrashLoopBackOff follow.',
      },
      imagePullSeconds: distribution('How long pulling an image takes (0 when the image is already on the node).'),
      match: { $ref: 'KubesimV1SimulationProfileMatch', description: 'Which pods the profile applies to; none: every pod.' },
      nodeBoot: {
        $ref: 'KubesimV1NodeBoot',
        description: "How long the Cluster Autoscaler's new nodes take to register, drawn per node.",
      },
      oomKillProbabilityPerHour: {
        type: 'number',
        format: 'double',
        description:
          'The chance that a running container is OOM-killed (exit 137, OOMKilled) within an hour of running, at least 0 and less than 1.',
      },
      priority: int32('Higher wins when several profiles match a pod and set the same field. Defaults to 0.'),
      readinessSeconds: distribution("How long after starting a container becomes Ready. Defaults to the container's start-up time."),
      shutdownSeconds: distribution('How long a container takes to stop after SIGTERM (capped by the grace period).'),
      startupSeconds: distribution('How long a container takes to start.'),
    },
  },
  KubesimV1SimulationProfileMatch: {
    type: 'object',
    description: 'SimulationProfileMatch selects pods; every field given must hold.',
    properties: {
      images: strings("Globs (*/java-*, openjdk:*) of which any of the pod's containers' images must match one."),
      namespaces: strings("The namespaces the pod's must be one of."),
      podSelector: { $ref: 'V1LabelSelector', description: "A label selector the pod's labels must match." },
    },
  },
  KubesimV1NodeBoot: {
    type: 'object',
    description: "NodeBoot is the boot time of the Cluster Autoscaler's new nodes, instead of their NodeGroup's provisionSeconds.",
    properties: {
      nodeGroups: strings('The NodeGroups whose nodes it applies to; none: all.'),
      seconds: distribution('Seconds from a scale-up to the node registering Ready. Required.'),
    },
    required: ['seconds'],
  },
  KubesimV1Distribution: {
    type: 'object',
    description: 'Distribution is a duration in seconds drawn at random: exactly one of fixed, uniform, normal or exponential.',
    properties: {
      exponential: { $ref: 'KubesimV1ExponentialDistribution', description: 'An exponential distribution.' },
      fixed: seconds('Always this many seconds.'),
      normal: { $ref: 'KubesimV1NormalDistribution', description: 'A normal distribution, clamped at 0.' },
      uniform: { $ref: 'KubesimV1UniformDistribution', description: 'A uniform distribution.' },
    },
  },
  KubesimV1UniformDistribution: {
    type: 'object',
    description: 'UniformDistribution draws seconds uniformly between min and max.',
    properties: { max: seconds('The most seconds, at least min.'), min: seconds('The fewest seconds, at least 0.') },
    required: ['min', 'max'],
  },
  KubesimV1NormalDistribution: {
    type: 'object',
    description: 'NormalDistribution draws seconds from a normal distribution; a negative draw is 0.',
    properties: { mean: seconds('The mean, in seconds, at least 0.'), stddev: seconds('The standard deviation, in seconds, at least 0.') },
    required: ['mean', 'stddev'],
  },
  KubesimV1ExponentialDistribution: {
    type: 'object',
    description: 'ExponentialDistribution draws seconds from an exponential distribution.',
    properties: { mean: seconds('The mean, in seconds, at least 0.') },
    required: ['mean'],
  },
};
