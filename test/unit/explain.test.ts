import { describe, expect, it } from 'vitest';
import { renderExplain, wrap } from '../../src/printers/explain';
import type { KindSchema, Schema } from '../../src/api/openapi/schema';

describe("explain's word wrap (go-wordwrap, as kubectl's template wrap)", () => {
  it('breaks at spaces within the limit, keeps newlines, lets a long word overflow', () => {
    expect(wrap(3, 'this is a really good test')).toBe('this\nis\na\nreally\ngood\ntest');
    expect(wrap(10, 'one two three four\nfive')).toBe('one two\nthree four\nfive');
    expect(wrap(5, 'https://example.com/long x')).toBe('https://example.com/long\nx');
    expect(wrap(76, 'text\n')).toBe('text\n');
  });
});

describe('explain --recursive over a type that contains itself', () => {
  const definitions: Record<string, Schema> = {
    Node: {
      type: 'object',
      description: 'A tree.',
      properties: { children: { type: 'array', items: { $ref: 'Node' } }, name: { type: 'string' } },
    },
  };
  const schema: KindSchema = {
    group: 'example.com',
    version: 'v1',
    kind: 'Node',
    root: { $ref: 'Node' },
    resolve: (ref) => definitions[ref],
  };

  it('plaintext stops at a type already on the path (the template ref history)', () => {
    expect(renderExplain('plaintext', { schema, fieldPath: [], recursive: true })).toBe(
      'GROUP:      example.com\nKIND:       Node\nVERSION:    v1\n\nDESCRIPTION:\n    A tree.\n    \nFIELDS:\n' +
        '  children\t<[]Node>\n    children\t<[]Node>\n    name\t<string>\n  name\t<string>\n\n',
    );
  });

  it('plaintext-openapiv2 stops at a reference it is inside of', () => {
    expect(renderExplain('plaintext-openapiv2', { schema, fieldPath: [], recursive: true })).toBe(
      'KIND:     Node\nVERSION:  example.com/v1\n\nDESCRIPTION:\n     A tree.\n\nFIELDS:\n' +
        '   children\t<[]Object>\n      children\t<[]Object>\n      name\t<string>\n   name\t<string>\n',
    );
  });
});
