import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as YAML from 'yaml';
import { writeKubeconfig } from '../../src/serve/kubeconfig';

const certs = { caCert: 'CA', caKey: 'k', serverCert: 's', serverKey: 'k', serverNames: [], clientCert: 'C', clientKey: 'K' };

describe("serve's kubeconfig", () => {
  it('quotes a cluster name YAML 1.1 reads as a boolean or a number (kubectl: cannot unmarshal bool into … clusters.name)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-kubeconfig-'));
    const file = path.join(dir, 'kc');
    for (const name of ['y', 'no', '1.0']) {
      writeKubeconfig(file, { name, server: 'https://127.0.0.1:6443', certificates: certs, merge: false });
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toContain(`current-context: "${name}"\n`);
      expect(text).toContain(`- name: "${name}"\n`);
      // the YAML 1.1 reading (go-yaml's) gives the name back as a string
      const read = YAML.parse(text, { version: '1.1' }) as { clusters: { name: unknown }[]; 'current-context': unknown };
      expect([read.clusters[0].name, read['current-context']]).toEqual([name, name]);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
