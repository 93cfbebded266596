import type { ConfigMap } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { writeEvents } from './format';

/** kubectl's describeConfigMap: each key, a `----` rule and its value; binary data as sizes. */
export function describeConfigMap(cm: ConfigMap, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.nameAndMeta(cm);
  w.raw('\nData\n====\n');
  const data = cm.data ?? {};
  for (const key of Object.keys(data).sort()) w.raw(`${key}:\n----\n${data[key]}\n\n`);
  w.raw('\nBinaryData\n====\n');
  const binaryData = cm.binaryData ?? {};
  for (const key of Object.keys(binaryData).sort()) w.raw(`${key}: ${Buffer.from(String(binaryData[key]), 'base64').length} bytes\n`);
  w.raw('\n');
  writeEvents(w, ctx.events(cm), ctx.now);
  return w.toString();
}

registerDescriber('ConfigMap', () => describeConfigMap);
