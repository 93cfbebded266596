import { describe, it, expect } from 'vitest';
import { ObjectStore } from '../../src/store/object-store';
import { createObject, updateObject } from '../../src/api/server';
import { Random } from '../../src/util/random';
import { defaultClusterObjects, DEFAULT_SHAPE } from '../../src/sim/cluster-shape';
import { MANUAL_CLOCK_EPOCH } from '../../src/clock/clock';
import { flowControlBootstrapObjects } from '../../src/api/kinds/flowcontrol-bootstrap';
import { apfBootstrapEnsurer, APF_ENSURE_PERIOD_MS } from '../../src/controllers/apf-bootstrap';

describe('the APF configuration producer between passes of one command', () => {
  it('puts back a suggested object edited after a run that found nothing to do', () => {
    const store = new ObjectStore();
    const random = Random.fromSeed(1);
    for (const o of [...defaultClusterObjects(DEFAULT_SHAPE, MANUAL_CLOCK_EPOCH), ...flowControlBootstrapObjects()])
      createObject({ store, random, now: MANUAL_CLOCK_EPOCH }, o, { trusted: true });
    const now = MANUAL_CLOCK_EPOCH + 3 * APF_ENSURE_PERIOD_MS;
    const run = () => apfBootstrapEnsurer.reconcileAll!({ store, now, random } as never);
    expect(run()).toEqual([]);
    expect(run()).toEqual([]);
    const probes = store.get('FlowSchema', undefined, 'probes')!;
    updateObject({ store, random, now }, { ...probes, spec: { ...probes.spec, matchingPrecedence: 9 } });
    const actions = run();
    expect(actions.map((a) => a.type)).toEqual(['update']);
    expect((actions[0] as { object: { spec: { matchingPrecedence: number } } }).object.spec.matchingPrecedence).toBe(2);
  });
});
