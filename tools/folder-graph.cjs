// dependency-cruiser reporter (`npm run deps`): the import graph between the top-level folders
// of src/, one line per edge with the number of imports, grouped by the layers of
// .dependency-cruiser.cjs; edges that break a rule are marked. Plain text, so two runs diff.
'use strict';
const { layers } = require('../.dependency-cruiser.cjs');

const folderOf = (source) => /^src\/([^/]+)\//.exec(source)?.[1];

function folderGraph(result) {
  const counts = new Map();
  const broken = new Map();
  for (const module of result.modules) {
    const from = folderOf(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (!to || to === from) continue;
      const edge = `${from} -> ${to}`;
      counts.set(edge, (counts.get(edge) ?? 0) + 1);
      for (const rule of dependency.rules ?? []) {
        if (!broken.has(edge)) broken.set(edge, new Set());
        broken.get(edge).add(rule.name);
      }
    }
  }
  const rank = (folder) => {
    const layer = layers.findIndex((names) => names.includes(folder));
    return layer < 0 ? layers.length : layer;
  };
  const edges = [...counts.keys()].sort((a, b) => {
    const [fa, ta] = a.split(' -> ');
    const [fb, tb] = b.split(' -> ');
    return rank(fa) - rank(fb) || fa.localeCompare(fb) || rank(ta) - rank(tb) || ta.localeCompare(tb);
  });
  const lines = ['layers, top to bottom: ' + layers.map((names) => names.join(' ')).join(' | '), ''];
  const width = Math.max(...edges.map((e) => e.length));
  for (const edge of edges) {
    const rules = broken.get(edge);
    lines.push(`${edge.padEnd(width)} ${String(counts.get(edge)).padStart(4)}${rules ? `  BREAKS ${[...rules].sort().join(', ')}` : ''}`);
  }
  const violations = result.summary.violations.length;
  lines.push(
    '',
    `${edges.length} edges between folders; ${violations ? `${violations} imports break the layer rules` : 'no layer rule broken'}`,
  );
  return lines.join('\n') + '\n';
}

module.exports = (result) => ({ output: folderGraph(result), exitCode: 0 });
