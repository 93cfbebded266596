import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { parseManifestText } from '../api/manifest-parser';
import type { KObject } from '../model/objects';
import { CliError } from '../util/errors';
import { yamlStreamToJson } from '../util/yaml-to-json';
import type { FileLoader } from './loader';
import { configError } from './patches';
import { runProgram, type ProgramEnv } from './program';

/**
 * kustomize's HelmChartInflationGenerator (api/internal/builtins/HelmChartInflationGenerator.go,
 * kustomize v5.5 as kubectl v1.32 embeds it): each `helmCharts` entry, with `helmGlobals`, is
 * configured when the kustomization is loaded (a bad entry fails before anything runs), then
 * inflated by running helm: `helm version -c --short` (v3 only), `helm pull` when the chart is
 * not under chartHome yet, then `helm template` with the values file kustomize writes.
 */

/** The --enable-helm, --helm-command, --helm-api-versions, --helm-kube-version and --helm-debug flags (types.HelmConfig). */
export interface HelmConfig {
  enabled: boolean;
  command: string;
  apiVersions: string[];
  kubeVersion: string;
  debug: boolean;
}

/** A helmCharts entry with the helmGlobals (types.HelmGlobals and types.HelmChart), as configured. */
interface HelmChart {
  chartHome: string;
  configHome?: string;
  name: string;
  version?: string;
  repo?: string;
  releaseName?: string;
  namespace?: string;
  additionalValuesFiles: string[];
  valuesFile: string;
  valuesInline?: Record<string, unknown>;
  valuesMerge: string;
  includeCRDs?: boolean;
  skipHooks?: boolean;
  apiVersions?: string[];
  kubeVersion?: string;
  nameTemplate?: string;
  skipTests?: boolean;
  debug?: boolean;
}

/** A configured chart: what `inflateHelmChart` runs helm with. */
export interface ConfiguredChart {
  chart: HelmChart;
  command: string;
  root: string;
  loader: FileLoader;
}

const MERGE_OPTIONS = ['merge', 'override', 'replace'];
const HELM_DEFAULT_HOME = 'charts';

const text = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value));

/** The chart's home: under chartHome, in a `NAME-VERSION` directory when a version is pulled from a repository. */
function absChartHome(chart: HelmChart, root: string): string {
  const home = path.isAbsolute(chart.chartHome) ? chart.chartHome : path.join(root, chart.chartHome);
  return chart.version && chart.repo ? path.join(home, `${chart.name}-${chart.version}`) : home;
}

/**
 * The plugin's Config: refused without --enable-helm (or --enable-alpha-plugins) and without a
 * helm command; the flags give kubeVersion, apiVersions and debug unless the entry sets them
 * (kustomize sets them before it decodes the entry over them).
 */
