import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError, errorMessage } from '../util/errors';
import type { Session } from '../engine/session';
import type { ClusterObjects } from '../printers/cluster-report';
import { htmlReport } from '../printers/html-report';
import type { ReportModel } from '../model/report';
import { isKind, type CoreEvent } from '../model/kinds';

/** What `kubesim report` and `traffic run --report/--plot` share: the session's objects, and writing a file. */

/** The cluster's objects the report shows, as the session holds them. */
export function clusterObjects(s: Session): ClusterObjects {
  return {
    nodes: s.store.list('Node'),
    pods: s.store.list('Pod'),
    deployments: s.store.list('Deployment'),
    statefulSets: s.store.list('StatefulSet'),
    daemonSets: s.store.list('DaemonSet'),
    replicaSets: s.store.list('ReplicaSet'),
  };
}

/** The cluster's events as core/v1 Events (the session serves them from its event log). */
export function clusterEvents(s: Session): CoreEvent[] {
  return s.list('Event').filter((e): e is CoreEvent => isKind(e, 'Event'));
}

/**
 * Writes an HTML report to `file` (relative to the working directory), as Go's os.WriteFile
 * reports failures. Written after the session committed, so a failed write leaves the cluster as
 * the command left it and prints no half-file (the text is complete before the file is opened).
 */
export function writeHtmlReport(file: string, model: ReportModel, cwd: string): string {
  return writeOutputFile(file, htmlReport(model), cwd);
}

/** Writes a whole file, its errors in Go's words (`open FILE: no such file or directory`). */
export function writeOutputFile(file: string, text: string | Uint8Array, cwd: string): string {
  const target = path.resolve(cwd, file);
  try {
    fs.writeFileSync(target, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file or directory'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : errorMessage(e);
    throw new CliError(`open ${file}: ${why}`);
  }
  return target;
}
