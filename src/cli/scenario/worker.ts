import { parentPort, workerData } from 'node:worker_threads';
import { runProgram } from '../program';
import { runScenario } from './runner';
import { loadScenario } from './spec';
import { errorMessage } from '../../util/errors';

/** A worker thread of `kubesim scenario run --seeds`: reads the scenario once, runs each seed it is sent. */
const { file, cwd } = workerData as { file: string; cwd: string };
const scenario = loadScenario(file, cwd);
parentPort!.on('message', (seed: number) => {
  runScenario(scenario, seed, runProgram).then(
    (result) => parentPort!.postMessage({ result }),
    (e: unknown) => parentPort!.postMessage({ error: errorMessage(e) }),
  );
});
