import { formatRune, goQuote, isPrint } from '../go-fmt';

/**
 * text/template/parse/lex.go: the template scanned into items, with Go's trim markers
 * (`{{- ` and ` -}}`), comments, and its error texts (`unclosed action`, `bad character
 * U+0023 '#'`). Positions are string offsets; error columns are converted to bytes.
 */
export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charConstant'
  | 'complex'
  | 'assign'
  | 'declare'
  | 'EOF'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  // keywords
  | 'block'
  | 'break'
  | 'continue'
  | 'dot'
  | 'define'
  | 'else'
  | 'end'
  | 'if'
  | 'nil'
  | 'range'
  | 'template'
  | 'with';

const KEYWORDS = new Set<ItemType>([
  'block',
  'break',
  'continue',
  'dot',
  'define',
  'else',
  'end',
  'if',
  'nil',
  'range',
  'template',
  'with',
]);
const KEYWORD_WORDS: Record<string, ItemType> = {
  '.': 'dot',
  block: 'block',
  break: 'break',
  continue: 'continue',
  define: 'define',
  else: 'else',
  end: 'end',
  if: 'if',
  nil: 'nil',
  range: 'range',
  template: 'template',
  with: 'with',
};

export interface Item {
  typ: ItemType;
  pos: number;
  val: string;
  line: number;
}

/** item.String(): how the parser names a token in `unexpected … in …`. */
export function itemString(i: Item): string {
  if (i.typ === 'EOF') return 'EOF';
  if (i.typ === 'error') return i.val;
  if (KEYWORDS.has(i.typ)) return `<${i.val}>`;
  const runes = [...i.val];
  if (runes.length > 10) return `${goQuote(runes.slice(0, 10).join(''))}...`;
  return goQuote(i.val);
}

const LEFT_DELIM = '{{';
const RIGHT_DELIM = '}}';
const LEFT_COMMENT = '/*';
const RIGHT_COMMENT = '*/';
const SPACE_CHARS = ' \t\r\n';
const EOF = -1;

function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
}

function isAlphaNumeric(r: number): boolean {
  return r === 0x5f || (r >= 0 && /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(r)));
}

function hasLeftTrimMarker(s: string): boolean {
  return s.length >= 2 && s[0] === '-' && isSpace(s.charCodeAt(1));
}

function hasRightTrimMarker(s: string): boolean {
  return s.length >= 2 && isSpace(s.charCodeAt(0)) && s[1] === '-';
}

type State = ((l: Lexer) => State) | null;

/** Scans the whole input up front; the parser pulls items with nextItem(). */
export class Lexer {
  private pos = 0;
  private start = 0;
  private width = 0;
  private parenDepth = 0;
  private readonly items: Item[] = [];
  private next_ = 0;

  constructor(private readonly input: string) {
    let state: State = lexText;
    while (state) state = state(this);
  }

  nextItem(): Item {
    const item = this.items[Math.min(this.next_, this.items.length - 1)];
    this.next_++;
    return item;
  }

  // --- scanning primitives (lex.go's next/peek/backup/emit/ignore/accept)

