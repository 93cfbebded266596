import * as fs from 'node:fs';
import { StateFile } from '../store/state-file';

/**
 * Object names read straight from a state file, outside any session: no controllers run and
 * nothing is written, so shell completion stays fast and never changes a cluster. A missing
 * file is a cluster with nothing in it (completion must not create one).
 */
export function peekObjectNames(statePath: string, kind: string, namespace?: string): string[] {
  if (!fs.existsSync(statePath) || fs.statSync(statePath).size === 0) return [];
  const { state } = StateFile.open(statePath, { create: false });
  try {
    return state.objectNames(kind, namespace);
  } finally {
    state.close();
  }
}
