import type { CSINode } from '../../model/kinds';
import { registerDescriber, DescribeWriter, type DescribeContext } from '../describe';
import { rfc1123z, writeEvents } from './format';

/** kubectl's describeCSINode: the drivers by name, with their node ID, allocatable count and topology keys. */
export function describeCSINode(csi: CSINode, ctx: DescribeContext): string {
  const w = new DescribeWriter();
  w.line(0, 'Name:', csi.metadata.name);
  w.map(0, 'Labels', csi.metadata.labels);
  w.annotations(0, csi.metadata.annotations);
  w.line(0, 'CreationTimestamp:', rfc1123z(csi.metadata.creationTimestamp));
  w.line(0, 'Spec:');
  // the state file's JSON may hold `drivers: null`
  const drivers: CSINode['spec']['drivers'] | null = csi.spec?.drivers;
  // `if csi.Spec.Drivers != nil`: an empty list still prints the heading
  if (drivers !== undefined && drivers !== null) {
    w.line(1, 'Drivers:');
    for (const driver of drivers) {
      w.line(2, `${driver.name ?? ''}:`);
      w.line(3, 'Node ID:', String(driver.nodeID ?? ''));
      const count: number | undefined | null = driver.allocatable?.count;
      if (count !== undefined && count !== null) {
        w.line(3, 'Allocatables:');
        w.line(4, 'Count:', String(count));
      }
      // %s of a []string: [a b]
      if (driver.topologyKeys !== undefined && driver.topologyKeys !== null)
        w.line(3, 'Topology Keys:', `[${driver.topologyKeys.join(' ')}]`);
    }
  }
  writeEvents(w, ctx.events(csi), ctx.now);
  return w.toString();
}

registerDescriber('CSINode', () => describeCSINode);
