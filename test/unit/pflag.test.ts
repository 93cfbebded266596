import { Command } from 'commander';
import { describe, expect, test } from 'vitest';
import { commanderArgv, parseCommandLine } from '../../src/cli/pflag';
import { editDistance, suggestionsFor, suggestionsText } from '../../src/cli/suggestions';

/** A small tree shaped like kubesim's: global flags on the root, a leaf, a group with subcommands. */
function tree(): Command {
  const root = new Command('kubesim').option('--state <file>').option('-n, --namespace <namespace>');
  root
    .command('get')
    .argument('[resource...]')
    .option('-o, --output <format>')
    .option('-A, --all-namespaces')
    .option('--no-headers')
    .option('-w, --watch')
    .option('-L, --label-columns <labels>', '', (v: string, p: string[]) => [...p, v], [])
    .option('--dry-run [strategy]')
    .option('--show-events [bool]');
  const rollout = root.command('rollout');
  rollout.command('status').argument('<resource...>').option('-w, --watch [bool]');
  return root;
}

const parse = (...argv: string[]) => parseCommandLine(tree(), argv);
const flags = (...argv: string[]) => parse(...argv).flags.map((f) => `${f.flag.name}=${f.value}`);
const argvFor = (...argv: string[]) => commanderArgv(parse(...argv));