  next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos)!;
    this.width = r > 0xffff ? 2 : 1;
    this.pos += this.width;
    return r;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  backup(): void {
    this.pos -= this.width;
  }

  private lineAt(pos: number): number {
    let line = 1;
    for (let i = this.input.indexOf('\n'); i >= 0 && i < pos; i = this.input.indexOf('\n', i + 1)) line++;
    return line;
  }

  emit(typ: ItemType): void {
    this.items.push({ typ, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.lineAt(this.start) });
    this.start = this.pos;
  }

  ignore(): void {
    this.start = this.pos;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }

  errorf(message: string): State {
    this.items.push({ typ: 'error', pos: this.start, val: message, line: this.lineAt(this.start) });
    this.items.push({ typ: 'EOF', pos: this.pos, val: '', line: this.lineAt(this.pos) });
    return null;
  }

  rest(offset = 0): string {
    return this.input.slice(this.pos + offset);
  }

  atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.rest()) && this.rest(2).startsWith(RIGHT_DELIM)) return { delim: true, trimSpaces: true };
    if (this.rest().startsWith(RIGHT_DELIM)) return { delim: true, trimSpaces: false };
    return { delim: false, trimSpaces: false };
  }

  /** Reports whether the input is at a character that may follow an identifier. */
  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    if (r === EOF) return true;
    // the whole right delimiter, so `.x}` is a bad character rather than a field
    return '.,|:)('.includes(String.fromCodePoint(r)) || this.rest().startsWith(RIGHT_DELIM);
  }

  scanNumber(): boolean {
    this.accept('+-');
    let digits = '0123456789_';
    if (this.accept('0')) {
      if (this.accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (this.accept('oO')) digits = '01234567_';
      else if (this.accept('bB')) digits = '01_';
    }
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (digits.length === 11 && this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    if (digits.length === 23 && this.accept('pP')) {
      this.accept('+-');
      this.acceptRun('0123456789_');
    }
    this.accept('i');
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }

  get position(): number {
    return this.pos;
  }
  set position(p: number) {
    this.pos = p;
  }
  get startPos(): number {
    return this.start;
  }
  get depth(): number {
    return this.parenDepth;
  }
  set depth(d: number) {
    this.parenDepth = d;
  }
  slice(from: number, to: number): string {
    return this.input.slice(from, to);
  }
  get length(): number {
    return this.input.length;
  }
}

function lexText(l: Lexer): State {
  const x = l.rest().indexOf(LEFT_DELIM);
  if (x >= 0) {
    l.position += x;
    const trimLength = hasLeftTrimMarker(l.rest(LEFT_DELIM.length)) ? rightTrimLength(l.slice(l.startPos, l.position)) : 0;
    l.position -= trimLength;
    if (l.position > l.startPos) l.emit('text');
    l.position += trimLength;
    l.ignore();
    return lexLeftDelim;
  }
  l.position = l.length;
  if (l.position > l.startPos) l.emit('text');
  l.emit('EOF');
  return null;
}

function rightTrimLength(s: string): number {
  let n = 0;
  while (n < s.length && SPACE_CHARS.includes(s[s.length - 1 - n])) n++;
  return n;
}

function leftTrimLength(s: string): number {
  let n = 0;
  while (n < s.length && SPACE_CHARS.includes(s[n])) n++;
  return n;
}

function lexLeftDelim(l: Lexer): State {
  l.position += LEFT_DELIM.length;
  const afterMarker = hasLeftTrimMarker(l.rest()) ? 2 : 0;
  if (l.rest(afterMarker).startsWith(LEFT_COMMENT)) {
    l.position += afterMarker;
    l.ignore();
    return lexComment;
  }
  l.emit('leftDelim');
  l.position += afterMarker;
  l.ignore();
  l.depth = 0;
  return lexInsideAction;
}

function lexComment(l: Lexer): State {
  l.position += LEFT_COMMENT.length;
  const i = l.rest().indexOf(RIGHT_COMMENT);
  if (i < 0) return l.errorf('unclosed comment');
  l.position += i + RIGHT_COMMENT.length;
  const { delim, trimSpaces } = l.atRightDelim();
  if (!delim) return l.errorf('comment ends before closing delimiter');
  if (trimSpaces) l.position += 2;
  l.position += RIGHT_DELIM.length;
  if (trimSpaces) l.position += leftTrimLength(l.rest());
  l.ignore();
  return lexText;
}

function lexRightDelim(l: Lexer): State {
  const trimSpaces = hasRightTrimMarker(l.rest());
  if (trimSpaces) {
    l.position += 2;
    l.ignore();
  }
  l.position += RIGHT_DELIM.length;
  l.emit('rightDelim');
  if (trimSpaces) {
    l.position += leftTrimLength(l.rest());
    l.ignore();
  }
  return lexText;
}

function lexInsideAction(l: Lexer): State {
  if (l.atRightDelim().delim) {
    if (l.depth === 0) return lexRightDelim;
    return l.errorf('unclosed left paren');
  }
  const r = l.next();
  if (r === EOF) return l.errorf('unclosed action');
  if (isSpace(r)) {
    l.backup();
    return lexSpace;
  }
  const c = String.fromCodePoint(r);
  switch (c) {
    case '=':
      l.emit('assign');
      return lexInsideAction;
    case ':':
      if (l.next() !== 0x3d) return l.errorf('expected :=');
      l.emit('declare');
      return lexInsideAction;
    case '|':
      l.emit('pipe');
      return lexInsideAction;
    case '"':
      return lexQuote;
    case '`':
      return lexRawQuote;
    case '$':
      return lexVariable;
    case "'":
      return lexChar;
    case '(':
      l.emit('leftParen');
      l.depth++;
      return lexInsideAction;
    case ')':
      if (l.depth === 0) return l.errorf('unexpected right paren');
      l.depth--;
      l.emit('rightParen');
      return lexInsideAction;
  }
  if (c === '.') {
    // special look-ahead for ".field" so we don't break backup()
    if (l.position < l.length) {
      const d = l.rest().charCodeAt(0);
      if (d < 0x30 || d > 0x39) return lexField;
    }
  }
  if (c === '.' || c === '+' || c === '-' || (r >= 0x30 && r <= 0x39)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r <= 0x7f && isPrint(r)) {
    l.emit('char');
    return lexInsideAction;
  }
  return l.errorf(`unrecognized character in action: ${formatRune(r)}`);
}

/** A run of spaces; the space of a ` -}}` belongs to the delimiter. */
function lexSpace(l: Lexer): State {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  if (hasRightTrimMarker(l.rest(-1)) && l.rest(-1 + 2).startsWith(RIGHT_DELIM)) {
    l.position -= 1;
    if (numSpaces === 1) return lexRightDelim;
  }
  l.emit('space');
  return lexInsideAction;
}

function lexIdentifier(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.slice(l.startPos, l.position);
    if (!l.atTerminator()) return l.errorf(`bad character ${formatRune(r)}`);
    const keyword = KEYWORD_WORDS[word];
    if (keyword && keyword !== 'dot') l.emit(keyword);
    else if (word[0] === '.') l.emit('field');
    else if (word === 'true' || word === 'false') l.emit('bool');
    else l.emit('identifier');
    return lexInsideAction;
  }
}

