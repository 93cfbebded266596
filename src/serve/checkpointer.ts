import { Worker } from 'node:worker_threads';
import { monotonicMs } from '../clock/clock';

/**
 * SQLite's WAL checkpoint off the request path. A connection in WAL mode copies the log into the
 * file itself when a commit leaves it over wal_autocheckpoint pages (1,000 by default): that
 * commit — one PATCH in kubesim serve — then waits for the copy and its fsyncs (PATCHes at 100/s
 * had bursts of 60–200 ms). The server turns that off on its connection and checkpoints here, on
 * a connection of its own in a worker thread: PASSIVE, so it never waits for a reader or blocks a
 * writer. Only a write that begins after a checkpoint copied the whole log starts the log over
 * (SQLite's WAL reset); a server's commit landing during the copy leaves frames behind, so the
 * checkpoint runs again at once until a pass finds the log as the last one left it (else under
 * steady writes the log grew without end: 106 MB in 30 s of 100 PATCHes/s). kubesim commands on the same file keep their own
 * automatic checkpoint; their readers read the WAL either way.
 */

/**
 * When the checkpoint runs: once writes pause for IDLE_MS, or MAX_WAIT_MS after the first write
 * it has not copied under steady writes (a few hundred frames a pass). Each pass fsyncs the log
 * and the file, and a commit appending to the log meanwhile can wait for the disk: a checkpoint
 * every 250 ms at 100 PATCHes/s, without the passes that catch up, doubled the p99.
 */
const IDLE_MS = 200;
const MAX_WAIT_MS = 1_000;
/** how many passes in a row may catch up with frames written during the last */
const CATCH_UP = 5;

/** a PASSIVE checkpoint's answer: frames in the log, and how many of them are in the file now */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
}

// the worker's code: an eval'd CommonJS script (no file of its own to find in src/ or dist/)
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log: row.log, checkpointed: row.checkpointed });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private timer: NodeJS.Timeout | undefined;
  /** when the first write not yet checkpointed came (ms of the monotonic clock), 0: none */
  private since = 0;
  private running = false;
  /** a write came while a checkpoint ran: another follows it */
  private again = false;
  private closed = false;
  /** checkpoints run again at once for the frames written during the last */
  private catchUp = 0;
  /** the log's frames at the last checkpoint: the same again means no write came in between */
  private lastLog = -1;
  private readonly waiters: ((result: CheckpointResult) => void)[] = [];
  /** checkpoints done (tests and benchmarks read it) */
  count = 0;

  /** `onFailure`: the worker could not checkpoint (the server goes back to SQLite's own) */
  constructor(file: string, onFailure: (message: string) => void) {
    this.worker = new Worker(WORKER, { eval: true, workerData: { file, sqlite: require.resolve('better-sqlite3') } });
    this.worker.unref();
    this.worker.on('message', (m: CheckpointResult | { error: string }) => {
      this.running = false;
      if ('error' in m) {
        onFailure(m.error);
        return;
      }
      // writes that came during the copy are left: copied at once (a few frames, done between two
      // writes), as only a log copied in full starts over — else under steady writes it grew without end
      const grew = m.log !== this.lastLog;
      this.lastLog = m.log;
      if (m.log > 0 && grew && this.catchUp++ < CATCH_UP) {
        this.running = true;
        this.worker.postMessage('checkpoint');
        return;
      }
      this.catchUp = 0;
      this.lastLog = -1;
      this.count++;
      for (const resolve of this.waiters.splice(0)) resolve(m);
      if (this.again) {
        this.again = false;
        this.request();
      }
    });
    this.worker.on('error', (e) => {
      this.closed = true;
      onFailure(e.message);
    });
  }

  /** After a write: a checkpoint once writes pause (or have gone on for MAX_WAIT_MS). */
  request(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const now = monotonicMs();
    if (!this.since) this.since = now;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.closed) return;
        this.since = 0;
        this.running = true;
        this.worker.postMessage('checkpoint');
      },
      Math.max(0, Math.min(IDLE_MS, this.since + MAX_WAIT_MS - now)),
    );
    this.timer.unref();
  }

  /** The next checkpoint's answer (one is asked for). */
  next(): Promise<CheckpointResult> {
    const answer = new Promise<CheckpointResult>((resolve) => this.waiters.push(resolve));
    this.request();
    return answer;
  }

  /** Ends the worker; its connection closes (the last one to close checkpoints everything). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('close');
    await exited;
  }
}
