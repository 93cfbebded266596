import { Command, CommanderError } from 'commander';
import { CliError, FlagValueError, errorMessage } from '../util/errors';
import { PendingOutput, type IO } from './io';
import {
  commandPath,
  commanderArgv,
  findCommand,
  flagSet,
  flagValueError,
  nonFlagWords,
  parseCommandLine,
  type ParsedCommandLine,
} from './pflag';
import { suggestionsText } from './suggestions';
import { globalFlags, validateGlobalFlags, type GlobalFlags } from './global-flags';
import { startProfiling } from './profiling';

/** What every command module gets: the IO and the output held until commit. */
export interface CommandEnv {
  io: IO;
  out: PendingOutput;
  exitCode: number;
  /** API warnings printed so far (--warnings-as-errors fails the command when there were any) */
  warnings?: number;
  /** the warning texts printed so far: kubectl prints each once */
  printedWarnings?: Set<string>;
  /** --profile: writes the profile once the command is done */
  stopProfiling?: () => void;
}

export interface CommandModule {
  register(program: Command, env: CommandEnv): void;
}

/**
 * Verb → module. Only the module for the verb being run is loaded (start-up speed);
 * `kubesim --help` loads them all. Keep one file per verb under commands/.
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  apply: () => import('./commands/apply'),
  create: () => import('./commands/create'),
  get: () => import('./commands/get'),
  describe: () => import('./commands/describe'),
  delete: () => import('./commands/delete'),
  label: () => import('./commands/label'),
  annotate: () => import('./commands/annotate'),
  taint: () => import('./commands/taint'),
  patch: () => import('./commands/patch'),
  expose: () => import('./commands/expose'),
  run: () => import('./commands/run'),
  'api-resources': () => import('./commands/api-resources'),
  'api-versions': () => import('./commands/api-versions'),
  version: () => import('./commands/version'),
  cluster: () => import('./commands/cluster'),
  clock: () => import('./commands/clock'),
  events: () => import('./commands/events'),
  config: () => import('./commands/config'),
  diff: () => import('./commands/diff'),
  cordon: () => import('./commands/cordon'),
  uncordon: () => import('./commands/uncordon'),
  drain: () => import('./commands/drain'),
  evict: () => import('./commands/evict'),
  node: () => import('./commands/node'),
  pod: () => import('./commands/pod'),
  top: () => import('./commands/top'),
  rollout: () => import('./commands/rollout'),
  scale: () => import('./commands/scale'),
  set: () => import('./commands/set'),
  wait: () => import('./commands/wait'),
  dns: () => import('./commands/dns'),
  curl: () => import('./commands/curl'),
  logs: () => import('./commands/logs'),
  exec: () => import('./commands/exec'),
  cp: () => import('./commands/cp'),
  attach: () => import('./commands/attach'),
  debug: () => import('./commands/debug'),
  autoscale: () => import('./commands/autoscale'),
  traffic: () => import('./commands/traffic'),
  scenario: () => import('./commands/scenario'),
  metrics: () => import('./commands/metrics'),
  nodegroup: () => import('./commands/nodegroup'),
  replace: () => import('./commands/replace'),
  watch: () => import('./commands/watch'),
  edit: () => import('./commands/edit'),
  kustomize: () => import('./commands/kustomize'),
  auth: () => import('./commands/auth'),
  completion: () => import('./commands/completion'),
  explain: () => import('./commands/explain'),
  certificate: () => import('./commands/certificate'),
  serve: () => import('./commands/serve'),
  dashboard: () => import('./commands/dashboard'),
  report: () => import('./commands/report'),
  scheduler: () => import('./commands/scheduler'),
  why: () => import('./commands/why'),
  capacity: () => import('./commands/capacity'),
  import: () => import('./commands/import'),
  lint: () => import('./commands/lint'),
};

/** kubectl verbs that need what kubesim does not simulate: refused with the reason, not as unknown. */
const NOT_SIMULATED: Record<string, string> = {
  'port-forward': 'pods carry no packets ("kubesim curl" shows where a request to a Service would go)',
  proxy: 'there is no API server to proxy to: "kubesim serve" serves the Kubernetes API over HTTPS itself, with a kubeconfig for kubectl',
  'cluster-info': '"kubesim cluster info" describes the simulated cluster, and "kubesim serve" prints the address of its API',
};

/** Aliases kubectl accepts for a verb. */
const ALIASES: Record<string, string> = {};

export function registerCommandModule(name: string, load: () => Promise<CommandModule>, aliases: string[] = []): void {
  COMMANDS[name] = load;
  for (const a of aliases) ALIASES[a] = name;
}

