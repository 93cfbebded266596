import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { CliError, invalid, type FieldError } from '../../util/errors';
import { goDuration, parseDuration } from '../../util/duration';
import { isJsonObject } from '../../model/objects';
import { isQuantity, parseQuantity } from '../../api/quantity';
import { parseSelector } from '../../api/labels';
import type { TrafficEvent, TrafficProfile } from '../../sim/traffic-profile';
import { TRAFFIC_METRICS, type Comparison } from '../../model/scenario-result';

/**
 * A Scenario file (kubesim's own kind, scenario.kubesim.io/v1alpha1): the cluster's shape and
 * seed, then steps in virtual time — commands, traffic, waits and assertions — and invariants
 * checked at every reconcile pass. It is read and validated here, as the API server validates
 * a manifest: every error names its field path, and none of the file runs when one is wrong.
 */
export const SCENARIO_API_VERSION = 'scenario.kubesim.io/v1alpha1';

export interface ClusterSpec {
  nodes: number;
  cpu: string;
  memory: string;
  pods: number;
  zones: string[];
}

export interface TrafficSpec {
  service: string;
  profile: TrafficProfile;
  tickMs: number;
  latencyMs: number;
  cpuPerRequestMilli: number;
}

export type Assertion =
  | { kind: 'jsonpath'; target: string; path: string; expect: Comparison }
  | { kind: 'pods'; selector?: string; phase?: string; ready?: boolean; expect: Comparison }
  | { kind: 'event'; reason: string; object?: string; type?: string; message?: string; seen: boolean; fromMs?: number; toMs?: number }
  | { kind: 'metric'; traffic: string; metric: string; aggregate: Aggregate; fromMs?: number; toMs?: number; expect: Comparison };

