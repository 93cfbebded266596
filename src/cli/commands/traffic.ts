import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession, type Globals } from '../context';
import { CliError, notFound } from '../../util/errors';
import { parseDuration } from '../../util/duration';
import { isQuantity, parseQuantity } from '../../api/quantity';
import { updateObject } from '../../api/server';
import { runGatewayTraffic, runTraffic, type GatewayBackend } from '../../sim/traffic';
import { backendShares, matchRequest } from '../../sim/gateway-routing';
import { conditionTrue, hostnameMatches, ownGatewayClass, resolveBackend, type Gateway } from '../../api/gateway-api';
import { TRAFFIC_ANNOTATION, type ActiveTraffic, type TrafficEvent, type TrafficProfile } from '../../sim/traffic-profile';
import {
  gatewayTrafficCsv,
  gatewayTrafficSummary,
  trafficCharts,
  trafficCsv,
  trafficJson,
  trafficSummary,
} from '../../printers/traffic-report';
import { clusterSnapshot, reportModel } from '../../printers/cluster-report';
import { svgCharts } from '../../printers/svg-chart';
import { pngOfSvg } from '../../printers/png-image';
import type { ClusterSnapshot, ReportModel } from '../../model/report';
import { clusterEvents, clusterObjects, writeHtmlReport, writeOutputFile } from '../report-file';
import { isJsonObject, type JsonObject } from '../../model/objects';
import type { Session } from '../../engine/session';
import { withFlags, type FlagSet } from '../flag-sets';

/** The summary's lines up to its first chart (the blank line before it). */
function summaryText(lines: string[]): string[] {
  const blank = lines.indexOf('');
  return blank < 0 ? lines : lines.slice(0, blank);
}

/** the most cluster snapshots a traffic report keeps (one per change of the cluster) */
const MAX_SNAPSHOTS = 400;

/** traffic run's flags as commander parses them */
interface TrafficRunOptions {
  report?: string;
  plot?: string;
  service?: string;
  gateway?: string;
  host?: string;
  path?: string;
  filename?: string;
  rps?: string;
  spike: string[];
  ramp: string[];
  step: string[];
  sine?: string;
  duration?: string;
  latencyMs?: string;
  cpuPerRequest?: string;
  tick?: string;
  seed?: string;
  output?: string;
}

/** A field of parsed YAML, or undefined when the value is not a mapping. */
function field(value: unknown, key: string): unknown {
  return isJsonObject(value) ? value[key] : undefined;
}

const collect = (v: string, prev: string[]) => [...prev, v];

function num(text: unknown, what: string): number {
  const n = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(n) || n < 0)
    throw new CliError(`invalid ${what} "${text}": must be a non-negative number`);
  return n;
}

function dur(text: unknown, what: string): number {
  if (typeof text === 'number') return text * 1000;
  return parseDuration(String(text), what);
}

/** `2000@60s-180s` → rps 2000 between 60 s and 180 s. */
function parseWindow(text: string, flag: string): { rps: number; fromMs: number; toMs: number } {
  const m = /^([\d.]+)@([^-]+)-(.+)$/.exec(text);
  if (!m) throw new CliError(`invalid --${flag} "${text}": expected RPS@FROM-TO, e.g. 2000@60s-180s`);
  const fromMs = dur(m[2], flag);
  const toMs = dur(m[3], flag);
  if (toMs <= fromMs) throw new CliError(`invalid --${flag} "${text}": the end must be after the start`);
  return { rps: num(m[1], `--${flag} rate`), fromMs, toMs };
}

function parseStep(text: string): TrafficEvent {
  const m = /^([\d.]+)@(.+)$/.exec(text);
  if (!m) throw new CliError(`invalid --step "${text}": expected RPS@TIME, e.g. 500@5m`);
  return { type: 'step', rps: num(m[1], '--step rate'), atMs: dur(m[2], 'step') };
}

