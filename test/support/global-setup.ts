import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The spawned-binary tests run dist/: rebuild it once before the suite so they test
 * the current sources. (`npm install` builds it too; a type error fails `npm test` here.)
 * Every temp directory the tests make (clusters, homes, the editor's copies) goes under one
 * directory for the run, removed at the end: the workers inherit TMPDIR, so os.tmpdir() is it.
 */
export default function setup(): () => void {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-tests-'));
  process.env.TMPDIR = run;
  const teardown = () => fs.rmSync(run, { recursive: true, force: true });
  if (process.env.KUBESIM_SKIP_BUILD) return teardown;
  const root = path.resolve(__dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], {
    stdio: 'inherit',
  });
  // the dashboard's page (served by serve, inlined into reports)
  execFileSync(process.execPath, [path.join(root, 'tools/build-web.mjs')], { stdio: 'inherit' });
  return teardown;
}
