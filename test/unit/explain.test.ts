import { describe, expect, it } from 'vitest';
import { wrap } from '../../src/printers/explain';

describe("explain's word wrap (go-wordwrap, as kubectl's template wrap)", () => {
  it('breaks at spaces within the limit, keeps newlines, lets a long word overflow', () => {
    expect(wrap(3, 'this is a really good test')).toBe('this\nis\na\nreally\ngood\ntest');
    expect(wrap(10, 'one two three four\nfive')).toBe('one two\nthree four\nfive');
    expect(wrap(5, 'https://example.com/long x')).toBe('https://example.com/long\nx');
    expect(wrap(76, 'text\n')).toBe('text\n');
  });
});