function lexField(l: Lexer): State {
  return lexFieldOrVariable(l, 'field');
}

function lexVariable(l: Lexer): State {
  if (l.atTerminator()) {
    l.emit('variable');
    return lexInsideAction;
  }
  return lexFieldOrVariable(l, 'variable');
}

function lexFieldOrVariable(l: Lexer, typ: 'field' | 'variable'): State {
  if (l.atTerminator()) {
    l.emit(typ === 'variable' ? 'variable' : 'dot');
    return lexInsideAction;
  }
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${formatRune(r)}`);
  l.emit(typ);
  return lexInsideAction;
}

function lexChar(l: Lexer): State {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
      return l.errorf('unterminated character constant');
    }
    if (r === EOF || r === 0x0a) return l.errorf('unterminated character constant');
    if (r === 0x27) break;
  }
  l.emit('charConstant');
  return lexInsideAction;
}

function lexNumber(l: Lexer): State {
  if (!l.scanNumber()) return l.errorf(`bad number syntax: ${goQuote(l.slice(l.startPos, l.position))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    if (!l.scanNumber() || l.slice(l.position - 1, l.position) !== 'i')
      return l.errorf(`bad number syntax: ${goQuote(l.slice(l.startPos, l.position))}`);
    l.emit('complex');
  } else {
    l.emit('number');
  }
  return lexInsideAction;
}

function lexQuote(l: Lexer): State {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
      return l.errorf('unterminated quoted string');
    }
    if (r === EOF || r === 0x0a) return l.errorf('unterminated quoted string');
    if (r === 0x22) break;
  }
  l.emit('string');
  return lexInsideAction;
}

function lexRawQuote(l: Lexer): State {
  for (;;) {
    const r = l.next();
    if (r === EOF) return l.errorf('unterminated raw quoted string');
    if (r === 0x60) break;
  }
  l.emit('rawString');
  return lexInsideAction;
}
