import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's chromium driven by playwright-core, as the browser tests use it: headless, no
 * sandbox (CI containers run as root), nothing that reaches the network on its own, and a fresh
 * profile per launch. tools/ensure-chromium.sh installs it (.ci/run calls it).
 */
export const CHROMIUM = process.env.KUBESIM_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ROOT = path.resolve(__dirname, '../..');
/** screenshots of each run (ignored by git) */
export const OUTPUT = path.join(ROOT, 'test-results/browser');

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** console errors and uncaught exceptions of every page opened */
  errors: string[];
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run tools/ensure-chromium.sh (apt-get install chromium)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-chromium-'));
  // launchPersistentContext passes the fresh directory as --user-data-dir
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    // the cluster's own CA signs serve's certificate; the browser is not told to trust it
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 900 },
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot under test-results/browser, and into docs/ when KUBESIM_DOCS_SCREENSHOTS=1 (the README's pictures). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.KUBESIM_DOCS_SCREENSHOTS === '1') fs.copyFileSync(file, path.join(ROOT, 'docs', `${name}.png`));
  return file;
}

/** `bin/kubesim dashboard` on a state file, as a user starts it; resolves with its printed URLs. */
export function startDashboard(
  state: string,
  extra: string[] = [],
): Promise<{ child: ChildProcess; url: string; dashboard: string; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/kubesim'), 'dashboard', '--port', '0', '--kubeconfig', `${state}.kubeconfig`, ...extra],
      { env: { ...process.env, KUBESIM_STATE: state }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      });
    child.stdout!.on('data', (d) => {
      out += d;
      const served = /Serving cluster \S+ at (\S+) /.exec(out);
      const dashboard = /Dashboard: (\S+)/.exec(out);
      if (served && dashboard) resolve({ child, url: served[1], dashboard: dashboard[1], stop });
    });
    child.stderr!.on('data', (d) => (err += d));
    child.once('exit', (code) => reject(new Error(`kubesim dashboard exited (${code}): ${err}`)));
  });
}

/** bin/kubesim as a separate process on the state file (a user's command beside the dashboard). */
export function kubesimBin(state: string, ...args: string[]): string {
  return execFileSync(process.execPath, [path.join(ROOT, 'bin/kubesim'), ...args], {
    env: { ...process.env, KUBESIM_STATE: state },
    encoding: 'utf8',
  });
}
