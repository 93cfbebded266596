import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession, type Globals } from '../context';
import { CliError } from '../../util/errors';
import { toRFC3339 } from '../../util/duration';
import { isQuantity } from '../../api/quantity';
import { isNodeReady, MAX_POD_CIDRS } from '../../api/kinds/node';
import { DEFAULT_SHAPE, type ClusterShape } from '../../sim/cluster-shape';
import { Session } from '../../engine/session';
import { intFlag } from '../flags';
import { withFlags, type FlagSet } from '../flag-sets';
import { readSchedulerConfiguration } from './scheduler';
import { remember } from '../../reconcile/actions';
import { CONFIG_MEMORY, RECORD_MEMORY } from '../../scheduler/controller';
import type { KubeSchedulerConfiguration } from '../../scheduler/configuration';
import { vpaCustomResourceDefinitions } from '../../api/vpa';
import { createObject } from '../../api/server';

import { parseManifestText } from '../../api/manifest-parser';
import { applyManifest } from '../apply-object';
import { KUBESIM_GATEWAY_CONTROLLER } from '../../api/gateway-api';
import { addClusterContext, configPath, removeClusterContext } from '../../config/kubeconfig';

/** cluster create's flags as commander parses them */
interface ClusterCreateOptions {
  nodes: string;
  cpu: string;
  memory: string;
  pods: string;
  zones: string;
  seed: string;
  clock: string;
  nodePrefix: string;
  schedulerConfig?: string;
  recordScheduling?: boolean;
  vpa?: boolean;

  gatewayApi?: boolean;
  force?: boolean;
}

/** cluster create's flags: the cluster's shape, and the simulated scheduler's configuration */
const clusterCreateFlags: FlagSet = (c) =>
  c
    .option('--nodes <n>', 'number of nodes', String(DEFAULT_SHAPE.nodes))
    .option('--cpu <cpu>', 'CPU per node', DEFAULT_SHAPE.cpu)
    .option('--memory <memory>', 'memory per node', DEFAULT_SHAPE.memory)
    .option('--pods <n>', 'max pods per node', String(DEFAULT_SHAPE.pods))
    .option('--zones <zones>', 'comma-separated zones, nodes are spread round-robin', DEFAULT_SHAPE.zones.join(','))
    .option('--seed <seed>', 'seed for names, tie-breaks and simulated latencies', String(DEFAULT_SHAPE.seed))
    .option('--clock <mode>', 'wall (follows real time) or manual (moves only when told)', DEFAULT_SHAPE.clock)
    .option('--node-prefix <prefix>', 'node name prefix', DEFAULT_SHAPE.namePrefix)
    .option('--scheduler-config <file>', 'KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) for the simulated kube-scheduler')
    .option('--record-scheduling', "write each scheduling attempt's per-plugin results on the pod (kube-scheduler-simulator's annotations)")
    .option(
      '--vpa',
      'install the Vertical Pod Autoscaler: its CRDs (autoscaling.k8s.io), then its recommender, updater and admission controller run',
    )

    .option('--gateway-api', 'install the Gateway API CRDs (standard channel v1.2.1) and the kubesim.io/gateway GatewayClass')
    .option('--force', 'replace an existing cluster in the state file');

export function register(program: Command, env: CommandEnv): void {
  const cluster = program.command('cluster').description('Create, inspect and delete simulated clusters');
  withFlags(
    cluster
      .command('create')
      .description('Create a new simulated cluster in the state file')
      .argument('[name]', 'cluster (context) name')
      .addHelpText(
        'after',
        '\nExamples:\n  kubesim cluster create --nodes 5 --cpu 8 --memory 32Gi\n  kubesim cluster create --clock manual --seed 42',
      ),
    clusterCreateFlags,
  ).action((name: string | undefined, opts: ClusterCreateOptions, cmd: Command) => {
    const req = completeClusterCreate(opts, env);
    runClusterCreate(env, globals(cmd, env), name, req);
  });
  cluster
    .command('info')
    .description('Show what the cluster is made of')
    .addHelpText('after', '\nExamples:\n  kubesim cluster info')
    .action((_opts, cmd: Command) => runClusterInfo(env, globals(cmd, env)));
  cluster
    .command('delete')
    .description('Delete the cluster (its state file)')
    .argument('[name]', 'cluster (context) name')
    .addHelpText('after', '\nExamples:\n  kubesim cluster delete')
    .action((name: string | undefined, _opts, cmd: Command) => runClusterDelete(env, globals(cmd, env), name));
}

/** What cluster create's flags ask for, every one checked before anything is written */
interface ClusterCreateRequest {
  shape: ClusterShape;
  schedulerConfig?: KubeSchedulerConfiguration;
  recordScheduling: boolean;
  vpa: boolean;

  gatewayApi: boolean;
  force: boolean;
}

