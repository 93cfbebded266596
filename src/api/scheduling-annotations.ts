import type { KObject } from '../model/objects';

/**
 * A recorded scheduling cycle (`cluster create --record-scheduling`) as it is kept on the pod,
 * and as it is served: kube-scheduler-simulator's annotations. A cycle at 5,000 nodes evaluates
 * ~500 of them, and the simulator's JSON maps of node → plugin → verdict or score come to ~200 KB
 * per pod; writing that at every cycle made recording cost ten times the cycle. The pod keeps one
 * compact annotation instead (node names once, scores as base64 Int32 arrays, only the rejections),
 * and the simulator's annotations are written out when the pod is read (the kind's `served`).
 */

/** kube-scheduler-simulator's annotation keys (simulator/scheduler/plugin/annotation), so its tools read kubesim's pods. */
export const RESULT_ANNOTATIONS = {
  preFilterStatus: 'kube-scheduler-simulator.sigs.k8s.io/prefilter-result-status',
  filter: 'kube-scheduler-simulator.sigs.k8s.io/filter-result',
  score: 'kube-scheduler-simulator.sigs.k8s.io/score-result',
  finalScore: 'kube-scheduler-simulator.sigs.k8s.io/finalscore-result',
  selectedNode: 'kube-scheduler-simulator.sigs.k8s.io/selected-node',
} as const;

/** The stored form: never served (the annotations above are served in its place). */
export const COMPACT_RECORD_ANNOTATION = 'sim.kubesim.io/scheduling-record';

export interface CompactRecord {
  /** the PreFilter rejection every node got: [plugin, message] */
  pre?: [string, string];
  /** the filter plugins that ran, in order */
  filterPlugins: string[];
  /** the evaluated nodes' names, in evaluation order, joined by "," (node names have none); runs written "node-[7-506]" */
  nodes: string;
  /** the nodes a filter rejected: [index in nodes, index in filterPlugins, index in messages] */
  rejected: [number, number, number][];
  /** the rejections' messages, each once */
  messages: string[];
  /** the score plugins, in order */
  scorePlugins: string[];
  /** the scored nodes' names, written as nodes; absent when they are the nodes that passed, in evaluation order (as they are unless a nominated node came first) */
  scored?: string;
  /**
   * rounded raw and weighted final scores, one column per score plugin: a number when every
   * scored node got it (most plugins, most cycles); "b:" and base64 bytes when each fits a
   * byte; else base64 of an Int32 little-endian array. A final column may also be "w:N" (the
   * raw column times the weight N) or "w:N:COLUMN" (the normalized column times N)
   */
  raw: (number | string)[];
  final: (number | string)[];
  selected: string;
}

/** A column of scores, rounded as the simulator prints them. */
export function encodeScores(values: Float64Array): number | string {
  return roundScores(values).encoded;
}

/** A column of scores rounded once, and encoded as the compact record keeps it. */
export interface RoundedScores {
  values: Float64Array;
  /** one number when every node got the same (once rounded), else "b:" and base64 bytes, or base64 Int32 LE */
  encoded: number | string;
  /** whether the scores were whole numbers already (plugins mostly score in whole numbers) */
  integral: boolean;
}

export function roundScores(
  values: Float64Array,
  /** the score every value is, when the caller knows (the scheduler's shared constant columns): not looked for again */
  every?: number,
): RoundedScores {
  if (every !== undefined) {
    const r = Math.round(every);
    return { values, encoded: r, integral: r === every };
  }
  const n = values.length;
  const first = n ? values[0] : 0;
  let i = 1;
  // most columns of most cycles are one score for every node (a plugin with nothing to say):
  // found without rounding or allocating anything
  while (i < n && values[i] === first) i++;
  if (i >= n) {
    const r = Math.round(first);
    return { values, encoded: r, integral: r === first };
  }
  return roundVarying(values);
}

/** Bytes for base64: one buffer reused (a Buffer.from of an Int32Array copied it element by element). */
let byteScratch = new Uint8Array(512);

/**
 * A column whose scores differ, rounded and encoded in one pass: one number when they round to
 * the same, "b:" and base64 bytes when every rounded score fits one (0–255, most raw columns),
 * else base64 of an Int32 little-endian array.
 */
