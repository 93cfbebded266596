import { goYamlNeedsQuotes } from './go-yaml-quote';

/**
 * The YAML text go-yaml v2 writes for a JSON value: what `kubectl -o yaml` prints (sigs.k8s.io/yaml
 * v1.4: json.Marshal, then goyaml.v2's Unmarshal of that JSON and Marshal of the result), and
 * what kubectl kustomize and kubeconfig files are written as. A port of goyaml.v2's encoder
 * (encode.go: a string's style, a number's text, sorter.go: key order) and of the parts of its
 * emitter (emitterc.go) a JSON value reaches: block mappings and sequences, `{}` and `[]` for
 * empty ones, and the five scalar writers with their folding of long lines at spaces past
 * column 80 (best_width). Names follow the Go code's so each branch can be checked against it.
 */
export function goYamlMarshal(value: unknown): string {
  const emitter = new Emitter();
  emitter.node(value, false, false);
  // the document's end: yaml_emitter_emit_document_end's write_indent (indent -1 → 0)
  emitter.indent = -1;
  emitter.writeIndent();
  return emitter.out;
}

const BEST_WIDTH = 80;
const BEST_INDENT = 2;
/** check_simple_key: a key of more bytes is written as an explicit `? key` entry */
const SIMPLE_KEY_MAX_BYTES = 128;

const enum Style {
  Plain,
  SingleQuoted,
  DoubleQuoted,
  Literal,
}

/** yaml_emitter_analyze_scalar's verdicts (scalar_data) */
interface Analysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
  /** UTF-8 bytes: check_simple_key's length */
  bytes: number;
}

