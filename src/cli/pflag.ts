import type { Command, Option } from 'commander';
import { CliError, type FlagValueError } from '../util/errors';

/**
 * kubectl reads its command line with cobra + pflag; commander reads some of it differently
 * (`-o=yaml` keeps the `=`, `--dry-run client` eats `client`, `--watch=false` is refused).
 * This module reads argv the way pflag does (flag.go parseArgs/parseLongArg/parseSingleShortArg,
 * cobra's Find/stripFlags for the command path) from the options the commands declared on
 * commander, and hands commander back an argv in the one form both read alike.
 */

/** How a flag takes its value, in pflag's terms. */
type FlagKind =
  /** a commander boolean (`--all`, `--no-headers`): pflag bool, NoOptDefVal "true" */
  | 'bool'
  /** an optional value named `[bool]` (`--watch [bool]`): a pflag bool whose value the command reads */
  | 'bool-value'
  /** any other optional value (`--dry-run [strategy]`): a string with a NoOptDefVal */
  | 'optional'
  /** `<value>`: the value is required, from `=`, the same word, or the next one */
  | 'value'
  | 'help';

export interface Flag {
  name: string;
  shorthand?: string;
  kind: FlagKind;
  usage: string;
  /** the command that declared it (where commander must see it); undefined for -h/--help */
  owner?: Command;
  option?: Option;
}

/** A flag as given, with its value as pflag would Set it. */
export interface FlagValue {
  flag: Flag;
  value: string;
}

export interface ParsedCommandLine {
  /** root … leaf */
  path: Command[];
  flags: FlagValue[];
  /** positional arguments, in order */
  args: string[];
  /** how many of args came before `--` (cobra's ArgsLenAtDash), -1 without `--` */
  argsLenAtDash: number;
  help: boolean;
}

function flagOf(option: Option, owner: Command): Flag {
  const name = (option.long ?? option.short ?? '').replace(/^--?/, '');
  const kind: FlagKind = option.required ? 'value' : option.optional ? (/\[bool\]/.test(option.flags) ? 'bool-value' : 'optional') : 'bool';
  return { name, shorthand: option.short?.slice(1), kind, usage: option.description, owner, option };
}

function helpFlag(cmd: Command): Flag {
  return { name: 'help', shorthand: 'h', kind: 'help', usage: `help for ${cmd.name()}` };
}

/** The flags a command accepts: its own, then the root's (kubectl's global flags are persistent), then -h/--help. */
export function flagSet(cmd: Command): Flag[] {
  const own = cmd.options.map((o) => flagOf(o, cmd));
  let root = cmd;
  while (root.parent) root = root.parent;
  // cobra adds a persistent flag only when the command has none of that name: a local --namespace
  // (config set-context) hides the global one, its -n shorthand too
  const inherited = root === cmd ? [] : root.options.map((o) => flagOf(o, root)).filter((f) => !own.some((o) => o.name === f.name));
  return [...own, ...inherited, helpFlag(cmd)];
}

function lookupLong(flags: Flag[], name: string): Flag | undefined {
  return flags.find((f) => f.name === name);
}

function lookupShort(flags: Flag[], c: string): Flag | undefined {
  return flags.find((f) => f.shorthand === c);
}

function subcommand(cmd: Command, name: string): Command | undefined {
  return cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
}

/** `kubesim get`, `kubesim create secret generic`: what kubectl's messages call the command. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * cobra's stripFlags: the words of args that are not flags or flag values, judged with the
 * flags of cmd. Like cobra, a `--flag` without `=` that is not a bool takes the next word
 * (an unknown one too), and so does a two-letter `-x` that is not a bool.
 */
export function nonFlagWords(args: string[], flags: Flag[]): string[] {
  const words: string[] = [];
  const takesNoValue = (f: Flag | undefined) => f !== undefined && f.kind !== 'value';
  for (let i = 0; i < args.length; i++) {
    const s = args[i];
    if (s === '--') break;
    if (s.startsWith('--') && !s.includes('=') && !takesNoValue(lookupLong(flags, s.slice(2)))) i++;
    else if (s.startsWith('-') && s.length === 2 && !takesNoValue(lookupShort(flags, s[1]))) i++;
    else if (!s.startsWith('-') || s === '-') words.push(s);
  }
  return words;
}

/** cobra's Find: descend while the first non-flag word names a subcommand; the names are taken out of args. */
export function findCommand(root: Command, argv: string[]): { path: Command[]; rest: string[] } {
  const path = [root];
  let rest = argv;
  for (;;) {
    const cmd = path[path.length - 1];
    const first = nonFlagWords(rest, flagSet(cmd))[0];
    const next = first === undefined ? undefined : subcommand(cmd, first);
    if (!next) return { path, rest };
    path.push(next);
    const at = rest.indexOf(first);
    rest = [...rest.slice(0, at), ...rest.slice(at + 1)];
  }
}

/** pflag's errors, with kubectl's usage line (its FlagErrorFunc). */
export function flagError(cmd: Command, message: string): CliError {
  return new CliError(`${message}\nSee '${commandPath(cmd)} --help' for usage.`);
}

const TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/** The flag as pflag's FlagSet.Set names it in an error: `-w, --watch`, `--timeout`. */
function shownName(flag: Flag): string {
  return flag.shorthand ? `-${flag.shorthand}, --${flag.name}` : `--${flag.name}`;
}

