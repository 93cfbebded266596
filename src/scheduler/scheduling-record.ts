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
 * (a third of the encoding's cost at 500 nodes: base64 needs no escaping). The scored nodes
 * are left out: they are always the evaluated nodes that passed, in order.
 */
export function compactRecordText(record: CycleRecord): string {
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

/** The last list of plugin names quoted, and its JSON. */
interface QuotedList {
  list: string[];
  text: string;
}
const filterPluginsText: QuotedList = { list: [], text: '[]' };
const scorePluginsText: QuotedList = { list: [], text: '[]' };

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
  }
  return last.text;
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
 * The evaluated nodes' names as encodeNamedRuns writes them (the same text): runs found
 * from the list's run ends, across the wrap from its last node to its first when they count on.
 */
export function encodeEvaluatedNames(record: CycleRecord): string {
  const { nodes, start, count } = record;
  const n = nodes.length;
  const ends = runEndsOf(nodes);
  let out = '';
  for (let k = 0; k < count;) {
    let at = start + k;
    if (at >= n) at -= n;
    const first = nodes[at].countedName;
    let length = 0;
    for (let x = at; ; x = 0) {
      const end = ends[x];
      length += end - x;
      if (k + length >= count) {
        length = count - k;
        break;
      }
      if (end < n || !follows(nodes[n - 1].countedName, nodes[0].countedName)) break;
    }
    if (out) out += ',';
    if (first && length > 2) out += `${first[0]}[${first[1]}-${first[1] + length - 1}]`;
    else for (let i = 0; i < length; i++) out += i ? `,${evaluatedNode(record, k + i).name}` : evaluatedNode(record, k).name;
    k += length;
  }
  return out;
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
