import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { kubesim } from '../support/cli';

/**
 * The README's tour is real output: run its `$ kubesim …` lines in order on a fresh
 * cluster (from a copy of fixtures/) and compare every block byte for byte.
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
  it('prints what the README says, block by block', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-readme-'));
    for (const f of fs.readdirSync(path.join(root, 'fixtures'))) {
      if (f.endsWith('.yaml')) fs.copyFileSync(path.join(root, 'fixtures', f), path.join(dir, f));
    }
    const blocks = tourBlocks();
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const block of blocks) {
      for (const step of block) {
        const [bin, ...args] = words(step.command);
        expect(bin).toBe('kubesim');
        const r = await kubesim('demo.db', args, { cwd: dir });
        expect(`${r.stdout}${r.stderr}`.replace(/\n+$/, ''), step.command).toBe(step.expected);
      }
    }
  });
});
