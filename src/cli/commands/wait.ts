import type { Command } from 'commander';
import type { CommandEnv } from '../program';
import { globals, withSession, type Globals } from '../context';
import { CliError, notFound } from '../../util/errors';
import { parseDuration } from '../../util/duration';
import { kindInfoOrThrow, qualifiedName, resourceName, type KindInfo } from '../../api/registry';
import { isJsonObject, type JsonObject, type JsonValue, type KObject } from '../../model/objects';
import { matches, parseSelector } from '../../api/labels';
import { matchesFields } from '../../api/field-selector';
import { waitInVirtualTime } from '../../engine/wait';
import type { Session } from '../../engine/session';
import { findJsonPathResults, formatGoValue, parseJsonPath, relaxedJsonPathExpression } from '../../printers/jsonpath';
import { formatStructured, validateOutputFormat } from '../../printers/output';
import { parseResourceArgs } from '../resource-args';
import { fieldSelectorFor, fileTargets, refuseArgsWithFiles, type Target } from '../resource-builder';
import { fileErrors, loadManifestFiles } from '../manifests';
import { kindForManifest } from '../apply-object';
import {
  allNamespacesFlag,
  collect,
  fieldSelectorFlag,
  parseBoolFlag,
  printFlags,
  printOptions,
  withFlags,
  type PrintFlags,
  type PrintOptions,
} from '../flag-sets';

/** What --for asks (conditionFuncFor): an object gone, an object there, or a check on the object. */
type WaitFor = { mode: 'delete' } | { mode: 'create' } | { mode: 'check'; met: (obj: KObject) => boolean };

const JSONPATH_FORMAT =
  "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'";

