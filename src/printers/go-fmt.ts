/**
 * Go's text conventions that kubectl's messages and printers show: strconv quoting and
 * unquoting, unicode.IsPrint, float formatting, and byte-order string comparison.
 * Shared by the JSONPath and Go-template printers.
 */

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(r: number): boolean {
  return r === 0x20 || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(r));
}

/** Go's %#U: `U+002C ','`. */
export function formatRune(r: number): string {
  const code = `U+${r.toString(16).toUpperCase().padStart(4, '0')}`;
  return isPrint(r) ? `${code} '${String.fromCodePoint(r)}'` : code;
}

/** Go sorts map keys by bytes, i.e. by code point; JS's default sort is by UTF-16 unit. */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Go's strconv.Quote (and %q); `ascii` is QuoteToASCII (%+q). */
export function goQuote(s: string, ascii = false): string {
  let out = '"';
  for (const ch of s) out += quoteRune(ch.codePointAt(0)!, '"', ascii);
  return `${out}"`;
}

/** Go's strconv.QuoteRune ('x'), as %q prints an integer. */
export function goQuoteRune(r: number, ascii = false): string {
  const valid = r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r <= 0xdfff);
  return `'${quoteRune(valid ? r : 0xfffd, "'", ascii)}'`;
}

function quoteRune(r: number, quote: string, ascii: boolean): string {
  const ch = String.fromCodePoint(r);
  if (ch === quote || ch === '\\') return `\\${ch}`;
  if (ascii ? r < 0x80 && isPrint(r) : isPrint(r)) return ch;
  switch (r) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return `\\x${r.toString(16).padStart(2, '0')}`;
  if (r < 0x10000) return `\\u${r.toString(16).padStart(4, '0')}`;
  return `\\U${r.toString(16).padStart(8, '0')}`;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/**
 * Go's strconv.UnquoteChar: the first character of `s` (escapes decoded) and the rest;
 * undefined on a syntax error. `quote` is the enclosing quote, which may be escaped.
 */
export function unquoteChar(s: string, quote: string): { value: number; tail: string } | undefined {
  const c = s[0];
  if (c === undefined) return undefined;
  if (c === quote && (quote === "'" || quote === '"')) return undefined;
  if (c !== '\\') {
    const cp = s.codePointAt(0)!;
    return { value: cp, tail: s.slice(cp > 0xffff ? 2 : 1) };
  }
  const e = s[1];
  if (e === undefined) return undefined;
  let rest = s.slice(2);
  if (e in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[e].charCodeAt(0), tail: rest };
  if (e === 'x' || e === 'u' || e === 'U') {
    const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
    const hex = rest.slice(0, digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) return undefined;
    const value = parseInt(hex, 16);
    if (e !== 'x' && (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))) return undefined;
    return { value, tail: rest.slice(digits) };
  }
  if (e >= '0' && e <= '7') {
    const octal = e + rest.slice(0, 2);
    if (!/^[0-7]{3}$/.test(octal)) return undefined;
    const value = parseInt(octal, 8);
    if (value > 255) return undefined;
    rest = rest.slice(2);
    return { value, tail: rest };
  }
  if ((e === "'" || e === '"') && e === quote) return { value: e.charCodeAt(0), tail: rest };
  return undefined;
}

/**
 * Go's strconv.Unquote for "…", `…` and '…'; undefined on a syntax error (Go's "invalid syntax").
 * \x escapes are bytes in Go; a byte above 0x7f is kept as that code point.
 */
export function goUnquote(quoted: string): string | undefined {
  if (quoted.length < 2) return undefined;
  const quote = quoted[0];
  if (quote !== quoted[quoted.length - 1]) return undefined;
  let body = quoted.slice(1, -1);
  if (quote === '`') return body.includes('`') ? undefined : body.replace(/\r/g, '');
  if (quote !== '"' && quote !== "'") return undefined;
  if (body.includes('\n')) return undefined;
  let out = '';
  while (body.length > 0) {
    const next = unquoteChar(body, quote);
    if (!next) return undefined;
    out += String.fromCodePoint(next.value);
    body = next.tail;
    if (quote === "'" && body.length > 0) return undefined;
  }
  if (quote === "'" && out.length === 0) return undefined;
  return out;
}

export { formatGoFloat, exponentSuffix } from '../util/go-float';
