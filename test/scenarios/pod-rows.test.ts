import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { manualCluster, type Cluster } from '../support/cli';
import { storeAfter } from '../support/observed-store';
import { observeEngines } from '../../src/engine/engine';
import { StateFile } from '../../src/store/state-file';
import { ResidentSession } from '../../src/engine/resident-session';
import { ApiRouter } from '../../src/serve/router';
import { routerCall } from '../support/api-router';

/**
 * A write command loads pods as their rows and parses one only when something reads it
 * (ObjectStore.loadRow): the pods it and its controllers do not look at stay text, and what the
 * store indexes them by (namespace, name, uid, node, owners, resourceVersion, deletion) comes from
 * the row's columns. A load does not read a pod row's text: it is read by row id when the pod is
 * first read, inside a transaction.
 */

const PINNED = (name: string, replicas: number, node: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}, team: team-${name}-with-a-long-enough-label-value}}
    spec:
      nodeSelector: {kubernetes.io/hostname: ${node}}
      containers:
      - name: c
        image: nginx:1.27
        resources: {requests: {cpu: 100m, memory: 64Mi}}
`;

/** Deployment a (2 pods on node-1) and b (3 pods on node-2), all Running. */
async function twoApps(): Promise<Cluster> {
  const c = await manualCluster(['--nodes', '2']);
  expect((await c.run('apply', '-f', c.file('apps.yaml', `${PINNED('a', 2, 'node-1')}---\n${PINNED('b', 3, 'node-2')}`))).code).toBe(0);
  await c.run('clock', 'advance', '20s');
  return c;
}

const podsOf = async (c: Cluster, app: string) =>
  (await c.run('get', 'pods', '-l', `app=${app}`, '-o', 'name')).stdout
    .trim()
    .split('\n')
    .map((p) => p.replace('pod/', ''));

/** Runs a command and says, per pod, whether the command parsed its row (as its last pass left the store). */
async function parsedBy(c: Cluster, ...args: string[]): Promise<Map<string, boolean>> {
  const store = await storeAfter(c, ...args);
  return new Map([...store.slotsInInsertionOrder('Pod')].map((s) => [s.name, s.parsed]));
}

describe('pod rows', () => {
  afterEach(() => observeEngines(undefined));

  it('a write command parses the pods it and its controllers read, not the others', async () => {
    const c = await twoApps();
    const [a0] = await podsOf(c, 'a');
    const b = await podsOf(c, 'b');
    expect(b).toHaveLength(3);
    const parsed = await parsedBy(c, 'label', 'pod', a0, 'seen=yes');
    expect(parsed.size).toBe(5);
    expect(parsed.get(a0)).toBe(true);
    // b's ReplicaSet and node-2 had nothing to do: their pods were indexed from the row columns only
    for (const name of b) expect(parsed.get(name)).toBe(false);
    expect((await c.run('get', 'pod', a0, '-o', 'jsonpath={.metadata.labels.seen}')).stdout).toBe('yes');
  });

  it('indexes unparsed pods by node and owner: drain and scale find them', async () => {
    const c = await twoApps();
    // scale b down: its ReplicaSet finds its pods through the owner index built from the rows
    expect((await c.run('scale', 'deployment', 'b', '--replicas', '1')).code).toBe(0);
    await c.run('clock', 'advance', '1m');
    expect(await podsOf(c, 'b')).toHaveLength(1);
    // node-1's pods, found through the node index built from the rows
    const a = await podsOf(c, 'a');
    const r = await c.run('drain', 'node-1', '--ignore-daemonsets');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/evicting pod .*/g)).toEqual(a.map((name) => `evicting pod default/${name}`));
  });

  it("a Node write wakes that node's pods only: cordon and drain parse no other node's pods", async () => {
    const c = await twoApps();
    const b = await podsOf(c, 'b');
    // (the kubelet's marks are saved with the nodes they were made at)
    await c.run('label', 'node', 'node-2', 'seen=yes');
    const cordoned = await parsedBy(c, 'cordon', 'node-1');
    for (const name of b) expect(cordoned.get(name)).toBe(false);
    const drained = await parsedBy(c, 'drain', 'node-1', '--ignore-daemonsets');
    for (const name of b) expect(drained.get(name)).toBe(false);
    // node-2's pods still wake for a write of node-2 itself
    const woken = await parsedBy(c, 'label', 'node', 'node-2', 'again=yes');
    for (const name of b) expect(woken.get(name)).toBe(true);
  });

  it("the eviction manager sums the pods of the nodes it checks, not every node's", async () => {
    const c = await manualCluster(['--nodes', '100']);
    // 100 pods on node-2, then 70 spread over the other nodes: their nodes hold fewer than half the pods
    const small = PINNED('b', 100, 'node-2').replace('cpu: 100m, memory: 64Mi', 'cpu: 10m, memory: 16Mi');
    expect((await c.run('apply', '-f', c.file('b.yaml', small))).code).toBe(0);
    await c.run('clock', 'advance', '20s');
    expect((await c.run('cordon', 'node-2')).code).toBe(0);
    const b = await podsOf(c, 'b');
    expect(b).toHaveLength(100);
    expect((await c.run('create', 'deployment', 'spread', '--image', 'nginx:1.27', '--replicas', '70')).code).toBe(0);
    // the eviction manager checks each node whose pods moved at each pass: more than the 64
    // lookups after which it used to sum every node (parsing every pod)
    const parsed = await parsedBy(c, 'clock', 'advance', '20s');
    for (const name of b) expect(parsed.get(name)).toBe(false);
    expect((await c.run('get', 'deployment', 'spread', '-o', 'jsonpath={.status.readyReplicas}')).stdout).toBe('70');
  });

  it('keeps the shared parts and templates that unparsed pods refer to when a sweep removes unused ones', async () => {
    const c = await twoApps();
    const before = (await c.run('get', 'pods', '-l', 'app=b', '-o', 'json')).stdout;
    // a's pods go (a sweep follows) while b's are never parsed: their rows still refer to shared rows
    const parsed = await parsedBy(c, 'delete', 'deployment', 'a');
    await c.run('clock', 'advance', '1m');
    for (const name of await podsOf(c, 'b')) expect(parsed.get(name)).toBe(false);
    expect(await podsOf(c, 'a')).toEqual(['']);
    const after = await c.run('get', 'pods', '-l', 'app=b', '-o', 'json');
    expect(after.stderr).toBe('');
    expect(after.stdout).toBe(before);
  });

  it('fills the pod columns of a schema 4 file in place, and its pods load as before', async () => {
    const c = await twoApps();
    const [a0] = await podsOf(c, 'a');
    const before = (await c.run('get', 'pods', '-o', 'json')).stdout;
    const db = new Database(c.state);
    const columns = () =>
      db.prepare("SELECT name, node, owners, controlled, deleting, sched, facts FROM objects WHERE kind = 'Pod' ORDER BY name").all();
    const filled = columns();
    expect(filled).toHaveLength(5);
    for (const row of filled as { node: string; owners: string; controlled: number; deleting: number }[]) {
      expect(row.node).toMatch(/^node-[12]$/);
      expect(JSON.parse(row.owners)).toHaveLength(1);
      expect([row.controlled, row.deleting]).toEqual([1, 0]);
    }
    db.exec(`ALTER TABLE objects DROP COLUMN node; ALTER TABLE objects DROP COLUMN owners;
      ALTER TABLE objects DROP COLUMN controlled; ALTER TABLE objects DROP COLUMN deleting; ALTER TABLE objects DROP COLUMN sched;
      ALTER TABLE objects DROP COLUMN facts; UPDATE meta SET value = '4' WHERE key = 'schema'`);
    db.close();
    expect((await c.run('get', 'pods', '-o', 'json')).stdout).toBe(before);
    const after = new Database(c.state, { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '10' });
    expect(
      after.prepare("SELECT name, node, owners, controlled, deleting, sched, facts FROM objects WHERE kind = 'Pod' ORDER BY name").all(),
    ).toEqual(filled);
    after.close();
    // and a write command on it loads them unparsed
    const parsed = await parsedBy(c, 'label', 'pod', a0, 'seen=yes');
    for (const name of await podsOf(c, 'b')) expect(parsed.get(name)).toBe(false);
  });

  it.each([
    ['node-1', 'node-2'],
    ['node-2', 'node-1'],
  ])(
    "the scheduler knows bound pods from their rows' columns without parsing them: their requests and anti-affinity hold (taken: %s)",
    async (taken, free) => {
      const c = await manualCluster(['--nodes', '2', '--cpu', '2']);
      // on `taken`: pods that use most of its CPU, and one that keeps app=x off it
      const guard = `apiVersion: apps/v1
