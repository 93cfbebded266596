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
  /** the evaluated nodes' names, in evaluation order, joined by "," (node names have none) */
  nodes: string;
  /** the nodes a filter rejected: [index in nodes, index in filterPlugins, index in messages] */
  rejected: [number, number, number][];
  /** the rejections' messages, each once */
  messages: string[];
  /** the score plugins, in order */
  scorePlugins: string[];
  /** the scored nodes' names, joined by ","; absent when they are the nodes that passed, in evaluation order (as they are unless a nominated node came first) */
  scored?: string;
  /**
   * rounded raw and weighted final scores, one column per score plugin: a number when every
   * scored node got it (most plugins, most cycles), else base64 of an Int32 little-endian array
   */
  raw: (number | string)[];
  final: (number | string)[];
  selected: string;
}

/** A column of scores, rounded as the simulator prints them. */
export function encodeScores(values: Float64Array): number | string {
  const first = Math.round(values[0] ?? 0);
  let constant = true;
  const ints = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i]);
    ints[i] = v;
    if (v !== first) constant = false;
  }
  return constant ? first : Buffer.from(ints.buffer).toString('base64');
}

function decodeScores(column: number | string, length: number): ArrayLike<number> {
  if (typeof column === 'number') return new Int32Array(length).fill(column);
  const bytes = Buffer.from(column, 'base64');
  const out = new Int32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt32LE(i * 4);
  return out;
}

const names = (joined: string) => (joined ? joined.split(',') : []);

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
  const rawScores = c.raw.map((column) => decodeScores(column, scored.length));
  const finalScores = c.final.map((column) => decodeScores(column, scored.length));
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
