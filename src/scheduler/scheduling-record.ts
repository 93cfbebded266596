import type { Pod } from '../model/kinds';
import { evaluatedNode, evaluatedNodes, type CycleRecord } from './scheduler';
import { constantOf } from './framework';
import type { NodeInfo } from './node-info';
import type { PerNode, SchedulingExplanation } from '../model/scheduling-explanation';
import {
  encodeWeightedScores,
  roundScores,
  RESULT_ANNOTATIONS,
  withExpandedRecord,
  type CountedName,
  type RoundedScores,
} from '../api/scheduling-annotations';

/** The facts of a cycle in the simulator's shape (its "passed" and string-typed scores). */
export function explanationOf(record: CycleRecord): SchedulingExplanation {
  const out: SchedulingExplanation = { preFilterStatus: {}, filter: {}, score: {}, finalScore: {}, selectedNode: record.selected ?? '' };
  if (record.preFilterRejected) out.preFilterStatus[record.preFilterRejected.plugin] = record.preFilterRejected.message();
  const evaluated = evaluatedNodes(record);
  for (const { node, status } of evaluated) {
    const verdicts: Record<string, string> = {};
    for (const plugin of record.filterPlugins) {
      if (status && plugin === status.plugin) {
        verdicts[plugin] = status.message();
        break;
      }
      verdicts[plugin] = 'passed';
    }
    out.filter[node.name] = verdicts;
  }
  if (record.scored) {
    const scores = record.scored;
    let i = 0;
    for (const { node, status } of evaluated) {
      if (status) continue;
      const raw: Record<string, string> = {};
      const final: Record<string, string> = {};
      scores.plugins.forEach((plugin, p) => {
        raw[plugin] = String(Math.round(scores.raw[p][i]));
        final[plugin] = String(Math.round(scores.normalized[p][i] * scores.weights[p]));
      });
      out.score[node.name] = raw;
      out.finalScore[node.name] = final;
      i++;
    }
  }
  return out;
}

/**
 * The compact record's JSON (CompactRecord, keys in its order), written straight from the
 * cycle's arrays: no object per node or plugin, and no JSON.stringify of the score columns
 * (base64 needs no escaping). The scored nodes are left out: they are always the evaluated nodes
 * that passed, in order. Written byte by byte into one buffer and read out as one string (see
 * writeRecord); compactRecordTextByParts when a text in it is not Latin-1.
 */
export function compactRecordText(record: CycleRecord): string {
  return writeRecord(record) ?? compactRecordTextByParts(record);
}

/**
 * compactRecordText put together from strings: the reference writeRecord writes the same bytes
 * as (a recorded cycle at 5,000 nodes made some 30 strings and objects here, most of them kept by
 * the text's rope until it was flattened: twice the bytes of the text, and a scavenge more in a
 * pass of 2,000 pods).
 */
export function compactRecordTextByParts(record: CycleRecord): string {
  const quote = JSON.stringify;
  const pre = record.preFilterRejected;
  let out = pre ? `{"pre":[${quote(pre.plugin)},${quote(pre.message())}],` : '{';
  out += `"filterPlugins":${quotedList(record.filterPlugins, filterPluginsText)},"nodes":${quote(encodeEvaluatedNames(record))},"rejected":[`;
  const rejected = record.rejected;
  let messages: Map<string, number> | undefined;
  for (let r = 0; r < rejected.length; r++) {
    const status = rejected[r];
    const message = status.message();
    messages ??= new Map();
    let m = messages.get(message);
    if (m === undefined) messages.set(message, (m = messages.size));
    const plugin = record.filterPlugins.indexOf(status.plugin);
    out += `${r ? ',' : ''}[${record.rejectedAt[r]},${plugin < 0 ? 0 : plugin},${m}]`;
  }
  out += `],"messages":${messages ? quote([...messages.keys()]) : '[]'}`;
  const scored = record.scored;
  if (!scored) return `${out},"scorePlugins":[],"raw":[],"final":[],"selected":${quote(record.selected ?? '')}}`;
  let raw = '';
  let final = '';
  for (let p = 0; p < scored.plugins.length; p++) {
    const rawScores = scored.raw[p];
    const normalized = scored.normalized[p];
    const bytes = scored.byNode?.[p];
    // (bytes are given only for a contiguous cycle: the raw column is then not scored)
    const rounded = bytes !== undefined ? roundedFromBytes(rawScores, bytes, record) : roundScores(rawScores, constantOf(rawScores));
    const rawColumn = rounded.encoded;
    const finalColumn = encodeWeightedScores(
      normalized,
      scored.weights[p],
      rounded,
      normalized === rawScores ? rounded : roundScores(normalized, constantOf(normalized)),
    );
    // (a column is a number, or base64 with a "b:" or "w:N:" prefix: nothing to escape)
    raw += `${p ? ',' : ''}${typeof rawColumn === 'number' ? rawColumn : `"${rawColumn}"`}`;
    final += `${p ? ',' : ''}${typeof finalColumn === 'number' ? finalColumn : `"${finalColumn}"`}`;
  }
  return `${out},"scorePlugins":${quotedList(scored.plugins, scorePluginsText)},"raw":[${raw}],"final":[${final}],"selected":${quote(record.selected ?? '')}}`;
}

