/**
 * Cron schedules as the CronJob controller reads them: robfig/cron/v3's ParseStandard
 * (5 fields, names for months and weekdays, ranges, steps, `?`, descriptors such as
 * `@hourly`), evaluated in the CronJob's timeZone. Error texts are robfig's, which the
 * API server puts after `spec.schedule: Invalid value: "…": `.
 */

interface FieldBounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTH_NAMES: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const DOW_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const BOUNDS: FieldBounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTH_NAMES },
  { min: 0, max: 6, names: DOW_NAMES },
];

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export class CronSyntaxError extends Error {}

/** A parsed schedule: the allowed values of each field, and whether dom/dow were `*`. */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  domStar: boolean;
  dowStar: boolean;
  /** `@every 5m`: a fixed interval instead of fields */
  everyMs?: number;
}

function parseInt10(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new CronSyntaxError(`failed to parse int from ${text}: strconv.Atoi: parsing "${text}": invalid syntax`);
  return Number(text);
}

function parseValue(text: string, b: FieldBounds): number {
  const named = b.names?.[text.toLowerCase()];
  return named !== undefined ? named : parseInt10(text);
}

/** One comma-separated part: `*`, `?`, `N`, `N-M`, with an optional `/step`. */
function parseRange(expr: string, b: FieldBounds, out: Set<number>): boolean {
  const [rangePart, stepPart, ...extra] = expr.split('/');
  if (extra.length) throw new CronSyntaxError(`too many slashes: ${expr}`);
  const lowHigh = rangePart.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowHigh[0] === '*' || lowHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = parseValue(lowHigh[0], b);
    if (lowHigh.length === 1) end = start;
    else if (lowHigh.length === 2) end = parseValue(lowHigh[1], b);
    else throw new CronSyntaxError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (stepPart !== undefined) {
    step = parseInt10(stepPart);
    // robfig: "N/step" means "N-max/step"
    if (!star && lowHigh.length === 1) end = b.max;
    if (step > 1) star = false;
  }
  if (start < b.min) throw new CronSyntaxError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronSyntaxError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronSyntaxError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronSyntaxError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) out.add(v);
  return star;
}

function parseField(text: string, b: FieldBounds): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) star = parseRange(part, b, values) || star;
  return { values, star };
}

/** Go's time.ParseDuration for @every (h, m, s, ms). */
function parseEvery(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let end = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    end = re.lastIndex;
  }
  if (!text || end !== text.length) throw new CronSyntaxError(`failed to parse duration @every ${text}: time: invalid duration "${text}"`);
  return Math.max(1000, Math.floor(total / 1000) * 1000);
}

export function parseCron(spec: string): CronSchedule {
  const text = spec.trim();
  if (!text) throw new CronSyntaxError('empty spec string');
  if (text.startsWith('TZ=') || text.startsWith('CRON_TZ='))
    throw new CronSyntaxError('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  if (text.startsWith('@')) {
    if (text.startsWith('@every ')) {
      const everyMs = parseEvery(text.slice('@every '.length).trim());
      return { ...parseCron('* * * * *'), everyMs };
    }
    const expanded = DESCRIPTORS[text];
    if (!expanded) throw new CronSyntaxError(`unrecognized descriptor: ${text}`);
    return parseCron(expanded);
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw new CronSyntaxError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minutes, hours, dom, months, dow] = fields.map((f, i) => parseField(f, BOUNDS[i]));
  return {
    minutes: minutes.values,
    hours: hours.values,
    daysOfMonth: dom.values,
    months: months.values,
    daysOfWeek: dow.values,
    domStar: dom.star,
    dowStar: dow.star,
  };
}

/** The parse error text for a schedule, or undefined when it is valid. */
export function cronError(spec: string): string | undefined {
  try {
    parseCron(spec);
    return undefined;
  } catch (e) {
    if (e instanceof CronSyntaxError) return e.message;
    throw e;
  }
}

export function isValidTimeZone(tz: string): boolean {
  if (tz === '' || tz === 'Local') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time in a zone, as a UTC timestamp with the same fields. */
function wallTime(instant: number, tz: string | undefined): number {
  if (!tz || tz === 'UTC' || tz === 'Etc/UTC') return instant;
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) + (instant % 1000);
}

/** The instant whose wall time in `tz` is `wall` (the later offset wins in a DST gap, like Go's time.Date). */
function instantOf(wall: number, tz: string | undefined): number {
  if (!tz || tz === 'UTC' || tz === 'Etc/UTC') return wall;
  let guess = wall;
  for (let i = 0; i < 3; i++) guess = wall - (wallTime(guess, tz) - guess);
  return guess;
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const domMatch = s.daysOfMonth.has(d.getUTCDate());
  const dowMatch = s.daysOfWeek.has(d.getUTCDay());
  if (s.domStar || s.dowStar) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/** The first activation strictly after `after` (ms), or undefined within five years (robfig's limit). */
export function nextActivation(s: CronSchedule, after: number, tz?: string): number | undefined {
  if (s.everyMs) return Math.floor(after / 1000) * 1000 + s.everyMs;
  // robfig works on wall time: start at the next whole minute
  const start = wallTime(after, tz);
  const d = new Date(Math.floor(start / 60_000) * 60_000 + 60_000);
  const limit = d.getUTCFullYear() + 5;
  while (d.getUTCFullYear() <= limit) {
    if (!s.months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(s, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!s.hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!s.minutes.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    const instant = instantOf(d.getTime(), tz);
    if (instant > after) return instant;
    d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
  }
  return undefined;
}

/** The scheduled time in the zone as RFC 3339 with offset (the cronjob-scheduled-timestamp annotation). */
export function formatInZone(instant: number, tz: string | undefined): string {
  const wall = wallTime(instant, tz);
  const offsetMin = Math.round((wall - instant) / 60_000);
  const base = new Date(wall).toISOString().replace(/\.\d{3}Z$/, '');
  if (offsetMin === 0) return `${base}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${base}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
