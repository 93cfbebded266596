import { beforeAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { FLAG_EXCEPTIONS } from '../../tools/flag-parity-exceptions';
import { kubesimProgram, parityRows, readSnapshot } from '../../tools/flag-parity-lib';

// kubectl VERB --help is the specification of flags (issue #19): every flag it lists for a verb is
// accepted by kubesim, or listed in tools/flag-parity-exceptions.ts with the reason it is not.
describe('flag parity with kubectl v1.32 (test/fixtures/kubectl-flags.json)', () => {
  let program: Command;
  beforeAll(async () => {
    program = await kubesimProgram();
  });

  it('every verb accepts every flag kubectl lists for it, or the exception says why', () => {
    const unexplained = parityRows(readSnapshot(), program).flatMap((r) =>
      r.missing.filter((f) => !FLAG_EXCEPTIONS[r.verb]?.[f]).map((f) => `${r.verb} --${f}`),
    );
    expect(unexplained).toEqual([]);
  });

  it('no exception is stale: an excepted flag is one kubectl lists and kubesim does not accept', () => {
    const rows = new Map(parityRows(readSnapshot(), program).map((r) => [r.verb, r]));
    const stale = Object.entries(FLAG_EXCEPTIONS).flatMap(([verb, flags]) =>
      Object.keys(flags)
        .filter((f) => !rows.get(verb)?.missing.includes(f))
        .map((f) => `${verb} --${f}`),
    );
    expect(stale).toEqual([]);
  });

  it('every exception carries a reason', () => {
    const unexplained = Object.entries(FLAG_EXCEPTIONS).flatMap(([verb, flags]) =>
      Object.entries(flags)
        .filter(([, reason]) => reason.trim().length < 10)
        .map(([f]) => `${verb} --${f}`),
    );
    expect(unexplained).toEqual([]);
  });
});

// `kubectl options`: the flags every verb takes (pflag persistent flags on the root)
describe('global flags (kubectl options)', () => {
  it('kubesim accepts every global flag kubectl lists, with its shorthand', async () => {
    const program = await kubesimProgram();
    const accepted = new Map(program.options.map((o) => [o.long!.replace(/^--/, ''), o.short?.replace(/^-/, '')]));
    const missing = readSnapshot()
      .global.filter((f) => !accepted.has(f.name) || accepted.get(f.name) !== f.shorthand)
      .map((f) => `--${f.name}${f.shorthand ? ` (-${f.shorthand})` : ''}`);
    expect(missing).toEqual([]);
  });
});