/** strconv.ParseBool, as pflag's boolValue.Set. */
function parseBool(flag: Flag, value: string): string {
  if (TRUE.includes(value)) return 'true';
  if (FALSE.includes(value)) return 'false';
  throw new Error(`invalid argument "${value}" for "${shownName(flag)}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
}

/**
 * A value the command found bad (an int, a duration), said as pflag says it when the flag's
 * Set fails: the flag's full name and the usage line. Undefined when cmd has no such flag.
 */
export function flagValueError(cmd: Command, e: FlagValueError): CliError | undefined {
  const flag = lookupLong(flagSet(cmd), e.flag.replace(/^--?/, ''));
  return flag && flagError(cmd, `invalid argument "${e.value}" for "${shownName(flag)}" flag: ${e.reason}`);
}

/** pflag's NoOptDefVal: what a flag means when given without a value. */
function noOptDefVal(flag: Flag): string | undefined {
  return flag.kind === 'value' ? undefined : flag.kind === 'optional' ? '' : 'true';
}

function setValue(flag: Flag, value: string): FlagValue {
  return { flag, value: flag.kind === 'value' || flag.kind === 'optional' ? value : parseBool(flag, value) };
}

/**
 * pflag's parseArgs over the leaf's flag set (interspersed: flags may follow positionals).
 * `lenient` (shell completion, a line still being typed): pflag's ParseErrorsWhitelist.UnknownFlags,
 * an unknown flag is passed over with the word after it, and bad values are dropped.
 */
export function parseFlags(cmd: Command, argv: string[], opts: { lenient?: boolean } = {}): Omit<ParsedCommandLine, 'path'> {
  const flags = flagSet(cmd);
  const out: Omit<ParsedCommandLine, 'path'> = { flags: [], args: [], argsLenAtDash: -1, help: false };
  let args = argv;
  const fail = (message: string, unknown = false): void => {
    if (!opts.lenient) throw flagError(cmd, message);
    // stripUnknownFlagValue: `--unknown value` loses its value too
    if (unknown && args.length && !args[0].startsWith('-')) args = args.slice(1);
  };
  const set = (flag: Flag, value: string) => {
    try {
      out.flags.push(setValue(flag, value));
    } catch (e) {
      fail((e as Error).message);
    }
  };
  while (args.length) {
    const s = args[0];
    args = args.slice(1);
    if (s.length < 2 || s[0] !== '-') {
      out.args.push(s);
      continue;
    }
    if (s === '--') {
      out.argsLenAtDash = out.args.length;
      out.args.push(...args);
      break;
    }
    if (s[1] === '-') {
      // parseLongArg
      const body = s.slice(2);
      if (body[0] === '-' || body[0] === '=') {
        fail(`bad flag syntax: ${s}`);
        continue;
      }
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      const flag = lookupLong(flags, name);
      if (!flag) fail(`unknown flag: --${name}`, eq < 0);
      else if (eq >= 0) set(flag, body.slice(eq + 1));
      else if (noOptDefVal(flag) !== undefined) set(flag, noOptDefVal(flag)!);
      else if (args.length) {
        set(flag, args[0]);
        args = args.slice(1);
      } else fail(`flag needs an argument: ${s}`);
      continue;
    }
    // parseShortArg: a run of shorthands (-it), the last one may take a value (-oyaml, -o=yaml, -o yaml)
    let shorthands = s.slice(1);
    while (shorthands.length) {
      const c = shorthands[0];
      const flag = lookupShort(flags, c);
      if (!flag) {
        fail(`unknown shorthand flag: '${c}' in -${shorthands}`, !(shorthands.length > 2 && shorthands[1] === '='));
        break;
      }
      if (shorthands.length > 2 && shorthands[1] === '=') {
        set(flag, shorthands.slice(2));
        shorthands = '';
      } else if (noOptDefVal(flag) !== undefined) {
        set(flag, noOptDefVal(flag)!);
        shorthands = shorthands.slice(1);
      } else if (shorthands.length > 1) {
        set(flag, shorthands.slice(1));
        shorthands = '';
      } else if (args.length) {
        set(flag, args[0]);
        args = args.slice(1);
        shorthands = '';
      } else {
        fail(`flag needs an argument: '${c}' in -${shorthands}`);
        shorthands = '';
      }
    }
  }
  out.help = out.flags.some((f) => f.flag.kind === 'help' && f.value === 'true');
  return out;
}

/** Finds the command and reads its flags as kubectl would. */
export function parseCommandLine(root: Command, argv: string[]): ParsedCommandLine {
  const { path, rest } = findCommand(root, argv);
  return { path, ...parseFlags(path[path.length - 1], rest) };
}

/**
 * The argv commander reads as pflag read the original: each command's flags right after its
 * name (commander's positional options) as `--name=value` or a bare `--name`, a bool set to
 * false left out (the commands' defaults are false), then the positionals with the user's `--`.
 */
export function commanderArgv(parsed: ParsedCommandLine): string[] {
  const last = new Map<Flag['option'], FlagValue>();
  for (const f of parsed.flags) {
    if (f.flag.kind === 'bool' && f.flag.option) last.set(f.flag.option, f);
  }
  const words = (owner: Command): string[] => {
    const out: string[] = [];
    for (const f of parsed.flags) {
      if (f.flag.owner !== owner) continue;
      const name = `--${f.flag.name}`;
      if (f.flag.kind === 'bool') {
        // pflag: the last one wins, and a false bool is as if not given
        if (last.get(f.flag.option) === f && f.value === 'true') out.push(name);
      } else if (f.flag.kind === 'optional' && f.value === '') out.push(name);
      else out.push(`${name}=${f.value}`);
    }
    return out;
  };
  const argv: string[] = [];
  parsed.path.forEach((cmd, i) => {
    if (i > 0) argv.push(cmd.name());
    argv.push(...words(cmd));
  });
  if (parsed.help) argv.push('--help');
  const dash = parsed.argsLenAtDash;
  if (dash < 0) argv.push(...parsed.args);
  else argv.push(...parsed.args.slice(0, dash), '--', ...parsed.args.slice(dash));
  return argv;
}