export function configureHelmChart(
  config: Record<string, unknown>,
  loader: FileLoader,
  helm: HelmConfig | undefined,
  refusal: (reason: string) => string = (reason) => configError('HelmChartInflationGenerator', config, reason),
): ConfiguredChart {
  const fail = (reason: string) => new CliError(refusal(reason));
  if (!helm?.enabled) throw fail('must specify --enable-helm');
  if (!helm.command) throw fail('must specify --helm-command');
  const name = text(config.name) ?? '';
  if (!name) throw fail('chart name cannot be empty');
  const chart: HelmChart = {
    chartHome: text(config.chartHome) || HELM_DEFAULT_HOME,
    configHome: text(config.configHome) || undefined,
    name,
    version: text(config.version),
    repo: text(config.repo),
    releaseName: text(config.releaseName),
    namespace: text(config.namespace),
    additionalValuesFiles: Array.isArray(config.additionalValuesFiles) ? config.additionalValuesFiles.map(String) : [],
    valuesFile: text(config.valuesFile) ?? '',
    valuesInline:
      config.valuesInline && typeof config.valuesInline === 'object' ? (config.valuesInline as Record<string, unknown>) : undefined,
    valuesMerge: text(config.valuesMerge) || 'override',
    includeCRDs: !!config.includeCRDs,
    skipHooks: !!config.skipHooks,
    apiVersions: Array.isArray(config.apiVersions) ? config.apiVersions.map(String) : helm.apiVersions,
    kubeVersion: text(config.kubeVersion) ?? helm.kubeVersion,
    nameTemplate: text(config.nameTemplate),
    skipTests: !!config.skipTests,
    debug: config.debug !== undefined ? !!config.debug : helm.debug,
  };
  // the values files must be readable under the kustomization's load restrictions
  if (!chart.valuesFile) chart.valuesFile = path.join(absChartHome(chart, loader.root), name, 'values.yaml');
  chart.additionalValuesFiles = chart.additionalValuesFiles.map((file) => {
    loader.read(file, (reason) => refusal(`could not load additionalValuesFile: ${reason}`));
    return path.join(loader.root, file);
  });
  if (!MERGE_OPTIONS.includes(chart.valuesMerge)) throw fail(`valuesMerge must be one of [${MERGE_OPTIONS.join(' ')}]`);
  return { chart, command: helm.command, root: loader.root, loader };
}

/** HelmChart.AsHelmArgs: `helm template` for the chart, in kustomize's argument order. */
export function templateArgs(chart: HelmChart, chartHome: string): string[] {
  const args = ['template'];
  args.push(...(chart.releaseName ? [chart.releaseName] : ['--generate-name']));
  args.push(path.join(chartHome, chart.name));
  if (chart.namespace) args.push('--namespace', chart.namespace);
  if (chart.nameTemplate) args.push('--name-template', chart.nameTemplate);
  if (chart.valuesFile) args.push('-f', chart.valuesFile);
  for (const file of chart.additionalValuesFiles) args.push('-f', file);
  for (const version of chart.apiVersions ?? []) args.push('--api-versions', version);
  if (chart.kubeVersion) args.push('--kube-version', chart.kubeVersion);
  if (chart.includeCRDs) args.push('--include-crds');
  if (chart.skipTests) args.push('--skip-tests');
  if (chart.skipHooks) args.push('--no-hooks');
  if (chart.debug) args.push('--debug');
  return args;
}

/** `helm pull` of a chart not found locally: an oci:// repository names the chart in its URL. */
function pullArgs(chart: HelmChart, chartHome: string): string[] {
  const args = ['pull', '--untar', '--untardir', chartHome];
  if (chart.repo?.startsWith('oci://')) args.push(`${chart.repo.replace(/\/$/, '')}/${chart.name}`);
  else args.push(...(chart.repo ? ['--repo', chart.repo] : []), chart.name);
  if (chart.version) args.push('--version', chart.version);
  return args;
}

/**
 * kyaml's merge2.Merge(src, dest): src's values win, maps merge key by key, a null in src
 * removes the key, anything else (lists included) is replaced.
 */
function mergeValues(src: unknown, dest: unknown): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isMap(src) || !isMap(dest)) return src;
  const out: Record<string, unknown> = { ...dest };
  for (const [key, value] of Object.entries(src)) {
    if (value === null) delete out[key];
    else out[key] = mergeValues(value, out[key]);
  }
  return out;
}

/** sigs.k8s.io/yaml's Marshal of a values map: keys sorted, lists not indented under their key. */
const marshal = (values: unknown): string => YAML.stringify(values, { sortMapEntries: true, indentSeq: false });

/** The values file helm reads: the chart's (or valuesFile) copied, or merged with valuesInline as valuesMerge says. */
function valuesText(chart: HelmChart, loader: FileLoader): string {
  const inline = chart.valuesInline ?? {};
  if (!Object.keys(inline).length) return loader.read(chart.valuesFile);
  if (chart.valuesMerge === 'replace') return marshal(inline);
  const { docs, error } = yamlStreamToJson(loader.read(chart.valuesFile), 'kustomize');
  if (error) throw new CliError(`could not parse values file into rnode: ${error}`);
  const fileValues = docs[0] ?? {};
  // override: the inline values win; merge: the file's values win
  return marshal(chart.valuesMerge === 'override' ? mergeValues(inline, fileValues) : mergeValues(fileValues, inline));
}