function roundVarying(values: Float64Array): RoundedScores {
  const n = values.length;
  if (byteScratch.length < n) byteScratch = new Uint8Array(Math.max(n, 2 * byteScratch.length));
  const out = byteScratch;
  // (Int32 as an Int32Array stores it: | 0)
  const first = Math.round(values[0]) | 0;
  let integral = true;
  // no branch per score on its value: a varying column's scores (97, 98, 98, 97 …) made such
  // branches mispredict, which cost more than the rest of the loop
  let differs = 0;
  let bits = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    let x = v | 0;
    // a whole score (most of them) is taken as it is; only the others need Math.round
    if (x !== v) {
      const r = Math.round(v);
      x = r | 0;
      if (r !== v) integral = false;
    }
    // (the byte is written whatever it is, and used only when every score fitted one)
    out[i] = x;
    differs |= x ^ first;
    bits |= x;
  }
  if (differs === 0) return { values, encoded: first, integral };
  // (a negative score sets the high bits too)
  if ((bits & ~255) === 0) return { values, encoded: `b:${Buffer.from(out.buffer, out.byteOffset, n).toString('base64')}`, integral };
  const ints = new Int32Array(n);
  for (let i = 0; i < n; i++) ints[i] = Math.round(values[i]);
  return { values, encoded: Buffer.from(ints.buffer, ints.byteOffset, ints.byteLength).toString('base64'), integral };
}

/**
 * A final (normalized × weight) column. Whole normalized scores times a whole weight need no
 * column of their own: "w:N" is the raw column times N (a plugin that does not normalize),
 * "w:N:COLUMN" the normalized column given times N; otherwise the rounded products.
 */
export function encodeWeightedScores(
  normalized: Float64Array,
  weight: number,
  raw: RoundedScores,
  /** roundScores(normalized), when the caller has it already */
  normalizedRounded?: RoundedScores,
): number | string {
  const n = normalized === raw.values ? raw : (normalizedRounded ?? roundScores(normalized));
  if (!n.integral || !Number.isInteger(weight)) return roundScores(normalized.map((v) => v * weight)).encoded;
  const column = n.encoded;
  if (typeof column === 'number') return column * weight;
  return n === raw ? `w:${weight}` : `w:${weight}:${column}`;
}

function decodeScores(column: number | string, length: number, raw: ArrayLike<number> | undefined): ArrayLike<number> {
  if (typeof column === 'number') return new Int32Array(length).fill(column);
  const weighted = /^w:(-?\d+)(?::(.*))?$/.exec(column);
  if (weighted) {
    const weight = Number(weighted[1]);
    const base = weighted[2] !== undefined ? decodeScores(weighted[2], length, undefined) : raw;
    return Int32Array.from({ length }, (_, i) => (base?.[i] ?? 0) * weight);
  }
  if (column.startsWith('b:')) return Uint8Array.from(Buffer.from(column.slice(2), 'base64'));
  const bytes = Buffer.from(column, 'base64');
  const out = new Int32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt32LE(i * 4);
  return out;
}

/** A node name as a prefix and a counter ("node-12" → ["node-", 12]); null when it ends in no plain number. */
export function countedName(name: string): CountedName {
  const m = /^(.*?)(0|[1-9]\d{0,14})$/.exec(name);
  return m ? [m[1], Number(m[2])] : null;
}
export type CountedName = readonly [prefix: string, counter: number] | null;

/**
 * Node names in order, joined by ","; a run of names that count up by one ("node-7" … "node-506",
 * the order the scheduler walks a cluster's nodes in) is written "node-[7-506]" (node names
 * have no "["). `counted` gives each name's countedName (the scheduler keeps it per node).
 */
export function encodeNodeNames(names: readonly string[], counted = (i: number): CountedName => countedName(names[i])): string {
  return encodeNamedRuns(names.length, (i) => names[i], counted);
}

/**
 * encodeNodeNames over any list: `name(i)` and `counted(i)` of the i-th of `length`; the
 * recorder passes its nodes themselves, so no array of names is built for a record whose
 * nodes are one run (most cycles at 5,000 nodes: 500 consecutive nodes).
 */
