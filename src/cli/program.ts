import { Command, CommanderError } from 'commander';
import { CliError, errorMessage } from '../util/errors';
import { PendingOutput, type IO } from './io';

/** What every command module gets: the IO and the output held until commit. */
export interface CommandEnv {
  io: IO;
  out: PendingOutput;
  exitCode: number;
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
  autoscale: () => import('./commands/autoscale'),
  traffic: () => import('./commands/traffic'),
  metrics: () => import('./commands/metrics'),
  nodegroup: () => import('./commands/nodegroup'),
  replace: () => import('./commands/replace'),
  watch: () => import('./commands/watch'),
  edit: () => import('./commands/edit'),
  kustomize: () => import('./commands/kustomize'),
  auth: () => import('./commands/auth'),
};

/** kubectl verbs that need what kubesim does not simulate: refused with the reason, not as unknown. */
const NOT_SIMULATED: Record<string, string> = {
  logs: 'pods run on a timeline, not as processes, so there is no output to show ("kubesim describe pod NAME" shows what happened to a pod)',
  exec: 'pods run on a timeline, not as processes, so there is nothing to run a command in',
  attach: 'pods run on a timeline, not as processes, so there is nothing to attach to',
  debug: 'pods run on a timeline, not as processes, so there is nothing to debug in',
  cp: 'pods run on a timeline, not as processes, so they have no files',
  'port-forward': 'pods run on a timeline and carry no packets ("kubesim curl" shows where a request to a Service would go)',
  proxy: 'kubesim is a command line, not an API server over HTTP',
  certificate: 'there are no certificate signing requests: authentication is not simulated',
  'cluster-info': 'there is no control plane serving HTTP to point at ("kubesim cluster info" describes the simulated cluster)',
  explain: "kubesim carries no OpenAPI documentation of the API's fields",
};

/** Aliases kubectl accepts for a verb. */
const ALIASES: Record<string, string> = {};

export function registerCommandModule(name: string, load: () => Promise<CommandModule>, aliases: string[] = []): void {
  COMMANDS[name] = load;
  for (const a of aliases) ALIASES[a] = name;
}

async function buildProgram(argv: string[], env: CommandEnv): Promise<Command> {
  const program = new Command('kubesim');
  program
    .description('kubesim: a daemonless, kubectl-compatible Kubernetes simulator')
    .option('--state <file>', 'cluster state file (default: $KUBESIM_STATE or ~/.kubesim/default.db)')
    .option('--context <name>', 'the kubesim context to use')
    .option('-n, --namespace <namespace>', 'If present, the namespace scope for this CLI request')
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({
      writeOut: (s) => env.io.out(s),
      writeErr: (s) => env.io.err(s),
      outputError: () => {
        /* reported by the error boundary in kubectl's words */
      },
    });
  program.addHelpText(
    'after',
    '\nExamples:\n  kubesim apply -f app.yaml\n  kubesim get pods -o wide\n  kubesim rollout status deployment/web',
  );
  const verb = findVerb(argv);
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

/** The first argument that is not a global flag (or its value). */
function findVerb(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--state' || a === '--context' || a === '-n' || a === '--namespace') {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return a;
  }
  return undefined;
}

function commandPath(argv: string[]): string {
  const verb = findVerb(argv);
  return verb && (COMMANDS[verb] || ALIASES[verb]) ? `kubesim ${verb}` : 'kubesim';
}

/** The one error boundary: every failure becomes `error: …` (or kubectl's server text) and an exit code. */
export async function runProgram(argv: string[], io: IO): Promise<number> {
  const env: CommandEnv = { io, out: new PendingOutput(), exitCode: 0 };
  try {
    const program = await buildProgram(argv, env);
    const verb = findVerb(argv);
    if (verb && NOT_SIMULATED[verb]) throw new CliError(`kubesim does not simulate "kubectl ${verb}": ${NOT_SIMULATED[verb]}`);
    if (verb && !COMMANDS[verb] && !ALIASES[verb]) {
      throw new CliError(`unknown command "${verb}" for "kubesim"\n\nRun 'kubesim --help' for usage.`);
    }
    await program.parseAsync(argv, { from: 'user' });
    env.out.flushTo(io);
    return env.exitCode;
  } catch (e) {
    env.out.flushTo(io);
    if (e instanceof CommanderError) return commanderError(e, argv, io);
    if (e instanceof CliError) {
      if (e.stdout) io.out(e.stdout);
      io.err(e.raw ? `${e.message}\n` : `error: ${e.message}\n`);
      return e.exitCode;
    }
    io.err(`error: ${errorMessage(e)}\n`);
    if (io.env.KUBESIM_DEBUG && e instanceof Error) io.err(`${e.stack}\n`);
    return 1;
  }
}

function commanderError(e: CommanderError, argv: string[], io: IO): number {
  switch (e.code) {
    case 'commander.helpDisplayed':
    case 'commander.help':
    case 'commander.version':
      return 0;
    case 'commander.unknownOption': {
      const flag = /'([^']+)'/.exec(e.message)?.[1] ?? '';
      const text = flag.startsWith('--') ? `unknown flag: ${flag}` : `unknown shorthand flag: '${flag.slice(1, 2)}' in ${flag}`;
      io.err(`error: ${text}\nSee '${commandPath(argv)} --help' for usage.\n`);
      return 1;
    }
    case 'commander.unknownCommand': {
      const cmd = /'([^']+)'/.exec(e.message)?.[1] ?? '';
      io.err(`error: unknown command "${cmd}" for "${commandPath(argv)}"\n\nRun '${commandPath(argv)} --help' for usage.\n`);
      return 1;
    }
    case 'commander.missingArgument':
    case 'commander.excessArguments': {
      // kubectl's create generators take exactly one NAME (NameFromCommandArgs)
      const failed = (e as CommanderError & { commandPath?: string }).commandPath;
      if (failed?.startsWith('kubesim create ')) {
        const got = e.code === 'commander.missingArgument' ? 0 : Number(/got (\d+)/.exec(e.message)?.[1] ?? 2);
        io.err(`error: exactly one NAME is required, got ${got}\nSee '${failed} -h' for help and examples\n`);
        return 1;
      }
      const msg = e.message.replace(/^error: /, '');
      io.err(`error: ${msg}\nSee '${commandPath(argv)} --help' for usage.\n`);
      return 1;
    }
    case 'commander.optionMissingArgument':
    case 'commander.invalidArgument':
    case 'commander.missingMandatoryOptionValue': {
      const msg = e.message.replace(/^error: /, '');
      io.err(`error: ${msg}\nSee '${commandPath(argv)} --help' for usage.\n`);
      return 1;
    }
    default:
      io.err(`error: ${e.message.replace(/^error: /, '')}\n`);
      return e.exitCode || 1;
  }
}
