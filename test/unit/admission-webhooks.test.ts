import { describe, expect, it } from 'vitest';
import { ruleMatchesRequest } from '../../src/api/admission-webhooks';
import { kindInfoOrThrow } from '../../src/api/registry';
import '../../src/api/kinds/index';

const pods = kindInfoOrThrow('Pod');
const deployments = kindInfoOrThrow('Deployment');
const nodes = kindInfoOrThrow('Node');
const hpa = kindInfoOrThrow('HorizontalPodAutoscaler');
const rule = (resources: string[], extra: Record<string, unknown> = {}) => ({
  operations: ['CREATE'],
  apiGroups: ['*'],
  apiVersions: ['*'],
  resources,
  ...extra,
});

describe('webhook rules', () => {
  it.each([
    ['a resource matches itself', rule(['pods']), pods, '', true],
    ['…not its subresources', rule(['pods']), pods, 'status', false],
    ['res/sub names one subresource', rule(['pods/status']), pods, 'status', true],
    ['res/* is every subresource of it', rule(['pods/*']), pods, 'eviction', true],
    ['…not the resource itself', rule(['pods/*']), pods, '', false],
    ['* is every resource, without subresources', rule(['*']), deployments, '', true],
    ['*/scale is the scale subresource of anything', rule(['*/scale']), deployments, 'scale', true],
    ['*/* is everything', rule(['*/*']), pods, 'status', true],
    ['apiGroups must list the group', rule(['deployments'], { apiGroups: [''] }), deployments, '', false],
    ['scope Namespaced leaves cluster-scoped resources out', rule(['*'], { scope: 'Namespaced' }), nodes, '', false],
    ['scope Cluster takes them', rule(['*'], { scope: 'Cluster' }), nodes, '', true],
    ['operations must list the operation', rule(['pods'], { operations: ['UPDATE'] }), pods, '', false],
  ])('%s', (_name, r, info, subresource, expected) => {
    expect(ruleMatchesRequest(r, { info, subresource, operation: 'CREATE' })).toBe(expected);
  });

  it('matchPolicy Equivalent also matches another served version of the kind', () => {
    const v1Only = rule(['horizontalpodautoscalers'], { apiGroups: ['autoscaling'], apiVersions: ['v1'] });
    const served = [hpa.version, ...(hpa.otherVersions ?? [])];
    expect(served).toContain('v1');
    expect(ruleMatchesRequest(v1Only, { info: hpa, subresource: '', operation: 'CREATE' }, true)).toBe(true);
    expect(ruleMatchesRequest(v1Only, { info: hpa, subresource: '', operation: 'CREATE' }, false)).toBe(hpa.version === 'v1');
  });
});
