import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, OUT_FILE } from '../../tools/gen-types-lib';
import type { IntOrString, V1ControllerRevision, V1PodSpec, V1ResourceRequirements } from '../../src/model/generated/definitions';
import type { JsonValue } from '../../src/model/objects';

describe('generated Kubernetes types (npm run gen-types)', () => {
  it('the checked-in src/model/generated/definitions.ts is what the generator writes from definitions.json', async () => {
    const fresh = await generate();
    // run `npm run gen-types` when this fails
    expect(fs.readFileSync(OUT_FILE, 'utf8') === fresh).toBe(true);
  }, 60_000);

  it('maps the stand-ins: IntOrString, preserve-unknown fields, quantities, v1.32 fields', async () => {
    const text = await generate();
    expect(text).toMatch(/^export type IntOrString = number \| string;$/m);
    expect(text).toMatch(/^ {2}data\?: JsonValue;$/m);
    expect(text).toContain('Kubernetes v1.32.0 API definitions as the npm package @kubernetes/client-node@1.1.2');
    // compile-time checks of the same, through the types themselves
    const port: IntOrString[] = [8080, 'http'];
    const data: V1ControllerRevision['data'] = { spec: { template: [1, null] } } satisfies JsonValue;
    const limits: V1ResourceRequirements['limits'] = { cpu: '100m' };
    const pod: V1PodSpec = { containers: [{ name: 'c' }], resources: { requests: { cpu: '1' } } }; // PodSpec.resources is v1.32
    expect([port, data, limits, pod]).toHaveLength(4);
  });
});