const SPACES = ' '.repeat(256);

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  indent = -1;

  node(value: unknown, mapping: boolean, simpleKey: boolean): void {
    if (value === null || value === undefined) this.scalar('null', Style.Plain, simpleKey);
    else if (typeof value === 'string') this.stringv(value, simpleKey);
    else if (typeof value === 'number') this.scalar(goNumber(value), Style.Plain, simpleKey);
    else if (typeof value === 'boolean') this.scalar(value ? 'true' : 'false', Style.Plain, simpleKey);
    else if (Array.isArray(value)) {
      if (value.length === 0) this.emptyFlow('[]');
      else this.blockSequence(value, mapping);
    } else if (typeof value === 'object') {
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).filter((k) => record[k] !== undefined);
      if (keys.length === 0) this.emptyFlow('{}');
      else this.blockMapping(record, keys.sort(goKeyCompare));
    } else this.stringv(String(value), simpleKey);
  }

  /** `[]`, `{}`: emit_flow_sequence_item / emit_flow_mapping_key with no item */
  private emptyFlow(text: string): void {
    this.indicator(text, true, false, false);
  }

  private blockSequence(items: unknown[], mapping: boolean): void {
    const saved = this.indent;
    // increase_indent(false, mapping_context && !indention): a sequence as a mapping's value
    // starts at the mapping's own indent (`key:\n- a`)
    this.increaseIndent(false, mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.indicator('-', true, false, true);
      this.node(item, false, false);
    }
    this.indent = saved;
  }

  private blockMapping(record: Record<string, unknown>, keys: string[]): void {
    const saved = this.indent;
    this.increaseIndent(false, false);
    for (const key of keys) {
      this.writeIndent();
      const text = foldNextLines(key);
      const analysis = analyzeScalar(text);
      if (!analysis.multiline && analysis.bytes <= SIMPLE_KEY_MAX_BYTES) {
        this.stringv(key, true);
        this.indicator(':', false, false, false);
      } else {
        this.indicator('?', true, false, true);
        this.stringv(key, false);
        this.writeIndent();
        this.indicator(':', true, false, true);
      }
      this.node(record[key], true, false);
    }
    this.indent = saved;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  /** encoder.stringv: literal for a string with a newline, plain unless it would read back as another type */
  private stringv(raw: string, simpleKey: boolean): void {
    const s = foldNextLines(raw);
    const style = s.includes('\n') ? Style.Literal : goYamlNeedsQuotes(s) ? Style.DoubleQuoted : Style.Plain;
    this.scalar(s, style, simpleKey);
  }

  /** emit_scalar: select_scalar_style, then the writer at the scalar's own indent */
  private scalar(value: string, requested: Style, simpleKey: boolean): void {
    const analysis = analyzeScalar(value);
    let style = requested;
    if (simpleKey && analysis.multiline) style = Style.DoubleQuoted;
    if (style === Style.Plain && (!analysis.blockPlainAllowed || (value.length === 0 && simpleKey))) style = Style.SingleQuoted;
    if (style === Style.SingleQuoted && !analysis.singleQuotedAllowed) style = Style.DoubleQuoted;
    if (style === Style.Literal && (!analysis.blockAllowed || simpleKey)) style = Style.DoubleQuoted;
    const saved = this.indent;
    this.increaseIndent(true, false);
    const allowBreaks = !simpleKey;
    if (style === Style.Plain) this.writePlain(value, allowBreaks);
    else if (style === Style.SingleQuoted) this.writeSingleQuoted(value, allowBreaks);
    else if (style === Style.DoubleQuoted) this.writeDoubleQuoted(value, allowBreaks);
    else this.writeLiteral(value);
    this.indent = saved;
  }

  writeIndent(): void {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    if (this.column < indent) {
      this.out += SPACES.slice(0, indent - this.column);
      this.column = indent;
    }
    this.whitespace = true;
    this.indention = true;
  }

  private indicator(text: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) {
      this.out += ' ';
      this.column++;
    }
    this.out += text;
    this.column += text.length;
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  /** write_break: `\n` as a line break, any other break character copied as it is */
  private writeBreak(ch: string): void {
    if (ch === '\n') this.putBreak();
    else {
      this.out += ch;
      this.column = 0;
    }
  }

  private writePlain(value: string, allowBreaks: boolean): void {
    if (!this.whitespace) {
      this.out += ' ';
      this.column++;
    }
    // no line can pass column 80 at a space: the text as it is (most scalars)
    // (a plain scalar has no line break: analyze_scalar allows none)
    if (!allowBreaks || this.column + value.length <= BEST_WIDTH || !value.includes(' ')) {
      this.out += value;
      this.column += runeCount(value);
      this.whitespace = false;
      this.indention = false;
      return;
    }
    this.writeFolding(value, allowBreaks, false);
    this.whitespace = false;
    this.indention = false;
  }

  /**
   * A plain or single-quoted scalar's text (goyaml.v2's write_plain_scalar and
   * write_single_quoted_scalar share this loop): a space past column 80 becomes a line break
   * (not the first or last character, never one of a run of spaces), line breaks are written
   * doubled as YAML folds them, and inside single quotes a quote is doubled. A plain scalar
   * never starts or ends with a space, so the first/last check changes nothing there.
   */
  private writeFolding(value: string, allowBreaks: boolean, singleQuoted: boolean): void {
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length;) {
      const ch = charAt(value, i);
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < value.length - 1 && value[i + 1] !== ' ') this.writeIndent();
        else this.write(ch);
        spaces = true;
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (singleQuoted && ch === "'") this.write("'");
        this.write(ch);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
      i += ch.length;
    }
  }

  private writeSingleQuoted(value: string, allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    this.writeFolding(value, allowBreaks, true);
    this.indicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(value: string, allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    // is_bom looks at the value's first character, not the current one: a value that starts
    // with a BOM is escaped whole (kubectl prints "\uFEFF\x61\x62\x63" for "\uFEFFabc")
    const bom = value.charCodeAt(0) === 0xfeff;
    let spaces = false;
    for (let i = 0; i < value.length;) {
      const ch = charAt(value, i);
      const code = ch.codePointAt(0)!;
      if (bom || !isPrintable(code) || isBreak(ch) || ch === '"' || ch === '\\') {
        this.write(escape(code));
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < value.length - 1) {
          this.writeIndent();
          if (value[i + 1] === ' ') this.write('\\');
        } else this.write(ch);
        spaces = true;
      } else {
        this.write(ch);
        spaces = false;
      }
      i += ch.length;
    }
    this.indicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(value: string): void {
    this.indicator('|', true, false, false);
    // yaml_emitter_write_block_scalar_hints: an indentation hint for a leading space or break,
    // `-` strip without a final break, `+` keep for more than one
    const first = charAt(value, 0);
    if (first === ' ' || isBreak(first)) this.indicator(String(BEST_INDENT), false, false, false);
    const last = lastChar(value);
    let chomp = '';
    if (value.length === 0 || !isBreak(last)) chomp = '-';
    else if (value.length === last.length) chomp = '+';
    else if (isBreak(lastChar(value.slice(0, value.length - last.length)))) chomp = '+';
    if (chomp) this.indicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < value.length;) {
      const ch = charAt(value, i);
      if (isBreak(ch)) {
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(ch);
        this.indention = false;
        breaks = false;
      }
      i += ch.length;
    }
  }

  /** write/put: one character (or escape) forward; a column is a character, not a byte */
  private write(text: string): void {
    this.out += text;
    this.column += text.length === 2 && text.charCodeAt(0) >= 0xd800 && text.charCodeAt(0) < 0xdc00 ? 1 : text.length;
  }
}

/** the character (one code point: one or two UTF-16 units) at i */
function charAt(s: string, i: number): string {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d < 0xe000) return s.slice(i, i + 2);
  }
  return s.charAt(i);
}

function lastChar(s: string): string {
  if (s.length >= 2) {
    const d = s.charCodeAt(s.length - 1);
    const c = s.charCodeAt(s.length - 2);
    if (d >= 0xdc00 && d < 0xe000 && c >= 0xd800 && c < 0xdc00) return s.slice(-2);
  }
  return s.charAt(s.length - 1);
}