/**
 * The record's text, Latin-1 (a byte a character), written into one buffer reused from cycle to
 * cycle and read out as one flat string: `at` bytes written so far.
 */
let out = Buffer.allocUnsafeSlow(8192);
let at = 0;

/** Room for n more bytes. */
function room(n: number): void {
  if (at + n <= out.length) return;
  const grown = Buffer.allocUnsafeSlow(Math.max(at + n, 2 * out.length));
  out.copy(grown, 0, 0, at);
  out = grown;
}

/** Text as it is; false (the record to be written by parts) when a character is past Latin-1. */
function putLatin1(text: string): boolean {
  const n = text.length;
  room(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return false;
    out[at++] = c;
  }
  return true;
}

/** A character of this file's texts. */
function putChar(c: number): void {
  room(1);
  out[at++] = c;
}

/** Bytes made once (this file's texts, a plugin list's JSON): copied, not a loop (4× faster at 200 bytes). */
function putBytes(bytes: Uint8Array): void {
  room(bytes.length);
  out.set(bytes, at);
  at += bytes.length;
}

/** A text of this file as bytes (ASCII). */
function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const CLOSE = 0x5d;
const PRE = bytesOf('{"pre":[');
const PRE_END = bytesOf('],');
const FILTER_PLUGINS = bytesOf('{"filterPlugins":');
const NODES = bytesOf(',"nodes":');
const REJECTED = bytesOf(',"rejected":[');
const MESSAGES = bytesOf('],"messages":[');
const NOT_SCORED_END = bytesOf(',"scorePlugins":[],"raw":[],"final":[],"selected":');
const SCORE_PLUGINS = bytesOf(',"scorePlugins":');
const RAW = bytesOf(',"raw":[');
const BYTES_COLUMN = bytesOf('"b:');
const FINAL = bytesOf('],"final":[');
const WEIGHTED = bytesOf('"w:');
const SELECTED = bytesOf('],"selected":');

/** JSON.stringify(text) without its quotes; false when that is not Latin-1. */
function putEscaped(text: string): boolean {
  const n = text.length;
  room(n);
  const from = at;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // (control characters, '"', '\\' are escaped, characters past Latin-1 not written here)
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0xff) {
      at = from;
      const quoted = JSON.stringify(text);
      return putLatin1(quoted.slice(1, quoted.length - 1));
    }
    out[at++] = c;
  }
  return true;
}

/** JSON.stringify(text); false when that is not Latin-1. */
function putQuoted(text: string): boolean {
  putChar(QUOTE);
  if (!putEscaped(text)) return false;
  putChar(QUOTE);
  return true;
}

