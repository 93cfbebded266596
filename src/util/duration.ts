import { FlagValueError } from './errors';

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses Go-style durations (`500ms`, `90s`, `2m`, `1h30m`); a bare number means seconds (kubectl's --timeout accepts `0`). Returns milliseconds. */
export function parseDuration(text: string, flag = 'duration'): number {
  const s = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * UNITS[m[2]];
    matched = re.lastIndex;
  }
  if (!s || matched !== s.length) throw new FlagValueError(flag, text, `time: invalid duration "${text}"`);
  return total;
}

/** kubectl's duration.HumanDuration (k8s.io/apimachinery/pkg/util/duration), used for AGE. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** Go's time.Duration String() for whole seconds: `30s`, `5m0s`, `1h0m0s`. */
export function goDuration(ms: number): string {
  if (ms < 1000) return ms === 0 ? '0s' : `${ms}ms`;
  let s = Math.floor(ms / 1000);
  const frac = ms % 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const sec = frac ? `${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}s` : `${s}s`;
  if (h) return `${h}h${m}m${sec}`;
  if (m) return `${m}m${sec}`;
  return sec;
}

// most calls in a pass format or parse the same instant: remember the last one
let lastMs = NaN;
let lastText = '';

export function toRFC3339(ms: number): string {
  if (ms !== lastMs) {
    lastText = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastMs = ms;
  }
  return lastText;
}

/**
 * The last two texts parsed and their instants: a pod's step reads two in turn (its start time and
 * a container's), 150,000 pods of a big apply share them, and Date.parse is ~1 µs.
 */
let lastParsedText = '';
let lastParsed = 0;
let previousParsedText = '';
let previousParsed = 0;

export function fromRFC3339(s: string | null | undefined): number {
  if (!s) return 0;
  if (s === lastParsedText) return lastParsed;
  if (s === previousParsedText) return previousParsed;
  previousParsedText = lastParsedText;
  previousParsed = lastParsed;
  lastParsed = Date.parse(s);
  lastParsedText = s;
  return lastParsed;
}
