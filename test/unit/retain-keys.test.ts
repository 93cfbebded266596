import { describe, expect, it } from 'vitest';
import { strategicMergePatch, threeWayMerge } from '../../src/api/merge';

describe('strategic merge $retainKeys', () => {
  it('clears the keys the directive does not list before merging (the docs retainKeys example)', () => {
    const live = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } } };
    expect(strategicMergePatch(live, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, 'Deployment')).toEqual({
      spec: { strategy: { type: 'Recreate' } },
    });
  });

  it('refuses a patch that sets a key the directive does not retain', () => {
    expect(() =>
      strategicMergePatch({ spec: {} }, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, 'Deployment'),
    ).toThrow('Error from server (BadRequest): invalid patch format of retainKeys');
  });

  it('kubectl apply switching RollingUpdate to Recreate drops the defaulted rollingUpdate', () => {
    const current = {
      spec: { replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } },
    };
    const original = { spec: { replicas: 2 } };
    const modified = { spec: { replicas: 2, strategy: { type: 'Recreate' } } };
    expect(threeWayMerge(original, modified, current, 'Deployment').merged).toEqual({
      spec: { replicas: 2, strategy: { type: 'Recreate' } },
    });
  });

  it("kubectl apply changing a volume's source replaces it (volumes are merge,retainKeys); other maps keep live-only keys", () => {
    const volumes = (v: object) => ({ spec: { template: { spec: { volumes: [{ name: 'data', ...v }], dnsPolicy: 'ClusterFirst' } } } });
    const current = volumes({ emptyDir: {} });
    const original = { spec: { template: { spec: { volumes: [{ name: 'data' }] } } } };
    const modified = { spec: { template: { spec: { volumes: [{ name: 'data', configMap: { name: 'cm' } }] } } } };
    expect(threeWayMerge(original, modified, current, 'Deployment').merged).toEqual(volumes({ configMap: { name: 'cm' } }));
  });
});