export function encodeNamedRuns(length: number, name: (i: number) => string, counted: (i: number) => CountedName): string {
  let out = '';
  for (let i = 0; i < length;) {
    const first = counted(i);
    let j = i + 1;
    if (first)
      for (; j < length; j++) {
        const c = counted(j);
        if (c === null || c[0] !== first[0] || c[1] !== first[1] + (j - i)) break;
      }
    if (out) out += ',';
    if (first && j - i > 2) out += `${first[0]}[${first[1]}-${first[1] + (j - i) - 1}]`;
    else for (let k = i; k < j; k++) out += k === i ? name(k) : `,${name(k)}`;
    i = j;
  }
  return out;
}

function names(joined: string): string[] {
  if (!joined) return [];
  const out: string[] = [];
  for (const token of joined.split(',')) {
    const run = /^(.*)\[(\d+)-(\d+)\]$/.exec(token);
    if (!run) out.push(token);
    else for (let n = Number(run[2]); n <= Number(run[3]); n++) out.push(`${run[1]}${n}`);
  }
  return out;
}

/** The simulator's annotations of a compact record: JSON maps written out directly, as the simulator orders them. */
export function expandRecord(c: CompactRecord): Record<string, string> {
  const quote = JSON.stringify;
  const plugins = c.filterPlugins.map((p) => quote(p));
  const allPassed = `{${plugins.map((p) => `${p}:"passed"`).join(',')}}`;
  const evaluated = names(c.nodes);
  const failed = new Set(c.rejected.map(([node]) => node));
  const scored = c.scored !== undefined ? names(c.scored) : c.scorePlugins.length ? evaluated.filter((_, i) => !failed.has(i)) : [];
  const rejected = new Map(c.rejected.map(([node, plugin, message]) => [node, { plugin, message: c.messages[message] }]));
  const filter = evaluated.map((name, n) => {
    const r = rejected.get(n);
    if (!r) return `${quote(name)}:${allPassed}`;
    const parts: string[] = [];
    for (let i = 0; i < r.plugin; i++) parts.push(`${plugins[i]}:"passed"`);
    parts.push(`${plugins[r.plugin]}:${quote(r.message)}`);
    return `${quote(name)}:{${parts.join(',')}}`;
  });
  const scorePlugins = c.scorePlugins.map((p) => quote(p));
  const rawScores = c.raw.map((column) => decodeScores(column, scored.length, undefined));
  const finalScores = c.final.map((column, p) => decodeScores(column, scored.length, rawScores[p]));
  const raw: string[] = [];
  const final: string[] = [];
  scored.forEach((name, n) => {
    const r: string[] = [];
    const f: string[] = [];
    for (let p = 0; p < scorePlugins.length; p++) {
      r.push(`${scorePlugins[p]}:"${rawScores[p][n]}"`);
      f.push(`${scorePlugins[p]}:"${finalScores[p][n]}"`);
    }
    raw.push(`${quote(name)}:{${r.join(',')}}`);
    final.push(`${quote(name)}:{${f.join(',')}}`);
  });
  return {
    [RESULT_ANNOTATIONS.preFilterStatus]: c.pre ? `{${quote(c.pre[0])}:${quote(c.pre[1])}}` : '{}',
    [RESULT_ANNOTATIONS.filter]: `{${filter.join(',')}}`,
    [RESULT_ANNOTATIONS.score]: `{${raw.join(',')}}`,
    [RESULT_ANNOTATIONS.finalScore]: `{${final.join(',')}}`,
    [RESULT_ANNOTATIONS.selectedNode]: c.selected,
  };
}

/** The object with a compact record written out as the simulator's annotations (others unchanged). */
export function withExpandedRecord<T extends KObject>(obj: T): T {
  const annotations = obj.metadata.annotations;
  const compact = annotations?.[COMPACT_RECORD_ANNOTATION];
  if (compact === undefined) return obj;
  const rest = { ...annotations };
  delete rest[COMPACT_RECORD_ANNOTATION];
  let expanded: Record<string, string> = {};
  try {
    expanded = expandRecord(JSON.parse(compact) as CompactRecord);
  } catch {
    // a record someone edited by hand: served without it
  }
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...rest, ...expanded } } };
}
