import type { CapacityReport } from '../model/capacity-report';
import { renderTable } from './table';

/** `kubesim capacity`: a row per workload, then the nodes of the shape to add. */
export function renderCapacity(report: CapacityReport, shapeText: string | undefined, maxProbe: number): string {
  const rows = [['WORKLOAD', 'REPLICAS', 'FIT', 'MAX', 'FIRST FAILURE']];
  for (const w of report.workloads)
    rows.push([w.name, String(w.replicas), String(w.fit), w.max >= maxProbe ? `${maxProbe}+` : String(w.max), w.firstFailure ?? '<none>']);
  let out = renderTable(rows);
  if (shapeText !== undefined) {
    out +=
      report.nodesToAdd === undefined
        ? `Nodes of shape ${shapeText} to add for every replica to fit: more than ${report.maxNodes}\n`
        : `Nodes of shape ${shapeText} to add for every replica to fit: ${report.nodesToAdd}\n`;
  }
  return out;
}