export const AGGREGATES = ['min', 'max', 'avg', 'p50', 'p95', 'p99', 'last', 'sum'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export type StepAction =
  | { type: 'command'; args: string[]; stdin?: string }
  | { type: 'nodes'; verb: 'cordon' | 'uncordon' | 'fail' | 'recover'; nodes: string[]; zone?: string }
  | { type: 'traffic'; traffic: TrafficSpec }
  | { type: 'advance'; ms: number }
  | { type: 'assert'; assertion: Assertion };

export interface Step {
  name: string;
  /** its place in the file's spec.steps (for field paths) */
  index: number;
  /** virtual time after the start the step is due, or the step it follows */
  atMs?: number;
  after?: string;
  namespace: string;
  action: StepAction;
}

export interface Invariant {
  name: string;
  namespace: string;
  /** a Deployment/StatefulSet/ReplicaSet (`deployment/web`) or a label selector */
  target?: string;
  selector?: string;
  minAvailable?: number;
  maxPods?: number;
  /** checked while these steps run; `from`/`until`: from the end of one step to the end of another */
  during: string[];
  from?: string;
  until?: string;
}

export interface Scenario {
  name: string;
  /** where relative paths (apply files) are read from: the scenario file's folder */
  dir: string;
  seed: number;
  /** the seeds `scenario run` sweeps when given neither --seed nor --seeds */
  seeds?: number[];
  cluster: ClusterSpec;
  steps: Step[];
  invariants: Invariant[];
}

/** Reads and validates a Scenario file; a CliError (or the API's Invalid error) when it is wrong. */
export function loadScenario(file: string, cwd: string): Scenario {
  const full = path.resolve(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(full, 'utf8');
  } catch {
    throw new CliError(`the path "${file}" does not exist`);
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text, { merge: true });
  } catch (e) {
    throw new CliError(`error parsing ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  return parseScenario(doc, path.dirname(full), file);
}

const MAX_SEEDS = 100_000;

/** `1-100`, `3`, `1,5,9-12` → the seeds in the order written, each once (--seeds and spec.seeds). */
export function parseSeeds(text: string): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new CliError(`invalid --seeds "${text}": expected seeds such as 1-100 or 1,5,9-12`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new CliError(`invalid --seeds "${text}": ${part.trim()} ends before it starts`);
    if (seen.size + (to - from + 1) > MAX_SEEDS) throw new CliError(`invalid --seeds "${text}": at most ${MAX_SEEDS} seeds`);
    for (let s = from; s <= to; s++)
      if (!seen.has(s)) {
        seen.add(s);
        out.push(s);
      }
  }
  return out;
}

const STEP_ACTIONS = [
  'apply',
  'delete',
  'scale',
  'setImage',
  'rolloutUndo',
  'drain',
  'cordon',
  'uncordon',
  'nodeFail',
  'nodeRecover',
  'traffic',
  'advance',
  'wait',
  'kubesim',
  'assert',
] as const;
const ASSERTIONS = ['jsonpath', 'pods', 'event', 'metric'] as const;

/** Collects field errors while reading the document; each reader returns undefined when it recorded one. */
class Reader {
  readonly errs: FieldError[] = [];
  err(p: string, type: string, value: unknown, detail?: string): undefined {
    this.errs.push({ path: p, type, value, detail });
    return undefined;
  }
  required(p: string, detail?: string): undefined {
    this.errs.push({ path: p, type: 'Required value', detail });
    return undefined;
  }
  string(v: unknown, p: string, need = false): string | undefined {
    if (v === undefined || v === null) return need ? this.required(p) : undefined;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') return this.err(p, 'Invalid value', v, 'must be a string');
    if (need && !v) return this.required(p);
    return v;
  }
  int(v: unknown, p: string, min = 0): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      return this.err(p, 'Invalid value', v, min === 0 ? 'must be greater than or equal to 0' : `must be greater than or equal to ${min}`);
    return v;
  }
  number(v: unknown, p: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.err(p, 'Invalid value', v, 'must be a number');
    return v;
  }
  duration(v: unknown, p: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && v >= 0) return v * 1000;
    try {
      const ms = parseDuration(String(v), p);
      if (ms >= 0) return ms;
    } catch {
      /* reported below */
    }
    return this.err(p, 'Invalid value', v, 'must be a duration such as 90s, 2m or 1h30m');
  }
  /** the fields of a mapping, each known key once; unknown keys are errors (as strict field validation) */
  object(v: unknown, p: string, known: readonly string[]): Record<string, unknown> | undefined {
    if (!isJsonObject(v)) return this.err(p, 'Invalid value', v, 'must be a mapping');
    for (const k of Object.keys(v)) if (!known.includes(k)) this.err(`${p}.${k}`, 'Invalid value', v[k], `unknown field "${k}"`);
    return v;
  }
  selector(v: unknown, p: string): string | undefined {
    const s = this.string(v, p);
    if (s === undefined) return undefined;
    try {
      parseSelector(s);
      return s;
    } catch (e) {
      return this.err(p, 'Invalid value', s, (e as Error).message.replace(/^error: /, ''));
    }
  }
  /** `kind/name`, as kubectl takes a resource argument */
  target(v: unknown, p: string): string | undefined {
    const s = this.string(v, p, true);
    if (s === undefined) return undefined;
    if (!/^[A-Za-z0-9.-]+\/[a-z0-9.-]+$/.test(s)) return this.err(p, 'Invalid value', s, 'must be TYPE/NAME, e.g. deployment/web');
    return s;
  }
  comparison(o: Record<string, unknown>, p: string): Comparison | undefined {
    const c: Comparison = {};
    if (o.equals !== undefined) c.equals = typeof o.equals === 'object' ? JSON.stringify(o.equals) : String(o.equals);
    c.atLeast = this.number(o.atLeast, `${p}.atLeast`);
    c.atMost = this.number(o.atMost, `${p}.atMost`);
    if (c.equals === undefined && c.atLeast === undefined && c.atMost === undefined)
      return this.required(`${p}.equals`, 'one of equals, atLeast, atMost is required');
    return c;
  }
}

export function parseScenario(doc: unknown, dir: string, file: string): Scenario {
  if (!isJsonObject(doc)) throw new CliError(`error validating "${file}": a Scenario must be a mapping`);
  if (doc.apiVersion !== SCENARIO_API_VERSION || doc.kind !== 'Scenario')
    throw new CliError(
      `error validating "${file}": expected apiVersion ${SCENARIO_API_VERSION} and kind Scenario, got ${String(doc.apiVersion)} ${String(doc.kind)}`,
    );
  const r = new Reader();
  const meta = isJsonObject(doc.metadata) ? doc.metadata : {};
  const name = r.string(meta.name, 'metadata.name', true) ?? '';
  const spec = r.object(doc.spec ?? {}, 'spec', ['seed', 'seeds', 'cluster', 'steps', 'invariants', 'namespace']) ?? {};
  const seed = r.int(spec.seed, 'spec.seed') ?? 1;
  let seeds: number[] | undefined;
  if (spec.seeds !== undefined)
    try {
      seeds = parseSeeds(String(spec.seeds));
    } catch (e) {
      r.err('spec.seeds', 'Invalid value', spec.seeds, (e as Error).message.replace(/^invalid --seeds "[^"]*": /, ''));
    }
  const namespace = r.string(spec.namespace, 'spec.namespace') ?? 'default';
  const cluster = readCluster(r, spec.cluster);
  const steps: Step[] = [];
  if (!Array.isArray(spec.steps) || !spec.steps.length) r.required('spec.steps', 'a scenario needs at least one step');
  else spec.steps.forEach((s, i) => steps.push(...readStep(r, s, `spec.steps[${i}]`, i, namespace)));
  const names = new Map<string, number>();
  steps.forEach((s, i) => {
    if (names.has(s.name)) r.err(`spec.steps[${s.index}].name`, 'Duplicate value', s.name);
    names.set(s.name, i);
  });
  steps.forEach((s) => {
    const i = s.index;
    if (s.after !== undefined && !names.has(s.after)) r.err(`spec.steps[${i}].after`, 'Invalid value', s.after, 'no step has this name');
    if (s.action.type === 'assert' && s.action.assertion.kind === 'metric') {
      const t = names.get(s.action.assertion.traffic);
      if (t === undefined || steps[t].action.type !== 'traffic')
        r.err(`spec.steps[${i}].assert.metric.traffic`, 'Invalid value', s.action.assertion.traffic, 'must name a traffic step');
    }
  });
  checkCycles(r, steps);
  const invariants: Invariant[] = [];
  if (spec.invariants !== undefined && !Array.isArray(spec.invariants))
    r.err('spec.invariants', 'Invalid value', spec.invariants, 'must be a list');
  else
    (spec.invariants ?? []).forEach((v: unknown, i: number) => {
      const inv = readInvariant(r, v, `spec.invariants[${i}]`, namespace);
      if (!inv) return;
      for (const [j, d] of inv.during.entries())
        if (!names.has(d)) r.err(`spec.invariants[${i}].during[${j}]`, 'Invalid value', d, 'no step has this name');
      for (const k of ['from', 'until'] as const)
        if (inv[k] !== undefined && !names.has(inv[k]!))
          r.err(`spec.invariants[${i}].${k}`, 'Invalid value', inv[k], 'no step has this name');
      invariants.push(inv);
    });
  if (r.errs.length) throw invalid('Scenario', name, r.errs);
  return { name, dir, seed, seeds, cluster, steps, invariants };
}

function readCluster(r: Reader, v: unknown): ClusterSpec {
  const c: ClusterSpec = { nodes: 3, cpu: '4', memory: '16Gi', pods: 110, zones: ['zone-a', 'zone-b', 'zone-c'] };
  if (v === undefined) return c;
  const o = r.object(v, 'spec.cluster', ['nodes', 'cpu', 'memory', 'pods', 'zones']);
  if (!o) return c;
  c.nodes = r.int(o.nodes, 'spec.cluster.nodes', 1) ?? c.nodes;
  c.pods = r.int(o.pods, 'spec.cluster.pods', 1) ?? c.pods;
  for (const k of ['cpu', 'memory'] as const) {
    const q = r.string(o[k], `spec.cluster.${k}`);
    if (q !== undefined && (!isQuantity(q) || parseQuantity(q) <= 0))
      r.err(`spec.cluster.${k}`, 'Invalid value', q, 'must be a positive quantity');
    else if (q !== undefined) c[k] = q;
  }
  if (o.zones !== undefined) {
    if (!Array.isArray(o.zones) || !o.zones.length || o.zones.some((z) => typeof z !== 'string' || !z))
      r.err('spec.cluster.zones', 'Invalid value', o.zones, 'must be a non-empty list of zone names');
    else c.zones = o.zones as string[];
  }
  return c;
}

/** The steps one entry of `steps` makes (one, but kept a list for nodes given by zone). */
function readStep(r: Reader, v: unknown, p: string, index: number, defaultNamespace: string): Step[] {
  const o = r.object(v, p, ['name', 'at', 'after', 'namespace', ...STEP_ACTIONS]);
  if (!o) return [];
  const actions = STEP_ACTIONS.filter((a) => o[a] !== undefined);
  const name = r.string(o.name, `${p}.name`) ?? `step-${index + 1}`;
  const atMs = r.duration(o.at, `${p}.at`);
  const after = r.string(o.after, `${p}.after`);
  if (atMs !== undefined && after !== undefined) r.err(`${p}.after`, 'Forbidden', after, 'may not be set with `at`');
  const namespace = r.string(o.namespace, `${p}.namespace`) ?? defaultNamespace;
  const unknown = Object.keys(o).filter((k) => !['name', 'at', 'after', 'namespace', ...STEP_ACTIONS].includes(k));
  if (actions.length !== 1) {
    if (actions.length === 0 && unknown.length) return []; // the unknown field is the error
    r.err(p, 'Invalid value', Object.keys(o).join(','), `must have exactly one of ${STEP_ACTIONS.join(', ')}`);
    return [];
  }
  const key = actions[0];
  const action = readAction(r, key, o[key], `${p}.${key}`, name);
  return action ? [{ name, index, atMs, after, namespace, action }] : [];
}

function readAction(r: Reader, key: (typeof STEP_ACTIONS)[number], v: unknown, p: string, stepName: string): StepAction | undefined {
  const command = (...args: (string | undefined)[]): StepAction | undefined =>
    args.includes(undefined) ? undefined : { type: 'command', args: args as string[] };
  switch (key) {
    case 'apply': {
      if (typeof v === 'string') return command('apply', '-f', v);
      const o = r.object(v, p, ['file', 'manifests']);
      if (!o) return undefined;
      if ((o.file === undefined) === (o.manifests === undefined)) return r.required(`${p}.file`, 'one of file, manifests is required');
      if (o.file !== undefined) return command('apply', '-f', r.string(o.file, `${p}.file`, true));
      const manifests = o.manifests;
      if (typeof manifests === 'string') return { type: 'command', args: ['apply', '-f', '-'], stdin: manifests };
      if (!Array.isArray(manifests) || manifests.some((m) => !isJsonObject(m)))
        return r.err(`${p}.manifests`, 'Invalid value', manifests, 'must be a YAML string or a list of objects');
      return { type: 'command', args: ['apply', '-f', '-'], stdin: manifests.map((m) => YAML.stringify(m)).join('---\n') };
    }
    case 'delete': {
      if (typeof v === 'string') return command('delete', r.target(v, p));
      const o = r.object(v, p, ['target', 'file', 'selector', 'kind']);
      if (!o) return undefined;
      if (o.file !== undefined) return command('delete', '-f', r.string(o.file, `${p}.file`, true));
      if (o.selector !== undefined)
        return command('delete', r.string(o.kind, `${p}.kind`, true), '-l', r.selector(o.selector, `${p}.selector`));
      return command('delete', r.target(o.target, `${p}.target`));
    }
    case 'scale': {
      const o = r.object(v, p, ['target', 'replicas']);
      if (!o) return undefined;
      const replicas = r.int(o.replicas, `${p}.replicas`) ?? r.required(`${p}.replicas`);
      return command('scale', r.target(o.target, `${p}.target`), `--replicas=${replicas}`);
    }
    case 'setImage': {
      const o = r.object(v, p, ['target', 'container', 'image']);
      if (!o) return undefined;
      const container = r.string(o.container, `${p}.container`) ?? '*';
      const image = r.string(o.image, `${p}.image`, true);
      return command('set', 'image', r.target(o.target, `${p}.target`), image === undefined ? undefined : `${container}=${image}`);
    }
    case 'rolloutUndo': {
      if (typeof v === 'string') return command('rollout', 'undo', r.target(v, p));
      const o = r.object(v, p, ['target', 'toRevision']);
      if (!o) return undefined;
      const rev = r.int(o.toRevision, `${p}.toRevision`);
      return command('rollout', 'undo', r.target(o.target, `${p}.target`), ...(rev === undefined ? [] : [`--to-revision=${rev}`]));
    }
    case 'drain': {
      if (typeof v === 'string') return command('drain', v, '--ignore-daemonsets');
      const o = r.object(v, p, ['node', 'timeout', 'ignoreDaemonsets', 'deleteEmptydirData', 'force', 'gracePeriod']);
      if (!o) return undefined;
      const flags: string[] = [];
      if (o.ignoreDaemonsets !== false) flags.push('--ignore-daemonsets');
      if (o.deleteEmptydirData === true) flags.push('--delete-emptydir-data');
      if (o.force === true) flags.push('--force');
      const timeout = r.duration(o.timeout, `${p}.timeout`);
      if (timeout !== undefined) flags.push(`--timeout=${goDuration(timeout)}`);
      const grace = r.int(o.gracePeriod, `${p}.gracePeriod`);
      if (grace !== undefined) flags.push(`--grace-period=${grace}`);
      return command('drain', r.string(o.node, `${p}.node`, true), ...flags);
    }
    case 'cordon':
    case 'uncordon':
    case 'nodeFail':
    case 'nodeRecover': {
      const verb = ({ cordon: 'cordon', uncordon: 'uncordon', nodeFail: 'fail', nodeRecover: 'recover' } as const)[key];
      if (typeof v === 'string') return { type: 'nodes', verb, nodes: [v] };
      if (Array.isArray(v)) {
        const nodes = v.map((n, i) => r.string(n, `${p}[${i}]`, true));
        return nodes.includes(undefined) ? undefined : { type: 'nodes', verb, nodes: nodes as string[] };
      }
      const o = r.object(v, p, ['node', 'zone']);
      if (!o) return undefined;
      if (o.zone !== undefined) {
        const zone = r.string(o.zone, `${p}.zone`, true);
        return zone === undefined ? undefined : { type: 'nodes', verb, nodes: [], zone };
      }
      const node = r.string(o.node, `${p}.node`, true);
      return node === undefined ? undefined : { type: 'nodes', verb, nodes: [node] };
    }
    case 'advance': {
      const ms = r.duration(v, p);
      return ms === undefined ? undefined : { type: 'advance', ms };
    }
    case 'wait': {
      const o = r.object(v, p, ['target', 'selector', 'kind', 'for', 'timeout']);
      if (!o) return undefined;
      const forText = r.string(o.for, `${p}.for`, true);
      const timeout = r.duration(o.timeout, `${p}.timeout`) ?? 300_000;
      const what =
        o.selector !== undefined
          ? [r.string(o.kind, `${p}.kind`, true), '-l', r.selector(o.selector, `${p}.selector`)]
          : [r.target(o.target, `${p}.target`)];
      return command('wait', ...what, `--for=${forText}`, `--timeout=${goDuration(timeout)}`);
    }
    case 'kubesim': {
      // Array.isArray narrows unknown to any[]: read the arguments as unknown[]
      const args: unknown[] | undefined = Array.isArray(v) ? v : undefined;
      if (!args?.length || args.some((a) => typeof a !== 'string' && typeof a !== 'number'))
        return r.err(p, 'Invalid value', v, 'must be the arguments of a kubesim command, e.g. [rollout, status, deployment/web]');
      if (['scenario', 'serve', 'watch', 'cluster'].includes(String(args[0])))
        return r.err(`${p}[0]`, 'Unsupported value', args[0], 'a scenario step cannot run this command');
      return { type: 'command', args: args.map(String) };
    }
    case 'traffic': {
      const traffic = readTraffic(r, v, p);
      return traffic ? { type: 'traffic', traffic } : undefined;
    }
    case 'assert': {
      const assertion = readAssertion(r, v, p, stepName);
      return assertion ? { type: 'assert', assertion } : undefined;
    }
  }
}

function readTraffic(r: Reader, v: unknown, p: string): TrafficSpec | undefined {
  const o = r.object(v, p, ['service', 'rps', 'duration', 'events', 'latencyMs', 'cpuPerRequest', 'tick']);
  if (!o) return undefined;
  const service = r.string(o.service, `${p}.service`, true);
  const rps = r.number(o.rps, `${p}.rps`) ?? 100;
  const durationMs = r.duration(o.duration, `${p}.duration`) ?? 600_000;
  if (durationMs <= 0) r.err(`${p}.duration`, 'Invalid value', o.duration, 'must be greater than 0');
  const tickMs = r.duration(o.tick, `${p}.tick`) ?? 1000;
  if (tickMs < 100) r.err(`${p}.tick`, 'Invalid value', o.tick, 'must be at least 100ms');
  const latencyMs = r.number(o.latencyMs, `${p}.latencyMs`) ?? 20;
  const cpu = r.string(o.cpuPerRequest, `${p}.cpuPerRequest`) ?? '1m';
  if (!isQuantity(cpu) || parseQuantity(cpu) <= 0)
    r.err(`${p}.cpuPerRequest`, 'Invalid value', cpu, 'must be a positive CPU quantity such as 5m');
  const events: TrafficEvent[] = [];
  if (o.events !== undefined && !Array.isArray(o.events)) r.err(`${p}.events`, 'Invalid value', o.events, 'must be a list');
  for (const [i, e] of (Array.isArray(o.events) ? o.events : []).entries()) {
    const ep = `${p}.events[${i}]`;
    const eo = r.object(e, ep, ['spike', 'ramp', 'step', 'sine']);
    if (!eo) continue;
    if (eo.spike !== undefined || eo.ramp !== undefined) {
      const type = eo.spike !== undefined ? 'spike' : 'ramp';
      const w = r.object(eo[type], `${ep}.${type}`, ['rps', 'from', 'to']);
      if (!w) continue;
      const fromMs = r.duration(w.from, `${ep}.${type}.from`) ?? r.required(`${ep}.${type}.from`);
      const toMs = r.duration(w.to, `${ep}.${type}.to`) ?? r.required(`${ep}.${type}.to`);
      const erps = r.number(w.rps, `${ep}.${type}.rps`) ?? r.required(`${ep}.${type}.rps`);
      if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs)
        r.err(`${ep}.${type}.to`, 'Invalid value', w.to, 'must be after `from`');
      if (fromMs !== undefined && toMs !== undefined && erps !== undefined) events.push({ type, rps: erps, fromMs, toMs });
    } else if (eo.step !== undefined) {
      const w = r.object(eo.step, `${ep}.step`, ['rps', 'at']);
      const atMs = w && (r.duration(w.at, `${ep}.step.at`) ?? r.required(`${ep}.step.at`));
      const erps = w && (r.number(w.rps, `${ep}.step.rps`) ?? r.required(`${ep}.step.rps`));
      if (atMs !== undefined && atMs !== null && erps !== undefined && erps !== null) events.push({ type: 'step', rps: erps, atMs });
    } else if (eo.sine !== undefined) {
      const w = r.object(eo.sine, `${ep}.sine`, ['amplitude', 'period', 'from', 'to']);
      if (!w) continue;
      const amplitude = r.number(w.amplitude, `${ep}.sine.amplitude`) ?? r.required(`${ep}.sine.amplitude`);
      const periodMs = r.duration(w.period, `${ep}.sine.period`) ?? r.required(`${ep}.sine.period`);
      if (periodMs === 0) r.err(`${ep}.sine.period`, 'Invalid value', w.period, 'must be greater than 0');
      if (amplitude !== undefined && periodMs)
        events.push({
          type: 'sine',
          amplitude,
          periodMs,
          fromMs: r.duration(w.from, `${ep}.sine.from`),
          toMs: r.duration(w.to, `${ep}.sine.to`),
        });
    } else r.required(ep, 'one of spike, ramp, step, sine is required');
  }
  if (service === undefined) return undefined;
  return { service, profile: { rps, durationMs, events }, tickMs, latencyMs, cpuPerRequestMilli: parseQuantity(cpu) * 1000 };
}

function readAssertion(r: Reader, v: unknown, p: string, stepName: string): Assertion | undefined {
  const o = r.object(v, p, ASSERTIONS);
  if (!o) return undefined;
  const kinds = ASSERTIONS.filter((k) => o[k] !== undefined);
  if (kinds.length !== 1) return r.err(p, 'Invalid value', Object.keys(o).join(','), `must have exactly one of ${ASSERTIONS.join(', ')}`);
  const kind = kinds[0];
  const q = `${p}.${kind}`;
  const COMPARE = ['equals', 'atLeast', 'atMost'];
  switch (kind) {
    case 'jsonpath': {
      const a = r.object(o.jsonpath, q, ['target', 'path', ...COMPARE]);
      if (!a) return undefined;
      const target = r.target(a.target, `${q}.target`);
      const jp = r.string(a.path, `${q}.path`, true);
      const expect = r.comparison(a, q);
      return target && jp && expect ? { kind, target, path: jp, expect } : undefined;
    }
    case 'pods': {
      const a = r.object(o.pods, q, ['selector', 'phase', 'ready', 'count', 'atLeast', 'atMost']);
      if (!a) return undefined;
      const selector = r.selector(a.selector, `${q}.selector`);
      const phase = r.string(a.phase, `${q}.phase`);
      if (phase !== undefined && !['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'].includes(phase))
        r.err(`${q}.phase`, 'Unsupported value', phase, 'supported values: "Pending", "Running", "Succeeded", "Failed", "Unknown"');
      if (a.ready !== undefined && typeof a.ready !== 'boolean') r.err(`${q}.ready`, 'Invalid value', a.ready, 'must be true or false');
      const expect = r.comparison({ equals: a.count, atLeast: a.atLeast, atMost: a.atMost }, q);
      if (expect?.equals !== undefined && !/^\d+$/.test(expect.equals))
        r.err(`${q}.count`, 'Invalid value', a.count, 'must be a whole number');
      return expect ? { kind, selector, phase, ready: typeof a.ready === 'boolean' ? a.ready : undefined, expect } : undefined;
    }
    case 'event': {
      const a = r.object(o.event, q, ['reason', 'object', 'type', 'message', 'seen', 'from', 'to']);
      if (!a) return undefined;
      const reason = r.string(a.reason, `${q}.reason`, true);
      const type = r.string(a.type, `${q}.type`);
      if (type !== undefined && type !== 'Normal' && type !== 'Warning')
        r.err(`${q}.type`, 'Unsupported value', type, 'supported values: "Normal", "Warning"');
      if (a.seen !== undefined && typeof a.seen !== 'boolean') r.err(`${q}.seen`, 'Invalid value', a.seen, 'must be true or false');
      const object = a.object === undefined ? undefined : r.target(a.object, `${q}.object`);
      return reason
        ? {
            kind,
            reason,
            object,
            type,
            message: r.string(a.message, `${q}.message`),
            seen: a.seen !== false,
            fromMs: r.duration(a.from, `${q}.from`),
            toMs: r.duration(a.to, `${q}.to`),
          }
        : undefined;
    }
    case 'metric': {
      const a = r.object(o.metric, q, ['traffic', 'name', 'aggregate', 'from', 'to', ...COMPARE]);
      if (!a) return undefined;
      const traffic = r.string(a.traffic, `${q}.traffic`, true);
      const metric = r.string(a.name, `${q}.name`, true);
      if (metric !== undefined && !(TRAFFIC_METRICS as readonly string[]).includes(metric))
        r.err(`${q}.name`, 'Unsupported value', metric, `supported values: ${TRAFFIC_METRICS.map((m) => `"${m}"`).join(', ')}`);
      const aggregate = (r.string(a.aggregate, `${q}.aggregate`) ?? 'max') as Aggregate;
      if (!AGGREGATES.includes(aggregate))
        r.err(`${q}.aggregate`, 'Unsupported value', aggregate, `supported values: ${AGGREGATES.map((m) => `"${m}"`).join(', ')}`);
      const expect = r.comparison(a, q);
      void stepName;
      return traffic && metric && expect
        ? { kind, traffic, metric, aggregate, fromMs: r.duration(a.from, `${q}.from`), toMs: r.duration(a.to, `${q}.to`), expect }
        : undefined;
    }
  }
}

function readInvariant(r: Reader, v: unknown, p: string, defaultNamespace: string): Invariant | undefined {
  const o = r.object(v, p, ['name', 'namespace', 'target', 'selector', 'minAvailable', 'maxPods', 'during', 'from', 'until']);
  if (!o) return undefined;
  const name = r.string(o.name, `${p}.name`, true);
  const target = o.target === undefined ? undefined : r.target(o.target, `${p}.target`);
  const selector = r.selector(o.selector, `${p}.selector`);
  if ((o.target === undefined) === (o.selector === undefined)) r.required(`${p}.target`, 'one of target, selector is required');
  const minAvailable = r.int(o.minAvailable, `${p}.minAvailable`);
  const maxPods = r.int(o.maxPods, `${p}.maxPods`);
  if (minAvailable === undefined && maxPods === undefined) r.required(`${p}.minAvailable`, 'one of minAvailable, maxPods is required');
  const during = o.during === undefined ? [] : Array.isArray(o.during) ? o.during.map(String) : [String(o.during)];
  if (name === undefined) return undefined;
  return {
    name,
    namespace: r.string(o.namespace, `${p}.namespace`) ?? defaultNamespace,
    target,
    selector,
    minAvailable,
    maxPods,
    during,
    from: r.string(o.from, `${p}.from`),
    until: r.string(o.until, `${p}.until`),
  };
}

/** A step that (through `after` and file order) waits for itself would never run. */
function checkCycles(r: Reader, steps: Step[]): void {
  const index = new Map(steps.map((s, i) => [s.name, i]));
  const dependency = (i: number): number | undefined => {
    const s = steps[i];
    if (s.atMs !== undefined) return undefined;
    if (s.after !== undefined) return index.get(s.after);
    return i > 0 ? i - 1 : undefined;
  };
  for (let i = 0; i < steps.length; i++) {
    const seen = new Set<number>([i]);
    for (let d = dependency(i); d !== undefined; d = dependency(d)) {
      if (seen.has(d)) {
        r.err(`spec.steps[${steps[i].index}].after`, 'Invalid value', steps[i].after, 'the steps wait for each other');
        return;
      }
      seen.add(d);
    }
  }
}
