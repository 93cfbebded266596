import type { Command } from 'commander';
import '../api/kinds';
import { allKinds, resolveResource, type KindInfo } from '../api/registry';
import { configPath, loadConfig } from '../config/kubeconfig';
import { Session } from '../engine/session';
import { FORMATS } from '../printers/output';
import { globals } from './context';
import { commandPath, findCommand, flagSet, parseFlags, type Flag, type FlagValue } from './pflag';
import type { CommandEnv } from './program';

/**
 * `kubesim __complete WORD…`: cobra's completion protocol, which the scripts of
 * `kubesim completion SHELL` call. The last word is the one being completed ('' after a
 * space); the answer is one candidate a line (`value<TAB>description`), then `:<directive>`.
 * Candidates come from the command tree, the resource registry, the kubesim config and the
 * state file, read without running the cluster.
 */

/** cobra's ShellCompDirective bits. */
export const Directive = {
  Default: 0,
  Error: 1,
  NoSpace: 2,
  NoFileComp: 4,
  FilterFileExt: 8,
  FilterDirs: 16,
  KeepOrder: 32,
} as const;

export interface Completions {
  candidates: string[];
  directive: number;
}

/** What a completer can ask about the command line it completes. */
interface CompletionContext {
  env: CommandEnv;
  root: Command;
  flags: FlagValue[];
}

type ArgCompleter = (args: string[], toComplete: string, ctx: CompletionContext) => Completions;

const none = (directive: number = Directive.NoFileComp): Completions => ({ candidates: [], directive });

function withPrefix(values: string[], prefix: string, directive: number = Directive.NoFileComp): Completions {
  return { candidates: values.filter((v) => v.startsWith(prefix)), directive };
}

/** The cluster the command line points at (--state, --context, $KUBESIM_STATE, current-context), as the command would resolve it. */
function clusterOf(ctx: CompletionContext): { statePath: string; namespace: string } | undefined {
  const root = ctx.root;
  for (const f of ctx.flags) if (f.flag.owner === root && f.flag.option) root.setOptionValue(f.flag.option.attributeName(), f.value);
  try {
    return globals(root, ctx.env);
  } catch {
    return undefined; // an unknown --context: nothing to offer
  }
}

/** Names of a kind's objects in the namespace the command line names (all of them with -A). */
function objectNames(info: KindInfo, ctx: CompletionContext): string[] {
  const cluster = clusterOf(ctx);
  if (!cluster) return [];
  const everywhere = ctx.flags.some((f) => f.flag.name === 'all-namespaces' && f.value === 'true');
  try {
    return Session.peekObjectNames(cluster.statePath, info.kind, info.namespaced && !everywhere ? cluster.namespace : undefined);
  } catch {
    return []; // not a state file: completion stays quiet
  }
}

function contextNames(ctx: CompletionContext): string[] {
  try {
    return loadConfig(configPath(ctx.env.io.env)).contexts.map((c) => c.name);
  } catch {
    return [];
  }
}

/** The resource types kubectl offers (api-resources -o name): plurals, in registry order. */
function resourceTypes(): string[] {
  return allKinds().map((k) => k.plural);
}

/**
 * kubectl's ResourceTypeAndNameCompletionFunc: TYPE then NAMEs of that type, or TYPE/NAME.
 * `types` narrows the types (rollout: deployment, daemonset, statefulset), offered as given.
 */
function typeAndName(types?: string[]): ArgCompleter {
  return (args, toComplete, ctx) => {
    const allowed = (t: string) => !types || types.includes(resolveResource(t)?.singular ?? t);
    const names = (type: string, prefix: string): string[] => {
      const info = resolveResource(type);
      return info && allowed(type) ? objectNames(info, ctx).filter((n) => n.startsWith(prefix)) : [];
    };
    if (args.length && !args[0].includes('/')) {
      return { candidates: names(args[0], toComplete).filter((n) => !args.slice(1).includes(n)), directive: Directive.NoFileComp };
    }
    const slash = toComplete.indexOf('/');
    if (slash >= 0) {
      const type = toComplete.slice(0, slash);
      return { candidates: names(type, toComplete.slice(slash + 1)).map((n) => `${type}/${n}`), directive: Directive.NoFileComp };
    }
    const offered = types ?? resourceTypes();
    if (!args.length) return withPrefix(offered, toComplete);
    const slashed = offered.filter((t) => t.startsWith(toComplete)).map((t) => `${t}/`);
    return { candidates: slashed, directive: Directive.NoFileComp | (slashed.length === 1 ? Directive.NoSpace : 0) };
  };
}

