// Restart delays for a stopped informer. client-node's informer stops for good on an HTTP error
// (it only retries by itself after a clean close or a 410), so lbctl restarts it on this schedule:
// exponential from `baseMs` to `maxMs`, with jitter so many speakers do not hit a recovering API
// server in lock step. Pure: the random source is a parameter.

/** BackoffPolicy shapes the schedule. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** jitter is the +/- fraction applied to each delay (0.2 = up to 20% either way). */
  jitter: number;
}

/** DEFAULT_BACKOFF matches client-node's own reconnect bounds (1 s to 30 s). */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, maxMs: 30_000, jitter: 0.2 };

/** backoffDelay is the wait before restart number `attempt` (0 for the first restart). */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const spread = exp * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(policy.maxMs, exp + spread)));
}
