import {
  CelScalar,
  celFunc,
  celList,
  celMap,
  celMethod,
  isCelList,
  isCelMap,
  isCelUint,
  listType,
  objectType,
  type CelFunc,
  type CelValue,
} from '@bufbuild/cel';
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label, FieldDescriptorProto_Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';

/**
 * CEL's optional values (cel-go's `cel.OptionalTypes()`, in kube's base environment since v1.29):
 * the syntax `a.?b`, `a[?k]`, `[?x, y]`, `{?k: v}` and the library `optional.of(x)`,
 * `optional.none()`, `optional.ofNonZeroValue(x)`, `.hasValue()`, `.value()`, `.orValue(v)`, `.or(o)`.
 *
 * @bufbuild/cel neither parses the syntax nor has an optional type, so:
 * - `desugarOptionals` rewrites the syntax, before parsing, into calls of internal functions
 *   (`a.?b` → `a._optSelect("b")`), keeping a map back to the source for error positions; once a
 *   member chain has gone optional, cel-go keeps it optional (`a.?b.c` is none when `b` is absent),
 *   so the plain selections and indexes after it are rewritten too;
 * - an optional value is a protobuf message `kubesim.Optional` (the only kind of value type
 *   @bufbuild/cel can add), its inner value held beside it in a WeakMap. The message's `key` makes
 *   `optional.of(1) == optional.of(1)` hold for scalars, as cel-go's Optional.Equal does.
 */

const FILE = create(FileDescriptorProtoSchema, {
  name: 'kubesim/optional.proto',
  package: 'kubesim',
  syntax: 'proto3',
  messageType: [
    {
      name: 'Optional',
      field: [
        {
          name: 'present',
          jsonName: 'present',
          number: 1,
          type: FieldDescriptorProto_Type.BOOL,
          label: FieldDescriptorProto_Label.OPTIONAL,
        },
        { name: 'key', jsonName: 'key', number: 2, type: FieldDescriptorProto_Type.STRING, label: FieldDescriptorProto_Label.OPTIONAL },
      ],
    },
  ],
});
export const OPTIONAL_MESSAGE: DescMessage = createFileRegistry(FILE, () => undefined).getMessage('kubesim.Optional')!;
export const OPTIONAL_TYPE = objectType(OPTIONAL_MESSAGE);

const { STRING, BOOL, DYN } = CelScalar;

const inner = new WeakMap<object, CelValue>();
let unique = 0;

/** A scalar's identity for equality; a list, map or message gets a fresh key (compared by identity). */
function keyOf(v: CelValue): string {
  if (typeof v === 'bigint') return `i${v}`;
  if (typeof v === 'number') return `d${v}`;
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'boolean') return `b${v}`;
  if (v === null) return 'n';
  if (isCelUint(v)) return `u${v.value}`;
  return `#${++unique}`;
}

export function optionalOf(v: CelValue): CelValue {
  const m = create(OPTIONAL_MESSAGE, { present: true, key: keyOf(v) } as never);
  inner.set(m, v);
  return m as never;
}

export function optionalNone(): CelValue {
  return create(OPTIONAL_MESSAGE, { present: false, key: '' } as never) as never;
}

function messageOf(v: unknown): object | undefined {
  if (isReflectMessage(v) && v.desc.typeName === OPTIONAL_MESSAGE.typeName) return v.message;
  if (v && typeof v === 'object' && (v as { $typeName?: string }).$typeName === OPTIONAL_MESSAGE.typeName) return v;
  return undefined;
}

export function isOptional(v: unknown): boolean {
  return messageOf(v) !== undefined;
}

/** The inner value of an optional, undefined when it is none. */
export function optionalValue(v: unknown): CelValue | undefined {
  const m = messageOf(v);
  return m ? inner.get(m) : undefined;
}

/**
 * A binding that CEL sees as an optional: a rule's `oldSelf` under optionalOldSelf is
 * optional.of(the old value), or optional.none() when there is none (on create).
 */
export class OptionalBinding {
  constructor(readonly value: unknown) {}
}

/** An input value (maps as Map, lists as arrays) as the CEL value inside an optional. */
export function optionalFromInput(input: unknown): CelValue {
  const toValue = (v: unknown): CelValue => {
    if (v instanceof Map) return celMap(new Map([...v].map(([k, x]) => [k, toValue(x)])) as never);
    if (Array.isArray(v)) return celList(v.map(toValue) as never);
    return v as CelValue;
  };
  return input === undefined ? optionalNone() : optionalOf(toValue(input));
}

