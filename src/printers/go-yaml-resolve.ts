/**
 * Whether go-yaml v2 (behind sigs.k8s.io/yaml, so behind `kubectl get -o yaml`) would read a plain
 * scalar back as something other than a string — then it writes the string double-quoted. A port of
 * its resolve(): a first-character hint, the literal table (YAML 1.1 booleans, nulls, .inf/.nan),
 * timestamps, Go's ParseInt/ParseUint with base prefixes, YAML-style floats; and base-60 floats,
 * which it quotes too. Anything else ("e5", "<<", "-", ".") stays plain.
 */

const LITERALS = new Set([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'],
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'],
  ...['', '~', 'null', 'Null', 'NULL'],
  ...['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'],
]);

/** resolveTable: which first characters make go-yaml look further */
function hint(s: string): 'D' | 'S' | 'M' | '.' | undefined {
  if (s === '') return 'M';
  const c = s[0];
  if (c >= '0' && c <= '9') return 'D';
  if (c === '+' || c === '-') return 'S';
  if (c === '.') return '.';
  return 'yYnNtTfFoO~'.includes(c) ? 'M' : undefined;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
/** strconv.ParseInt(s, 0, 64)'s syntax: sign, then 0x / 0o / 0b / leading-0 octal / decimal */
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
/** the shapes of parseTimestamp's formats (2006-1-2, with a T/t or space time, fraction, zone) */
const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?))?$/;

function goInt(plain: string): boolean {
  const m = GO_INT.exec(plain);
  if (!m) return false;
  const digits = m[2];
  const radix = /^0[xX]/.test(digits)
    ? 16
    : /^0[oO]/.test(digits)
      ? 8
      : /^0[bB]/.test(digits)
        ? 2
        : digits.length > 1 && digits[0] === '0'
          ? 8
          : 10;
  const body = radix === 10 || (radix === 8 && !/^0[oO]/.test(digits)) ? digits : digits.slice(2);
  let value = 0n;
  for (const ch of body) value = value * BigInt(radix) + BigInt(parseInt(ch, radix));
  // ParseInt's int64, else ParseUint's uint64 (no sign)
  if (m[1] === '-') return value <= 2n ** 63n;
  return value < 2n ** 64n;
}

function timestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function goYamlNeedsQuotes(s: string): boolean {
  if (BASE60_FLOAT.test(s)) return true;
  const h = hint(s);
  if (!h) return false;
  if (LITERALS.has(s)) return true;
  if (h === 'M') return false;
  if (h === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) && Number.isFinite(Number(s));
  if (timestamp(s)) return true;
  const plain = s.replace(/_/g, '');
  if (goInt(plain)) return true;
  return YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain));
}
