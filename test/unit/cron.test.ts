import { describe, it, expect } from 'vitest';
import { cronError, formatInZone, nextActivation, parseCron } from '../../src/api/cron';

const at = (iso: string) => Date.parse(iso);
const next = (spec: string, from: string, tz?: string) => new Date(nextActivation(parseCron(spec), at(from), tz)!).toISOString();

describe('cron schedules', () => {
  it('finds the next minute, step, range and list activations', () => {
    expect(next('* * * * *', '2025-01-01T00:00:00Z')).toBe('2025-01-01T00:01:00.000Z');
    expect(next('*/15 * * * *', '2025-01-01T00:14:59Z')).toBe('2025-01-01T00:15:00.000Z');
    expect(next('5-10/5 3 * * *', '2025-01-01T03:06:00Z')).toBe('2025-01-01T03:10:00.000Z');
    expect(next('0 0,12 * * *', '2025-01-01T00:00:00Z')).toBe('2025-01-01T12:00:00.000Z');
    expect(next('30/10 * * * *', '2025-01-01T00:55:00Z')).toBe('2025-01-01T01:30:00.000Z');
  });

  it('accepts month and weekday names and ?, but not 7 for Sunday, like robfig', () => {
    expect(next('0 9 * FEB MON', '2025-01-01T00:00:00Z')).toBe('2025-02-03T09:00:00.000Z');
    expect(next('0 0 ? * sun', '2025-01-01T00:00:00Z')).toBe('2025-01-05T00:00:00.000Z');
    expect(cronError('0 0 * * 7')).toBe('end of range (7) above maximum (6): 7');
  });

  it('matches day-of-month OR day-of-week when both are restricted', () => {
    // the 15th, or any Friday: Friday 3 January comes first
    expect(next('0 0 15 * FRI', '2025-01-01T00:00:00Z')).toBe('2025-01-03T00:00:00.000Z');
    expect(next('0 0 15 * *', '2025-01-01T00:00:00Z')).toBe('2025-01-15T00:00:00.000Z');
  });

  it('expands descriptors and @every', () => {
    expect(next('@hourly', '2025-01-01T00:30:00Z')).toBe('2025-01-01T01:00:00.000Z');
    expect(next('@daily', '2025-01-01T00:30:00Z')).toBe('2025-01-02T00:00:00.000Z');
    expect(next('@weekly', '2025-01-01T00:00:00Z')).toBe('2025-01-05T00:00:00.000Z');
    expect(next('@monthly', '2025-01-01T00:00:00Z')).toBe('2025-02-01T00:00:00.000Z');
    expect(next('@yearly', '2025-01-01T00:00:00Z')).toBe('2026-01-01T00:00:00.000Z');
    expect(next('@every 90s', '2025-01-01T00:00:00Z')).toBe('2025-01-01T00:01:30.000Z');
  });

  it('evaluates the schedule in the time zone', () => {
    expect(next('0 9 * * *', '2025-01-01T00:00:00Z', 'America/New_York')).toBe('2025-01-01T14:00:00.000Z');
    expect(next('0 9 * * *', '2025-07-01T00:00:00Z', 'America/New_York')).toBe('2025-07-01T13:00:00.000Z');
    expect(formatInZone(at('2025-07-01T13:00:00Z'), 'America/New_York')).toBe('2025-07-01T09:00:00-04:00');
    expect(formatInZone(at('2025-07-01T13:00:00Z'), 'Asia/Kolkata')).toBe('2025-07-01T18:30:00+05:30');
  });

  // robfig/cron v3 spec_test.go TestNext ("Daylight savings time 2am EST (-5) -> 3am EDT (-4)" and
  // "2am EDT (-4) => 1am EST (-5)"), moved to 2025: New York springs forward at 02:00 on 9 March
  // and falls back at 02:00 on 2 November
  const NY = 'America/New_York';
  it.each([
    // clocks go forward: 02:00-02:59 does not exist that night
    ['30 2 9 3 *', '2025-03-09T00:00:00-05:00', '2026-03-09T02:30:00-04:00'],
    ['0 * * * *', '2025-03-09T00:00:00-05:00', '2025-03-09T01:00:00-05:00'],
    ['0 * * * *', '2025-03-09T01:00:00-05:00', '2025-03-09T03:00:00-04:00'],
    ['0 * * * *', '2025-03-09T03:00:00-04:00', '2025-03-09T04:00:00-04:00'],
    ['0 1 * * *', '2025-03-09T01:00:00-05:00', '2025-03-10T01:00:00-04:00'],
    ['0 2 * * *', '2025-03-09T00:00:00-05:00', '2025-03-10T02:00:00-04:00'],
    // clocks go back: 01:00-01:59 happens twice
    ['30 2 2 11 *', '2025-11-02T00:00:00-04:00', '2025-11-02T02:30:00-05:00'],
    ['30 1 2 11 *', '2025-11-02T01:45:00-04:00', '2025-11-02T01:30:00-05:00'],
    ['0 * * * *', '2025-11-02T00:00:00-04:00', '2025-11-02T01:00:00-04:00'],
    ['0 * * * *', '2025-11-02T01:00:00-04:00', '2025-11-02T01:00:00-05:00'],
    ['0 * * * *', '2025-11-02T01:00:00-05:00', '2025-11-02T02:00:00-05:00'],
    ['0 1 * * *', '2025-11-02T00:00:00-04:00', '2025-11-02T01:00:00-04:00'],
    ['0 1 * * *', '2025-11-02T01:00:00-04:00', '2025-11-02T01:00:00-05:00'],
    ['0 1 * * *', '2025-11-02T01:00:00-05:00', '2025-11-03T01:00:00-05:00'],
    ['0 2 * * *', '2025-11-02T00:00:00-04:00', '2025-11-02T02:00:00-05:00'],
    ['0 2 * * *', '2025-11-02T02:00:00-05:00', '2025-11-03T02:00:00-05:00'],
    ['0 3 * * *', '2025-11-02T00:00:00-04:00', '2025-11-02T03:00:00-05:00'],
    ['0 3 3 * *', '2025-11-02T00:00:00-04:00', '2025-11-03T03:00:00-05:00'],
  ])('across daylight saving in New York, %s after %s runs at %s', (spec, from, expected) => {
    expect(next(spec, from, NY)).toBe(new Date(expected).toISOString());
    expect(formatInZone(at(expected), NY)).toBe(expected);
  });

  it('finds the day where midnight does not exist (Sao Paulo, 4 November 2018), as robfig issue 157', () => {
    expect(next('0 9 10 * *', '2018-10-17T05:00:00-04:00', 'America/Sao_Paulo')).toBe(new Date('2018-11-10T06:00:00-05:00').toISOString());
    expect(next('0 9 22 * *', '2018-02-14T05:00:00-05:00', 'America/Sao_Paulo')).toBe(new Date('2018-02-22T07:00:00-05:00').toISOString());
  });

  it('reports robfig parse errors', () => {
    expect(cronError('* * * *')).toBe('expected exactly 5 fields, found 4: [* * * *]');
    expect(cronError('0 24 * * *')).toBe('end of range (24) above maximum (23): 24');
    expect(cronError('0 0 0 * *')).toBe('beginning of range (0) below minimum (1): 0');
    expect(cronError('x * * * *')).toBe('failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    expect(cronError('@often')).toBe('unrecognized descriptor: @often');
    expect(cronError('TZ=UTC 0 * * * *')).toBe('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    expect(cronError('0 9 * * 1-5')).toBeUndefined();
  });
});