function parseSine(text: string): TrafficEvent {
  const m = /^([\d.]+)\/(.+)$/.exec(text);
  if (!m) throw new CliError(`invalid --sine "${text}": expected AMPLITUDE/PERIOD, e.g. 100/5m`);
  const periodMs = dur(m[2], 'sine');
  if (periodMs <= 0) throw new CliError(`invalid --sine "${text}": the period must be positive`);
  return { type: 'sine', amplitude: num(m[1], '--sine amplitude'), periodMs };
}

/** A YAML traffic profile: service, duration, rps, latencyMs, cpuPerRequest, seed, tick, events. */
function readProfileFile(file: string, cwd: string): JsonObject {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch {
    throw new CliError(`the path "${file}" does not exist`);
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new CliError(`error parsing ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isJsonObject(doc)) throw new CliError(`error parsing ${file}: a traffic profile must be a mapping`);
  return doc;
}

function eventsFromFile(events: unknown, file: string): TrafficEvent[] {
  if (events === undefined) return [];
  if (!Array.isArray(events)) throw new CliError(`error parsing ${file}: events must be a list`);
  return events.map((e: unknown, i) => {
    const where = `${file}: events[${i}]`;
    const spike = field(e, 'spike');
    const ramp = field(e, 'ramp');
    const step = field(e, 'step');
    const sine = field(e, 'sine');
    if (spike)
      return {
        type: 'spike',
        rps: num(field(spike, 'rps'), `${where}.spike.rps`),
        fromMs: dur(field(spike, 'from'), where),
        toMs: dur(field(spike, 'to'), where),
      };
    if (ramp)
      return {
        type: 'ramp',
        rps: num(field(ramp, 'rps'), `${where}.ramp.rps`),
        fromMs: dur(field(ramp, 'from'), where),
        toMs: dur(field(ramp, 'to'), where),
      };
    if (step) return { type: 'step', rps: num(field(step, 'rps'), `${where}.step.rps`), atMs: dur(field(step, 'at'), where) };
    if (sine) {
      const from = field(sine, 'from');
      const to = field(sine, 'to');
      return {
        type: 'sine',
        amplitude: num(field(sine, 'amplitude'), `${where}.sine.amplitude`),
        periodMs: dur(field(sine, 'period'), where),
        fromMs: from === undefined ? undefined : dur(from, where),
        toMs: to === undefined ? undefined : dur(to, where),
      };
    }
    throw new CliError(`error parsing ${where}: expected one of spike, ramp, step, sine`);
  });
}

/** What `kubesim traffic run` was asked, flags over the profile file's fields (Complete + Validate). */
interface TrafficRunRequest {
  service: string;
  /** --gateway: the traffic goes through this Gateway's routes instead of to `service` */
  gateway?: { name: string; host: string; path: string };
  profile: TrafficProfile;
  tickMs: number;
  seed: number;
  latencyMs: number;
  cpuPerRequestMilli: number;
  output?: 'json' | 'csv';
  report?: string;
  plot?: string;
}

/** traffic run's flags: the load (or -f, a profile file), the model's knobs, and what it writes */
const trafficRunFlags: FlagSet = (c) =>
  c
    .option('--service <name>', 'The Service that receives the traffic')
    .option('--gateway <name>', 'Send the traffic through this Gateway instead: its HTTPRoutes pick the backends (with --host)')
    .option('--host <host>', 'The Host of the requests sent through --gateway')
    .option('--path <path>', 'The path of the requests sent through --gateway (default /)')
    .option('-f, --filename <file>', 'A YAML traffic profile (service, duration, rps, events: spike/ramp/step/sine)')
    .option('--rps <n>', 'Base request rate per second (default 100)')
    .option('--spike <spec>', 'RPS@FROM-TO: the rate during a window, e.g. 2000@60s-180s (repeatable)', collect, [])
    .option('--ramp <spec>', 'RPS@FROM-TO: move the base rate linearly to RPS (repeatable)', collect, [])
    .option('--step <spec>', 'RPS@TIME: the base rate from TIME on (repeatable)', collect, [])
    .option('--sine <spec>', 'AMPLITUDE/PERIOD: add a sine wave, e.g. 100/5m')
    .option('--duration <d>', 'How long to run in virtual time (default 10m)')
    .option('--latency-ms <ms>', 'Service time of one request on an idle pod (default 20)')
    .option('--cpu-per-request <q>', 'CPU one request costs, e.g. 5m (default 1m)')
    .option('--tick <d>', 'Simulation tick (default 1s)')
    .option('--seed <n>', 'Seed of the latency distribution (default 1)')
    .option('-o, --output <format>', 'json or csv: every tick, for scripts and plotting')
    .option(
      '--report <file>',
      'Also write an HTML report (FILE.html): the cluster map through the run, the timeline of events and the charts',
    )
    .option('--plot <file>', "Also write the run's charts (pods, requests, CPU, latency) as an image: FILE.svg or FILE.png");

export function register(program: Command, env: CommandEnv): void {
  const traffic = program.command('traffic').description('Simulate traffic to a Service in virtual time');
  withFlags(
    traffic.command('run').description('Drive load through a Service to its Ready pods and report pods, CPU and latency over time'),
    trafficRunFlags,
  )
    .addHelpText(
      'after',
      '\nExamples:\n  kubesim traffic run --service web --rps 200 --spike 2000@60s-180s --duration 10m\n  kubesim traffic run --gateway edge --host shop.example.com --rps 500 --duration 5m\n  kubesim traffic run -f spike.yaml -o csv > ticks.csv\n  kubesim traffic run --service web --spike 2000@60s-180s --report traffic.html --plot traffic.svg',
    )
    .action((opts: TrafficRunOptions, cmd: Command) => {
      const g = globals(cmd, env);
      const req = completeTrafficRun(opts, env.io.cwd);
      if (req.gateway) {
        const { profile, tickMs, seed, latencyMs, cpuPerRequestMilli } = req;
        const run = { profile, tickMs, seed, latencyMs, cpuPerRequestMilli };
        return runThroughGateway(env, g, req.gateway.name, req.gateway.host, req.gateway.path, run, req.output);
      }
      const files = withSession(g, (s) => runTrafficRun(s, env, req, g.namespace));
      // the files after the commit: a failed write reports its error with the run saved
      if (files.model) writeHtmlReport(req.report!, files.model, env.io.cwd);
      if (files.plot !== undefined) writeOutputFile(req.plot!, files.plot, env.io.cwd);
    });
}

/** Complete + Validate: the profile file read, each flag over its field, every value checked before the cluster is read. */
function completeTrafficRun(opts: TrafficRunOptions, cwd: string): TrafficRunRequest {
  const file: JsonObject = opts.filename ? readProfileFile(opts.filename, cwd) : {};
  const fileName = opts.filename ?? '';
  const service = opts.service ?? (file.service === undefined || file.service === null ? undefined : String(file.service));
  if (opts.gateway !== undefined) {
    if (opts.service !== undefined) throw new CliError('--service and --gateway cannot be used together');
    if (!opts.host) throw new CliError('required flag(s) "host" not set');
    if (opts.report !== undefined || opts.plot !== undefined)
      throw new CliError('--report and --plot chart one Service: use --service, or -o json for each backend of --gateway');
  } else if (opts.host !== undefined || opts.path !== undefined) throw new CliError('--host and --path need --gateway');
  if (!service && opts.gateway === undefined) throw new CliError('required flag(s) "service" not set');
  if (opts.output && opts.output !== 'json' && opts.output !== 'csv')
    throw new CliError(`unable to match a printer suitable for the output format "${opts.output}", allowed formats are: csv,json`);
  if (opts.report !== undefined && !/\.html?$/i.test(opts.report)) throw new CliError(`--report: "${opts.report}" does not end in .html`);
  if (opts.plot !== undefined && !/\.(svg|png)$/i.test(opts.plot))
    throw new CliError(`--plot: "${opts.plot}" does not end in .svg or .png (the plot is an SVG or PNG image)`);
  const durationMs = dur(opts.duration ?? file.duration ?? '10m', 'duration');
  if (durationMs <= 0) throw new CliError('--duration must be greater than 0');
  const tickMs = dur(opts.tick ?? file.tick ?? '1s', 'tick');
  if (tickMs < 100) throw new CliError('--tick must be at least 100ms');
  const cpuText = String(opts.cpuPerRequest ?? file.cpuPerRequest ?? '1m');
  if (!isQuantity(cpuText) || parseQuantity(cpuText) <= 0)
    throw new CliError(`invalid --cpu-per-request "${cpuText}": must be a positive CPU quantity such as 5m`);
  const seedText = String(opts.seed ?? file.seed ?? '1');
  if (!/^\d+$/.test(seedText))
    throw new CliError(`invalid argument "${seedText}" for "--seed" flag: strconv.ParseInt: parsing "${seedText}": invalid syntax`);
  const events: TrafficEvent[] = [
    ...eventsFromFile(file.events, fileName),
    ...opts.spike.map((s) => ({ type: 'spike' as const, ...parseWindow(s, 'spike') })),
    ...opts.ramp.map((s) => ({ type: 'ramp' as const, ...parseWindow(s, 'ramp') })),
    ...opts.step.map(parseStep),
    ...(opts.sine ? [parseSine(opts.sine)] : []),
  ];
  return {
    service: service ?? '',
    ...(opts.gateway !== undefined ? { gateway: { name: opts.gateway, host: opts.host!, path: opts.path ?? '/' } } : {}),
    profile: { rps: num(opts.rps ?? file.rps ?? 100, '--rps'), durationMs, events },
    tickMs,
    seed: Number(seedText),
    latencyMs: num(opts.latencyMs ?? file.latencyMs ?? 20, '--latency-ms'),
    cpuPerRequestMilli: parseQuantity(cpuText) * 1000,
    output: opts.output === 'json' || opts.output === 'csv' ? opts.output : undefined,
    report: opts.report,
    plot: opts.plot,
  };
}

/** The plot as its file name asks: SVG text, or that rasterized to PNG. */
function plotImage(file: string, svg: string): string | Buffer {
  return /\.png$/i.test(file) ? pngOfSvg(svg) : svg;
}

/** Run: the traffic through the Service in virtual time, its summary (or -o) printed; the report and plot to write. */
function runTrafficRun(
  s: Session,
  env: CommandEnv,
  req: TrafficRunRequest,
  namespace: string,
): { model?: ReportModel; plot?: string | Buffer } {
  const { service } = req;
  const svc = s.store.get('Service', namespace, service);
  if (!svc) throw notFound('services', service);
  if (!svc.spec?.selector || !Object.keys(svc.spec.selector).length)
    throw new CliError(`service/${service} has no selector: it has no pods to send traffic to`);
  const start = s.now;
  // the map through the run, for the report: a snapshot whenever the cluster changed (at most MAX_SNAPSHOTS)
  const snapshots: ClusterSnapshot[] = [];
  let seen = '';
  const snapshot = (now: number) => {
    const rv = String(s.store.resourceVersion);
    if (rv === seen || snapshots.length >= MAX_SNAPSHOTS) return;
    seen = rv;
    snapshots.push(clusterSnapshot(clusterObjects(s), now));
  };
  const { tickMs, seed, latencyMs, cpuPerRequestMilli, profile } = req;
  const report = runTraffic(
    s.engine,
    s.store,
    { namespace, service, profile, tickMs, seed, latencyMs, cpuPerRequestMilli },
    (active) => annotateTraffic(s, namespace, service, active),
    req.report === undefined ? undefined : snapshot,
  );
  if (req.output === 'json') env.out.out(trafficJson(report));
  else if (req.output === 'csv') env.out.out(trafficCsv(report));
  else for (const l of trafficSummary(report)) env.out.line(l);
  return {
    model:
      req.report === undefined
        ? undefined
        : reportModel({
            title: `kubesim traffic run: service/${service}`,
            now: s.now,
            objects: clusterObjects(s),
            events: clusterEvents(s),
            charts: trafficCharts(report, start),
            // the summary's text, without its ASCII charts (the report draws them)
            summary: summaryText(trafficSummary(report)),
            earlier: snapshots,
          }),
    plot: req.plot === undefined ? undefined : plotImage(req.plot, svgCharts(trafficCharts(report, start))),
  };
}

/** Stores the running profile on the Service, so the metrics pipeline and an HPA see the load it carries. */
function annotateTraffic(s: Session, namespace: string, service: string, active: ActiveTraffic): void {
  const current = s.store.get('Service', namespace, service)!;
  updateObject(
    s.api,
    {
      ...current,
      metadata: {
        ...current.metadata,
        annotations: { ...(current.metadata.annotations ?? {}), [TRAFFIC_ANNOTATION]: JSON.stringify(active) },
      },
    },
    { trusted: true },
  );
}

/**
 * `traffic run --gateway NAME --host H`: the rule the Gateway's routes pick for GET H/PATH (as
 * `kubesim curl` would route it) and its backendRefs by weight, each backend Service driven with
 * its share of the load.
 */
function runThroughGateway(
  env: CommandEnv,
  g: Globals,
  name: string,
  host: string,
  pathText: string,
  run: Parameters<typeof runGatewayTraffic>[2],
  output: string | undefined,
): void {
  withSession(g, (s) => {
    const gw = s.store.get('Gateway', g.namespace, name) as Gateway | undefined;
    if (!gw) throw notFound('gateways.gateway.networking.k8s.io', name);
    if (!ownGatewayClass(s.store, gw))
      throw new CliError(`gateway/${name} is not of a GatewayClass of kubesim.io/gateway: kubesim does not route its traffic`);
    const listener = (gw.spec?.listeners ?? []).find((l) => l.protocol === 'HTTP' && (!l.hostname || hostnameMatches(l.hostname, host)));
    if (!listener || !conditionTrue(gw.status?.conditions, 'Programmed'))
      throw new CliError(`gateway/${name} has no programmed HTTP listener for host "${host}"`);
    const matched = matchRequest(s.store, gw, { scheme: 'http', host, port: listener.port, path: pathText, method: 'GET', headers: [] });
    if ('type' in matched) throw new CliError(`no HTTPRoute of gateway/${name} matches GET http://${host}${pathText}`);
    const { route, rule } = matched;
    if ((rule.filters ?? []).some((f) => f.type === 'RequestRedirect'))
      throw new CliError(
        `the rule of httproute/${route.metadata.name} that matches GET http://${host}${pathText} redirects: it sends no traffic to a backend`,
      );
    const backends: GatewayBackend[] = backendShares(rule.backendRefs ?? []).map(({ ref, share }) => {
      const resolved = resolveBackend(s.store, route, ref);
      const namespace = ref.namespace ?? route.metadata.namespace ?? 'default';
      return {
        namespace,
        service: ref.name,
        port: ref.port ?? 0,
        weight: ref.weight ?? 1,
        share,
        ...(resolved.resolved ? {} : { error: resolved.reason }),
      };
    });
    const report = runGatewayTraffic(
      s.engine,
      s.store,
      run,
      { gateway: name, namespace: g.namespace, host, path: pathText, route: `${route.metadata.namespace}/${route.metadata.name}` },
      backends,
      (namespace, service, active) => annotateTraffic(s, namespace, service, active),
    );
    if (output === 'json') env.out.out(`${JSON.stringify(report, null, 2)}\n`);
    else if (output === 'csv') env.out.out(gatewayTrafficCsv(report));
    else for (const l of gatewayTrafficSummary(report)) env.out.line(l);
  });
}
