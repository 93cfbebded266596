import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { BufferIO } from '../../src/cli/io';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A temp directory with a state file path; each test gets its own cluster. */
export function tempCluster(prefix = 'kubesim-test-'): { dir: string; state: string; file(name: string, content: string): string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    state: path.join(dir, 'state.db'),
    file(name: string, content: string) {
      const p = path.join(dir, name);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
      return p;
    },
  };
}

/** Runs kubesim in-process through the same entry point as bin/kubesim. */
export async function kubesim(
  state: string,
  args: string[],
  opts: { stdin?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const io = new BufferIO({ KUBESIM_STATE: state, ...(opts.env ?? {}) }, opts.cwd ?? process.cwd(), opts.stdin ?? '');
  const code = await main(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** A cluster with a manual clock (deterministic time) and the given shape flags. */
export async function manualCluster(
  extra: string[] = [],
): Promise<{ state: string; dir: string; file(name: string, content: string): string; run(...args: string[]): Promise<RunResult> }> {
  const t = tempCluster();
  const r = await kubesim(t.state, ['cluster', 'create', '--clock', 'manual', ...extra]);
  if (r.code !== 0) throw new Error(`cluster create failed: ${r.stderr}`);
  return { ...t, run: (...args: string[]) => kubesim(t.state, args, { cwd: t.dir }) };
}

export type Cluster = Awaited<ReturnType<typeof manualCluster>>;

/** A manual-clock cluster with one manifest applied (which must print nothing on stderr). */
export async function clusterWith(manifest: string, expectNoStderr: (stderr: string) => void): Promise<Cluster> {
  const c = await manualCluster();
  c.file('m.yaml', manifest);
  const r = await c.run('apply', '-f', 'm.yaml');
  expectNoStderr(r.stderr);
  return c;
}

/** `kubesim clock advance Ns`. */
export async function advanceSeconds(c: Cluster, seconds: number): Promise<void> {
  await c.run('clock', 'advance', `${seconds}s`);
}
