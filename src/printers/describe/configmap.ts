import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { writeEvents } from './format';
import type { KObject } from '../../model/objects';

/** kubectl's describeConfigMap: each key, a `----` rule and its value; binary data as sizes. */
export function describeConfigMap(cm: KObject, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.nameAndMeta(cm);
  w.raw('\nData\n====\n');
  for (const key of Object.keys(cm.data ?? {}).sort()) w.raw(`${key}:\n----\n${cm.data[key]}\n\n`);
  w.raw('\nBinaryData\n====\n');
  for (const key of Object.keys(cm.binaryData ?? {}).sort())
    w.raw(`${key}: ${Buffer.from(String(cm.binaryData[key]), 'base64').length} bytes\n`);
  w.raw('\n');
  writeEvents(w, ctx.events(cm), ctx.now);
  return w.toString();
}

registerDescriber('ConfigMap', () => describeConfigMap);
