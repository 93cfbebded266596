import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempCluster, kubesim } from '../support/cli';

/** A command line's words as a POSIX shell splits them (single quotes only). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/(?:'[^']*'|[^\s'])+/g)].map((m) => m[0].replace(/'([^']*)'/g, '$1'));
}

/** The README's "Vertical Pod Autoscaler" example is real output: its `$ kubesim …` lines, run as typed. */
describe('the README VPA example', () => {
  it('prints what the README shows', async () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
    const start = readme.indexOf('### Vertical Pod Autoscaler');
    const block = /```console\n([\s\S]*?)```/.exec(readme.slice(start))![1];
    const t = tempCluster();
    fs.copyFileSync(path.resolve(__dirname, '../../fixtures/vpa-web.yaml'), path.join(t.dir, 'vpa-web.yaml'));
    const steps = block.split(/^\$ /m).filter(Boolean);
    let state = t.state;
    for (const step of steps) {
      const [line, ...expected] = step.split('\n');
      const words = shellWords(line);
      if (words[0] === 'export') {
        state = words[1].replace(/^KUBESIM_STATE=/, '');
        continue;
      }
      const r = await kubesim(state, words.slice(1), { cwd: t.dir });
      expect(r.stderr, line).toBe('');
      expect(r.stdout.replace(/\n$/, ''), line).toBe(expected.join('\n').replace(/\n$/, ''));
    }
    expect(steps.length).toBeGreaterThan(3);
  });
});
