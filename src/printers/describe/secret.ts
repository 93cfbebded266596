import type { Secret } from '../../model/kinds';
import { registerDescriber, DescribeWriter } from '../describe';

/** kubectl's describeSecret: values are never shown, only their sizes in bytes (no events section). */
export function describeSecret(secret: Secret): string {
  const w = new DescribeWriter();
  w.nameAndMeta(secret);
  w.raw('\n');
  w.line(0, 'Type:', secret.type ?? 'Opaque');
  w.raw('\nData\n====\n');
  const data = secret.data ?? {};
  for (const key of Object.keys(data).sort()) {
    const bytes = Buffer.from(String(data[key]), 'base64');
    w.line(
      0,
      `${key}:`,
      secret.type === 'kubernetes.io/service-account-token' && key === 'token' ? bytes.toString() : `${bytes.length} bytes`,
    );
  }
  return w.toString();
}

registerDescriber('Secret', () => describeSecret);
