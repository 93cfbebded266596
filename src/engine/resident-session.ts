import { StateFile, type LoggedChange } from '../store/state-file';
import type { KObject } from '../model/objects';

export type { LoggedChange };
import type { Credentials } from '../auth/authenticate';
import { Session } from './session';

/**
 * A cluster kept loaded between requests (kubesim serve): one connection to the state file and
 * one Session whose store, engine and clock live on, each request a transaction on it that
 * writes through what it changed — instead of loading every object again per request, as a
 * command does. kubesim commands may write the same file meanwhile: SQLite's data_version
 * tells (StateFile.dataVersion), and only then is the file loaded again. A request that fails
 * or is a dry run after changing something in memory has its transaction rolled back, and the
 * memory is dropped with it (the next request loads the file).
 */

/** writes and deletions kept in the store's logs before the cluster is loaded afresh (the logs only grow) */
const MAX_WRITE_LOG = 200_000;

export interface ResidentFlags {
  dryRun?: boolean;
  /** the request only reads: when nothing is due, nothing runs and nothing is saved */
  readOnly?: boolean;
  credentials?: Credentials;
}

export class ResidentSession {
  private state: StateFile | undefined;
  private session: Session | undefined;
  /** the file's data_version when the session was loaded (this connection's own commits leave it) */
  private version = 0;
  /** CRD writes the served custom kinds were synced with */
  private crdWrites = -1;
  /** how many times the file was loaded (tests and benchmarks read it) */
  loads = 0;
  /**
   * Every object the kept session stored, in order, since `takeWrites` last took them (kept only
   * once `recordWrites` is set: kubesim serve's watches send each write, each resourceVersion, as
   * the API server's watch cache does — the store's write log holds an object's latest state only).
   * A rolled-back transaction's writes are taken out again.
   */
  private written: KObject[] = [];
  recordWrites = false;

  constructor(readonly statePath: string) {}

  /** Whether another process committed to the file since it was loaded (or nothing is loaded). */
  stale(): boolean {
    if (!this.session || !this.state) return true;
    return this.state.dataVersion() !== this.version;
  }

  /**
   * Runs `fn` in one transaction on the kept session, as Session.run does for a command:
   * caught up to now, settled after, saved and committed (dry run: rolled back).
   */
  /** The file, opened once; the server's own writes are not logged (it sees them in memory). */
  private file(): StateFile {
    if (!this.state) {
      this.state = StateFile.open(this.statePath).state;
      this.state.logChanges = false;
    }
    return this.state;
  }

  /** Starts (true) or ends the log of other processes' writes (StateFile's change log). */
  setChangeLog(on: boolean): void {
    this.file().setChangeLog(on);
  }

  /** SQLite's automatic checkpoint on this connection, over `pages` WAL pages (0: never; serve checkpoints off the request path). */
  autoCheckpoint(pages?: number): number {
    return this.file().autoCheckpoint(pages);
  }

  /** Other processes' logged writes after a resourceVersion, removing those up to it. */
  takeChanges(afterRv: number): LoggedChange[] {
    const state = this.file();
    return state.transaction(() => {
      state.dropChanges(afterRv);
      return state.takeChanges(afterRv);
    });
  }

  /** The writes recorded since the last call (see `written`), oldest first. */
  takeWrites(): KObject[] {
    const out = this.written;
    this.written = [];
    return out;
  }

  run<T>(fn: (session: Session) => T, flags: ResidentFlags = {}): T {
    const state = this.file();
    let session: Session | undefined;
    let committed = false;
    let draws = 0;
    const writtenBefore = this.written.length;
    try {
      const result = state.transaction(() => {
        session = this.current(state);
        const s = session;
        if (this.recordWrites) s.store.writeObserver = (o) => this.record(o);
        draws = s.random.draws;
        s.requestUser = undefined;
        const now = s.clockNow();
        const idle = flags.readOnly === true && s.engine.idleUntil(now);
        const clean = s.footprint();
        if (!idle) s.engine.runUntil(now);
        const out = fn(s.authenticate(flags.credentials));
        if (!idle || s.footprint() !== clean) s.engine.settle();
        if (flags.dryRun) throw new DryRunRollback(out);
        // nothing changed (a read, a refused write): the file stays as it was, as Session.run leaves it
        if (clean !== undefined && s.footprint() === clean && (!s.engine.quiescent() || Session.storedMark(state))) return out;
        s.save();
        return out;
      });
      committed = true;
      return result;
    } catch (e) {
      if (e instanceof DryRunRollback) return e.result as T;
      throw e;
    } finally {
      if (session) {
        session.store.writeObserver = undefined;
        // a rolled-back transaction wrote nothing a watch may see (its writes since a takeWrites are already out)
        if (!committed) this.written.length = Math.min(this.written.length, writtenBefore);
        this.afterTransaction(session, committed, draws);
      }
    }
  }

  private record(o: KObject): void {
    // nobody took them for this long: the oldest go (the change feed still finds each object's latest state)
    if (this.written.length >= MAX_WRITE_LOG) this.written = this.written.slice(MAX_WRITE_LOG / 2);
    this.written.push(o);
  }

  /** The kept session, loaded afresh when another writer moved the file or there is none. */
  private current(state: StateFile): Session {
    if (
      this.session &&
      state.dataVersion() === this.version &&
      this.session.store.writeLog.length + this.session.store.dropLog.length < MAX_WRITE_LOG
    ) {
      const crdWrites = this.session.store.kindWrites('CustomResourceDefinition');
      if (crdWrites !== this.crdWrites) {
        this.session.syncCustomKinds();
        this.crdWrites = crdWrites;
      }
      return this.session;
    }
    this.session = undefined;
    const session = Session.load(state);
    this.version = state.dataVersion();
    this.crdWrites = session.store.kindWrites('CustomResourceDefinition');
    this.loads++;
    this.session = session;
    return session;
  }

  /**
   * A committed transaction leaves nothing to write. A rolled-back one (an error, a dry run)
   * that changed the memory — objects, events, the PRNG — leaves memory and file apart: the
   * memory goes.
   */
  private afterTransaction(session: Session, committed: boolean, draws: number): void {
    if (committed) {
      session.store.markSaved();
      session.engine.markQuietSaved();
    } else if (session.store.unsaved || session.random.draws !== draws) this.drop();
  }

  /** The kept store's resourceVersion (undefined: nothing loaded). */
  get resourceVersion(): number | undefined {
    return this.session?.store.resourceVersion;
  }

  /** Forgets the kept session (the next request loads the file). */
  drop(): void {
    this.session = undefined;
  }

  close(): void {
    this.session = undefined;
    this.state?.close();
    this.state = undefined;
  }
}

class DryRunRollback {
  constructor(readonly result: unknown) {}
}