/**
 * helm's output as resources. When it does not read as resources, kustomize reads it again as
 * plain YAML documents (meaning to skip what helm printed before the first `---`): a syntax
 * error, or a document that is not an object with metadata, fails in its words.
 */
function readHelmOutput(stdout: string): KObject[] {
  const file = parseManifestText(stdout, 'helm', 'kustomize');
  const failure = file.decodeError ?? file.documentErrors[0];
  if (failure === undefined) return file.manifests.map((m) => m.object);
  const { docs, error } = yamlStreamToJson(stdout, 'kustomize');
  const strip = (e: string) => e.replace(/^error converting YAML to JSON: /, '');
  if (error) throw new CliError(`error reading helm output: MalformedYAMLError: ${strip(error)}`);
  const nodes = docs.filter((doc) => doc !== null && doc !== undefined);
  if (!nodes.length) throw new CliError(`could not parse bytes into resource map: ${strip(failure)}`);
  const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (nodes.some((doc) => !isMap(doc) || !isMap(doc.metadata)))
    throw new CliError('could not parse rnode slice into resource map: missing Resource metadata');
  return nodes as KObject[];
}

/** The plugin's Generate: runs helm (see the file comment) in a temporary HELM_CONFIG_HOME it removes afterwards. */
export function inflateHelmChart(configured: ConfiguredChart, programs: ProgramEnv): KObject[] {
  const { chart, command, loader } = configured;
  // Go's os.TempDir: kubectl's $TMPDIR, else /tmp
  const tmpDir = fs.mkdtempSync(path.join(programs.env.TMPDIR || '/tmp', 'kustomize-helm-'));
  try {
    const configHome = chart.configHome ?? path.join(tmpDir, 'helm');
    const helmEnv = [`HELM_CONFIG_HOME=${configHome}`, `HELM_CACHE_HOME=${configHome}/.cache`, `HELM_DATA_HOME=${configHome}/.data`];
    const env = { ...programs.env, ...Object.fromEntries(helmEnv.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])) };
    const helm = (args: string[]): string => {
      const run = runProgram(command, args, { env });
      if (run.error === undefined) return run.stdout;
      const output = args.includes('--debug') ? ` Helm stack trace:\n${run.stderr}\nHelm template:\n${run.stdout}\n` : run.stderr;
      const message = `unable to run: '${command} ${args.join(' ')}' with env=[${helmEnv.join(' ')}] (is '${command}' installed?): ${run.error}`;
      throw new CliError(output ? `${output}: ${message}` : message);
    };
    const versionOutput = helm(['version', '-c', '--short']);
    const version = /v?\d+(\.\d+)+/.exec(versionOutput)?.[0];
    if (version === undefined) throw new CliError(`cannot find version string in ${versionOutput}`);
    const bare = version.replace(/^v/, '');
    if (bare.split('.')[0] !== '3') throw new CliError(`this plugin requires helm V3 but got v${bare}`);
    const chartHome = absChartHome(chart, configured.root);
    const chartDir = path.join(chartHome, chart.name);
    const stat = fs.statSync(chartDir, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) {
      if (!chart.repo) throw new CliError(`no repo specified for pull, no chart found at '${stat ? chartDir : ''}'`);
      helm(pullArgs(chart, chartHome));
    }
    const valuesFile = path.join(tmpDir, `${chart.name}-kustomize-values.yaml`);
    fs.writeFileSync(valuesFile, valuesText(chart, loader));
    return readHelmOutput(helm(templateArgs({ ...chart, valuesFile }, chartHome)));
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