const noSuchKey = (key: unknown) => new Error(`no such key: ${String(key)}`);

/** `v.?name` / `v[?key]` on a map or list (cel-go's optional qualifiers): the value if present, else none. */
function qualifyOptional(v: CelValue, key: CelValue): CelValue {
  if (isOptional(v)) {
    const x = optionalValue(v);
    return x === undefined ? v : qualifyOptional(x, key);
  }
  if (isCelMap(v)) {
    const k = key as string;
    return v.has(k) ? optionalOf(v.get(k)!) : optionalNone();
  }
  if (isCelList(v)) {
    const i = typeof key === 'bigint' ? Number(key) : typeof key === 'number' && Number.isInteger(key) ? key : NaN;
    if (Number.isNaN(i)) throw new Error('unsupported index type');
    return i >= 0 && i < v.size ? optionalOf(v.get(i)!) : optionalNone();
  }
  if (isReflectMessage(v) && typeof key === 'string') {
    const field = v.desc.fields.find((f) => f.name === key);
    if (!field) throw noSuchKey(key);
    return v.isSet(field) ? optionalOf(v.get(field) as CelValue) : optionalNone();
  }
  throw new Error('no such overload');
}

/** A plain `.name` or `[key]` after an optional step in the same chain: none stays none, a value is selected as usual. */
function qualifyWithin(v: CelValue, key: CelValue): CelValue {
  if (!isOptional(v)) return qualifyPlain(v, key);
  const x = optionalValue(v);
  return x === undefined ? v : optionalOf(qualifyPlain(x, key));
}

function qualifyPlain(v: CelValue, key: CelValue): CelValue {
  const found = optionalValue(qualifyOptional(v, key));
  if (found === undefined) {
    if (isCelList(v)) throw new Error(`index out of bounds: ${String(key)}`);
    throw noSuchKey(key);
  }
  return found;
}

/** CEL's zero values (optional.ofNonZeroValue). */
function isZero(v: CelValue): boolean {
  if (v === null || v === false || v === '' || v === 0 || v === 0n) return true;
  if (isCelUint(v)) return v.value === 0n;
  if (v instanceof Uint8Array) return v.length === 0;
  if (isCelList(v)) return v.size === 0;
  if (isCelMap(v)) return v.size === 0;
  return false;
}

export const OPT_SELECT = '_optSelect';
export const OPT_INDEX = '_optIndex';
export const OPT_FIELD = '_optField';
export const OPT_GET = '_optGet';
export const OPT_LIST = '_optList';
export const OPT_MAP = '_optMap';

/** Which entries of a literal were written with `?` (their positions). */
const positions = (indices: Iterable<CelValue>) => new Set([...indices].map((i) => Number(i)));

