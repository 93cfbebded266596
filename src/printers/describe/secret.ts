import { registerDescriber, DescribeWriter } from '../describe';
import type { KObject } from '../../model/objects';

/** kubectl's describeSecret: values are never shown, only their sizes in bytes (no events section). */
export function describeSecret(secret: KObject): string {
  const w = new DescribeWriter();
  w.nameAndMeta(secret);
  w.raw('\n');
  w.line(0, 'Type:', secret.type ?? 'Opaque');
  w.raw('\nData\n====\n');
  for (const key of Object.keys(secret.data ?? {}).sort()) {
    const bytes = Buffer.from(String(secret.data[key]), 'base64');
    w.line(
      0,
      `${key}:`,
      secret.type === 'kubernetes.io/service-account-token' && key === 'token' ? bytes.toString() : `${bytes.length} bytes`,
    );
  }
  return w.toString();
}

registerDescriber('Secret', () => describeSecret);