kind: Deployment
metadata: {name: guard}
spec:
  replicas: 1
  selector: {matchLabels: {app: guard}}
  template:
    metadata: {labels: {app: guard}}
    spec:
      nodeSelector: {kubernetes.io/hostname: ${taken}}
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {labelSelector: {matchLabels: {app: x}}, topologyKey: kubernetes.io/hostname}
      containers: [{name: c, image: nginx:1.27}]
`;
      const big = PINNED('big', 2, taken).replace('cpu: 100m', 'cpu: 800m');
      expect((await c.run('apply', '-f', c.file('taken.yaml', `${guard}---\n${big}`))).code).toBe(0);
      await c.run('clock', 'advance', '20s');
      const deployment = (name: string, labels: string, cpu: string, antiAffinity = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: ${labels}}
    spec:
      affinity:
        nodeAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            preference: {matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [${taken}]}]}${antiAffinity}
      containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: ${cpu}}}}]
`;
      const avoidBig = `
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - {labelSelector: {matchLabels: {app: big}}, topologyKey: kubernetes.io/hostname}`;
      // all prefer `taken`, but wide fits only where big's 1600m are not, x only where guard is
      // not, shy only where no pod has big's labels (a shared row, as the column refers to it)
      const parsed = await parsedBy(
        c,
        'apply',
        '-f',
        c.file(
          'new.yaml',
          [
            deployment('wide', '{app: wide}', '1'),
            deployment('x', '{app: x}', '10m'),
            deployment('shy', '{app: shy}', '10m', avoidBig),
          ].join('---\n'),
        ),
      );
      for (const name of [...(await podsOf(c, 'guard')), ...(await podsOf(c, 'big'))]) expect(parsed.get(name)).toBe(false);
      for (const app of ['x', 'wide', 'shy']) {
        const [pod] = await podsOf(c, app);
        expect((await c.run('get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}')).stdout).toBe(free);
      }
    },
  );

  it("a schema 5 file gets its pods' scheduling class column, as a save writes it", async () => {
    const c = await twoApps();
    const db = new Database(c.state);
    const sched = () => db.prepare("SELECT name, sched FROM objects WHERE kind = 'Pod' ORDER BY name").all() as { sched: string }[];
    const written = sched();
    expect(written).toHaveLength(5);
    for (const { sched: text } of written)
      // (the labels are long enough to be a shared row: the column refers to it as the row does)
      expect(JSON.parse(text)).toEqual([expect.any(Number), { $shared: expect.any(Number) }, 0]);
    db.exec(`ALTER TABLE objects DROP COLUMN sched; UPDATE meta SET value = '5' WHERE key = 'schema'`);
    expect((await c.run('get', 'pods')).code).toBe(0);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '10' });
    expect(sched()).toEqual(written);
    db.close();
  });

  it("a schema 6 file gets its pods' facts column, as a save writes it, and its pods are then counted unparsed", async () => {
    const c = await twoApps();
    const [a0, a1] = await podsOf(c, 'a');
    const db = new Database(c.state);
    const facts = () => db.prepare("SELECT name, facts FROM objects WHERE kind = 'Pod' ORDER BY name").all() as { facts: string }[];
    const written = facts();
    expect(written).toHaveLength(5);
    for (const { facts: text } of written)
      // [phase, podIP, controller uid, ready, readySince, created, containers, annotations]
      expect(JSON.parse(text)).toEqual([
        'Running',
        expect.stringMatching(/^10\.244\.[01]\.\d+$/),
        expect.any(String),
        1,
        expect.any(String),
        expect.any(String),
        [['c', 'nginx:1.27', 1, 1, 0]],
        null,
      ]);
    db.exec(`ALTER TABLE objects DROP COLUMN facts; UPDATE meta SET value = '6' WHERE key = 'schema'`);
    expect((await c.run('get', 'pods')).code).toBe(0);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '10' });
    expect(facts()).toEqual(written);
    db.close();
    const parsed = await parsedBy(c, 'label', 'pod', a0, 'seen=yes');
    expect(parsed.get(a1)).toBe(false);
  });

  it('names a pod row whose owners column cannot be read', async () => {
    const c = await twoApps();
    const [a0] = await podsOf(c, 'a');
    const db = new Database(c.state);
    // (as another program writes a row: with the file's resourceVersion, which the pod index is stamped with)
    db.prepare("UPDATE objects SET owners = '{' WHERE kind = 'Pod' AND name = ?").run(a0);
    db.exec("UPDATE meta SET value = value + 1 WHERE key = 'resourceVersion'");
    db.close();
    const r = await c.run('label', 'pod', a0, 'seen=yes');
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: `error: ${c.state} is corrupt: Pod default/${a0} has unreadable owners\n` });
  });
  it('kubesim serve reads a pod row first asked for in a later request: after its own commit, and after another process wrote the file', async () => {
    const c = await twoApps();
    const [a0] = await podsOf(c, 'a');
    const b = await podsOf(c, 'b');
    const fields = (pod: { metadata: Record<string, unknown>; spec: Record<string, unknown>; status: Record<string, unknown> }) => ({
      uid: pod.metadata.uid,
      resourceVersion: pod.metadata.resourceVersion,
      labels: pod.metadata.labels,
      ownerReferences: pod.metadata.ownerReferences,
      containers: pod.spec.containers,
      nodeName: pod.spec.nodeName,
      phase: pod.status.phase,
      podIP: pod.status.podIP,
      // (timestamps not: serve shifts them to the wall clock)
      containerIds: (pod.status.containerStatuses as { containerID: string }[]).map((s) => s.containerID),
    });
    const viaCli = async (name: string) => fields(JSON.parse((await c.run('get', 'pod', name, '-o', 'json')).stdout));
    const resident = new ResidentSession(c.state);
    const router = new ApiRouter({ statePath: c.state, sessions: resident });
    const call = (method: string, name: string, body?: unknown) => {
      const res = routerCall(router, method, `/api/v1/namespaces/default/pods/${name}`, { body, type: 'application/merge-patch+json' });
      expect(res.status).toBe(200);
      return JSON.parse(res.body) as Parameters<typeof fields>[0];
    };
    const unparsed = () =>
      resident.run((s) => [...s.store.slotsInInsertionOrder('Pod')].filter((slot) => !slot.parsed).map((slot) => slot.name), {
        readOnly: true,
      });
    // a write request, committed: b's pods are still only rows
    expect(call('PATCH', a0, { metadata: { labels: { seen: 'yes' } } }).metadata.labels).toMatchObject({ seen: 'yes' });
    expect(unparsed()).toEqual(expect.arrayContaining(b));
    const loads = resident.loads;
    expect(fields(call('GET', b[0]))).toEqual(await viaCli(b[0]));
    expect(resident.loads).toBe(loads);
    // a command writes the file: the next request loads it again and reads the rows as they are now
    expect((await c.run('label', 'pod', b[1], 'cli=yes')).code).toBe(0);
    const relabelled = call('GET', b[1]);
    expect(relabelled.metadata.labels).toMatchObject({ cli: 'yes' });
    expect(fields(relabelled)).toEqual(await viaCli(b[1]));
    expect(resident.loads).toBe(loads + 1);
    expect(unparsed()).toContain(b[2]);
    expect(fields(call('GET', b[2]))).toEqual(await viaCli(b[2]));
    resident.close();
  });

  it("indexes a pod row's node, namespace, deletion and controller from its columns, unparsed", async () => {
    const c = await twoApps();
    const [b0, b1] = await podsOf(c, 'b');
    expect((await c.run('run', 'solo', '--image=nginx:1.27')).code).toBe(0);
    // rows of two namespaces (of one length), interleaved
    expect((await c.run('create', 'namespace', 'staging')).code).toBe(0);
    expect((await c.run('run', 'lone', '-n', 'staging', '--image=nginx:1.27')).code).toBe(0);
    expect((await c.run('run', 'solo2', '--image=nginx:1.27')).code).toBe(0);
    // (held Terminating by its finalizer: the clock is not advanced past its grace period)
    expect((await c.run('patch', 'pod', b0, '-p', '{"metadata":{"finalizers":["example.com/hold"]}}')).code).toBe(0);
    expect((await c.run('delete', 'pod', b0, '--wait=false')).code).toBe(0);
    const { state } = StateFile.open(c.state);
    try {
      state.transaction(() => {
        const store = state.load();
        const held = store.slotOf('Pod', 'default', b0)!;
        const kept = store.slotOf('Pod', 'default', b1)!;
        expect([held.namespace, held.rowNode, held.rowTerminating, held.parsed]).toEqual(['default', 'node-2', true, false]);
        expect([kept.rowNode, kept.rowTerminating]).toEqual(['node-2', false]);
        expect([...store.podsOnNode('node-2')].map((p) => p.metadata.name)).toContain(b0);
        // the garbage collector finds the deleting pod; the one pod without a controller is the orphan
        expect([...store.orphanCandidates()].map((o) => o.metadata.name)).toContain(b0);
        expect(store.orphanPodsIn('default').map((p) => p.metadata.name)).toEqual(['solo', 'solo2']);
        expect(store.orphanPodsIn('staging').map((p) => p.metadata.name)).toEqual(['lone']);
        const solos = [...store.slotsInInsertionOrder('Pod')].filter((s) => ['solo', 'lone', 'solo2'].includes(s.name));
        expect(solos.map((s) => `${s.namespace}/${s.name}`)).toEqual(['default/solo', 'staging/lone', 'default/solo2']);
      });
    } finally {
      state.close();
    }
  });

  it("finds a loaded pod by name from its row's key, not a deleted one, a re-created or new one, and by a walk outside the transaction", async () => {
    const c = await twoApps();
    const [a0, a1] = await podsOf(c, 'a');
    const [b0] = await podsOf(c, 'b');
    const { state } = StateFile.open(c.state);
    try {
      const store = state.transaction(() => {
        const store = state.load();
        let asked = 0;
        const rowid = store.podRowid!;
        store.podRowid = (namespace, name) => (asked++, rowid(namespace, name));
        expect(store.slotOf('Pod', 'default', a0)?.name).toBe(a0);
        expect(store.slotOf('Pod', 'default', a0)?.parsed).toBe(false);
        expect(store.get('Pod', 'staging', a0)).toBeUndefined();
        expect(store.get('Pod', 'default', 'nope')).toBeUndefined();
        expect(asked).toBe(4);
        store.drop('Pod', 'default', a0, store.nextResourceVersion());
        expect(store.get('Pod', 'default', a0)).toBeUndefined();
        const b = store.get('Pod', 'default', b0)!;
        store.drop('Pod', 'default', b0, store.nextResourceVersion());
        store.put({ ...b, metadata: { ...b.metadata, uid: 'again', resourceVersion: store.nextResourceVersion() } });
        expect(store.get('Pod', 'default', b0)?.metadata.uid).toBe('again');
        store.put({ ...b, metadata: { ...b.metadata, name: 'fresh', uid: 'fresh', resourceVersion: store.nextResourceVersion() } });
        expect(store.get('Pod', 'default', 'fresh')?.metadata.uid).toBe('fresh');
        // after as many asks as a quarter of the pods (at least 8), every name is filed
        for (let i = 0; i < 10; i++) expect(store.get('Pod', 'default', a1)?.metadata.name).toBe(a1);
        expect(store.get('Pod', 'default', a0)).toBeUndefined();
        expect(asked).toBe(8);
        return store;
      });
      // (outside the transaction no row is read: the slots are walked)
      expect(store.slotOf('Pod', 'default', a1)?.name).toBe(a1);
      expect(store.slotOf('Pod', 'default', a0)).toBeUndefined();
    } finally {
      state.close();
    }
  });

  it('reads a pod row only inside a transaction: after the commit another process may have rewritten it', async () => {
    const c = await twoApps();
    const [b0] = await podsOf(c, 'b');
    const { state } = StateFile.open(c.state);
    try {
      const store = state.transaction(() => state.load());
      const slot = store.slotOf('Pod', 'default', b0)!;
      expect(slot.parsed).toBe(false);
      expect(() => slot.obj).toThrow(`internal error: ${state.path}: row ${slot.rowid} read outside a transaction`);
      expect(slot.parsed).toBe(false);
      // in one, it is the row as stored
      expect(state.transaction(() => slot.obj.metadata.name)).toBe(b0);
      expect(slot.obj.metadata.resourceVersion).toBe(String(slot.resourceVersion));
    } finally {
      state.close();
    }
  });
});

