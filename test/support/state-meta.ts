import * as fs from 'node:fs';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { kubesim } from './cli';

/** A meta row of a state file (undefined: none). */
export function readStateMeta(state: string, key: string): string | undefined {
  const db = new Database(state, { readonly: true });
  try {
    return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  } finally {
    db.close();
  }
}

/** Sets (or, with undefined, deletes) a meta row of a state file, as another process would. */
export function writeStateMeta(state: string, key: string, value: string | undefined): void {
  const db = new Database(state);
  try {
    if (value === undefined) db.prepare('DELETE FROM meta WHERE key = ?').run(key);
    else db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  } finally {
    db.close();
  }
}

/** Runs commands on a state file, each a process of its own after `beforeEach`; each must print nothing on stderr. */
export function commandsOn(state: string, dir: string, beforeEach: () => void) {
  return async (...args: string[]): Promise<string> => {
    beforeEach();
    const r = await kubesim(state, args, { cwd: dir });
    expect(r.stderr).toBe('');
    return r.stdout;
  };
}

/** A copy of a state file as `to`, with its meta row `key` set to `value` (or deleted). */
export function copyWithMeta(state: string, to: string, key: string, value: string | undefined): string {
  fs.copyFileSync(state, to);
  writeStateMeta(to, key, value);
  return to;
}