/** Complete + Validate: the shape's numbers, quantities and clock, then the scheduler configuration file */
function completeClusterCreate(opts: ClusterCreateOptions, env: CommandEnv): ClusterCreateRequest {
  const shape: ClusterShape = {
    nodes: intFlag(opts.nodes, 'nodes'),
    cpu: opts.cpu,
    memory: opts.memory,
    pods: intFlag(opts.pods, 'pods'),
    zones: String(opts.zones)
      .split(',')
      .map((z) => z.trim())
      .filter(Boolean),
    seed: intFlag(opts.seed, 'seed'),
    // checked below, after --nodes, --cpu and --memory (the order the errors are reported in)
    clock: opts.clock as ClusterShape['clock'],
    namePrefix: opts.nodePrefix,
  };
  // (each node has a /24 of 10.0.0.0/8 for its pods: podCidrFor)
  if (shape.nodes < 0 || shape.nodes > MAX_POD_CIDRS)
    throw new CliError(`invalid --nodes ${opts.nodes}: must be between 0 and ${MAX_POD_CIDRS}`);
  if (!isQuantity(shape.cpu))
    throw new CliError(
      `invalid --cpu "${shape.cpu}": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  if (!isQuantity(shape.memory))
    throw new CliError(
      `invalid --memory "${shape.memory}": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  if (shape.clock !== 'wall' && shape.clock !== 'manual') throw new CliError(`invalid --clock "${opts.clock}": must be wall or manual`);
  // read and checked before anything is written
  const schedulerConfig = opts.schedulerConfig ? readSchedulerConfiguration(opts.schedulerConfig, env.io) : undefined;
  return {
    shape,
    schedulerConfig,
    recordScheduling: !!opts.recordScheduling,
    vpa: !!opts.vpa,
    gatewayApi: !!opts.gatewayApi,
    force: !!opts.force,
  };
}

/** Writes the new cluster's state file (replacing one of ours only with --force), and its context when named */
function runClusterCreate(env: CommandEnv, g: Globals, name: string | undefined, req: ClusterCreateRequest): void {
  const { shape } = req;
  if (name) (env as CommandEnv & { clusterName?: string }).clusterName = name;
  if (fs.existsSync(g.statePath) && fs.statSync(g.statePath).size > 0) {
    // refuse to clobber anything that is not ours, even with --force
    Session.verify(g.statePath);
    if (!req.force)
      throw new CliError(`a cluster already exists in ${g.statePath}; use --force to replace it or 'kubesim cluster delete' first`);
    Session.remove(g.statePath);
  }
  withSession(
    g,
    (s) => {
      if (req.schedulerConfig) s.engine.apply([remember(CONFIG_MEMORY.controller, CONFIG_MEMORY.key, req.schedulerConfig)]);
      if (req.recordScheduling) s.engine.apply([remember(RECORD_MEMORY.controller, RECORD_MEMORY.key, true)]);
      // as the VPA's hack/vpa-up.sh: its CRDs applied; its components are kubesim's controllers
      if (req.vpa) for (const crd of vpaCustomResourceDefinitions()) createObject(s.api, crd);

      if (req.gatewayApi) installGatewayApi(s);
      env.out.line(
        `Cluster created: ${shape.nodes} node(s) (${shape.cpu} CPU, ${shape.memory} memory, ${shape.pods} pods each)${shape.zones.length ? ` in zones ${shape.zones.join(',')}` : ''}`,
      );
      env.out.line(`State: ${shownPath(g, env.io.cwd)} (seed ${shape.seed}, ${shape.clock} clock, now ${toRFC3339(s.now)})`);
    },
    { shape },
  );
  if (name) {
    addClusterContext(configPath(env.io.env), name, g.statePath);
    env.out.line(`Switched to context "${name}".`);
  }
}

/** Where the Gateway API's upstream bundle is kept (from src/cli/commands and dist/cli/commands alike). */
export const GATEWAY_API_BUNDLE = path.join(__dirname, '..', '..', '..', 'third_party', 'gateway-api', 'standard-install.yaml');

/** The GatewayClass `cluster create --gateway-api` adds for the built-in controller. */
const KUBESIM_GATEWAY_CLASS = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'GatewayClass',
  metadata: { name: 'kubesim' },
  spec: { controllerName: KUBESIM_GATEWAY_CONTROLLER, description: "kubesim's built-in Gateway API implementation" },
};

/**
 * As `kubectl apply -f standard-install.yaml` (the upstream install), then a GatewayClass for
 * kubesim's controller, as an implementation's installer adds its own.
 */
function installGatewayApi(s: Session): void {
  const file = parseManifestText(fs.readFileSync(GATEWAY_API_BUNDLE, 'utf8'), GATEWAY_API_BUNDLE);
  for (const m of file.manifests) applyManifest(s.api, m, undefined, { dryRun: false });
  s.engine.settle();
  applyManifest(s.api, { source: 'gatewayclass', object: KUBESIM_GATEWAY_CLASS }, undefined, { dryRun: false });
}

function runClusterInfo(env: CommandEnv, g: Globals): void {
  withSession(
    g,
    (s) => {
      const nodes = s.store.list('Node');
      const ready = nodes.filter(isNodeReady).length;
      env.out.line(`Kubernetes control plane (simulated by kubesim) state file ${g.statePath}`);
      env.out.line(`Nodes:     ${nodes.length} (${ready} Ready)`);
      env.out.line(`Pods:      ${s.store.count('Pod')}`);
      env.out.line(`Clock:     ${toRFC3339(s.now)} (${s.clockMode})`);
      env.out.line(`Seed:      ${s.shape.seed}`);
    },
    { readOnly: true },
  );
}

/** Removes the state file (only one of ours), and the named context */
function runClusterDelete(env: CommandEnv, g: Globals, name: string | undefined): void {
  if (!fs.existsSync(g.statePath)) throw new CliError(`no cluster state at ${g.statePath}`);
  Session.verify(g.statePath);
  Session.remove(g.statePath);
  if (name) removeClusterContext(configPath(env.io.env), name);
  env.out.line(`Deleted cluster state ${g.statePath}`);
}

/** The state file as the user named it, when that is the file in use. */
function shownPath(g: { statePath: string; stateShown?: string }, cwd: string): string {
  return g.stateShown && path.resolve(cwd, g.stateShown) === g.statePath ? g.stateShown : g.statePath;
}
