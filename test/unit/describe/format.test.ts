import { describe, expect, test } from 'vitest';
import { canonicalQuantity, addQuantity, parseQuantityExact, quantityString } from '../../../src/api/quantity-exact';
import { formatLabelSelector, rfc1123z } from '../../../src/printers/describe/format';
import { describeProbe } from '../../../src/printers/describe/containers';
import { DescribeWriter } from '../../../src/printers/describe';

describe('describe formatting helpers', () => {
  test("timestamps use Go's RFC1123Z in UTC, and an unset time is Go's zero time", () => {
    expect(rfc1123z('2024-03-05T07:08:09Z')).toBe('Tue, 05 Mar 2024 07:08:09 +0000');
    expect(rfc1123z(undefined)).toBe('Mon, 01 Jan 0001 00:00:00 +0000');
  });

  test('quantities print in canonical form like resource.Quantity.String()', () => {
    const cases: [string | number, string][] = [
      ['0.5', '500m'],
      ['1000m', '1'],
      ['1500m', '1500m'],
      [1, '1'],
      ['1000', '1k'],
      ['20000', '20k'],
      ['0.1', '100m'],
      ['1024Mi', '1Gi'],
      ['1536Mi', '1536Mi'],
      ['0.5Gi', '512Mi'],
      ['0.5Ki', '512'],
      ['100M', '100M'],
      ['1e3', '1e3'],
      ['128974848', '128974848'],
      ['0', '0'],
    ];
    for (const [input, text] of cases) expect([input, canonicalQuantity(input)]).toEqual([input, text]);
  });

  test('a sum keeps the format of its first non-zero term', () => {
    const sum = [parseQuantityExact('256Mi'), parseQuantityExact('1Gi'), parseQuantityExact('100M')].reduce(
      addQuantity,
      parseQuantityExact(undefined),
    );
    expect(quantityString(sum)).toBe('1442177280');
    expect(quantityString(addQuantity(parseQuantityExact('100m'), parseQuantityExact('900m')))).toBe('1');
  });

  test('label selectors sort requirements by key and keep kubectl operator spellings', () => {
    expect(
      formatLabelSelector({
        matchLabels: { tier: 'web', app: 'shop' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'dev'] },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=shop,!canary,env in (dev,prod),tier=web');
    expect(formatLabelSelector({})).toBe('<none>');
  });

  test('probes describe their action and timings', () => {
    expect(describeProbe({ tcpSocket: { port: 5432 }, periodSeconds: 20 })).toBe(
      'tcp-socket :5432 delay=0s timeout=1s period=20s #success=1 #failure=3',
    );
    expect(describeProbe({ httpGet: { path: '/healthz', port: 'http', scheme: 'HTTPS' } })).toBe(
      'http-get https://:http/healthz delay=0s timeout=1s period=10s #success=1 #failure=3',
    );
  });

  test('long or multi-line annotations go under their key, cut at 140 characters', () => {
    const w = new DescribeWriter();
    w.annotations(0, { note: 'line one\nline two\n', short: 'x', long: 'y'.repeat(200) });
    expect(w.toString()).toBe(
      [
        'Annotations:  long:',
        `                ${'y'.repeat(138)}...`,
        '              note:',
        '                line one',
        '                line two',
        '              short: x',
        '',
      ].join('\n'),
    );
  });
});
