/**
 * What go-yaml v2 (behind sigs.k8s.io/yaml, so behind kubectl's decoding of -f files and its
 * `-o yaml`) reads a plain scalar as: a port of its resolve(). A first-character hint, the literal
 * table (YAML 1.1 booleans in their three spellings, y/n, on/off, nulls, .inf/.nan), then
 * for a digit or sign: a timestamp, Go's ParseInt/ParseUint(s, 0, 64) with underscores removed
 * (0x, 0o, 0b and leading-zero octal: `0644` is 420), a YAML-style float (`08` is 8). Base-60
 * (`1:20`) is not resolved: go-yaml v2 dropped it on reading (it still quotes it on writing).
 */

export type GoYamlScalar =
  | { tag: 'str' | 'timestamp'; value: string }
  | { tag: 'null'; value: null }
  | { tag: 'bool'; value: boolean }
  /** unsigned: only ParseUint took it (above int64), which sigs.k8s.io/yaml refuses as a map key */
  | { tag: 'int'; value: number; unsigned: boolean }
  | { tag: 'float'; value: number };

const LITERALS = new Map<string, GoYamlScalar>();
for (const s of ['true', 'True', 'TRUE']) LITERALS.set(s, { tag: 'bool', value: true });
for (const s of ['false', 'False', 'FALSE']) LITERALS.set(s, { tag: 'bool', value: false });
for (const s of ['', '~', 'null', 'Null', 'NULL']) LITERALS.set(s, { tag: 'null', value: null });
for (const s of ['.nan', '.NaN', '.NAN']) LITERALS.set(s, { tag: 'float', value: NaN });
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) LITERALS.set(s, { tag: 'float', value: Infinity });
for (const s of ['-.inf', '-.Inf', '-.INF']) LITERALS.set(s, { tag: 'float', value: -Infinity });
/** go-yaml v3 (YAML 1.2, kustomize's kyaml) has only the literals above; v2 adds YAML 1.1's booleans */
const V2_LITERALS = new Map<string, GoYamlScalar>(LITERALS);
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']) V2_LITERALS.set(s, { tag: 'bool', value: true });
for (const s of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']) V2_LITERALS.set(s, { tag: 'bool', value: false });

/** resolveTable: which first characters make go-yaml look further */
function hint(s: string): 'D' | 'S' | 'M' | '.' | undefined {
  const c = s[0];
  if (c >= '0' && c <= '9') return 'D';
  if (c === '+' || c === '-') return 'S';
  if (c === '.') return '.';
  return 'yYnNtTfFoO~'.includes(c) ? 'M' : undefined;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** strconv.ParseInt(s, 0, 64)'s syntax: sign, then 0x / 0o / 0b / leading-0 octal / decimal */
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
/** the shapes of parseTimestamp's formats (2006-1-2, with a T/t or space time, fraction, zone) */
const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?))?$/;

/** ParseInt's int64, else ParseUint's uint64 (no sign); undefined when neither takes it */
function goInt(plain: string): GoYamlScalar | undefined {
  const m = GO_INT.exec(plain);
  if (!m) return undefined;
  const digits = m[2];
  const prefixed = /^0[xXoObB]/.test(digits);
  const radix = !prefixed
    ? digits.length > 1 && digits[0] === '0'
      ? 8
      : 10
    : { x: 16, o: 8, b: 2 }[digits[1].toLowerCase() as 'x' | 'o' | 'b'];
  let value = 0n;
  for (const ch of prefixed ? digits.slice(2) : digits) value = value * BigInt(radix) + BigInt(parseInt(ch, radix));
  if (m[1] === '-') return value <= 2n ** 63n ? { tag: 'int', value: -Number(value), unsigned: false } : undefined;
  if (value < 2n ** 63n) return { tag: 'int', value: Number(value), unsigned: false };
  return value < 2n ** 64n ? { tag: 'int', value: Number(value), unsigned: true } : undefined;
}

function timestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A plain (unquoted, untagged) scalar as go-yaml v2 resolves it, or v3: the same but for the
 * booleans (v3 keeps the 1.1 octals `0644` and adds `0o644`, which Go's ParseInt reads too).
 */
export function resolveGoYaml(s: string, version: 'v2' | 'v3' = 'v2'): GoYamlScalar {
  const literal = (version === 'v2' ? V2_LITERALS : LITERALS).get(s);
  if (literal) return literal;
  const str: GoYamlScalar = { tag: 'str', value: s };
  switch (hint(s)) {
    case '.': {
      // strconv.ParseFloat: out of range (±Inf) is an error, so the text stays a string
      const value = /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) ? Number(s) : NaN;
      return Number.isFinite(value) ? { tag: 'float', value } : str;
    }
    case 'D':
    case 'S': {
      if (timestamp(s)) return { tag: 'timestamp', value: s };
      const plain = s.replace(/_/g, '');
      const int = goInt(plain);
      if (int) return int;
      const value = YAML_STYLE_FLOAT.test(plain) ? Number(plain) : NaN;
      return Number.isFinite(value) ? { tag: 'float', value } : str;
    }
    default:
      return str;
  }
}

/**
 * The JSON text of the time.Time go-yaml v3 decodes a timestamp into (kustomize): RFC 3339 with
 * the fraction's trailing zeros dropped, `Z` for a zero offset; no zone means UTC.
 */
export function goTimeJson(s: string): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return s;
  const two = (v: string | undefined) => (v ?? '0').padStart(2, '0');
  const fraction = (m[7] ?? '').slice(0, 9).replace(/0+$/, '');
  const zone = !m[8] || m[8] === 'Z' || m[8] === '+00:00' || m[8] === '-00:00' ? 'Z' : m[8];
  return `${m[1]}-${two(m[2])}-${two(m[3])}T${two(m[4])}:${two(m[5])}:${two(m[6])}${fraction ? `.${fraction}` : ''}${zone}`;
}
