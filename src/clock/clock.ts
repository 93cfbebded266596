/**
 * The only place that reads the wall clock. Everything else takes virtual "now"
 * (milliseconds since the epoch) from the cluster's persisted clock.
 */
export type ClockMode = 'wall' | 'manual';

export function wallNow(): number {
  return Date.now();
}

/** Performance timer for benchmarks and spinners (not cluster time). */
export function monotonicMs(): number {
  return performance.now();
}

export interface PersistedClock {
  mode: ClockMode;
  /** virtual now at the end of the last command */
  virtualNow: number;
  /** wall time at the end of the last command (wall mode catches up by the real time elapsed since) */
  wallAtLastCommand: number;
}

/** Virtual now for this command: in wall mode it advances by real elapsed time; it never goes backwards. */
export function currentVirtualNow(clock: PersistedClock, wall: number = wallNow()): number {
  if (clock.mode === 'manual') return clock.virtualNow;
  return clock.virtualNow + Math.max(0, wall - clock.wallAtLastCommand);
}

/** Manual-clock clusters start at a fixed instant so runs repeat byte for byte. */
export const MANUAL_CLOCK_EPOCH = Date.UTC(2025, 0, 1, 0, 0, 0);

/** Waits `ms` of real time (`kubesim watch` pacing); resolves early when `signal` aborts. */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Real time as `kubesim watch` paces against it: the process's monotonic clock and timers,
 * or in tests a scripted clock whose sleeps return at once (so pacing is checked exactly).
 */
export interface RealTime {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemRealTime: RealTime = { now: monotonicMs, sleep: realSleep };
