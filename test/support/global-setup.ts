import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * The spawned-binary tests run dist/: rebuild it once before the suite so they test
 * the current sources. (`npm install` builds it too; a type error fails `npm test` here.)
 */
export default function setup(): void {
  if (process.env.KUBESIM_SKIP_BUILD) return;
  const root = path.resolve(__dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
}
