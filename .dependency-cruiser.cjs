// The layers of src/, as STYLE.md states them, checked by `npm run check` (depcruise --validate).
// `npm run deps` prints the import graph between the top-level folders.
//
// A folder imports only folders in the layers below its own (skipping layers is fine), never
// one above, and never a sibling in its own layer unless SIBLING_EDGES below says why; since
// every allowed edge points down (or along one of those one-way sibling edges), there can be no
// cycle between top-level folders. A new top-level folder must be placed in a layer here.
'use strict';

/** Top to bottom. */
const LAYERS = [
  // the commands: flags, sessions, output
  ['cli'],
  // kubesim serve: the Kubernetes API over HTTP (router, discovery, watch, TLS), running sessions
  // through the engine and rendering Tables with the printers' columns
  ['serve'],
  // what the commands use: output formats, kustomization builds, contexts, and the engine that
  // runs a command's session (load → change → reconcile → write)
  ['printers', 'kustomize', 'config', 'engine'],
  // what the engine runs
  ['controllers', 'scheduler', 'sim'],
  // the controller contract (Action, Controller, ReconcileContext): below everything the engine
  // runs, so that a controller, the scheduler and the simulated kubelet all speak it without
  // importing the engine
  ['reconcile'],
  // the API: kinds, defaulting, admission, validation, the write path (api/server.ts); RBAC beside it
  ['api', 'auth'],
  // the in-memory object cache (object-store.ts) and the state file it is loaded from and saved to
  ['store'],
  // the object model (KObject, ObjectMeta, events)
  ['model'],
  ['util', 'clock'],
];

/** Imports between folders of one layer, each with its reason (one way only). */
const SIBLING_EDGES = {
  'controllers -> scheduler':
    "the cluster autoscaler asks the scheduler's framework whether pending pods would fit a new node, as the real one runs kube-scheduler's plugins",
  'controllers -> sim': 'the HPA reads pod and object metrics from the simulated metrics API (sim/metrics stands in for metrics-server)',
  'sim -> scheduler':
    "the kubelet's pod admission runs the scheduler's AdmissionCheck (NodeResourcesFit, NodeAffinity, NodePorts), as pkg/kubelet/lifecycle imports pkg/scheduler",
};

/** Lower folders a folder must still not import, with the reason. */
const NARROWER = [
  {
    name: 'printers-print-what-they-are-given',
    from: 'printers',
    not: ['store', 'controllers', 'scheduler'],
    comment:
      'printers format the objects and reports they are handed (describe reads related objects through the ObjectReader its caller passes), not the cache or controller internals',
  },
  {
    name: 'sim-types-only-for-printers',
    from: 'printers',
    not: ['sim'],
    onlyValues: true,
    comment: 'printers may name the shape of a simulation report (the traffic report), not run simulation code',
  },
];

const folders = LAYERS.flat();
const layerOf = (folder) => LAYERS.findIndex((layer) => layer.includes(folder));
const dir = (names) => `^src/(${names.join('|')})/`;

for (const edge of Object.keys(SIBLING_EDGES)) {
  const [from, to] = edge.split(' -> ');
  if (layerOf(from) < 0 || layerOf(from) !== layerOf(to)) throw new Error(`.dependency-cruiser.cjs: ${edge} is not between siblings`);
  if (SIBLING_EDGES[`${to} -> ${from}`]) throw new Error(`.dependency-cruiser.cjs: ${edge} both ways is a cycle`);
}

const forbidden = [
  {
    name: 'folder-in-a-layer',
    comment: 'every top-level folder of src/ is placed in a layer in .dependency-cruiser.cjs',
    severity: 'error',
    from: { path: '^src/', pathNot: dir(folders) },
    to: {},
  },
  {
    name: 'no-folder-cycle',
    comment:
      "no import cycle that leaves its top-level folder (a cycle inside one folder, such as the admission plugins registering with the API server that runs them, is that folder's business)",
    severity: 'error',
    from: { path: '^src/([^/]+)/' },
    to: { circular: true, via: { pathNot: '^src/$1/' } },
  },
  {
    name: 'state-file-only-by-session',
    comment:
      "the state file is opened, read and written only by the engine's sessions (src/engine/session.ts, and resident-session.ts: the session kubesim serve keeps loaded between requests)",
    severity: 'error',
    from: { path: '^src/', pathNot: ['^src/engine/session\\.ts$', '^src/engine/resident-session\\.ts$', '^src/store/state-file\\.ts$'] },
    to: { path: '^src/store/state-file\\.ts$' },
  },
];

for (const folder of folders) {
  const layer = layerOf(folder);
  const above = LAYERS.slice(0, layer).flat();
  if (above.length)
    forbidden.push({
      name: `no-upward-from-${folder}`,
      comment: `${folder} imports nothing from the layers above it (${above.join(', ')})`,
      severity: 'error',
      from: { path: dir([folder]) },
      to: { path: dir(above) },
    });
  const siblings = LAYERS[layer].filter((other) => other !== folder && !SIBLING_EDGES[`${folder} -> ${other}`]);
  if (siblings.length)
    forbidden.push({
      name: `no-sibling-from-${folder}`,
      comment: `${folder} does not import its siblings in the same layer (${siblings.join(', ')}) unless SIBLING_EDGES says why`,
      severity: 'error',
      from: { path: dir([folder]) },
      to: { path: dir(siblings) },
    });
}

for (const rule of NARROWER)
  forbidden.push({
    name: rule.name,
    comment: rule.comment,
    severity: 'error',
    from: { path: dir([rule.from]) },
    to: { path: dir(rule.not), ...(rule.onlyValues ? { dependencyTypesNot: ['type-only'] } : {}) },
  });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden,
  options: {
    includeOnly: '^src/',
    doNotFollow: { path: 'node_modules' },
    // type-only imports are edges too: a type from an upper layer is still an upward dependency
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: false } },
  },
};
// for tools/folder-graph.cjs (not part of dependency-cruiser's configuration)
Object.defineProperty(module.exports, 'layers', { value: LAYERS, enumerable: false });
