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

/** The zone's clock fields at an instant (month 1-12, weekday 0 = Sunday). */
interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

function fieldsAt(instant: number, tz: string | undefined): WallFields {
  const d = new Date(wallTime(instant, tz));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/**
 * Go's time.Date in a zone: out-of-range fields roll over (day 32 is the 1st of the next
 * month); a wall time the clock skips or repeats takes the offset Go's lookup picks (the
 * one in force just before the change for a repeated time, the one after it for a skipped
 * time, so 02:30 on a spring-forward night in New York is 01:30 EST).
 */
function zonedDate(tz: string | undefined, f: Omit<WallFields, 'weekday'>): number {
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  const offsetAt = (instant: number) => wallTime(instant, tz) - instant;
  let offset = offsetAt(wall);
  const utc = wall - offset;
  if (offsetAt(utc) !== offset) offset = offsetAt(utc);
  return wall - offset;
}

function dayMatches(s: CronSchedule, f: WallFields): boolean {
  const domMatch = s.daysOfMonth.has(f.day);
  const dowMatch = s.daysOfWeek.has(f.weekday);
  if (s.domStar || s.dowStar) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The first activation strictly after `after` (ms), or undefined within five years:
 * robfig/cron v3's SpecSchedule.Next, which the CronJob controller uses. It works on the
 * zone's clock but steps hours and minutes by elapsed time (months and days by the
 * calendar), so across daylight saving a time the clock skips never fires (`30 2 * * *`
 * skips the spring-forward night) and a time it repeats fires twice (`30 1 * * *` runs at
 * 01:30 EDT and again at 01:30 EST on the fall-back night); robfig's own tests pin both.
 */
export function nextActivation(s: CronSchedule, after: number, tz?: string): number | undefined {
  if (s.everyMs) return Math.floor(after / SECOND) * SECOND + s.everyMs;
  // the upcoming whole second
  let t = Math.floor(after / SECOND) * SECOND + SECOND;
  let added = false;
  const yearLimit = fieldsAt(t, tz).year + 5;
  wrap: for (;;) {
    let f = fieldsAt(t, tz);
    if (f.year > yearLimit) return undefined;
    while (!s.months.has(f.month)) {
      if (!added) {
        added = true;
        f = fieldsAt(zonedDate(tz, { ...f, day: 1, hour: 0, minute: 0, second: 0 }), tz);
      }
      f = fieldsAt((t = zonedDate(tz, { ...f, month: f.month + 1 })), tz);
      if (f.month === 1) continue wrap;
    }
    while (!dayMatches(s, f)) {
      if (!added) {
        added = true;
        f = fieldsAt(zonedDate(tz, { ...f, hour: 0, minute: 0, second: 0 }), tz);
      }
      f = fieldsAt((t = zonedDate(tz, { ...f, day: f.day + 1 })), tz);
      // where midnight does not exist the day starts at 01:00 (or 23:00 the day before): back to the hour
      if (f.hour !== 0) f = fieldsAt((t += (f.hour > 12 ? 24 - f.hour : -f.hour) * HOUR), tz);
      if (f.day === 1) continue wrap;
    }
    while (!s.hours.has(f.hour)) {
      if (!added) {
        added = true;
        t = zonedDate(tz, { ...f, minute: 0, second: 0 });
      }
      f = fieldsAt((t += HOUR), tz);
      if (f.hour === 0) continue wrap;
    }
    while (!s.minutes.has(f.minute)) {
      if (!added) {
        added = true;
        t = Math.floor(t / MINUTE) * MINUTE;
      }
      f = fieldsAt((t += MINUTE), tz);
      if (f.minute === 0) continue wrap;
    }
    // standard schedules fire at second 0: robfig steps second by second to the next minute
    if (f.second !== 0) {
      added = true;
      t = Math.floor(t / MINUTE) * MINUTE + MINUTE;
      continue wrap;
    }
    return t;
  }
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