function rootCommand(env: CommandEnv): Command {
  const program = new Command('kubesim');
  program
    .description('kubesim: a daemonless, kubectl-compatible Kubernetes simulator')
    .option('--state <file>', 'cluster state file (default: $KUBESIM_STATE or ~/.kubesim/default.db)')
    // pflag.ts puts each command's flags right after its name: commander must read them there
    .enablePositionalOptions()
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({
      writeOut: (s) => env.io.out(s),
      writeErr: (s) => env.io.err(s),
      outputError: () => {
        /* reported by the error boundary in kubectl's words */
      },
    });
  globalFlags(program);
  // checked before any verb runs, as kubectl's flag parsing and config loading do
  program.hook('preAction', () => {
    const opts = program.opts<GlobalFlags>();
    validateGlobalFlags(opts);
    // --profile: started before the verb runs, written when it is done (kubectl's initProfiling/flushProfiling)
    if (opts.profile !== 'none') env.stopProfiling = startProfiling(opts.profile, opts.profileOutput, env.io.cwd);
  });
  program.addHelpText(
    'after',
    '\nExamples:\n  kubesim apply -f app.yaml\n  kubesim get pods -o wide\n  kubesim rollout status deployment/web',
  );
  return program;
}

/**
 * The command tree for argv: the root with the module of the verb argv names (start-up speed),
 * or with every module when it names none (`kubesim --help`, an unknown verb's suggestions).
 */
export async function buildProgram(argv: string[], env: CommandEnv): Promise<Command> {
  const program = rootCommand(env);
  const verb = findVerb(program, argv);
  const wanted = verb && (COMMANDS[verb] ? verb : ALIASES[verb]);
  const names = wanted ? [wanted] : Object.keys(COMMANDS);
  for (const name of names) {
    const mod = await COMMANDS[name]();
    mod.register(program, env);
  }
  const configure = (c: Command, path: string): void => {
    // the error remembers which command failed (`kubesim create secret generic`), for its message
    c.exitOverride((err) => {
      throw Object.assign(err, { commandPath: path });
    });
    c.showSuggestionAfterError(false);
    c.configureOutput(program.configureOutput());
    for (const sub of c.commands) configure(sub, `${path} ${sub.name()}`);
  };
  for (const c of program.commands) configure(c, `kubesim ${c.name()}`);
  return program;
}

/** The verb: the first word that is not a global flag or its value (cobra's Find on the root). */
function findVerb(root: Command, argv: string[]): string | undefined {
  return nonFlagWords(argv, flagSet(root))[0];
}

/** Whether a command runs something itself (create -f) or only holds subcommands (rollout). */
function hasAction(cmd: Command): boolean {
  return (cmd as unknown as { _actionHandler?: unknown })._actionHandler != null;
}

/**
 * What kubectl does before running a command whose subcommand was not found: the root suggests
 * verbs (cobra's legacyArgs + findSuggestions); a group such as rollout refuses the words
 * (DefaultSubCommandRun's RequireNoArguments); create, which runs itself, refuses them as
 * `Unexpected args`.
 */
function checkSubcommand(parsed: ParsedCommandLine): void {
  const cmd = parsed.path[parsed.path.length - 1];
  const args = parsed.args;
  if (!cmd.commands.length || !args.length || parsed.help) return;
  if (!cmd.parent) throw new CliError(`unknown command "${args[0]}" for "kubesim"${suggestionsText(cmd, args[0])}`);
  const usage = `See '${commandPath(cmd)} -h' for help and examples`;
  if (!hasAction(cmd)) throw new CliError(`unknown command "${args.join(' ')}"\n${usage}`);
  if (!cmd.registeredArguments.length) throw new CliError(`Unexpected args: [${args.join(' ')}]\n${usage}`);
}