/** kubectl's ResourceNameCompletionFunc: names of one kind (cordon: nodes), each offered once. */
function namesOf(kind: string): ArgCompleter {
  return (args, toComplete, ctx) => {
    const info = resolveResource(kind);
    const names = info ? objectNames(info, ctx) : [];
    return withPrefix(
      names.filter((n) => !args.includes(n)),
      toComplete,
    );
  };
}

const firstOnly =
  (completer: ArgCompleter): ArgCompleter =>
  (args, toComplete, ctx) =>
    args.length ? none() : completer(args, toComplete, ctx);

const ROLLOUT_TYPES = ['deployment', 'daemonset', 'statefulset'];

/** Positional completion per command (kubectl sets a ValidArgsFunction on each). */
const ARGUMENTS: Record<string, ArgCompleter> = {
  get: typeAndName(),
  describe: typeAndName(),
  delete: typeAndName(),
  edit: typeAndName(),
  label: typeAndName(),
  annotate: typeAndName(),
  patch: typeAndName(),
  wait: typeAndName(),
  'set image': typeAndName(),
  'set env': typeAndName(),
  'set resources': typeAndName(),
  'set serviceaccount': typeAndName(),
  scale: typeAndName(['deployment', 'replicaset', 'statefulset']),
  autoscale: typeAndName(['deployment', 'replicaset', 'statefulset']),
  expose: typeAndName(['pod', 'service', 'deployment', 'replicaset']),
  'rollout history': typeAndName(ROLLOUT_TYPES),
  'rollout pause': typeAndName(['deployment']),
  'rollout restart': typeAndName(ROLLOUT_TYPES),
  'rollout resume': typeAndName(['deployment']),
  'rollout status': typeAndName(ROLLOUT_TYPES),
  'rollout undo': typeAndName(ROLLOUT_TYPES),
  taint: typeAndName(['node']),
  cordon: namesOf('nodes'),
  uncordon: namesOf('nodes'),
  drain: namesOf('nodes'),
  'node fail': namesOf('nodes'),
  'node recover': namesOf('nodes'),
  'top node': firstOnly(namesOf('nodes')),
  'top pod': firstOnly(namesOf('pods')),
  'pod crash': namesOf('pods'),
  evict: namesOf('pods'),
  'config use-context': firstOnly((_args, toComplete, ctx) => withPrefix(contextNames(ctx), toComplete)),
  'config delete-context': firstOnly((_args, toComplete, ctx) => withPrefix(contextNames(ctx), toComplete)),
  'config get-contexts': firstOnly((_args, toComplete, ctx) => withPrefix(contextNames(ctx), toComplete)),
  completion: firstOnly((_args, toComplete) => withPrefix(['bash', 'zsh', 'fish', 'powershell'], toComplete)),
};

/** Flag values kubectl completes (RegisterFlagCompletionFunc); other flags fall back to files. */
function flagValues(flag: Flag, toComplete: string, ctx: CompletionContext): Completions {
  switch (flag.name) {
    case 'output':
      return withPrefix(FORMATS, toComplete);
    case 'namespace': {
      const info = resolveResource('namespaces');
      return withPrefix(info ? objectNames(info, { ...ctx, flags: [] }) : [], toComplete);
    }
    case 'context':
      return withPrefix(contextNames(ctx), toComplete);
    case 'filename':
      return { candidates: ['json', 'yaml', 'yml'], directive: Directive.FilterFileExt };
    default:
      return none(Directive.Default);
  }
}

function described(name: string, usage: string): string {
  return usage ? `${name}\t${usage.split('\n')[0]}` : name;
}

