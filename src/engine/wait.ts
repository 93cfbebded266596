import type { Engine } from './engine';

export type WaitOutcome = 'done' | 'timeout' | 'stuck';

/** How far a wait with no timeout may jump ahead: a day of virtual time. */
const NO_TIMEOUT_HORIZON_MS = 24 * 3600 * 1000;

/**
 * Waiting commands (rollout status, wait, drain) in virtual time: check, then jump to the
 * next scheduled event, until `check` says done or the timeout passes. With nothing left
 * to happen and no timeout, the wait is `stuck` (a real kubectl would hang forever).
 */
export function waitInVirtualTime(engine: Engine, check: () => boolean, timeoutMs?: number): WaitOutcome {
  const deadline = timeoutMs && timeoutMs > 0 ? engine.now + timeoutMs : undefined;
  const horizon = deadline ?? engine.now + NO_TIMEOUT_HORIZON_MS;
  engine.settle();
  for (;;) {
    if (check()) return 'done';
    if (deadline !== undefined && engine.now >= deadline) return 'timeout';
    if (engine.pendingWakeup() === undefined && deadline === undefined) return 'stuck';
    if (!engine.step(horizon)) {
      if (check()) return 'done';
      return deadline !== undefined ? 'timeout' : 'stuck';
    }
  }
}