/** `kubesim help [COMMAND…]`: cobra's help command (an unknown topic prints the root's usage on stderr and succeeds). */
function helpCommand(program: Command, topic: string[], io: IO): number {
  const target = findCommand(program, topic).path.at(-1)!;
  if (target === program && topic.length) {
    io.err(`Unknown help topic [${topic.map((t) => `\`${t}\``).join(' ')}]\n`);
    program.outputHelp({ error: true });
  } else target.outputHelp();
  return 0;
}

/** `kubesim __complete WORD…`, which the completion scripts call (cobra's hidden command of the same name). */
async function completeCommand(words: string[], env: CommandEnv): Promise<number> {
  const { complete, completionOutput } = await import('./completion');
  const text = completionOutput(complete(await buildProgram(words, env), words, env));
  env.io.out(text.stdout);
  env.io.err(text.stderr);
  return 0;
}

/** The one error boundary: every failure becomes `error: …` (or kubectl's server text) and an exit code. */
export async function runProgram(argv: string[], io: IO): Promise<number> {
  const env: CommandEnv = { io, out: new PendingOutput(), exitCode: 0 };
  let leaf: Command | undefined;
  try {
    if (argv[0] === '__complete') return await completeCommand(argv.slice(1), env);
    const program = await buildProgram(argv, env);
    const verb = findVerb(program, argv);
    if (verb && NOT_SIMULATED[verb]) throw new CliError(`kubesim does not simulate "kubectl ${verb}": ${NOT_SIMULATED[verb]}`);
    const parsed = parseCommandLine(program, argv);
    leaf = parsed.path[parsed.path.length - 1];
    if (parsed.path.length === 1 && parsed.args[0] === 'help') return helpCommand(program, parsed.args.slice(1), io);
    checkSubcommand(parsed);
    if (parsed.path.length === 1 && !parsed.help) {
      // kubectl alone prints its help to stdout and succeeds
      program.outputHelp();
      return 0;
    }
    try {
      await program.parseAsync(commanderArgv(parsed), { from: 'user' });
    } finally {
      env.stopProfiling?.();
    }
    env.out.flushTo(io);
    // kubectl's PersistentPostRunE: the command ran (and its writes stay), then it fails
    const warnings = env.warnings ?? 0;
    if (program.opts<GlobalFlags>().warningsAsErrors && warnings > 0)
      throw new CliError(warnings === 1 ? '1 warning received' : `${warnings} warnings received`);
    return env.exitCode;
  } catch (e) {
    if (e instanceof CliError && e.dropsOutput) env.out.discard();
    env.out.flushTo(io);
    if (e instanceof CommanderError) return commanderError(e, io, leaf);
    const error = e instanceof FlagValueError && leaf ? (flagValueError(leaf, e) ?? e) : e;
    if (error instanceof CliError) {
      if (error.stdout) io.out(error.stdout);
      // kubectl's CheckErr: one newline at the end, unless the message has it (`Did you mean this?`)
      const text = error.raw ? error.message : `error: ${error.message}`;
      io.err(text.endsWith('\n') ? text : `${text}\n`);
      return error.exitCode;
    }
    io.err(`error: ${errorMessage(e)}\n`);
    if (io.env.KUBESIM_DEBUG && e instanceof Error) io.err(`${e.stack}\n`);
    return 1;
  }
}

/** commander's own refusals (pflag.ts has already refused bad flags), in kubectl's words. */
/** create generators' required flags: cobra checks them before the command runs, so before NAME (NameFromCommandArgs in Complete) */
const CREATE_REQUIRED_FLAGS: Record<string, string[]> = {
  'kubesim create deployment': ['image'],
  'kubesim create deploy': ['image'],
  'kubesim create cronjob': ['image', 'schedule'],
  'kubesim create cj': ['image', 'schedule'],
  'kubesim create clusterrolebinding': ['clusterrole'],
};

function commanderError(e: CommanderError, io: IO, leaf?: Command): number {
  const failed = (e as CommanderError & { commandPath?: string }).commandPath ?? 'kubesim';
  const msg = e.message.replace(/^error: /, '');
  switch (e.code) {
    case 'commander.helpDisplayed':
    case 'commander.help':
    case 'commander.version':
      // a group command without its subcommand prints its help on stderr and fails, as kubectl's DefaultSubCommandRun
      return e.exitCode;
    case 'commander.missingArgument':
    case 'commander.excessArguments': {
      // kubectl's create generators take exactly one NAME (NameFromCommandArgs)
      if (failed.startsWith('kubesim create ')) {
        const missing = (CREATE_REQUIRED_FLAGS[failed] ?? []).filter((f) => {
          const opts: Record<string, unknown> | undefined = leaf?.opts();
          const value = opts?.[f.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())];
          return value === undefined || (Array.isArray(value) && !value.length);
        });
        if (missing.length) {
          io.err(`error: required flag(s) ${missing.map((f) => `"${f}"`).join(', ')} not set\n`);
          return 1;
        }
        const got = e.code === 'commander.missingArgument' ? 0 : Number(/got (\d+)/.exec(e.message)?.[1] ?? 2);
        io.err(`error: exactly one NAME is required, got ${got}\nSee '${failed} -h' for help and examples\n`);
        return 1;
      }
      io.err(`error: ${msg}\nSee '${failed} --help' for usage.\n`);
      return 1;
    }
    case 'commander.invalidArgument':
    case 'commander.missingMandatoryOptionValue':
      io.err(`error: ${msg}\nSee '${failed} --help' for usage.\n`);
      return 1;
    default:
      io.err(`error: ${msg}\n`);
      return e.exitCode || 1;
  }
}