export const OPTIONAL_FUNCTIONS: CelFunc[] = [
  celFunc('optional.of', [DYN], OPTIONAL_TYPE, (v) => optionalOf(v) as never),
  celFunc('optional.none', [], OPTIONAL_TYPE, () => optionalNone() as never),
  celFunc('optional.ofNonZeroValue', [DYN], OPTIONAL_TYPE, (v) => (isZero(v) ? optionalNone() : optionalOf(v)) as never),
  celMethod('hasValue', OPTIONAL_TYPE, [], BOOL, function () {
    return optionalValue(this) !== undefined;
  }),
  celMethod('value', OPTIONAL_TYPE, [], DYN, function () {
    const v = optionalValue(this);
    // cel-go's OptionalNone.GetValue error
    if (v === undefined) throw new Error('optional.none() dereference');
    return v as never;
  }),
  celMethod('orValue', OPTIONAL_TYPE, [DYN], DYN, function (other) {
    return (optionalValue(this) ?? other) as never;
  }),
  celMethod('or', OPTIONAL_TYPE, [OPTIONAL_TYPE], OPTIONAL_TYPE, function (other) {
    return (optionalValue(this) !== undefined ? this : other) as never;
  }),
  celMethod(OPT_SELECT, DYN, [STRING], OPTIONAL_TYPE, function (name) {
    return qualifyOptional(this, name) as never;
  }),
  celMethod(OPT_INDEX, DYN, [DYN], OPTIONAL_TYPE, function (key) {
    return qualifyOptional(this, key) as never;
  }),
  celMethod(OPT_FIELD, DYN, [STRING], DYN, function (name) {
    return qualifyWithin(this, name) as never;
  }),
  celMethod(OPT_GET, DYN, [DYN], DYN, function (key) {
    return qualifyWithin(this, key) as never;
  }),
  // `[a, ?b]`: an optional element is left out when none and unwrapped when set
  celFunc(OPT_LIST, [listType(DYN), listType(DYN)], listType(DYN), (list, optionalIndices) => {
    const optional = positions(optionalIndices);
    const out: CelValue[] = [];
    let i = 0;
    for (const v of list) {
      if (!optional.has(i++)) out.push(v);
      else if (!isOptional(v)) throw new Error('no such overload');
      else if (optionalValue(v) !== undefined) out.push(optionalValue(v)!);
    }
    return celList(out as never) as never;
  }),
  // `{?k: v}`: the entry is left out when v is none
  celFunc(OPT_MAP, [DYN, listType(DYN)], DYN, (map, optionalIndices) => {
    if (!isCelMap(map)) throw new Error('no such overload');
    const optional = positions(optionalIndices);
    const out = new Map<never, CelValue>();
    let i = 0;
    for (const [k, v] of map) {
      if (!optional.has(i++)) out.set(k as never, v);
      else if (!isOptional(v)) throw new Error('no such overload');
      else if (optionalValue(v) !== undefined) out.set(k as never, optionalValue(v)!);
    }
    return celMap(out as never) as never;
  }),
];

interface Token {
  kind: 'space' | 'string' | 'number' | 'ident' | 'punct';
  text: string;
  pos: number;
}

