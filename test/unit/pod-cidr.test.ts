import { describe, expect, it } from 'vitest';
import { MAX_POD_CIDRS, podCidrFor, podCidrIndex } from '../../src/api/kinds/node';
import { kubesim, manualCluster, tempCluster } from '../support/cli';

describe('node pod CIDRs', () => {
  it('gives the first 3,072 nodes 10.244.0.0/24 on, as before, then the rest of 10.0.0.0/8 but the Services’ 10.96.0.0/12', () => {
    expect(podCidrFor(0)).toBe('10.244.0.0/24');
    expect(podCidrFor(257)).toBe('10.245.1.0/24');
    expect(podCidrFor(3071)).toBe('10.255.255.0/24');
    expect(podCidrFor(3072)).toBe('10.112.0.0/24');
    expect(podCidrFor(3072 + 132 * 256)).toBe('10.0.0.0/24');
    expect(podCidrFor(MAX_POD_CIDRS - 1)).toBe('10.95.255.0/24');
    expect(MAX_POD_CIDRS).toBe(240 * 256);
    expect(() => podCidrFor(MAX_POD_CIDRS)).toThrow();
  });

  it('gives every node a distinct, valid /24 outside the Service range, and podCidrIndex inverts it', () => {
    const seen = new Set<string>();
    for (let i = 0; i < MAX_POD_CIDRS; i++) {
      const cidr = podCidrFor(i);
      const [a, b, c, d] = cidr.replace('/24', '').split('.').map(Number);
      expect(a === 10 && b <= 255 && c <= 255 && d === 0 && !(b >= 96 && b < 112)).toBe(true);
      expect(podCidrIndex(cidr)).toBe(i);
      seen.add(cidr);
    }
    expect(seen.size).toBe(MAX_POD_CIDRS);
    expect(podCidrIndex('10.100.0.0/24')).toBeUndefined();
    expect(podCidrIndex('192.168.0.0/24')).toBeUndefined();
  });

  it('refuses a cluster of more nodes than there are pod CIDRs, with kubesim’s one-line error', async () => {
    const c = tempCluster();
    const r = await kubesim(c.state, ['cluster', 'create', '--nodes', String(MAX_POD_CIDRS + 1), '--clock', 'manual']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: `error: invalid --nodes ${MAX_POD_CIDRS + 1}: must be between 0 and 61440\n` });
  });

  it('gives node 3,073 of a big cluster a pod CIDR and its pods addresses in it', async () => {
    const c = await manualCluster(['--nodes', '3073', '--cpu', '4', '--memory', '16Gi']);
    const r = await c.run('get', 'node', 'node-3073', '-o', 'jsonpath={.spec.podCIDR}');
    expect(r.stdout).toBe('10.112.0.0/24');
    await c.run('run', 'p', '--image', 'nginx', '--overrides', '{"spec":{"nodeName":"node-3073"}}');
    await c.run('clock', 'advance', '5s');
    expect((await c.run('get', 'pod', 'p', '-o', 'jsonpath={.status.podIP}')).stdout).toBe('10.112.0.2');
  });
});
