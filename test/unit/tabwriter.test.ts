import { describe, expect, test } from 'vitest';
import { tabwrite } from '../../src/printers/tabwriter';
import { renderTable } from '../../src/printers/table';

const describeLayout = (text: string) => tabwrite(text, { minwidth: 0, padding: 2 });

describe("tabwrite behaves like Go's text/tabwriter (minwidth 0, padding 2, spaces)", () => {
  test('a column is as wide as its widest cell plus the padding; the last cell is never padded', () => {
    expect(describeLayout('a\tb\nccc\td\n')).toBe('a    b\nccc  d\n');
  });

  test('a line without a tab ends the column block, so the blocks around it align separately', () => {
    expect(describeLayout('Name:\tweb\nPod Template:\n  Labels:\tapp=web\n')).toBe('Name:  web\nPod Template:\n  Labels:  app=web\n');
  });

  test("cells in the same position belong to different columns when a shorter line splits the block (Go's Example_elastic)", () => {
    const text = 'a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n';
    expect(describeLayout(text)).toBe('a     b   c\naa    bb  cc\naaa   \naaaa  dddd  eeee\n');
  });

  test('a second column spans only the consecutive lines that have a cell in it', () => {
    expect(describeLayout('a\tb\tc\nxx\tyyyy\tz\nq\tr\n')).toBe('a   b     c\nxx  yyyy  z\nq   r\n');
  });

  test('empty cells still take the padding, and a trailing tab pads the cell before it', () => {
    expect(describeLayout('\ta\nlong\tb\n')).toBe('      a\nlong  b\n');
    expect(describeLayout('IP:\t\nNode:\tnode-1\n')).toBe('IP:    \nNode:  node-1\n');
    expect(describeLayout('Name\t\tCPU\nweb\t\t100m\n')).toBe('Name    CPU\nweb     100m\n');
  });

  test('widths count characters, not bytes', () => {
    expect(describeLayout('é\tx\nab\ty\n')).toBe('é   x\nab  y\n');
  });

  test('widths count runes: a surrogate pair is one', () => {
    expect(describeLayout('😀\tx\nab\ty\n')).toBe('😀   x\nab  y\n');
  });

  test('a table of rows lays out as the text of its rows joined by tabs and newlines, whatever its cells hold', () => {
    const asText = (rows: string[][]) => tabwrite(rows.map((r) => `${r.join('\t')}\n`).join(''), { minwidth: 6, padding: 3 });
    const tables = [
      [
        ['NAME', 'READY', 'STATUS'],
        ['a-very-long-name', '1/1', 'Running'],
        ['😀é', '', 'x'],
      ],
      // a cell with a tab or a newline splits as the writer splits the text
      [
        ['NAME', 'VALUE'],
        ['a\tb', 'c'],
        ['d', 'e\nf\tg'],
      ],
      [['NAME'], [], ['x', 'y']],
    ];
    for (const rows of tables) expect(renderTable(rows)).toBe(asText(rows));
  });

  test('text after the last newline is laid out with the lines before it', () => {
    expect(describeLayout('a\tb\nccc\td')).toBe('a    b\nccc  d');
  });
});
