import type { AndOr, Command, List, Pipeline, Redirect, Word, WordPart } from './ast';

/**
 * A recursive-descent parser for the shell subset (POSIX "Shell Command Language", §2.3–2.10).
 * Tokenizing is done as it parses, because what ends a word depends on where it is (`)` ends
 * a `$(…)`, a reserved word is one only where a command starts). Errors read like dash's:
 * `syntax error: unexpected "fi"`, `syntax error: unterminated quoted string`.
 */
export class ShellSyntaxError extends Error {}

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'while', 'until', 'do', 'done', 'for', 'in', 'case', 'esac', '{', '}', '!']);
const METACHARS = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseScript(src: string): List {
  const p = new Parser(src);
  const list = p.list([]);
  p.skipBlanks(true);
  if (p.pos < src.length) throw new ShellSyntaxError(`syntax error: unexpected "${p.peekWordText() || src[p.pos]}"`);
  return list;
}

class Parser {
  pos = 0;
  constructor(public src: string) {}

  /** Skips blanks, comments and line continuations; newlines too when `newlines`. */
  skipBlanks(newlines = false): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r'))) this.pos++;
      else if (c === '\\' && s[this.pos + 1] === '\n') this.pos += 2;
      else if (c === '#') while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      else break;
    }
  }

  /** The next bare word's text (for reserved-word checks), without consuming it. */
  peekWordText(): string {
    const s = this.src;
    let i = this.pos;
    while (i < s.length && !METACHARS.has(s[i]) && s[i] !== '"' && s[i] !== "'" && s[i] !== '\\' && s[i] !== '$' && s[i] !== '`') i++;
    if (i < s.length && !METACHARS.has(s[i])) return '';
    return s.slice(this.pos, i);
  }

  atReserved(word: string): boolean {
    this.skipBlanks();
    return this.peekWordText() === word;
  }

  expectReserved(word: string): void {
    this.skipBlanks(true);
    if (this.peekWordText() !== word) throw this.unexpected();
    this.pos += word.length;
  }

  unexpected(): ShellSyntaxError {
    this.skipBlanks(true);
    if (this.pos >= this.src.length) return new ShellSyntaxError('syntax error: unexpected end of file');
    const w = this.peekWordText();
    return new ShellSyntaxError(`syntax error: unexpected "${w || this.src[this.pos]}"`);
  }

  /** A list up to one of the reserved words `enders` (not consumed), a `)` or the end. */
  list(enders: string[]): List {
    const items: AndOr[] = [];
    for (;;) {
      this.skipBlanks(true);
      if (this.pos >= this.src.length) break;
      const c = this.src[this.pos];
      if (c === ')' || (c === ';' && this.src[this.pos + 1] === ';')) break;
      const w = this.peekWordText();
      if (enders.includes(w)) break;
      const andOr = this.andOr();
      items.push(andOr);
      this.skipBlanks();
      const sep = this.src[this.pos];
      if (sep === ';' && this.src[this.pos + 1] !== ';') this.pos++;
      else if (sep === '&') {
        this.pos++;
        andOr.background = true;
      } else if (sep === '\n') this.pos++;
      else break;
    }
    return { items };
  }

  andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      this.skipBlanks();
      const two = this.src.slice(this.pos, this.pos + 2);
      if (two !== '&&' && two !== '||') break;
      this.pos += 2;
      this.skipBlanks(true);
      rest.push({ op: two, pipeline: this.pipeline() });
    }
    return { first, rest, background: false };
  }

  pipeline(): Pipeline {
    this.skipBlanks();
    let negate = false;
    if (this.peekWordText() === '!') {
      negate = true;
      this.pos++;
    }
    const commands = [this.command()];
    for (;;) {
      this.skipBlanks();
      if (this.src[this.pos] !== '|' || this.src[this.pos + 1] === '|') break;
      this.pos++;
      this.skipBlanks(true);
      commands.push(this.command());
    }
    return { negate, commands };
  }

  command(): Command {
    this.skipBlanks();
    const w = this.peekWordText();
    const c = this.src[this.pos];
    let cmd: Command;
    if (c === '(') {
      this.pos++;
      const body = this.list([]);
      this.skipBlanks(true);
      if (this.src[this.pos] !== ')') throw this.unexpected();
      this.pos++;
      cmd = { t: 'group', body, subshell: true, redirects: [] };
    } else if (w === '{') {
      this.pos++;
      const body = this.list(['}']);
      this.expectReserved('}');
      cmd = { t: 'group', body, subshell: false, redirects: [] };
    } else if (w === 'if') cmd = this.ifCommand();
    else if (w === 'while' || w === 'until') {
      this.pos += w.length;
      const cond = this.list(['do']);
      this.expectReserved('do');
      const body = this.list(['done']);
      this.expectReserved('done');
      cmd = { t: 'loop', until: w === 'until', cond, body, redirects: [] };
    } else if (w === 'for') cmd = this.forCommand();
    else if (w === 'case') cmd = this.caseCommand();
    else if (RESERVED.has(w) && w !== '!') throw this.unexpected();
    else return this.simple();
    this.redirects(cmd.redirects);
    return cmd;
  }

  ifCommand(): Command {
    this.pos += 2;
    const clauses: { cond: List; body: List }[] = [];
    let otherwise: List | undefined;
    for (;;) {
      const cond = this.list(['then']);
      this.expectReserved('then');
      const body = this.list(['elif', 'else', 'fi']);
      clauses.push({ cond, body });
      this.skipBlanks(true);
      const w = this.peekWordText();
      this.pos += w.length;
      if (w === 'elif') continue;
      if (w === 'else') {
        otherwise = this.list(['fi']);
        this.expectReserved('fi');
      } else if (w !== 'fi') throw this.unexpected();
      break;
    }
    return { t: 'if', clauses, otherwise, redirects: [] };
  }

  forCommand(): Command {
    this.pos += 3;
    this.skipBlanks();
    const name = this.peekWordText();
    if (!NAME.test(name)) throw new ShellSyntaxError(`syntax error: bad for loop variable`);
    this.pos += name.length;
    this.skipBlanks(true);
    let items: Word[] | undefined;
    if (this.peekWordText() === 'in') {
      this.pos += 2;
      items = [];
      for (;;) {
        this.skipBlanks();
        const c = this.src[this.pos];
        if (c === ';' || c === '\n' || c === undefined) {
          if (c !== undefined) this.pos++;
          break;
        }
        items.push(this.word());
      }
    } else if (this.src[this.pos] === ';') this.pos++;
    this.expectReserved('do');
    const body = this.list(['done']);
    this.expectReserved('done');
    return { t: 'for', name, items, body, redirects: [] };
  }

  caseCommand(): Command {
    this.pos += 4;
    this.skipBlanks();
    const word = this.word();
    this.expectReserved('in');
    const arms: { patterns: Word[]; body: List }[] = [];
    for (;;) {
      this.skipBlanks(true);
      if (this.peekWordText() === 'esac') {
        this.pos += 4;
        break;
      }
      if (this.src[this.pos] === '(') this.pos++;
      const patterns: Word[] = [];
      for (;;) {
        this.skipBlanks();
        patterns.push(this.word());
        this.skipBlanks();
        if (this.src[this.pos] === '|') this.pos++;
        else break;
      }
      if (this.src[this.pos] !== ')') throw this.unexpected();
      this.pos++;
      const body = this.list(['esac']);
      arms.push({ patterns, body });
      this.skipBlanks(true);
      if (this.src.startsWith(';;', this.pos)) this.pos += 2;
    }
    return { t: 'case', word, arms, redirects: [] };
  }

  /** Redirections after a command: `>f`, `>>f`, `<f`, `2>f`, `2>&1`, `>&2`, `&>f` (bash). */
  redirect(): Redirect | undefined {
    this.skipBlanks();
    const s = this.src;
    let i = this.pos;
    let fd: number | undefined;
    while (i < s.length && s[i] >= '0' && s[i] <= '9') i++;
    if (i > this.pos) fd = Number(s.slice(this.pos, i));
    const ch = s[i];
    if (ch !== '>' && ch !== '<' && !(ch === '&' && s[i + 1] === '>' && fd === undefined)) return undefined;
    let op: Redirect['op'];
    if (ch === '&') {
      // bash's &>file: both streams
      this.pos = i + 2;
      this.skipBlanks();
      return { fd: -1, op: '>', target: this.word() };
    }
    if (s.startsWith('>>', i)) [op, i] = ['>>', i + 2];
    else if (s.startsWith('>&', i) || s.startsWith('<&', i)) [op, i] = ['>&', i + 2];
    else if (s.startsWith('<<', i)) [op, i] = ['<<', i + 2];
    else if (s.startsWith('>|', i)) [op, i] = ['>', i + 2];
    else [op, i] = [ch === '>' ? '>' : '<', i + 1];
    this.pos = i;
    this.skipBlanks();
    const target = this.word();
    if (!target.parts.length) throw this.unexpected();
    if (op === '<<') return { fd: fd ?? 0, op, target: this.hereDoc(target) };
    return { fd: fd ?? (op === '<' ? 0 : 1), op, target };
  }

  /** A here-document's body (the lines after the command up to the delimiter line), as a literal word. */
  hereDoc(delimiter: Word): Word {
    const delim = delimiter.parts.map((p) => (p.t === 'lit' ? p.v : '')).join('');
    const s = this.src;
    let nl = s.indexOf('\n', this.pos);
    if (nl < 0) return { parts: [{ t: 'lit', v: '', q: true }] };
    // the rest of the command line stays where it is: the body is cut out of the source
    const lineEnd = nl;
    const lines: string[] = [];
    let i = nl + 1;
    for (;;) {
      nl = s.indexOf('\n', i);
      const line = s.slice(i, nl < 0 ? s.length : nl);
      if (line.replace(/^\t+/, '') === delim || nl < 0) {
        if (line.replace(/^\t+/, '') !== delim) lines.push(line);
        const end = nl < 0 ? s.length : nl;
        this.src = s.slice(0, lineEnd) + s.slice(end);
        break;
      }
      lines.push(line);
      i = nl + 1;
    }
    return { parts: [{ t: 'lit', v: lines.map((l) => `${l}\n`).join(''), q: true }] };
  }

  redirects(into: Redirect[]): void {
    for (let r = this.redirect(); r; r = this.redirect()) into.push(r);
  }

  simple(): Command {
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      this.skipBlanks();
      const r = this.redirect();
      if (r) {
        redirects.push(r);
        continue;
      }
      const c = this.src[this.pos];
      if (c === undefined || METACHARS.has(c)) {
        // `name() { …; }`: a function definition
        if (c === '(' && words.length === 1 && this.src[this.pos + 1] === ')') {
          const name = literalText(words[0]);
          if (name && NAME.test(name)) {
            this.pos += 2;
            this.skipBlanks(true);
            return { t: 'func', name, body: this.command(), redirects: [] };
          }
        }
        break;
      }
      if (!words.length) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(this.src.slice(this.pos, this.pos + 200));
        if (m) {
          this.pos += m[0].length;
          assigns.push({ name: m[1], value: this.word() });
          continue;
        }
      }
      words.push(this.word());
    }
    if (!words.length && !assigns.length && !redirects.length) throw this.unexpected();
    return { t: 'simple', assigns, words, redirects };
  }

  /** One word, up to an unquoted metacharacter. */
  word(): Word {
    const parts: WordPart[] = [];
    const s = this.src;
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ t: 'lit', v: lit, q: false });
      lit = '';
    };
    while (this.pos < s.length) {
      const c = s[this.pos];
      if (METACHARS.has(c)) break;
      if (c === "'") {
        const end = s.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
        flush();
        parts.push({ t: 'lit', v: s.slice(this.pos + 1, end), q: true });
        this.pos = end + 1;
      } else if (c === '"') {
        flush();
        this.pos++;
        parts.push(...this.doubleQuoted());
      } else if (c === '\\') {
        if (s[this.pos + 1] === '\n') this.pos += 2;
        else {
          flush();
          parts.push({ t: 'lit', v: s[this.pos + 1] ?? '', q: true });
          this.pos += 2;
        }
      } else if (c === '$' || c === '`') {
        const part = this.dollar(false);
        if (part) {
          flush();
          parts.push(part);
        } else {
          lit += c;
          this.pos++;
        }
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush();
    return { parts };
  }

  doubleQuoted(): WordPart[] {
    const parts: WordPart[] = [];
    const s = this.src;
    let lit = '';
    for (;;) {
      if (this.pos >= s.length) throw new ShellSyntaxError('syntax error: unterminated quoted string');
      const c = s[this.pos];
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\' && '$`"\\\n'.includes(s[this.pos + 1] ?? '')) {
        if (s[this.pos + 1] !== '\n') lit += s[this.pos + 1];
        this.pos += 2;
      } else if (c === '$' || c === '`') {
        const part = this.dollar(true);
        if (part) {
          if (lit) parts.push({ t: 'lit', v: lit, q: true });
          lit = '';
          parts.push(part);
        } else {
          lit += c;
          this.pos++;
        }
      } else {
        lit += c;
        this.pos++;
      }
    }
    // "" is an empty field, not none
    if (lit || !parts.length) parts.push({ t: 'lit', v: lit, q: true });
    return parts;
  }

  /** `$name`, `${…}`, `$(…)`, `$((…))`, `` `…` ``, `$?` and the other special parameters; undefined for a lone `$`. */
  dollar(q: boolean): WordPart | undefined {
    const s = this.src;
    if (s[this.pos] === '`') {
      const end = s.indexOf('`', this.pos + 1);
      if (end < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
      const inner = s.slice(this.pos + 1, end).replace(/\\([$`\\])/g, '$1');
      this.pos = end + 1;
      return { t: 'cmd', list: parseScript(inner), q };
    }
    const next = s[this.pos + 1];
    if (next === '(' && s[this.pos + 2] === '(') {
      // arithmetic: up to the matching ))
      let depth = 0;
      let i = this.pos + 3;
      for (; i < s.length; i++) {
        if (s[i] === '(') depth++;
        else if (s[i] === ')') {
          if (depth === 0 && s[i + 1] === ')') break;
          depth--;
        }
      }
      if (i >= s.length) throw new ShellSyntaxError('syntax error: missing "))"');
      const inner = new Parser(s.slice(this.pos + 3, i)).wordUntilEnd();
      this.pos = i + 2;
      return { t: 'arith', expr: inner, q };
    }
    if (next === '(') {
      this.pos += 2;
      const list = this.list([]);
      this.skipBlanks(true);
      if (s[this.pos] !== ')') throw new ShellSyntaxError('syntax error: unterminated command substitution');
      this.pos++;
      return { t: 'cmd', list, q };
    }
    if (next === '{') {
      const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?#$!@*-])/.exec(s.slice(this.pos + 2));
      const hash = !m || (s[this.pos + 2] === '#' && /^#[A-Za-z_0-9]/.test(s.slice(this.pos + 2)));
      if (hash) {
        // ${#name}: the length
        const m2 = /^#([A-Za-z_][A-Za-z0-9_]*|[0-9]+)\}/.exec(s.slice(this.pos + 2));
        if (!m2) throw new ShellSyntaxError('syntax error: bad substitution');
        this.pos += 2 + m2[0].length;
        return { t: 'param', name: m2[1], op: '#len', q };
      }
      let i = this.pos + 2 + m[0].length;
      if (s[i] === '}') {
        this.pos = i + 1;
        return { t: 'param', name: m[1], q };
      }
      const op = /^(:?[-=+?]|##|#|%%|%)/.exec(s.slice(i));
      if (!op) throw new ShellSyntaxError('syntax error: bad substitution');
      i += op[0].length;
      // the operand: a word up to the matching }
      const sub = new Parser(s);
      sub.pos = i;
      const arg = sub.wordUntil('}');
      this.pos = sub.pos + 1;
      return { t: 'param', name: m[1], op: op[0], arg, q };
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?#$!@*-])/.exec(s.slice(this.pos + 1));
    if (!m) return undefined;
    this.pos += 1 + m[0].length;
    return { t: 'param', name: m[1], q };
  }

  /** A word that may contain blanks, up to `end` (the operand of `${x:-a b}`). */
  wordUntil(end: string): Word {
    const parts: WordPart[] = [];
    const s = this.src;
    let lit = '';
    while (this.pos < s.length && s[this.pos] !== end) {
      const c = s[this.pos];
      if (c === '"') {
        if (lit) parts.push({ t: 'lit', v: lit, q: false });
        lit = '';
        this.pos++;
        parts.push(...this.doubleQuoted());
      } else if (c === "'") {
        const close = s.indexOf("'", this.pos + 1);
        if (close < 0) throw new ShellSyntaxError('syntax error: unterminated quoted string');
        if (lit) parts.push({ t: 'lit', v: lit, q: false });
        lit = '';
        parts.push({ t: 'lit', v: s.slice(this.pos + 1, close), q: true });
        this.pos = close + 1;
      } else if (c === '$' || c === '`') {
        const part = this.dollar(false);
        if (part) {
          if (lit) parts.push({ t: 'lit', v: lit, q: false });
          lit = '';
          parts.push(part);
        } else {
          lit += c;
          this.pos++;
        }
      } else {
        lit += c;
        this.pos++;
      }
    }
    if (this.pos >= s.length) throw new ShellSyntaxError('syntax error: bad substitution');
    if (lit) parts.push({ t: 'lit', v: lit, q: false });
    return { parts };
  }

  /** The whole source as one word (the inside of `$((…))`). */
  wordUntilEnd(): Word {
    return new Parser(`${this.src}\u0000`).wordUntil('\u0000');
  }
}

/** A word's text when it is all literal (unquoted or quoted), else undefined. */
export function literalText(word: Word): string | undefined {
  let out = '';
  for (const p of word.parts) {
    if (p.t !== 'lit') return undefined;
    out += p.v;
  }
  return out;
}
