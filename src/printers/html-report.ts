import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReportModel } from '../model/report';
import { CliError } from '../util/errors';

/**
 * One self-contained HTML file: the dashboard's page (script and styles, built by
 * tools/build-web.mjs into dist/web/) inlined, with the report's model embedded as JSON. It needs
 * no network and no server: opened from disk, the page renders the model instead of watching an API.
 */

/** dist/web, from src/printers (tests) or dist/printers (the installed program). */
function webAssets(): { script: string; style: string } {
  const dir = path.resolve(__dirname, '../../dist/web');
  try {
    return {
      script: fs.readFileSync(path.join(dir, 'dashboard.js'), 'utf8'),
      style: fs.readFileSync(path.join(dir, 'dashboard.css'), 'utf8'),
    };
  } catch {
    throw new CliError(`the dashboard's page is not built (${dir}): run npm run build`);
  }
}

/** `</script>` (and `<!--`) inside inlined text would end or confuse the script element. */
function scriptSafe(text: string): string {
  return text.replace(/<(\/script|!--)/gi, '\\x3C$1');
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function htmlReport(model: ReportModel): string {
  const { script, style } = webAssets();
  // JSON in a script element: only "<" needs care, and \u003c is still the same JSON string
  const data = JSON.stringify(model).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(model.title)}</title>
<link rel="icon" href="data:,">
<style>${style.replace(/<\/style/gi, '<\\/style')}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="kubesim-report">${data}</script>
<script>${scriptSafe(script)}</script>
</body>
</html>
`;
}

/** The dashboard's own page (served by kubesim serve at /): the same script, loaded from the server. */
export function dashboardPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kubesim dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/dashboard.css">
</head>
<body>
<div id="app"></div>
<script src="/dashboard/dashboard.js"></script>
</body>
</html>
`;
}

/** The served assets by path under /dashboard/ (read once). */
export function dashboardAsset(name: string): { type: string; body: string } | undefined {
  const { script, style } = webAssets();
  if (name === 'dashboard.js') return { type: 'text/javascript; charset=utf-8', body: script };
  if (name === 'dashboard.css') return { type: 'text/css; charset=utf-8', body: style };
  return undefined;
}
