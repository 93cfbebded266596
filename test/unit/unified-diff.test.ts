import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/printers/unified-diff';

const labels = { from: 'a', to: 'b', fromTime: 't1', toTime: 't2' };

describe('unifiedDiff', () => {
  it('prints nothing for equal texts', () => {
    expect(unifiedDiff('x\ny\n', 'x\ny\n', labels)).toBe('');
  });

  it('prints a GNU-style hunk with three lines of context', () => {
    const a = ['1', '2', '3', '4', '5', '6', '7', '8'].join('\n') + '\n';
    const b = ['1', '2', '3', '4', 'five', '6', '7', '8'].join('\n') + '\n';
    expect(unifiedDiff(a, b, labels)).toBe(
      ['--- a\tt1', '+++ b\tt2', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'),
    );
  });

  it('diffs a new file against an empty one like diff -N', () => {
    expect(unifiedDiff('', 'x\n', labels)).toBe(['--- a\tt1', '+++ b\tt2', '@@ -0,0 +1 @@', '+x', ''].join('\n'));
  });
});