/** --for=delete|create|condition=NAME[=VALUE]|jsonpath='{…}'[=VALUE] */
export function parseFor(text: string): WaitFor {
  const lower = text.toLowerCase();
  if (lower === 'delete') return { mode: 'delete' };
  if (lower === 'create') return { mode: 'create' };
  if (text.startsWith('condition=')) {
    const spec = text.slice('condition='.length);
    const eq = spec.indexOf('=');
    const [name, status] = eq >= 0 ? [spec.slice(0, eq), spec.slice(eq + 1)] : [spec, 'true'];
    return { mode: 'check', met: (obj) => conditionMet(obj, name, status) };
  }
  if (text.startsWith('jsonpath=')) {
    const parts = splitJsonPathInput(text.slice('jsonpath='.length));
    if (parts.length > 2) throw new CliError(JSONPATH_FORMAT);
    const template = parseJsonPath(relaxedJsonPathExpression(parts[0]));
    const value = parts.length === 2 ? parts[1].replace(/^['"]+|['"]+$/g, '') : undefined;
    if (value === '')
      throw new CliError("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3");
    return { mode: 'check', met: (obj) => jsonPathMet(obj, template, value) };
  }
  throw new CliError(`unrecognized condition: "${text}"`);
}

/** splitJSONPathInput: split on `=`, but not on the `==` of a filter */
function splitJsonPathInput(input: string): string[] {
  const parts = [''];
  for (let i = 0; i < input.length; i++) {
    if (input[i] === '=' && input[i + 1] === '=') {
      parts[parts.length - 1] += '==';
      i++;
    } else if (input[i] === '=') parts.push('');
    else parts[parts.length - 1] += input[i];
  }
  return parts;
}

/** A number read from JSON, or undefined when it is not one */
const numberOrUndefined = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * ConditionalWait.checkCondition: the first condition of that type (names and values compared
 * case-insensitively), not met while its observedGeneration (or the status's) is behind metadata.generation.
 */
function conditionMet(obj: KObject, name: string, status: string): boolean {
  // any kind's status, custom resources' included: read as JSON, each field checked before use
  const current: JsonObject = isJsonObject(obj.status) ? obj.status : {};
  const conditions = Array.isArray(current.conditions) ? current.conditions.filter(isJsonObject) : [];
  const condition = conditions.find(
    (c) => typeof c.type === 'string' && c.type.toLowerCase() === name.toLowerCase() && typeof c.status === 'string',
  );
  if (typeof condition?.status !== 'string') return false;
  const observed = numberOrUndefined(condition.observedGeneration) ?? numberOrUndefined(current.observedGeneration);
  if (obj.metadata.generation !== undefined && observed !== undefined && observed < obj.metadata.generation) return false;
  return condition.status.toLowerCase() === status.toLowerCase();
}

/** JSONPathWait.checkCondition: one value found; any value, or that value as fmt %v prints it */
function jsonPathMet(obj: KObject, template: ReturnType<typeof parseJsonPath>, value: string | undefined): boolean {
  const results = findJsonPathResults(template, JSON.parse(JSON.stringify(obj)), { allowMissingKeys: true });
  if (!results.length || !results[0].length) return false;
  if (results.length > 1) throw new CliError('given jsonpath expression matches more than one list');
  if (results[0].length > 1) throw new CliError('given jsonpath expression matches more than one value');
  if (value === undefined) return true;
  const found = results[0][0];
  if (found !== null && typeof found === 'object') throw new CliError('jsonpath leads to a nested object or list which is not supported');
  return formatGoValue(found).trim() === value.trim();
}

interface WaitFlags extends PrintFlags {
  for?: string;
  timeout: string;
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  filename: string[];
  recursive?: string | boolean;
  local?: boolean;
}

interface WaitRequest {
  resources: string[];
  waitFor: WaitFor;
  timeoutMs: number;
  print: PrintOptions;
  flags: WaitFlags;
  recursive: boolean;
}

export function register(program: Command, env: CommandEnv): void {
  withFlags(
    program
      .command('wait')
      .description('Experimental: Wait for a specific condition on one or many resources')
      .argument('[resource...]', 'TYPE NAME | TYPE/NAME | TYPE (-l label | --all)'),
    printFlags,
    fieldSelectorFlag,
    allNamespacesFlag,
  )
    .option(
      '--for <condition>',
      "The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath='{JSONPath expression}'=[JSONPath value]]. The default condition-value is true. Condition values are compared after Unicode simple case folding, which is a more general form of case-insensitivity.",
    )
    .option(
      '--timeout <duration>',
      "The length of time to wait before giving up. Zero means check once and don't wait, negative means wait for a week.",
      '30s',
    )
    .option(
      '-l, --selector <selector>',
      "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)",
    )
    .option('--all', 'Select all resources in the namespace of the specified resource types')
    .option('-f, --filename <file>', 'identifying the resource.', collect, [])
    .option(
      '-R, --recursive [bool]',
      'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.',
      'true',
    )
    .option('--local', 'If true, annotation will NOT contact api-server but run locally.')
    .addHelpText(
      'after',
      "\nExamples:\n  kubesim wait --for=condition=Available deployment/web\n  kubesim wait --for=condition=Ready pod -l app=web --timeout=60s\n  kubesim wait --for=delete pod/busybox1 --timeout=60s\n  kubesim wait --for=jsonpath='{.status.readyReplicas}'=3 deployment/web",
    )
    .action((resources: string[], opts: WaitFlags, cmd: Command) => {
      const g = globals(cmd, env);
      const req = completeWait(resources, opts);
      if (opts.local) runLocalWait(env, req);
      else withSession(g, (s) => runWait(s, env, g, req));
    });
}

/** Complete + Validate: the condition, the timeout (negative: a week) and the printer, before anything is read. */
function completeWait(resources: string[], opts: WaitFlags): WaitRequest {
  const print = printOptions(opts);
  validateOutputFormat(print.output);
  const recursive = parseBoolFlag(opts.recursive, 'recursive');
  let timeoutMs = parseDuration(opts.timeout, '--timeout');
  if (timeoutMs < 0) timeoutMs = 168 * 3600 * 1000;
  // an absent --for is an empty condition, which conditionFuncFor does not recognise
  const waitFor = parseFor(opts.for ?? '');
  if (opts.filename.length) refuseArgsWithFiles(resources);
  return { resources, waitFor, timeoutMs, print, flags: opts, recursive };
}

/** What kubectl's builder finds for the arguments or -f, or undefined where a named object is missing. */
function findTargets(s: Session, env: CommandEnv, g: Globals, req: WaitRequest): { found: Target[]; missing: Target[] } {
  const { flags } = req;
  const found: Target[] = [];
  const missing: Target[] = [];
  const exists = (t: Target) => !!s.store.get(t.info.kind, t.namespace, t.name);
  if (flags.filename.length) {
    for (const t of fileTargets({ filename: flags.filename, recursive: req.recursive }, flags.selector, env.io, g))
      (exists(t) ? found : missing).push(t);
    return { found, missing };
  }
  for (const r of parseResourceArgs(req.resources)) {
    const namespace = r.info.namespaced ? g.namespace : undefined;
    if (r.names.length) {
      for (const name of r.names) {
        const t = { info: r.info, namespace, name };
        (exists(t) ? found : missing).push(t);
      }
      continue;
    }
    if (!flags.selector && !flags.fieldSelector && !flags.all) throw new CliError('resource(s) were provided, but no name was specified');
    const selector = flags.selector ? parseSelector(flags.selector) : [];
    const fields = flags.fieldSelector ? fieldSelectorFor(r.info, flags.fieldSelector) : [];
    for (const o of s.store.list(r.info.kind, r.info.namespaced && !flags.allNamespaces ? namespace : undefined))
      if (matches(selector, o.metadata.labels) && matchesFields(fields, o))
        found.push({ info: r.info, namespace: o.metadata.namespace, name: o.metadata.name });
  }
  return { found, missing };
}

/** info.ObjectName(): the resource and name, as the timeout messages name it */
const objectName = (info: KindInfo, name: string) => `${info.plural}/${name}`;

/**
 * RunWait in virtual time: with --for=create, first until every named object exists; then each
 * object in turn until its condition holds (the clock jumping from one scheduled event to the next),
 * within one --timeout for the whole command.
 */
function runWait(s: Session, env: CommandEnv, g: Globals, req: WaitRequest): void {
  const deadline = s.now + req.timeoutMs;
  const remaining = () => Math.max(0, deadline - s.now);
  const { waitFor } = req;
  if (waitFor.mode === 'create') {
    const created = () => {
      const { found, missing } = findTargets(s, env, g, req);
      return found.length > 0 && !missing.length;
    };
    if (!(created() || (req.timeoutMs > 0 && waitInVirtualTime(s.engine, created, remaining()) === 'done')))
      throw new CliError('timed out waiting for the condition');
  }
  const { found, missing } = findTargets(s, env, g, req);
  // --for=delete ignores what is already gone
  if (missing.length && waitFor.mode !== 'delete') throw notFound(resourceName(missing[0].info), missing[0].name);
  if (!found.length) {
    if (waitFor.mode !== 'delete') throw new CliError('no matching resources found');
    return;
  }
  for (const t of found) {
    const get = () => s.store.get(t.info.kind, t.namespace, t.name);
    let last = get()!;
    const met = (): boolean => {
      const obj = get();
      if (waitFor.mode === 'delete') return !obj;
      if (!obj) throw notFound(resourceName(t.info), t.name);
      last = obj;
      return waitFor.mode === 'create' || waitFor.met(obj);
    };
    if (req.timeoutMs === 0) {
      if (!met()) throw new CliError(`condition not met for ${objectName(t.info, t.name)}`);
    } else if (!met() && (remaining() === 0 || waitInVirtualTime(s.engine, met, remaining()) !== 'done'))
      throw new CliError(`timed out waiting for the condition on ${objectName(t.info, t.name)}`);
    printMet(env, req.print, last);
  }
}

/** --local: the manifests' objects are checked as they are, once; nothing changes them */
function runLocalWait(env: CommandEnv, req: WaitRequest): void {
  if (!req.flags.filename.length) throw new CliError('--local requires objects from -f, --filename');
  const { waitFor } = req;
  for (const file of loadManifestFiles(req.flags.filename, { recursive: req.recursive, io: env.io })) {
    for (const m of file.manifests) {
      const info = kindForManifest(m);
      const met = waitFor.mode === 'create' || (waitFor.mode === 'check' && waitFor.met(m.object));
      if (!met) throw new CliError(`condition not met for ${objectName(info, m.object.metadata.name)}`);
      printMet(env, req.print, m.object);
    }
    for (const msg of fileErrors(file)) throw new CliError(msg);
  }
}

/** The printer of PrintFlags("condition met"): `pod/web condition met`, or the object with -o */
function printMet(env: CommandEnv, print: PrintOptions, obj: KObject): void {
  const text = formatStructured([obj], print.output, { single: true, cwd: env.io.cwd, ...print });
  env.out.out(text ?? `${qualifiedName(kindInfoOrThrow(obj.kind), obj.metadata.name)} condition met\n`);
}