/** CEL's lexemes, as far as telling strings, comments and identifiers from punctuation needs. */
function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const m =
      /^(\s+|\/\/[^\n]*)/.exec(rest) ??
      /^[rRbB]{0,2}("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\[\s\S]|[^"\\\n])*"|'(?:\\[\s\S]|[^'\\\n])*')/.exec(rest) ??
      /^(0x[0-9a-fA-F]+u?|\d+(\.\d+)?([eE][+-]?\d+)?[uU]?)/.exec(rest) ??
      /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (!m) {
      out.push({ kind: 'punct', text: src[i], pos: i });
      i++;
      continue;
    }
    const text = m[0];
    const kind = /^\s|^\/\//.test(text) ? 'space' : /^[rRbB]{0,2}["']/.test(text) ? 'string' : /^\d/.test(text) ? 'number' : 'ident';
    // a raw or bytes prefix not followed by a quote is an identifier
    out.push({ kind: kind === 'string' && !/["']/.test(text) ? 'ident' : kind, text, pos: i });
    i += text.length;
  }
  return out;
}

export interface Desugared {
  text: string;
  /** The source offset an offset of `text` came from. */
  toSource: (offset: number) => number;
}

/** Rewrites CEL's optional syntax into calls @bufbuild/cel parses; undefined when there is none. */
export function desugarOptionals(src: string): Desugared | undefined {
  const tokens = tokenize(src);
  if (!tokens.some((t) => t.kind === 'punct' && t.text === '?')) return undefined;
  const pieces: { text: string; pos: number }[] = [];
  const emit = (text: string, pos: number) => pieces.push({ text, pos });
  const next = (i: number) => {
    while (i < tokens.length && tokens[i].kind === 'space') i++;
    return i;
  };
  const isPunct = (i: number, text: string) => tokens[i]?.kind === 'punct' && tokens[i].text === text;
  const operandEnd = (t: Token | undefined) =>
    !!t && (t.kind === 'ident' || t.kind === 'string' || t.kind === 'number' || (t.kind === 'punct' && [')', ']', '}'].includes(t.text)));
  const CLOSE: Token = { kind: 'punct', text: ')', pos: 0 };

  /** A list or map literal from its opening bracket; returns the index after its closing one. */
  const literal = (i: number, close: string, wrapper: string | undefined): number => {
    const open = tokens[i];
    const body: { text: string; pos: number }[] = [];
    const saved = pieces.splice(0);
    const optional: number[] = [];
    let index = 0;
    i++;
    for (;;) {
      const j = next(i);
      for (let k = i; k < j; k++) emit(tokens[k].text, tokens[k].pos);
      i = j;
      if (i >= tokens.length || isPunct(i, close)) break;
      if (wrapper && isPunct(i, '?')) {
        optional.push(index);
        i++;
      }
      i = expression(i, [',', close]);
      index++;
      if (isPunct(i, ',')) {
        emit(',', tokens[i].pos);
        i++;
      }
    }
    body.push(...pieces.splice(0));
    pieces.push(...saved);
    const closing = tokens[i]?.pos ?? src.length;
    if (optional.length) emit(`${wrapper}(`, open.pos);
    emit(open.text, open.pos);
    pieces.push(...body);
    emit(close, closing);
    if (optional.length) emit(`, [${optional.join(', ')}])`, closing);
    return i + 1;
  };

  const group = (i: number, close: string, before: string, after: string): number => {
    emit(before, tokens[i].pos);
    i = expression(i + 1, [close]);
    emit(after, tokens[i]?.pos ?? src.length);
    return i + 1;
  };

  const expression = (i: number, stop: string[]): number => {
    let prev: Token | undefined;
    let chainOptional = false;
    while (i < tokens.length) {
      const t = tokens[i];
      if (t.kind === 'space') {
        emit(t.text, t.pos);
        i++;
        continue;
      }
      if (t.kind === 'punct' && stop.includes(t.text)) return i;
      if (t.kind === 'punct' && t.text === '.') {
        const j = next(i + 1);
        if (isPunct(j, '?') && tokens[next(j + 1)]?.kind === 'ident') {
          const name = tokens[next(j + 1)];
          emit(`.${OPT_SELECT}(${JSON.stringify(name.text)})`, t.pos);
          i = next(j + 1) + 1;
          chainOptional = true;
          prev = CLOSE;
          continue;
        }
        const isCall = tokens[j]?.kind === 'ident' && isPunct(next(j + 1), '(');
        if (chainOptional && tokens[j]?.kind === 'ident' && !isCall) {
          emit(`.${OPT_FIELD}(${JSON.stringify(tokens[j].text)})`, t.pos);
          i = j + 1;
          prev = CLOSE;
          continue;
        }
        if (isCall) chainOptional = false;
        emit(t.text, t.pos);
        prev = t;
        i++;
        continue;
      }
      if (t.kind === 'punct' && t.text === '[') {
        if (operandEnd(prev)) {
          const j = next(i + 1);
          if (isPunct(j, '?')) {
            emit(`.${OPT_INDEX}(`, t.pos);
            i = expression(j + 1, [']']);
            emit(')', tokens[i]?.pos ?? src.length);
            i++;
            chainOptional = true;
          } else i = chainOptional ? group(i, ']', `.${OPT_GET}(`, ')') : group(i, ']', '[', ']');
          prev = CLOSE;
          continue;
        }
        i = literal(i, ']', OPT_LIST);
        chainOptional = false;
        prev = CLOSE;
        continue;
      }
      if (t.kind === 'punct' && t.text === '{') {
        // `Type{field: v}` builds a message; `{k: v}` a map
        i = literal(i, '}', prev?.kind === 'ident' ? undefined : OPT_MAP);
        chainOptional = false;
        prev = CLOSE;
        continue;
      }
      if (t.kind === 'punct' && t.text === '(') {
        const isCall = prev?.kind === 'ident';
        i = group(i, ')', '(', ')');
        if (!isCall) chainOptional = false;
        prev = CLOSE;
        continue;
      }
      // an identifier after `.` continues the chain; anything else starts a new operand or is an operator
      if (!(t.kind === 'ident' && prev?.kind === 'punct' && prev.text === '.')) chainOptional = false;
      emit(t.text, t.pos);
      prev = t;
      i++;
    }
    return i;
  };

  expression(0, []);
  const starts: number[] = [];
  let text = '';
  for (const p of pieces) {
    starts.push(text.length);
    text += p.text;
  }
  return {
    text,
    toSource: (offset) => {
      let k = 0;
      while (k + 1 < starts.length && starts[k + 1] <= offset) k++;
      const p = pieces[k];
      if (!p) return offset;
      // inside a piece copied from the source, keep the distance; inside synthetic text, its source position
      return p.text === src.slice(p.pos, p.pos + p.text.length) ? p.pos + (offset - starts[k]) : p.pos;
    },
  };
}
