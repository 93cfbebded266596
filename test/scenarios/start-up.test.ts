import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { tempCluster } from '../support/cli';
import { ON_DEMAND_MODULES } from '../support/on-demand-modules';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin/kubesim');

/**
 * Preloaded into a spawned bin/kubesim: records every module it loads and how many times it
 * opens an SQLite database, written as JSON to $KUBESIM_TRACE when the process exits.
 */
const TRACER = `
const Module = require('node:module');
const fs = require('node:fs');
const loaded = new Set();
let opens = 0;
let wrapped;
const load = Module._load;
Module._load = function (request, parent) {
  const mod = load.apply(this, arguments);
  try { loaded.add(Module._resolveFilename(request, parent)); } catch {}
  if (request !== 'better-sqlite3') return mod;
  return (wrapped ??= new Proxy(mod, {
    construct(target, args, newTarget) { opens++; return Reflect.construct(target, args, newTarget); },
    apply(target, self, args) { opens++; return Reflect.apply(target, self, args); },
  }));
};
process.on('exit', () => fs.writeFileSync(process.env.KUBESIM_TRACE, JSON.stringify({ modules: [...loaded], opens })));
`;

interface Trace {
  code: number | null;
  stdout: string;
  stderr: string;
  /** loaded modules, relative to the package root */
  modules: string[];
  opens: number;
}

function traced(t: ReturnType<typeof tempCluster>, args: string[], input?: string): Trace {
  const tracer = t.file('tracer.cjs', TRACER);
  const trace = path.join(t.dir, 'trace.json');
  const r = spawnSync(process.execPath, ['-r', tracer, bin, ...args], {
    env: { ...process.env, KUBESIM_STATE: t.state, KUBESIM_TRACE: trace },
    cwd: t.dir,
    input,
    encoding: 'utf8',
  });
  const { modules, opens } = JSON.parse(fs.readFileSync(trace, 'utf8')) as { modules: string[]; opens: number };
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    modules: modules.filter((m) => path.isAbsolute(m)).map((m) => path.relative(root, m)),
    opens,
  };
}

// (node_modules may be a link to another checkout's: a package is matched anywhere in the path)
const loadedFrom = (trace: Trace, part: string) => trace.modules.filter((m) => m.includes(part));

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
`;

describe('start-up of the real bin/kubesim', () => {
  it('a get on a quiescent cluster loads no controller, admission, YAML or CRD code nor the modules of other kinds, and opens the state file once', () => {
    const t = tempCluster();
    const create = traced(t, ['cluster', 'create', '--clock', 'manual']);
    expect(create.code).toBe(0);
    const apply = traced(t, ['apply', '-f', '-'], POD);
    expect(apply.code).toBe(0);
    // writes without CEL expressions do not load the CEL engine (a third of a write's module loading)
    for (const write of [create, apply]) expect(loadedFrom(write, 'dist/api/cel'), 'dist/api/cel').toEqual([]);
    const get = traced(t, ['get', 'pods']);
    expect(get.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\np\s+/);
    expect(get.opens).toBe(1);
    for (const heavy of [
      'dist/controllers/',
      'dist/scheduler/',
      'dist/sim/kubelet',
      'dist/api/server',
      'dist/api/admission',
      'dist/kustomize/',
      'dist/api/crd/',
      'dist/api/cel',
      'dist/api/managed-fields/',
      'dist/api/kinds/deployment',
      'dist/api/kinds/webhookconfiguration',
      'dist/printers/go-template/',
      'node_modules/yaml/',
    ])
      expect(loadedFrom(get, heavy), heavy).toEqual([]);
  });

  it('loads each module it defers when a command needs it', () => {
    const t = tempCluster();
    // a new cluster: the API server and the default RBAC policy
    const create = traced(t, ['cluster', 'create', '--clock', 'manual']);
    expect(create.code).toBe(0);
    expect(create.modules).toContain('dist/sim/bootstrap-policy.js');
    // -f: the YAML parser, the manifest reader and apply; a write: the controllers
    const apply = traced(t, ['apply', '-f', '-'], `${CRD}---\n${POD}`);
    expect(apply.stdout).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\npod/p created\n');
    for (const m of ['dist/cli/manifests', 'dist/cli/apply-object', 'dist/engine/controllers', 'dist/engine/applier', 'node_modules/yaml/'])
      expect(loadedFrom(apply, m).length, m).toBeGreaterThan(0);
    // a custom resource's name: the CRDs are read before the session (a second open), then served
    t.file('k/kustomization.yaml', 'resources:\n- widget.yaml\n');
    t.file('k/widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: 3\n');
    const widget = traced(t, ['apply', '-k', 'k']);
    expect(widget).toMatchObject({ code: 0, stdout: 'widget.example.com/w created\n' });
    expect(widget.modules).toContain('dist/kustomize/build.js');
    expect(widget.modules).toContain('dist/api/crd/custom-kinds.js');
    const get = traced(t, ['get', 'widgets', '-o', 'go-template={{range .items}}{{.spec.size}}{{end}}']);
    expect(get).toMatchObject({ code: 0, stdout: '3', opens: 2 });
    expect(get.modules).toContain('dist/printers/go-template/template.js');
    // a template that fails prints the data as the template engine saw it
    const bad = traced(t, ['get', 'widget', 'w', '-o', 'go-template={{.spec.size.x}}']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('object given to template engine was:');
    for (const m of ['dist/printers/go-template/fmt', 'dist/printers/go-template/values'])
      expect(loadedFrom(bad, m).length, m).toBeGreaterThan(0);
  });

  it('the test set-up hands over every module src/ loads on demand', () => {
    // the in-process tests cannot require() TypeScript: a module missing there fails only when first used
    const ids = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/onDemand\(\s*'([^']+)'/g)) ids.add(m[1]);
      }
    };
    walk(path.join(root, 'src'));
    // packages: require() loads them in both
    ids.delete('yaml');
    ids.delete('@resvg/resvg-js');
    expect([...ids].sort()).toEqual(Object.keys(ON_DEMAND_MODULES).sort());
  });
});
