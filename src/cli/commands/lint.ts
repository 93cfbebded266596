import * as fs from 'node:fs';
import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals } from '../context';
import { CliError } from '../../util/errors';
import { fileErrors, KUSTOMIZE_FLAG, loadManifestFiles } from '../manifests';
import { isQuantity } from '../../api/quantity';
import { DEFAULT_SHAPE, type ClusterShape } from '../../sim/cluster-shape';
import { Session } from '../../engine/session';
import { staticFindings, type LintInput } from '../../engine/lint/static-checks';
import { simulatedFindings } from '../../engine/lint/simulation';
import { objectLocators, type ObjectLocator } from '../../util/yaml-positions';
import { sortFindings, type LintSeverity } from '../../model/lint';
import { lintJson, lintSarif, renderLintText } from '../../printers/lint-report';
import { toJson } from '../../printers/serialize';
import type { Node } from '../../model/kinds';

interface LintOptions {
  filename?: string[];
  recursive?: boolean;
  kustomize?: string;
  output?: string;
  failOn: string;
  clusterShape?: string;
}

/** The exit status of lint itself failing (1 is "findings at or above --fail-on"). */
const LINT_FAILED = 2;

const QUANTITY_PATTERN = "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** `--cluster-shape nodes=5,cpu=8,memory=32Gi,pods=110,zones=a;b;c,seed=7`: what `cluster create` takes. */
export function parseClusterShape(text: string): ClusterShape {
  const shape: ClusterShape = { ...DEFAULT_SHAPE, zones: [...DEFAULT_SHAPE.zones], clock: 'manual' };
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new CliError(`invalid --cluster-shape "${text}": expected key=value pairs (nodes, cpu, memory, pods, zones, seed)`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    const integer = (min: number) => {
      if (!/^\d+$/.test(value) || Number(value) < min)
        throw new CliError(`invalid --cluster-shape ${key} "${value}": must be an integer of at least ${min}`);
      return Number(value);
    };
    if (key === 'nodes') shape.nodes = integer(0);
    else if (key === 'pods') shape.pods = integer(1);
    else if (key === 'seed') shape.seed = integer(0);
    else if (key === 'cpu' || key === 'memory') {
      if (!isQuantity(value))
        throw new CliError(`invalid --cluster-shape ${key} "${value}": quantities must match the regular expression ${QUANTITY_PATTERN}`);
      shape[key] = value;
    } else if (key === 'zones') shape.zones = value.split(';').filter(Boolean);
    else throw new CliError(`invalid --cluster-shape key "${key}": one of nodes, cpu, memory, pods, zones, seed`);
  }
  return shape;
}

/** Matches each object to the place its fields are in its file (same kind and name, in file order). */
function placeObjects(text: string | undefined, objects: LintInput[]): void {
  if (text === undefined) return;
  const locators = objectLocators(text);
  const used = new Set<ObjectLocator>();
  for (const input of objects) {
    const meta = input.object.metadata;
    const locator = locators.find(
      (l) => !used.has(l) && l.kind === input.object.kind && (l.name ?? '') === (meta?.name ?? '') && l.namespace === meta?.namespace,
    );
    if (!locator) continue;
    used.add(locator);
    input.locator = locator;
  }
}

export function register(program: Command, env: CommandEnv): void {
  program
    .command('lint')
    .description(
      'Find the mistakes in manifests before they ship: static checks of the YAML, and checks made by running it on a scratch simulated cluster',
    )
    .option('-f, --filename <file...>', 'Manifests to lint: files, directories (with -R, recursively) or - for standard input')
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option(...KUSTOMIZE_FLAG)
    .option('-o, --output <format>', 'Output format. One of: (text, json, sarif).', 'text')
    .option('--fail-on <severity>', 'Exit 1 when a finding is at or above this severity: warning or error.', 'warning')
    .option(
      '--cluster-shape <shape>',
      "The scratch cluster the simulated checks run on: nodes=3,cpu=4,memory=16Gi,pods=110,zones=a;b;c,seed=1 (default: the current cluster's nodes)",
    )
    .addHelpText(
      'after',
      [
        '',
        'Exit status:',
        '  0 No findings at or above --fail-on.',
        '  1 Findings at or above --fail-on.',
        '  2 lint itself failed (unreadable input, a bad flag).',
        '',
        'Examples:',
        '  # Lint the manifests of a directory, recursively',
        '  kubesim lint -f k8s/ -R',
        '',
        '  # SARIF for code scanning, failing the job on errors only',
        '  kubesim lint -f app.yaml -o sarif --fail-on error > lint.sarif',
        '',
        '  # Simulate on a bigger cluster than the current one',
        '  kubesim lint -k overlays/prod --cluster-shape nodes=6,cpu=8,memory=32Gi,zones=a;b;c',
      ].join('\n'),
    )
    .action((opts: LintOptions, cmd: Command) => {
      try {
        runLint(opts, cmd, env);
      } catch (e) {
        if (e instanceof CliError) throw new CliError(e.message, { exitCode: LINT_FAILED, raw: e.raw });
        throw e;
      }
    });
}

function runLint(opts: LintOptions, cmd: Command, env: CommandEnv): void {
  // Validate
  const output = opts.output ?? 'text';
  if (!['text', 'json', 'sarif'].includes(output))
    throw new CliError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,sarif,text`);
  if (opts.failOn !== 'warning' && opts.failOn !== 'error')
    throw new CliError(`invalid --fail-on "${opts.failOn}": must be warning or error`);
  const failOn = opts.failOn as LintSeverity;
  const explicitShape = opts.clusterShape !== undefined ? parseClusterShape(opts.clusterShape) : undefined;
  const g = globals(cmd, env);
  const files = loadManifestFiles(opts.filename ?? [], { recursive: opts.recursive, kustomize: opts.kustomize, io: env.io });
  const errors = files.flatMap(fileErrors);
  if (errors.length) throw new CliError(errors.join('\n'));
  const inputs: LintInput[] = [];
  for (const file of files) {
    const objects: LintInput[] = file.manifests.map((m) => ({
      object: m.object,
      ...(opts.kustomize === undefined ? { file: file.source } : {}),
    }));
    placeObjects(file.text, objects);
    inputs.push(...objects);
  }
  if (!inputs.length) throw new CliError('no objects passed to lint');

  // the scratch cluster: --cluster-shape, or the current cluster's nodes (its seed), or the default cluster
  let shape = explicitShape;
  let nodes: Node[] | undefined;
  if (!shape) {
    const exists = fs.existsSync(g.statePath) && fs.statSync(g.statePath).size > 0;
    const saved = exists ? Session.readMeta(g.statePath, 'shape') : undefined;
    shape = { ...DEFAULT_SHAPE, ...(saved ? (JSON.parse(saved) as Partial<ClusterShape>) : {}), clock: 'manual' };
    if (exists) nodes = Session.peekObjects(g.statePath, 'Node') as Node[];
  }

  // Run
  const findings = sortFindings([
    ...staticFindings(inputs, g.namespace),
    ...simulatedFindings(inputs, { shape, nodes, defaultNamespace: g.namespace }),
  ]);
  if (output === 'json') env.out.out(toJson(lintJson(findings)));
  else if (output === 'sarif') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../../../package.json') as { version: string };
    env.out.out(toJson(lintSarif(findings, pkg.version)));
  } else env.out.out(renderLintText(findings));
  const failing = findings.some((f) => f.severity === 'error' || failOn === 'warning');
  env.exitCode = failing ? 1 : 0;
}
