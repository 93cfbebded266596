import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runProgram } from '../program';
import { runScenario } from './runner';
import type { Scenario } from './spec';
import type { ScenarioRunResult } from '../../model/scenario-result';

/**
 * Runs a scenario over seeds: in this thread when one worker is asked for (or one seed), else
 * on worker_threads, each running one seed at a time and taking the next when it is done (a
 * seed's run is CPU-bound: the controllers, scheduler and SQLite all run in its thread).
 */
export async function runSeeds(
  scenario: Scenario,
  file: string,
  seeds: number[],
  workers: number,
  onResult: (r: ScenarioRunResult) => void = () => {},
): Promise<ScenarioRunResult[]> {
  const script = workerScript();
  const threads = Math.min(workers, seeds.length);
  if (threads <= 1 || !script) {
    const out: ScenarioRunResult[] = [];
    for (const seed of seeds) {
      const r = await runScenario(scenario, seed, runProgram);
      onResult(r);
      out.push(r);
    }
    return out;
  }
  const queue = [...seeds];
  const out: ScenarioRunResult[] = [];
  await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(script, { workerData: { file, cwd: scenario.dir } });
          const next = () => {
            const seed = queue.shift();
            if (seed === undefined) {
              void worker.terminate().then(() => resolve());
              return;
            }
            worker.postMessage(seed);
          };
          worker.on('message', (msg: { result?: ScenarioRunResult; error?: string }) => {
            if (msg.error !== undefined) {
              queue.length = 0;
              void worker.terminate();
              reject(new Error(msg.error));
              return;
            }
            onResult(msg.result!);
            out.push(msg.result!);
            next();
          });
          worker.on('error', reject);
          next();
        }),
    ),
  );
  return out.sort((a, b) => a.seed - b.seed);
}

/**
 * The compiled worker (dist/cli/scenario/worker.js): next to this module when kubesim runs
 * from dist/, and in dist/ when this module is TypeScript run by the tests (a worker thread
 * cannot load .ts); undefined when neither is there, and the seeds run in this thread.
 */
function workerScript(): string | undefined {
  const here = path.join(__dirname, 'worker.js');
  if (fs.existsSync(here)) return here;
  const built = path.resolve(__dirname, '../../../dist/cli/scenario/worker.js');
  return fs.existsSync(built) ? built : undefined;
}