function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function isBreak(ch: string): boolean {
  return ch === '\n' || ch === '\r' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
}

/** is_printable on the character's UTF-8 bytes: no C0/C1 controls but \n, no DEL, nothing past the BMP */
function isPrintable(code: number): boolean {
  return (
    code === 0x0a ||
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd && code !== 0xfeff)
  );
}

const SHORT_ESCAPES: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0xa0: '_',
  0x2028: 'L',
  0x2029: 'P',
};

function escape(code: number): string {
  const short = SHORT_ESCAPES[code];
  if (short !== undefined) return `\\${short}`;
  const hex = code.toString(16).toUpperCase();
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

/** yaml_emitter_analyze_scalar */
function analyzeScalar(value: string): Analysis {
  if (value.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false, bytes: 0 };
  if (SIMPLE.test(value)) {
    // letters, digits and `._/=`-: no indicator, space, break or special character in it
    const dashes = value.startsWith('---') || value.startsWith('...') || value === '-';
    return { multiline: false, blockPlainAllowed: !dashes, singleQuotedAllowed: true, blockAllowed: true, bytes: value.length };
  }
  let blockIndicators = value.startsWith('---') || value.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWhitespace = true;
  let previousSpace = false;
  let previousBreak = false;
  let bytes = 0;
  for (let i = 0; i < value.length;) {
    const ch = charAt(value, i);
    const code = ch.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    const next = i + ch.length;
    const last = next >= value.length;
    const followedByWhitespace = last || value[next] === ' ' || value[next] === '\t';
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':' || ch === '-') && followedByWhitespace) blockIndicators = true;
    } else if ((ch === ':' && followedByWhitespace) || (ch === '#' && precededByWhitespace)) blockIndicators = true;
    if (!isPrintable(code)) special = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(ch)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = ch === ' ' || ch === '\t' || code === 0 || isBreak(ch);
    i = next;
  }
  let blockPlainAllowed = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak);
  let singleQuotedAllowed = true;
  let blockAllowed = !trailingSpace;
  if (breakSpace) blockPlainAllowed = singleQuotedAllowed = false;
  if (spaceBreak || special) blockPlainAllowed = singleQuotedAllowed = blockAllowed = false;
  if (lineBreaks || blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed, bytes };
}

const SIMPLE = /^[A-Za-z0-9._/=-]+$/;

/**
 * sigs.k8s.io/yaml reads kubectl's JSON back as YAML before writing it: json.Marshal leaves NEL
 * (U+0085) unescaped, and in a double-quoted YAML scalar a raw line break folds — the spaces
 * around it dropped, one break a space, n breaks n−1 newlines (kubectl prints "a\u0085b" as `a b`).
 */
function foldNextLines(s: string): string {
  if (!s.includes('\u0085')) return s;
  return s.replace(/ *\u0085[ \u0085]*/g, (run) => {
    const breaks = run.split('\u0085').length - 1;
    return breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
  });
}

/**
 * A number as goyaml.v2 writes what it decoded from JSON: an integer in int64/uint64 range as
 * such; anything else a float64, strconv.FormatFloat(f, 'g', -1, 64): the shortest digits, in
 * exponent form (at least two exponent digits) below 1e-4 and from 1e6 up (`1.5e+06`, `1e+20`).
 */
export function goNumber(n: number): string {
  if (Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 64) return Number.isSafeInteger(n) ? String(n) : BigInt(n).toString();
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  const [mantissa, exponent] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(exponent);
  const sign = n < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fraction = digits.slice(exp + 1);
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

function isLetter(code: number): boolean {
  if (code < 0x80) return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  return LETTER.test(String.fromCodePoint(code));
}

function isDigit(code: number): boolean {
  if (code < 0x80) return code >= 0x30 && code <= 0x39;
  return DIGIT.test(String.fromCodePoint(code));
}

/**
 * goyaml.v2's keyList.Less for two string keys: by character, but a letter after any other
 * character, and runs of digits compared as numbers (`a9` before `a10`, `_x` before `A`).
 */
export function goKeyCompare(a: string, b: string): number {
  if (a === b) return 0;
  // ASCII at the first difference and no digit there: the rune comparison's answer (most keys)
  for (let i = 0; i < a.length && i < b.length; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca >= 0x80 || cb >= 0x80 || (ca >= 0x30 && ca <= 0x39) || (cb >= 0x30 && cb <= 0x39)) break;
    const al = isLetter(ca);
    const bl = isLetter(cb);
    if (al === bl) return ca - cb;
    return al ? 1 : -1;
  }
  const ar = Array.from(a, (c) => c.codePointAt(0)!);
  const br = Array.from(b, (c) => c.codePointAt(0)!);
  return goKeyLess(ar, br) ? -1 : goKeyLess(br, ar) ? 1 : 0;
}

function goKeyLess(ar: number[], br: number[]): boolean {
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === 0x30 || br[i] === 0x30) {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== 0x30) {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai] - 0x30));
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi] - 0x30));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}
