// Builds the dashboard's page (web/dashboard.ts with Preact, htm and uPlot) into dist/web/: one
// script and one stylesheet, served by `kubesim serve` at /dashboard/ and inlined into HTML reports.
// Runs after tsc in `npm run build` (and so at `npm install`); nothing is fetched at run time.
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/web');
fs.mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(root, 'web/dashboard.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  platform: 'browser',
  legalComments: 'eof',
  outfile: path.join(out, 'dashboard.js'),
  logLevel: 'warning',
});
const css = [path.join(root, 'node_modules/uplot/dist/uPlot.min.css'), path.join(root, 'web/dashboard.css')]
  .map((f) => fs.readFileSync(f, 'utf8'))
  .join('\n');
fs.writeFileSync(path.join(out, 'dashboard.css'), css);
