import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { main } from '../../src/cli/main';
import { BufferIO } from '../../src/cli/io';

/**
 * The README's tour is real output: run its `$ …` lines in order, as typed, on a fresh
 * clone (a copy of fixtures/ under a temp folder, a temp HOME so nothing reads or writes
 * ~/.kubesim) and compare every block byte for byte. `cd DIR` and `export NAME=VALUE` act
 * as the shell's would; every other line must be a kubesim command.
 */
const root = path.resolve(__dirname, '../..');

function tourBlocks(): { command: string; expected: string }[][] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const tour = readme.slice(readme.indexOf('## A 2-minute tour'), readme.indexOf('\n## ', readme.indexOf('## A 2-minute tour') + 5));
  return [...tour.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => {
    const steps: { command: string; expected: string }[] = [];
    for (const line of m[1].split('\n')) {
      if (line.startsWith('$ ')) steps.push({ command: line.slice(2), expected: '' });
      else if (steps.length) steps[steps.length - 1].expected += `${line}\n`;
    }
    for (const s of steps) s.expected = s.expected.replace(/\n+$/, '');
    return steps;
  });
}

function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

describe('the README tour', () => {
  it('prints what the README says, block by block, typed as shown from a fresh clone', async () => {
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-readme-'));
    fs.mkdirSync(path.join(clone, 'fixtures'));
    fs.mkdirSync(path.join(clone, 'home'));
    for (const f of fs.readdirSync(path.join(root, 'fixtures'))) {
      if (f.endsWith('.yaml')) fs.copyFileSync(path.join(root, 'fixtures', f), path.join(clone, 'fixtures', f));
    }
    const env: Record<string, string> = { HOME: path.join(clone, 'home') };
    let cwd = clone;
    const blocks = tourBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const block of blocks) {
      for (const step of block) {
        const [bin, ...args] = words(step.command);
        if (bin === 'cd' || bin === 'export') {
          if (bin === 'cd') cwd = path.resolve(cwd, args[0]);
          else for (const assignment of args) env[assignment.split('=')[0]] = assignment.slice(assignment.indexOf('=') + 1);
          expect(step.expected, step.command).toBe('');
          continue;
        }
        expect(bin).toBe('kubesim');
        const io = new BufferIO({ ...env }, cwd, '');
        await main(args, io);
        expect(`${io.stdout}${io.stderr}`.replace(/\n+$/, ''), step.command).toBe(step.expected);
      }
    }
    // the tour's cluster is where it says, and nothing went to the default one
    expect(fs.existsSync(path.join(clone, 'fixtures', 'demo.db'))).toBe(true);
    expect(fs.existsSync(path.join(clone, 'home', '.kubesim'))).toBe(false);
  });
});
