import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { manualCluster } from '../support/cli';
import { StateFile } from '../../src/store/state-file';

/**
 * Pod parts stored once (the shared table) are removed when no pod uses them any more. Finding
 * them visits every pod, so a big cluster sweeps only once enough rows were added since the
 * last sweep (here the thresholds are moved: a 1-pod "big" cluster, then 1,000 and 3 rows).
 */
function sharedValues(state: string): unknown[] {
  const db = new Database(state, { readonly: true });
  const rows = db.prepare('SELECT data FROM shared').pluck().all() as string[];
  db.close();
  return rows.map((r) => JSON.parse(r) as unknown);
}

const hasLabel = (values: unknown[], key: string) => values.some((v) => typeof v === 'object' && v !== null && key in v);

describe('unused shared pod parts', () => {
  const saved = { pods: StateFile.sweepEveryFlushPods, rows: StateFile.minUnsweptRows };
  afterEach(() => {
    StateFile.sweepEveryFlushPods = saved.pods;
    StateFile.minUnsweptRows = saved.rows;
  });

  it('on a big cluster are removed once enough rows were added since the last sweep, not at every write', async () => {
    StateFile.sweepEveryFlushPods = 1;
    StateFile.minUnsweptRows = 1000;
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '3');
    await c.run('clock', 'advance', '10s');
    const pods = (await c.run('get', 'pods', '-o', 'name')).stdout.trim().split('\n');
    expect(pods).toHaveLength(3);
    // pod 1 gets labels of its own (a new shared row), then goes: its labels are used by no pod
    expect((await c.run('label', pods[0], 'first-label=one')).code).toBe(0);
    expect(hasLabel(sharedValues(c.state), 'first-label')).toBe(true);
    expect((await c.run('delete', pods[0])).code).toBe(0);
    await c.run('clock', 'advance', '1m');
    expect((await c.run('get', pods[0])).code).toBe(1);
    // fewer rows added since the last sweep than the threshold: the unused one stays for now
    expect(hasLabel(sharedValues(c.state), 'first-label')).toBe(true);
    expect((await c.run('label', pods[1], 'second-label=two')).code).toBe(0);
    expect(hasLabel(sharedValues(c.state), 'first-label')).toBe(true);
    // with the threshold below the rows added since (the labels, the new pod's conditions), the next pod write sweeps
    StateFile.minUnsweptRows = 3;
    expect((await c.run('label', pods[2], 'third-label=three')).code).toBe(0);
    const after = sharedValues(c.state);
    expect(hasLabel(after, 'first-label')).toBe(false);
    expect(hasLabel(after, 'second-label')).toBe(true);
    expect(hasLabel(after, 'third-label')).toBe(true);
    // what the pods show is unchanged by it
    expect((await c.run('get', pods[1], '-o', 'jsonpath={.metadata.labels.second-label}')).stdout).toBe('two');
  });
});