/** cobra's flag-name completion: inherited flags, then the command's own, each long then short, those given already left out. */
function flagNames(cmd: Command, given: FlagValue[], toComplete: string): Completions {
  const all = flagSet(cmd);
  const ordered = [...all.filter((f) => f.owner && f.owner !== cmd), ...all.filter((f) => !f.owner || f.owner === cmd)];
  const candidates: string[] = [];
  for (const f of ordered) {
    // a flag that takes several values (-l a -l b keeps both: commander's accumulators) is offered again
    const repeatable = f.option?.parseArg !== undefined;
    if (f.option?.hidden || (given.some((g) => g.flag.name === f.name) && !repeatable)) continue;
    if (`--${f.name}`.startsWith(toComplete)) candidates.push(described(`--${f.name}`, f.usage));
    if (f.shorthand && `-${f.shorthand}`.startsWith(toComplete)) candidates.push(described(`-${f.shorthand}`, f.usage));
  }
  return { candidates, directive: Directive.NoFileComp };
}

function subcommandNames(cmd: Command, toComplete: string): string[] {
  const names = cmd.commands.map((c) => described(c.name(), c.description()));
  if (!cmd.parent) names.push(described('help', 'Help about any command'));
  return names.filter((n) => n.startsWith(toComplete)).sort();
}

/** A flag word that waits for its value in the next word: `--output`, `-o` (not `-o=…`, not a bool). */
function flagAwaitingValue(word: string | undefined, cmd: Command): Flag | undefined {
  if (!word || !word.startsWith('-') || word.includes('=')) return undefined;
  const name = word.replace(/^--?/, '');
  const flags = flagSet(cmd);
  const flag = word.startsWith('--')
    ? flags.find((f) => f.name === name)
    : name.length === 1
      ? flags.find((f) => f.shorthand === name)
      : undefined;
  return flag?.kind === 'value' ? flag : undefined;
}

export function complete(root: Command, words: string[], env: CommandEnv): Completions {
  const toComplete = words.length ? words[words.length - 1] : '';
  const before = words.slice(0, -1);
  const { path, rest } = findCommand(root, before);
  const cmd = path[path.length - 1];
  const parsed = parseFlags(cmd, rest, { lenient: true });
  const ctx: CompletionContext = { env, root, flags: parsed.flags };
  const afterDash = parsed.argsLenAtDash >= 0;
  if (!afterDash) {
    // --output=ya, -o=ya: the value after the `=`
    const eq = /^(--?[^=]+)=(.*)$/.exec(toComplete);
    const flagWithValue = eq && flagAwaitingValue(eq[1], cmd);
    if (eq && flagWithValue) return flagValues(flagWithValue, eq[2], ctx);
    const awaiting = flagAwaitingValue(before[before.length - 1], cmd);
    if (awaiting) return flagValues(awaiting, toComplete, ctx);
    if (toComplete.startsWith('-')) return flagNames(cmd, parsed.flags, toComplete);
  }
  if (cmd.commands.length && !parsed.args.length) return { candidates: subcommandNames(cmd, toComplete), directive: Directive.NoFileComp };
  const completer = ARGUMENTS[commandPath(cmd).replace(/^\S+ /, '')];
  return completer ? completer(parsed.args, toComplete, ctx) : none(Directive.Default);
}

const DIRECTIVE_NAMES: [number, string][] = [
  [Directive.Error, 'ShellCompDirectiveError'],
  [Directive.NoSpace, 'ShellCompDirectiveNoSpace'],
  [Directive.NoFileComp, 'ShellCompDirectiveNoFileComp'],
  [Directive.FilterFileExt, 'ShellCompDirectiveFilterFileExt'],
  [Directive.FilterDirs, 'ShellCompDirectiveFilterDirs'],
  [Directive.KeepOrder, 'ShellCompDirectiveKeepOrder'],
];

/** The protocol's text: candidates, `:directive` on stdout; cobra's note of the directive for stderr. */
export function completionOutput(c: Completions): { stdout: string; stderr: string } {
  const names = DIRECTIVE_NAMES.filter(([bit]) => c.directive & bit).map(([, name]) => name);
  return {
    stdout: [...c.candidates, `:${c.directive}`].map((l) => `${l}\n`).join(''),
    stderr: `Completion ended with directive: ${names.length ? names.join(', ') : 'ShellCompDirectiveDefault'}\n`,
  };
}