/** String(value). */
function putNumber(value: number): void {
  if (!Number.isSafeInteger(value)) {
    putLatin1(String(value));
    return;
  }
  // (−0 is written "0", as String writes it)
  let v = value;
  if (v < 0) {
    putChar(0x2d);
    v = -v;
  }
  let digits = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
  room(digits);
  for (let i = at + digits - 1; i >= at; i--) {
    out[i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  at += digits;
}

/** A column as the record writes it: a number, or a string (base64 and prefixes: nothing to escape). */
function putColumn(column: number | string): boolean {
  if (typeof column === 'number') {
    putNumber(column);
    return true;
  }
  putChar(QUOTE);
  if (!putLatin1(column)) return false;
  putChar(QUOTE);
  return true;
}

/** How a plugin's final column is written, worked out with its raw column (writeRecord). */
const FINAL_NUMBER = 0;
/** "w:WEIGHT": the raw column times the weight */
const FINAL_WEIGHTED = 1;
const FINAL_COLUMN = 2;
let finalKind = new Uint8Array(16);
let finalNumber = new Float64Array(16);
const finalColumn: (number | string)[] = [];

/**
 * compactRecordText written into the buffer: the texts (names, messages) as they are when they
 * need no escaping, numbers digit by digit, a scorer's bytes (ScoreRecord.byNode) as base64 and a
 * shared constant column as its number, with no string or object per column; other columns
 * encoded as compactRecordTextByParts encodes them. Undefined when a text is not Latin-1.
 */
function writeRecord(record: CycleRecord): string | undefined {
  at = 0;
  const pre = record.preFilterRejected;
  if (pre) {
    putBytes(PRE);
    if (!putQuoted(pre.plugin)) return undefined;
    putChar(COMMA);
    if (!putQuoted(pre.message())) return undefined;
    putBytes(PRE_END);
    putBytes(FILTER_PLUGINS.subarray(1));
  } else putBytes(FILTER_PLUGINS);
  const filterPlugins = quotedListBytes(record.filterPlugins, filterPluginsText);
  if (filterPlugins === undefined) return undefined;
  putBytes(filterPlugins);
  putBytes(NODES);
  if (!putEvaluatedNames(record)) return undefined;
  putBytes(REJECTED);
  const rejected = record.rejected;
  let messages: Map<string, number> | undefined;
  for (let r = 0; r < rejected.length; r++) {
    const status = rejected[r];
    const message = status.message();
    messages ??= new Map();
    let m = messages.get(message);
    if (m === undefined) messages.set(message, (m = messages.size));
    const plugin = record.filterPlugins.indexOf(status.plugin);
    if (r) putChar(COMMA);
    putChar(0x5b);
    putNumber(record.rejectedAt[r]);
    putChar(COMMA);
    putNumber(plugin < 0 ? 0 : plugin);
    putChar(COMMA);
    putNumber(m);
    putChar(CLOSE);
  }
  putBytes(MESSAGES);
  if (messages) {
    let first = true;
    for (const message of messages.keys()) {
      if (!first) putChar(COMMA);
      first = false;
      if (!putQuoted(message)) return undefined;
    }
  }
  putChar(CLOSE);
  const scored = record.scored;
  if (!scored) {
    putBytes(NOT_SCORED_END);
    if (!putQuoted(record.selected ?? '')) return undefined;
    putChar(0x7d);
    return out.toString('latin1', 0, at);
  }
  putBytes(SCORE_PLUGINS);
  const scorePlugins = quotedListBytes(scored.plugins, scorePluginsText);
  if (scorePlugins === undefined) return undefined;
  putBytes(scorePlugins);
  putBytes(RAW);
  const plugins = scored.plugins.length;
  if (finalKind.length < plugins) {
    finalKind = new Uint8Array(2 * plugins);
    finalNumber = new Float64Array(2 * plugins);
  }
  for (let p = 0; p < plugins; p++) {
    if (p) putChar(COMMA);
    const rawScores = scored.raw[p];
    const normalized = scored.normalized[p];
    const weight = scored.weights[p];
    const bytes = scored.byNode?.[p];
    // (what compactRecordTextByParts writes of such columns, without its RoundedScores)
    if (bytes !== undefined && normalized === rawScores && Number.isInteger(weight)) {
      const first = sameByte(bytes, record);
      if (first >= 0) {
        putNumber(first);
        finalKind[p] = FINAL_NUMBER;
        finalNumber[p] = first * weight;
      } else {
        putBytes(BYTES_COLUMN);
        putBase64(bytes, record);
        putChar(QUOTE);
        finalKind[p] = FINAL_WEIGHTED;
      }
      continue;
    }
    const every = bytes === undefined ? constantOf(rawScores) : undefined;
    const everyNormalized = normalized === rawScores ? every : constantOf(normalized);
    if (
      every !== undefined &&
      everyNormalized !== undefined &&
      Math.round(everyNormalized) === everyNormalized &&
      Number.isInteger(weight)
    ) {
      putNumber(Math.round(every));
      finalKind[p] = FINAL_NUMBER;
      finalNumber[p] = everyNormalized * weight;
      continue;
    }
    const rounded = bytes !== undefined ? roundedFromBytes(rawScores, bytes, record) : roundScores(rawScores, every);
    if (!putColumn(rounded.encoded)) return undefined;
    finalKind[p] = FINAL_COLUMN;
    finalColumn[p] = encodeWeightedScores(
      normalized,
      weight,
      rounded,
      normalized === rawScores ? rounded : roundScores(normalized, constantOf(normalized)),
    );
  }
  putBytes(FINAL);
  for (let p = 0; p < plugins; p++) {
    if (p) putChar(COMMA);
    const kind = finalKind[p];
    if (kind === FINAL_NUMBER) putNumber(finalNumber[p]);
    else if (kind === FINAL_WEIGHTED) {
      putBytes(WEIGHTED);
      putNumber(scored.weights[p]);
      putChar(QUOTE);
    } else if (!putColumn(finalColumn[p])) return undefined;
  }
  if (finalColumn.length) finalColumn.fill(0);
  putBytes(SELECTED);
  if (!putQuoted(record.selected ?? '')) return undefined;
  putChar(0x7d);
  return out.toString('latin1', 0, at);
}

/**
 * The byte every scored node has in a scorer's bytes (see roundedFromBytes), or −1 when they
 * differ.
 */
function sameByte(bytes: Uint8Array, record: CycleRecord): number {
  const { start, count } = record;
  const n = record.nodes.length;
  const first = count ? bytes[start] : 0;
  for (let k = 1, at = start + 1; k < count; k++, at++) {
    if (at === n) at = 0;
    if (bytes[at] !== first) return -1;
  }
  return first;
}

/** The scored nodes' bytes as base64, as roundedFromBytes encodes them (Buffer's: a third of a loop's time here). */
function putBase64(bytes: Uint8Array, record: CycleRecord): void {
  const { start, count } = record;
  const n = record.nodes.length;
  let column: Buffer;
  if (start + count <= n) column = Buffer.from(bytes.buffer, bytes.byteOffset + start, count);
  else {
    if (wrapped.length < count) wrapped = Buffer.alloc(Math.max(count, 2 * wrapped.length));
    wrapped.set(bytes.subarray(start, n), 0);
    wrapped.set(bytes.subarray(0, count - (n - start)), n - start);
    column = wrapped.subarray(0, count);
  }
  const text = column.toString('base64');
  room(text.length);
  at += out.write(text, at, 'latin1');
}

/** Where a wrapped range of a scorer's bytes is put together (one buffer reused). */
let wrapped = Buffer.alloc(512);

/**
 * roundScores of the scored nodes' column from a scorer's bytes by node index (PodScorer.byNode,
 * whole scores 0–255), for a cycle that evaluated the snapshot's nodes and rejected none: the
 * scored nodes are then the evaluated ones, `count` from `start` on, wrapping past the end. The
 * same encoding (one number when every node got the same, else "b:" and base64 of the bytes),
 * looking at bytes only until one differs instead of rounding every score.
 */
function roundedFromBytes(values: Float64Array, bytes: Uint8Array, record: CycleRecord): RoundedScores {
  const { start, count } = record;
  const n = record.nodes.length;
  const first = count ? bytes[start] : 0;
  let same = true;
  for (let k = 1, at = start + 1; k < count; k++, at++) {
    if (at === n) at = 0;
    if (bytes[at] !== first) {
      same = false;
      break;
    }
  }
  if (same) return { values, encoded: first, integral: true };
  let column: Buffer;
  if (start + count <= n) column = Buffer.from(bytes.buffer, bytes.byteOffset + start, count);
  else {
    if (wrapped.length < count) wrapped = Buffer.alloc(Math.max(count, 2 * wrapped.length));
    wrapped.set(bytes.subarray(start, n), 0);
    wrapped.set(bytes.subarray(0, count - (n - start)), n - start);
    column = wrapped.subarray(0, count);
  }
  return { values, encoded: `b:${column.toString('base64')}`, integral: true };
}

/** The last list of plugin names quoted, and its JSON (and that as Latin-1 bytes, when it is). */
interface QuotedList {
  list: string[];
  text: string;
  bytes: Uint8Array | undefined;
}
const filterPluginsText: QuotedList = { list: [], text: '[]', bytes: bytesOf('[]') };
const scorePluginsText: QuotedList = { list: [], text: '[]', bytes: bytesOf('[]') };

/**
 * JSON.stringify(list), kept from the last cycle's list when this one names the same plugins
 * (a cycle's lists are arrays of its own, but of one profile's names: nearly always the same
 * as the last cycle's; stringifying 7 names was a tenth of the record's cost).
 */
function quotedList(list: readonly string[], last: QuotedList): string {
  const kept = last.list;
  let same = kept.length === list.length;
  for (let i = 0; same && i < list.length; i++) same = kept[i] === list[i];
  if (!same) {
    last.list = list.slice();
    last.text = JSON.stringify(list);
    last.bytes = /^[\0-\xff]*$/.test(last.text) ? Uint8Array.from(last.text, (c) => c.charCodeAt(0)) : undefined;
  }
  return last.text;
}

/** quotedList's text as Latin-1 bytes; undefined when it is not Latin-1. */
function quotedListBytes(list: readonly string[], last: QuotedList): Uint8Array | undefined {
  quotedList(list, last);
  return last.bytes;
}

/** Whether name b comes right after a in a run ("node-7", "node-8"). */
function follows(a: CountedName, b: CountedName): boolean {
  return a !== null && b !== null && b[1] === a[1] + 1 && a[0] === b[0];
}

/**
 * For each position of a node list, where the run of counting names through it ends
 * (exclusive): found once per list (the snapshot's, shared by every cycle of a pass), so a
 * cycle's 500 evaluated names are written in a few steps.
 */
const runEnds = new WeakMap<readonly NodeInfo[], Int32Array>();

function runEndsOf(nodes: readonly NodeInfo[]): Int32Array {
  let ends = runEnds.get(nodes);
  // (a snapshot's node list does not change during its pass; a list that grew or shrank is looked at again)
  if (!ends || ends.length !== nodes.length) {
    const n = nodes.length;
    ends = new Int32Array(n);
    let next = n > 0 ? nodes[n - 1].countedName : null;
    if (n > 0) ends[n - 1] = n;
    for (let i = n - 2; i >= 0; i--) {
      const c = nodes[i].countedName;
      ends[i] = follows(c, next) ? ends[i + 1] : i + 1;
      next = c;
    }
    runEnds.set(nodes, ends);
  }
  return ends;
}

/**
 * The evaluated nodes' runs of counted names, in order: each its first node's counted name, its
 * place among the evaluated nodes and its length; runs found from the list's run ends, across the
 * wrap from its last node to its first when they count on. Stops when `visit` returns false.
 */
function eachEvaluatedRun(record: CycleRecord, visit: (first: CountedName, k: number, length: number) => boolean): boolean {
  const { nodes, start, count } = record;
  const n = nodes.length;
  const ends = runEndsOf(nodes);
  for (let k = 0; k < count;) {
    let pos = start + k;
    if (pos >= n) pos -= n;
    const first = nodes[pos].countedName;
    let length = 0;
    for (let x = pos; ; x = 0) {
      const end = ends[x];
      length += end - x;
      if (k + length >= count) {
        length = count - k;
        break;
      }
      if (end < n || !follows(nodes[n - 1].countedName, nodes[0].countedName)) break;
    }
    if (!visit(first, k, length)) return false;
    k += length;
  }
  return true;
}

/** The evaluated nodes' names as encodeNamedRuns writes them (the same text). */
export function encodeEvaluatedNames(record: CycleRecord): string {
  let out = '';
  eachEvaluatedRun(record, (first, k, length) => {
    if (out) out += ',';
    if (first && length > 2) out += `${first[0]}[${first[1]}-${first[1] + length - 1}]`;
    else for (let i = 0; i < length; i++) out += i ? `,${evaluatedNode(record, k + i).name}` : evaluatedNode(record, k).name;
    return true;
  });
  return out;
}

/** JSON.stringify(encodeEvaluatedNames(record)), written piece by piece; false when that is not Latin-1. */
function putEvaluatedNames(record: CycleRecord): boolean {
  putChar(QUOTE);
  const from = at;
  const written = eachEvaluatedRun(record, (first, k, length) => {
    // (as encodeEvaluatedNames: a comma once anything is written)
    if (at > from) putChar(COMMA);
    if (first && length > 2) {
      if (!putEscaped(first[0])) return false;
      putChar(0x5b);
      putNumber(first[1]);
      putChar(0x2d);
      putNumber(first[1] + length - 1);
      putChar(CLOSE);
    } else
      for (let i = 0; i < length; i++) {
        if (i) putChar(COMMA);
        if (!putEscaped(evaluatedNode(record, k + i).name)) return false;
      }
    return true;
  });
  if (!written) return false;
  putChar(QUOTE);
  return true;
}

/** An explanation recorded on a pod when it was scheduled (`cluster create --record-scheduling`), if any. */
export function recordedExplanation(pod: Pod): SchedulingExplanation | undefined {
  const a = withExpandedRecord(pod).metadata.annotations ?? {};
  if (a[RESULT_ANNOTATIONS.filter] === undefined) return undefined;
  const parse = (key: string) => {
    try {
      const v = JSON.parse(a[key] ?? '{}') as unknown;
      return v && typeof v === 'object' ? (v as PerNode) : {};
    } catch {
      return {};
    }
  };
  return {
    preFilterStatus: parse(RESULT_ANNOTATIONS.preFilterStatus) as unknown as Record<string, string>,
    filter: parse(RESULT_ANNOTATIONS.filter),
    score: parse(RESULT_ANNOTATIONS.score),
    finalScore: parse(RESULT_ANNOTATIONS.finalScore),
    selectedNode: a[RESULT_ANNOTATIONS.selectedNode] ?? '',
  };
}