/**
 * What the kubelet (a node's pod IPs and pulled images), the eviction manager (a node's memory)
 * and the ReplicaSet controller (its pods' counts and deletion ranking) read of the pods of a
 * node or an owner comes from the rows' `facts` column (schema 7): those pods stay unparsed while
 * the answers are the ones the objects give.
 */
describe('pod facts', () => {
  afterEach(() => observeEngines(undefined));

  const ipOf = async (c: Cluster, pod: string) => (await c.run('get', 'pod', pod, '-o', 'jsonpath={.status.podIP}')).stdout;

  it("the kubelet allocates the node's next free pod IP and finds its pulled image without parsing the node's pods", async () => {
    const c = await twoApps();
    const a = await podsOf(c, 'a');
    const b = await podsOf(c, 'b');
    const taken = await Promise.all(a.map((p) => ipOf(c, p)));
    expect(taken.sort()).toEqual(['10.244.0.2', '10.244.0.3']);
    const parsed = await parsedBy(c, 'scale', 'deployment', 'a', '--replicas', '4');
    // a's ReplicaSet counted its pods and node-1's kubelet started two more, reading the rows' facts
    for (const name of [...a, ...b]) expect(parsed.get(name)).toBe(false);
    const added = (await podsOf(c, 'a')).filter((p) => !a.includes(p));
    expect(added).toHaveLength(2);
    expect((await Promise.all(added.map((p) => ipOf(c, p)))).sort()).toEqual(['10.244.0.4', '10.244.0.5']);
    await c.run('clock', 'advance', '20s');
    const events = (await c.run('get', 'events', '--field-selector', `involvedObject.name=${added[0]}`)).stdout;
    expect(events).toContain('Container image "nginx:1.27" already present on machine');
    expect(events).not.toContain('Pulling');
  });

  it("the ReplicaSet counts its pods' readiness from the rows: a write of one pod parses that pod only", async () => {
    const c = await twoApps();
    const [a0, a1] = await podsOf(c, 'a');
    const rs = async () => JSON.parse((await c.run('get', 'rs', '-l', 'app=a', '-o', 'json')).stdout).items[0];
    const before = await rs();
    expect(before.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, fullyLabeledReplicas: 2 });
    const parsed = await parsedBy(c, 'label', 'pod', a0, 'seen=yes');
    expect(parsed.get(a0)).toBe(true);
    expect(parsed.get(a1)).toBe(false);
    // its status read from a1's facts is the same: not written again
    const after = await rs();
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(after.status).toEqual(before.status);
  });

  it("scales down by kube's ranking read from the rows (deletion cost), parsing only the pods it deletes", async () => {
    const c = await twoApps();
    const b = (await podsOf(c, 'b')).sort();
    // ties are broken by name (the greater goes first): the cost must keep the greatest
    const keep = b[2];
    expect((await c.run('annotate', 'pod', keep, 'controller.kubernetes.io/pod-deletion-cost=100')).code).toBe(0);
    const parsed = await parsedBy(c, 'scale', 'deployment', 'b', '--replicas', '1');
    expect(parsed.get(keep)).toBe(false);
    await c.run('clock', 'advance', '1m');
    expect(await podsOf(c, 'b')).toEqual([keep]);
  });

  it("the eviction manager sums a node's memory from the rows' facts (knob annotations included)", async () => {
    const c = await manualCluster(['--nodes', '2']);
    // a Deployment of pods on node-1 that each use `bytes` (a knob annotation of the template)
    const using = (name: string, replicas: number, bytes: string) =>
      PINNED(name, replicas, 'node-1').replace(
        'metadata: {labels:',
        `metadata: {annotations: {sim.kubesim.io/memory-bytes: ${bytes}}, labels:`,
      );
    expect((await c.run('apply', '-f', c.file('mem.yaml', using('mem', 3, '5Gi')))).code).toBe(0);
    await c.run('clock', 'advance', '20s');
    const pods = await podsOf(c, 'mem');
    expect(pods).toHaveLength(3);
    // 15Gi + 512Mi of node-1's 16Gi: no pressure, and its pods were not parsed for the sum
    const parsed = await parsedBy(c, 'apply', '-f', c.file('tiny.yaml', using('tiny', 1, '512Mi')));
    for (const name of pods) expect(parsed.get(name)).toBe(false);
    await c.run('clock', 'advance', '20s');
    expect((await c.run('get', 'pods', '--no-headers')).stdout).not.toMatch(/Evicted/);
    // 15Gi + 512Mi + 1Gi: pressure, one of the 5Gi pods goes
    expect((await c.run('apply', '-f', c.file('small.yaml', using('small', 1, '1Gi')))).code).toBe(0);
    await c.run('clock', 'advance', '20s');
    expect((await c.run('get', 'pods', '--no-headers')).stdout).toMatch(/^mem-\S+ +0\/1 +Evicted/m);
  });
});
