import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession, type Globals } from '../context';
import { CliError, notFound } from '../../util/errors';
import { intValue, milliValue } from '../../api/quantity';
import { matches, parseSelector, type Selector } from '../../api/labels';
import { matchesFields, type FieldRequirement } from '../../api/field-selector';
import { kindInfoOrThrow } from '../../api/registry';
import type { KObject } from '../../model/objects';
import type { Node } from '../../model/kinds';
import type { Session } from '../../engine/session';
import { noResourcesFound } from '../../printers/output';
import { printNodeMetrics, printPodMetrics, type PodUsage, type Usage } from '../../printers/top';
import { podUsage, podUsageTotal } from '../../sim/usage';
import { fieldSelectorFor } from '../resource-builder';
import { fromRFC3339, goDuration } from '../../util/duration';
import {
  allNamespacesFlag,
  fieldSelectorFlag,
  labelSelectorFlag,
  metricsFlags,
  metricsOptions,
  parseBoolFlag,
  withFlags,
  type MetricsFlags,
  type MetricsOptions,
} from '../flag-sets';

/** `kubesim top node|pod`: usage from the simulated metrics (src/sim/usage.ts), as metrics-server would report it. */
export function register(program: Command, env: CommandEnv): void {
  const top = program.command('top').description('Display resource (CPU/memory) usage');
  withFlags(
    top.command('node').alias('nodes').alias('no').description('Display resource (CPU/memory) usage of nodes').argument('[name]', 'NODE'),
    labelSelectorFlag,
    metricsFlags('nodes'),
  )
    .option('--show-capacity [bool]', 'Print node resources based on Capacity instead of Allocatable(default) of the nodes.', 'false')
    .action((name: string | undefined, opts: TopNodeFlags, cmd: Command) => {
      const req = completeTopNode(name, opts);
      withSession(globals(cmd, env), (s) => env.out.out(runTopNode(s, req)), { readOnly: true });
    });
  withFlags(
    top.command('pod').alias('pods').alias('po').description('Display resource (CPU/memory) usage of pods').argument('[name]', 'POD'),
    labelSelectorFlag,
    fieldSelectorFlag,
    allNamespacesFlag,
    metricsFlags('pods'),
  )
    .option('--containers', 'If present, print usage of containers within a pod.')
    .option('--sum [bool]', 'Print the sum of the resource usage', 'false')
    .action((name: string | undefined, opts: TopPodFlags, cmd: Command) => {
      const g = globals(cmd, env);
      const req = completeTopPod(name, opts, g);
      withSession(g, (s) => runTopPod(s, env, req), { readOnly: true });
    });
}

// ---- top node ----

interface TopNodeFlags extends MetricsFlags {
  selector?: string;
  showCapacity?: string | boolean;
}

interface TopNodeRequest extends MetricsOptions {
  name?: string;
  selector?: Selector;
  showCapacity: boolean;
}

/** Complete + Validate (TopNodeOptions) */
function completeTopNode(name: string | undefined, opts: TopNodeFlags): TopNodeRequest {
  const metrics = metricsOptions(opts);
  if (name && opts.selector) throw new CliError('only one of NAME or --selector can be provided');
  return {
    ...metrics,
    name,
    selector: opts.selector ? parseSelector(opts.selector) : undefined,
    showCapacity: parseBoolFlag(opts.showCapacity, 'show-capacity'),
  };
}

function runTopNode(s: Session, req: TopNodeRequest): string {
  let nodes: Node[];
  if (req.name) {
    const node = s.store.get('Node', undefined, req.name);
    if (!node) throw notFound('nodes', req.name);
    nodes = [node];
  } else nodes = s.store.list('Node').filter((n) => !req.selector || matches(req.selector, n.metadata.labels));
  const rows = nodes.map((node) => {
    const available = req.showCapacity ? node.status?.capacity : node.status?.allocatable;
    return {
      name: node.metadata.name,
      ...nodeUsage(s, node),
      available: { cpuMilli: milliValue(available?.cpu), memoryBytes: intValue(available?.memory) },
    };
  });
  return printNodeMetrics(rows, req);
}

/** A node's usage as metrics-server sums it: what its pods' containers use. */
function nodeUsage(s: Session, node: KObject): Usage {
  const usage = { cpuMilli: 0, memoryBytes: 0 };
  for (const pod of s.store.podsOnNode(node.metadata.name)) {
    const u = podUsageTotal(pod, s.now, s.store);
    usage.cpuMilli += u.cpuMilli;
    usage.memoryBytes += u.memoryBytes;
  }
  return usage;
}

// ---- top pod ----

interface TopPodFlags extends MetricsFlags {
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  containers?: boolean;
  sum?: string | boolean;
}

interface TopPodRequest extends MetricsOptions {
  name?: string;
  namespace?: string;
  selector?: Selector;
  fields: FieldRequirement[];
  containers: boolean;
  sum: boolean;
}

/** Complete + Validate (TopPodOptions) */
function completeTopPod(name: string | undefined, opts: TopPodFlags, g: Globals): TopPodRequest {
  const metrics = metricsOptions(opts);
  if (name && (opts.selector || opts.fieldSelector)) throw new CliError('only one of NAME or selector can be provided');
  return {
    ...metrics,
    name,
    namespace: opts.allNamespaces ? undefined : g.namespace,
    selector: opts.selector ? parseSelector(opts.selector) : undefined,
    fields: opts.fieldSelector ? fieldSelectorFor(kindInfoOrThrow('Pod'), opts.fieldSelector) : [],
    containers: !!opts.containers,
    sum: parseBoolFlag(opts.sum, 'sum'),
  };
}

function runTopPod(s: Session, env: CommandEnv, req: TopPodRequest): void {
  let pods = s.store
    .list('Pod', req.namespace)
    .filter((p) => (!req.selector || matches(req.selector, p.metadata.labels)) && matchesFields(req.fields, p));
  if (req.name) {
    pods = pods.filter((p) => p.metadata.name === req.name);
    if (!pods.length) throw notFound('pods', req.name);
    // metrics-server answers a Get for a pod it has no metrics for with NotFound on podmetrics
    if (!podUsage(pods[0], s.now).length) throw notFound('podmetrics.metrics.k8s.io', `${req.namespace}/${req.name}`);
  }
  // metrics-server reports a pod once its containers run
  const measured: PodUsage[] = pods
    .filter((p) => podUsage(p, s.now).length)
    .map((pod) => ({
      namespace: pod.metadata.namespace ?? '',
      name: pod.metadata.name,
      ...podUsageTotal(pod, s.now, s.store),
      containers: podUsage(pod, s.now, s.store),
    }));
  if (!measured.length) {
    verifyEmptyMetrics(pods, s.now);
    env.out.errLine(noResourcesFound(req.namespace));
    return;
  }
  env.out.out(printPodMetrics(measured, { ...req, withNamespace: req.namespace === undefined }));
}

/** kubectl's metricsCreationDelay: a pod younger than this may simply not have been scraped yet. */
const METRICS_CREATION_DELAY_MS = 2 * 60_000;

/** kubectl's verifyEmptyMetrics (top_pod.go): why a non-empty pod list has no metrics at all. */
function verifyEmptyMetrics(pods: readonly KObject[], now: number): void {
  if (!pods.length) return;
  for (const pod of pods) {
    const age = now - fromRFC3339(pod.metadata.creationTimestamp);
    if (age > METRICS_CREATION_DELAY_MS) {
      throw new CliError(`Metrics not available for pod ${pod.metadata.namespace}/${pod.metadata.name}, age: ${goDuration(age)}`);
    }
  }
  throw new CliError('metrics not available yet');
}
