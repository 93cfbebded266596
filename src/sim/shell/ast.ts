/**
 * The syntax tree of the POSIX shell subset kubesim interprets (what container manifests use):
 * lists with `;`/`&`/newlines, `&&`/`||`, pipelines, simple commands with assignments and
 * redirections, `if`/`while`/`until`/`for`/`case`, `{ …; }` and `( … )` groups, functions.
 */

/** A piece of a word: literal text, a parameter, a command substitution or arithmetic. `q`: inside double quotes (no field splitting). */
export type WordPart =
  | { t: 'lit'; v: string; q: boolean }
  | { t: 'param'; name: string; op?: string; arg?: Word; q: boolean }
  | { t: 'cmd'; list: List; q: boolean }
  | { t: 'arith'; expr: Word; q: boolean };

export interface Word {
  parts: WordPart[];
}

export interface Redirect {
  /** the file descriptor redirected (1 for `>`, 0 for `<`) */
  fd: number;
  op: '>' | '>>' | '<' | '>&' | '<<';
  target: Word;
}

export type Command =
  | { t: 'simple'; assigns: { name: string; value: Word }[]; words: Word[]; redirects: Redirect[] }
  | { t: 'if'; clauses: { cond: List; body: List }[]; otherwise?: List; redirects: Redirect[] }
  | { t: 'loop'; until: boolean; cond: List; body: List; redirects: Redirect[] }
  | { t: 'for'; name: string; items?: Word[]; body: List; redirects: Redirect[] }
  | { t: 'case'; word: Word; arms: { patterns: Word[]; body: List }[]; redirects: Redirect[] }
  | { t: 'group'; body: List; subshell: boolean; redirects: Redirect[] }
  | { t: 'func'; name: string; body: Command; redirects: Redirect[] };

export interface Pipeline {
  negate: boolean;
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
  background: boolean;
}

export interface List {
  items: AndOr[];
}