describe("pflag's syntax", () => {
  test('a shorthand takes its value after =, in the same word, or from the next word', () => {
    expect(flags('get', '-o=yaml')).toEqual(['output=yaml']);
    expect(flags('get', '-oyaml')).toEqual(['output=yaml']);
    expect(flags('get', '-o', 'yaml')).toEqual(['output=yaml']);
    expect(flags('get', '-o=custom-columns=NAME:.metadata.name')).toEqual(['output=custom-columns=NAME:.metadata.name']);
    expect(flags('get', '-nfoo')).toEqual(['namespace=foo']);
  });

  test('a long flag takes its value after = or from the next word, even one starting with a dash', () => {
    expect(flags('get', '--output=json')).toEqual(['output=json']);
    expect(flags('get', '--output', 'json')).toEqual(['output=json']);
    expect(flags('get', '--output', '-x')).toEqual(['output=-x']);
    expect(flags('get', '--output=')).toEqual(['output=']);
  });

  test('boolean shorthands combine, and the last one may take a value', () => {
    expect(flags('get', '-Aw')).toEqual(['all-namespaces=true', 'watch=true']);
    expect(flags('get', '-Ao', 'wide')).toEqual(['all-namespaces=true', 'output=wide']);
    expect(flags('get', '-Aowide')).toEqual(['all-namespaces=true', 'output=wide']);
  });

  test('a bool takes a value only after =, read as strconv.ParseBool reads it', () => {
    expect(flags('get', '--watch=false', '-w=F', '--no-headers=0', '--show-events=T')).toEqual([
      'watch=false',
      'watch=false',
      'no-headers=false',
      'show-events=true',
    ]);
    const p = parse('get', '--watch', 'false');
    expect(p.flags.map((f) => f.value)).toEqual(['true']);
    expect(p.args).toEqual(['false']);
  });

  test('an optional value is never taken from the next word (--dry-run client: client is an argument)', () => {
    const p = parse('get', '--dry-run', 'client');
    expect(p.flags.map((f) => `${f.flag.name}=${f.value}`)).toEqual(['dry-run=']);
    expect(p.args).toEqual(['client']);
  });

  test('flags and arguments interleave; `-` alone is an argument; `--` ends the flags', () => {
    const p = parse('get', 'pods', '-o', 'name', '-', 'web', '--', '-w', '--x');
    expect(p.args).toEqual(['pods', '-', 'web', '-w', '--x']);
    expect(p.argsLenAtDash).toBe(3);
    expect(p.flags.map((f) => f.flag.name)).toEqual(['output']);
  });

  test('global flags go anywhere, before or after the verb, and the subcommand is found past them', () => {
    const p = parse('-n', 'prod', 'rollout', '--state', 's.db', 'status', 'deploy/web', '-w=false');
    expect(p.path.map((c) => c.name())).toEqual(['kubesim', 'rollout', 'status']);
    expect(p.args).toEqual(['deploy/web']);
    expect(p.flags.map((f) => `${f.flag.name}=${f.value}`)).toEqual(['namespace=prod', 'state=s.db', 'watch=false']);
  });

  test("the errors are pflag's", () => {
    const error = (...argv: string[]) => {
      try {
        parse(...argv);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    const usage = "\nSee 'kubesim get --help' for usage.";
    expect(error('get', '--foo')).toBe(`unknown flag: --foo${usage}`);
    expect(error('get', '--foo=bar')).toBe(`unknown flag: --foo${usage}`);
    expect(error('get', '-x')).toBe(`unknown shorthand flag: 'x' in -x${usage}`);
    expect(error('get', '-Ax')).toBe(`unknown shorthand flag: 'x' in -x${usage}`);
    expect(error('get', '-o')).toBe(`flag needs an argument: 'o' in -o${usage}`);
    expect(error('get', '-Ao')).toBe(`flag needs an argument: 'o' in -o${usage}`);
    expect(error('get', '--output')).toBe(`flag needs an argument: --output${usage}`);
    expect(error('get', '---x')).toBe(`bad flag syntax: ---x${usage}`);
    expect(error('get', '--=x')).toBe(`bad flag syntax: --=x${usage}`);
    expect(error('get', '--watch=maybe')).toBe(
      `invalid argument "maybe" for "-w, --watch" flag: strconv.ParseBool: parsing "maybe": invalid syntax${usage}`,
    );
    expect(error('get', '--show-events=yes')).toBe(
      `invalid argument "yes" for "--show-events" flag: strconv.ParseBool: parsing "yes": invalid syntax${usage}`,
    );
    expect(error('-n')).toBe("flag needs an argument: 'n' in -n\nSee 'kubesim --help' for usage.");
    // a flag of another command is unknown here
    expect(error('rollout', 'status', 'x', '-o', 'yaml')).toBe(
      "unknown shorthand flag: 'o' in -o\nSee 'kubesim rollout status --help' for usage.",
    );
  });
});

describe('the argv commander reads', () => {
  test('each command gets its own flags after its name, as --name=value, with the user’s -- kept', () => {
    expect(argvFor('get', 'pods', '-nprod', '-o=yaml', '-L', 'a', '-L=b', '--', 'x')).toEqual([
      '--namespace=prod',
      'get',
      '--output=yaml',
      '--label-columns=a',
      '--label-columns=b',
      'pods',
      '--',
      'x',
    ]);
  });

  test('a bool is a bare flag when true and left out when false; the last one wins', () => {
    expect(argvFor('get', '--no-headers', '-w', '--watch=false')).toEqual(['get', '--no-headers']);
    expect(argvFor('get', '--no-headers=false')).toEqual(['get']);
    expect(argvFor('rollout', 'status', 'x', '-w=f')).toEqual(['rollout', 'status', '--watch=false', 'x']);
  });

  test('an optional value given bare stays bare (commander applies its preset)', () => {
    expect(argvFor('get', '--dry-run', '--dry-run=server')).toEqual(['get', '--dry-run', '--dry-run=server']);
  });

  test('-h anywhere asks for the help of the command found', () => {
    expect(argvFor('rollout', 'status', '-h')).toEqual(['rollout', 'status', '--help']);
  });
});

describe("cobra's suggestions for an unknown command", () => {
  test('edit distance is Levenshtein, ignoring case', () => {
    expect(editDistance('rollot', 'rollout')).toBe(1);
    expect(editDistance('GET', 'get')).toBe(0);
    expect(editDistance('api', 'cp')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
  });

  test('commands within distance 2 or starting with the word, in the order they were added', () => {
    const root = new Command('kubesim');
    for (const name of ['rollout', 'get', 'cp', 'api-resources', 'api-versions']) root.command(name);
    expect(suggestionsFor(root, 'rollot')).toEqual(['rollout']);
    expect(suggestionsFor(root, 'api')).toEqual(['cp', 'api-resources', 'api-versions']);
    expect(suggestionsFor(root, 'zzzzzz')).toEqual([]);
    expect(suggestionsText(root, 'gt')).toBe('\n\nDid you mean this?\n\tget\n\tcp\n');
    expect(suggestionsText(root, 'zzzzzz')).toBe('');
  });
});
