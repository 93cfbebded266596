import { compareGoStrings, exponentSuffix, goQuote, goQuoteRune, isPrint } from '../go-fmt';
import { fromData, GoComplex, GoFloat, GoInt, GoMap, typeName, type Concrete } from './values';

/**
 * Go's fmt for the values a template handles: Sprint, Sprintln and Sprintf with the verbs,
 * flags, width and precision of fmt/print.go and fmt/format.go, including the `%!d(string=x)`,
 * `%!d(MISSING)` and `%!(EXTRA …)` texts. An argument is what an `interface{}` parameter
 * receives: a concrete value, or null for nil.
 */
export type FmtArg = Concrete | null;

interface Flags {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  width?: number;
  prec?: number;
}

function clearFlags(): Flags {
  return { minus: false, plus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false };
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: FmtArg[]): string {
  let out = '';
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatArg(arg, 'v', clearFlags());
    prevString = isString;
  });
  return out;
}

/** fmt.Sprintln: always a space between operands, and a newline. */
export function sprintln(args: FmtArg[]): string {
  return `${args.map((a) => formatArg(a, 'v', clearFlags())).join(' ')}\n`;
}

/** fmt.Sprint of one value: what `{{.x}}` prints. */
export function formatValue(arg: FmtArg): string {
  return formatArg(arg, 'v', clearFlags());
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: FmtArg[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let i = 0;
  const end = format.length;
  while (i < end) {
    const percent = format.indexOf('%', i);
    if (percent < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, percent);
    i = percent + 1;
    const f = clearFlags();
    let goodArgNum = true;
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case '#':
          f.sharp = true;
          break;
        case '0':
          f.zero = !f.minus;
          break;
        case '+':
          f.plus = true;
          break;
        case '-':
          f.minus = true;
          f.zero = false;
          break;
        case ' ':
          f.space = true;
          break;
        default:
          break flags;
      }
    }
    const argIndex = (): void => {
      if (format[i] !== '[') return;
      reordered = true;
      const close = format.indexOf(']', i);
      const n = close < 0 ? NaN : Number(format.slice(i + 1, close));
      if (close < 0 || !/^\d+$/.test(format.slice(i + 1, close)) || n < 1 || n > args.length) {
        goodArgNum = false;
        i = close < 0 ? end : close + 1;
        return;
      }
      argNum = n - 1;
      i = close + 1;
    };
    argIndex();
    if (format[i] === '*') {
      i++;
      const w = intArg(args[argNum]);
      argNum++;
      if (w === undefined) out += '%!(BADWIDTH)';
      else if (w < 0) {
        f.width = -w;
        f.minus = true;
        f.zero = false;
      } else f.width = w;
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        f.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      argIndex();
      if (format[i] === '*') {
        i++;
        const p = intArg(args[argNum]);
        argNum++;
        // a negative precision is as bad as a missing one
        if (p === undefined || p < 0) out += '%!(BADPREC)';
        else f.prec = p;
      } else {
        const m = /^\d+/.exec(format.slice(i));
        f.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    argIndex();
    if (i >= end) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') out += '%';
    else if (!goodArgNum) out += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) out += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v') {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      out += formatArg(args[argNum], verb, f);
      argNum++;
    }
  }
  if (!reordered && argNum < args.length) {
    const extra = args.slice(argNum).map((a) => (a === null ? '<nil>' : `${typeName(a)}=${formatArg(a, 'v', clearFlags())}`));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

function intArg(arg: FmtArg | undefined): number | undefined {
  return arg instanceof GoInt ? Number(arg.value) : undefined;
}

function formatArg(arg: FmtArg, verb: string, f: Flags): string {
  if (arg === null) return verb === 'T' || verb === 'v' ? pad('<nil>', f) : badVerb(verb, null);
  if (verb === 'T') return pad(typeName(arg), f);
  if (typeof arg === 'boolean') return verb === 't' || verb === 'v' ? pad(String(arg), f) : badVerb(verb, arg);
  if (arg instanceof GoFloat) return formatFloat(arg, verb, f);
  if (arg instanceof GoComplex) {
    // fmtComplex: each part as a float, the imaginary one always signed
    if (!'vbgGxXfFeE'.includes(verb)) return badVerb(verb, arg);
    return `(${formatFloat(new GoFloat(arg.re), verb, f)}${formatFloat(new GoFloat(arg.im), verb, { ...f, plus: true })}i)`;
  }
  if (arg instanceof GoInt) return formatInteger(arg, verb, f);
  if (typeof arg === 'string') return formatString(arg, verb, f);
  if (arg instanceof GoMap) {
    const keys = Object.keys(arg.entries)
      .filter((k) => arg.entries[k] !== undefined)
      .sort(compareGoStrings);
    if (f.sharpV)
      return `map[string]interface {}{${keys.map((k) => `${goQuote(k)}:${formatElement(arg.entries[k], verb, f)}`).join(', ')}}`;
    return `map[${keys.map((k) => `${formatArg(k, verb, f)}:${formatElement(arg.entries[k], verb, f)}`).join(' ')}]`;
  }
  if (f.sharpV) return `[]interface {}{${arg.items.map((v) => formatElement(v, verb, f)).join(', ')}}`;
  return `[${arg.items.map((v) => formatElement(v, verb, f)).join(' ')}]`;
}

/** An interface{} element of a map or slice: nil prints as `<nil>` whatever the verb. */
function formatElement(raw: unknown, verb: string, f: Flags): string {
  const v = fromData(raw);
  if (v === null) return f.sharpV ? 'interface {}(nil)' : '<nil>';
  return formatArg(v, verb, f);
}

function badVerb(verb: string, arg: FmtArg): string {
  return `%!${verb}(${arg === null ? '<nil>' : `${typeName(arg)}=${formatArg(arg, 'v', clearFlags())}`})`;
}

/** fmt's pad: width counts runes; zeros only on the left. */
function pad(s: string, f: Flags): string {
  if (f.width === undefined) return s;
  const n = f.width - [...s].length;
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  return (f.zero ? '0' : ' ').repeat(n) + s;
}

function formatString(s: string, verb: string, f: Flags): string {
  switch (verb) {
    case 'v':
      if (f.sharpV) return pad(goQuote(s), f);
      return pad(truncate(s, f), f);
    case 's':
      return pad(truncate(s, f), f);
    case 'q': {
      const t = truncate(s, f);
      if (f.sharp && !t.includes('`') && [...t].every((c) => c === '\t' || (c.codePointAt(0)! >= 0x20 && c !== '\x7f')))
        return pad(`\`${t}\``, f);
      return pad(goQuote(t, f.plus), f);
    }
    case 'x':
    case 'X': {
      let bytes = [...Buffer.from(s, 'utf8')];
      if (f.prec !== undefined) bytes = bytes.slice(0, f.prec);
      const digits = bytes.map((b) => b.toString(16).padStart(2, '0'));
      const prefix = f.sharp ? '0x' : '';
      const text = f.space ? digits.map((d) => prefix + d).join(' ') : prefix + digits.join('');
      return pad(verb === 'X' ? text.toUpperCase() : text, f);
    }
    default:
      return badVerb(verb, s);
  }
}

function truncate(s: string, f: Flags): string {
  return f.prec === undefined ? s : [...s].slice(0, f.prec).join('');
}

function formatInteger(n: GoInt, verb: string, f: Flags): string {
  const value = n.value;
  switch (verb) {
    case 'v':
    case 'd':
      return integerText(value, 10, verb, f);
    case 'b':
      return integerText(value, 2, verb, f);
    case 'o':
    case 'O':
      return integerText(value, 8, verb, f);
    case 'x':
    case 'X':
      return integerText(value, 16, verb, f);
    case 'c':
      return pad(runeText(value), f);
    case 'q':
      return pad(goQuoteRune(Number(value), f.plus), f);
    case 'U': {
      let text = `U+${value.toString(16).toUpperCase().padStart(4, '0')}`;
      if (f.sharp && value <= 0x10ffffn && isPrint(Number(value))) text += ` '${String.fromCodePoint(Number(value))}'`;
      return pad(text, f);
    }
    default:
      return badVerb(verb, n);
  }
}

function runeText(value: bigint): string {
  const r = Number(value);
  return value < 0n || value > 0x10ffffn || (r >= 0xd800 && r <= 0xdfff) ? '\ufffd' : String.fromCodePoint(r);
}

/** fmt's fmtInteger: precision or zero flag for leading zeros, #-prefixes, sign. */
function integerText(value: bigint, base: number, verb: string, f: Flags): string {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  let prec = 0;
  if (f.prec !== undefined) {
    if (f.prec === 0 && value === 0n) return pad('', { ...f, zero: false });
    prec = f.prec;
  } else if (f.zero && !f.minus && f.width !== undefined) {
    prec = f.width;
    if (negative || f.plus || f.space) prec--;
  }
  digits = digits.padStart(prec, '0');
  if (f.sharp) {
    if (base === 2) digits = `0b${digits}`;
    else if (base === 8 && !digits.startsWith('0')) digits = `0${digits}`;
    else if (base === 16) digits = `0${verb === 'X' ? 'X' : 'x'}${digits}`;
  }
  if (verb === 'O') digits = `0o${digits}`;
  if (negative) digits = `-${digits}`;
  else if (f.plus) digits = `+${digits}`;
  else if (f.space) digits = ` ${digits}`;
  return pad(digits, { ...f, zero: false });
}

function formatFloat(n: GoFloat, verb: string, f: Flags): string {
  let format: string;
  let prec: number;
  switch (verb) {
    case 'v':
      format = 'g';
      prec = -1;
      break;
    case 'b':
    case 'g':
    case 'G':
    case 'x':
    case 'X':
      format = f.sharpV ? 'g' : verb;
      prec = -1;
      break;
    case 'f':
    case 'F':
    case 'e':
    case 'E':
      format = verb;
      prec = 6;
      break;
    default:
      return badVerb(verb, n);
  }
  if (f.prec !== undefined) prec = f.prec;
  let num = appendFloat(n.value, format, prec);
  if (num[0] !== '-' && num[0] !== '+') num = `+${num}`;
  if (f.space && num[0] === '+' && !f.plus) num = ` ${num.slice(1)}`;
  if (num[1] === 'I' || num[1] === 'N') {
    if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
    return pad(num, { ...f, zero: false });
  }
  if (f.plus || num[0] !== '+') {
    if (f.zero && !f.minus && f.width !== undefined && f.width > num.length)
      return num[0] + '0'.repeat(f.width - num.length) + num.slice(1);
    return pad(num, f);
  }
  return pad(num.slice(1), f);
}

/** strconv.FormatFloat(v, format, prec, 64) for 'b', 'e', 'E', 'f', 'F', 'g', 'G', 'x', 'X'; prec -1 is shortest. */
function appendFloat(v: number, format: string, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const abs = Math.abs(v);
  if (format === 'b') return sign + binaryExponent(abs);
  if (format === 'x' || format === 'X') {
    const text = hexFloat(abs, prec);
    return sign + (format === 'X' ? text.toUpperCase() : text);
  }
  const upper = format === 'E' || format === 'G';
  // the decimal digits, rounded half to even on the exact value as strconv does
  const d = prec < 0 ? shortestDecimal(abs) : exactDecimal(abs);
  let text: string;
  switch (format.toLowerCase()) {
    case 'e':
      if (prec >= 0) d.round(prec + 1);
      text = formatE(d, prec < 0 ? Math.max(d.digits.length - 1, 0) : prec);
      break;
    case 'f':
      if (prec >= 0) d.round(d.point + prec);
      text = formatF(d, prec < 0 ? Math.max(d.digits.length - d.point, 0) : prec);
      break;
    default: {
      let p = prec;
      if (p < 0) p = d.digits.length;
      else {
        if (p === 0) p = 1;
        d.round(p);
      }
      let eprec = p;
      if (eprec > d.digits.length && d.digits.length >= d.point) eprec = d.digits.length;
      if (prec < 0) eprec = 6;
      const exp = d.point - 1;
      if (d.digits.length === 0) text = formatF(d, 0);
      else if (exp < -4 || exp >= eprec) text = formatE(d, Math.min(p, d.digits.length) - 1);
      else text = formatF(d, Math.max((p > d.point ? d.digits.length : p) - d.point, 0));
    }
  }
  return sign + (upper ? text.toUpperCase() : text);
}

/** A decimal: digits without leading or trailing zeros, the point after `point` of them. */
class Decimal {
  constructor(
    public digits: string,
    public point: number,
  ) {
    this.trim();
  }

  private trim(): void {
    const lead = /^0*/.exec(this.digits)![0].length;
    this.digits = this.digits.slice(lead).replace(/0+$/, '');
    this.point -= lead;
    if (this.digits === '') this.point = 0;
  }

  /** Keeps `nd` digits, rounding half to even as strconv's decimal.Round. */
  round(nd: number): void {
    if (nd < 0 || nd >= this.digits.length) return;
    const next = this.digits.charCodeAt(nd) - 48;
    let up = next > 5 || (next === 5 && (nd + 1 < this.digits.length || (nd > 0 && (this.digits.charCodeAt(nd - 1) - 48) % 2 === 1)));
    if (next === 5 && nd + 1 === this.digits.length && nd === 0) up = false;
    let kept = this.digits.slice(0, nd);
    if (up) {
      const n = (BigInt(kept || '0') + 1n).toString();
      if (n.length > kept.length) this.point++;
      kept = n.length > kept.length && kept.length > 0 ? n.slice(0, kept.length) : n;
    }
    this.digits = kept;
    this.trim();
  }
}

/** The exact decimal expansion of a double. */
function exactDecimal(abs: number): Decimal {
  if (abs === 0) return new Decimal('', 0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, abs);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp = biased - 1075;
  if (biased === 0) exp = -1074;
  else mantissa |= 1n << 52n;
  if (exp >= 0) {
    const digits = (mantissa << BigInt(exp)).toString();
    return new Decimal(digits, digits.length);
  }
  const digits = (mantissa * 5n ** BigInt(-exp)).toString();
  return new Decimal(digits, digits.length + exp);
}

/** The shortest digits that read back as the same double (what JS prints too). */
function shortestDecimal(abs: number): Decimal {
  if (abs === 0) return new Decimal('', 0);
  const [mantissa, exp] = abs.toExponential().split('e');
  return new Decimal(mantissa.replace('.', ''), Number(exp) + 1);
}

function formatE(d: Decimal, prec: number): string {
  const digits = d.digits.padEnd(prec + 1, '0');
  const first = digits[0] ?? '0';
  const exp = d.digits.length === 0 ? 0 : d.point - 1;
  return `${first}${prec > 0 ? `.${digits.slice(1, prec + 1)}` : ''}e${exponentSuffix(exp)}`;
}

function formatF(d: Decimal, prec: number): string {
  const whole = d.point > 0 ? d.digits.slice(0, d.point).padEnd(d.point, '0') : '0';
  let frac = '';
  for (let i = 0; i < prec; i++) {
    const j = d.point + i;
    frac += j >= 0 && j < d.digits.length ? d.digits[j] : '0';
  }
  return prec > 0 ? `${whole}.${frac}` : whole;
}

/** strconv's 'b': mantissa and binary exponent, `7881299347898368p-51`. */
function binaryExponent(abs: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, abs);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp = biased - 1075;
  if (biased === 0) exp = -1074;
  else mantissa |= 1n << 52n;
  return `${mantissa}p${exp >= 0 ? '+' : ''}${exp}`;
}

/** strconv's 'x': `0x1.cp+01`. */
function hexFloat(abs: number, prec: number): string {
  if (abs === 0) return `0x0${prec > 0 ? `.${'0'.repeat(prec)}` : ''}p+00`;
  let exp = Math.floor(Math.log2(abs));
  if (2 ** exp > abs) exp--;
  if (2 ** (exp + 1) <= abs) exp++;
  let frac = abs / 2 ** exp - 1;
  let hex = '';
  for (let i = 0; i < 13 && frac > 0; i++) {
    frac *= 16;
    const digit = Math.floor(frac);
    hex += digit.toString(16);
    frac -= digit;
  }
  if (prec >= 0) hex = hex.slice(0, prec).padEnd(prec, '0');
  return `0x1${hex ? `.${hex}` : ''}p${exponentSuffix(exp)}`;
}
