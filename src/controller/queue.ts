// WorkQueue: a de-duplicating queue of keys with per-key exponential backoff for transient
// failures, like client-go's rate-limited work queue. Workers start one at a time, in order; with
// `concurrency` > 1 the next one starts when the previous one awaits (its synchronous part, the
// decision, has run), so decisions never interleave but their writes overlap. A key is never
// processed twice at once. Bounded: backoff caps at maxDelayMs.
import { realClock, type Clock } from '../state/clock.js';

/** Outcome of processing one key: done, or retry later (transient failure). */
export type WorkOutcome = 'done' | 'retry';

/** WorkQueueOptions tune the backoff. */
export interface WorkQueueOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
  /** onIdle runs whenever the queue drains (metrics refresh, test synchronisation). */
  onIdle?: () => void;
  /** concurrency is how many keys may be awaiting their writes at once (default 1). */
  concurrency?: number;
}

/** WorkQueue runs `worker` for each added key; adding a queued key again is a no-op. */
export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, unknown>();
  private readonly inFlight = new Set<string>();
  private readonly clock: Clock;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly worker: (key: string) => Promise<WorkOutcome>, private readonly opts: WorkQueueOptions = {}) {
    this.clock = opts.clock ?? realClock;
  }

  /** add queues keys in the given order (keys already queued keep their place). */
  add(...keys: string[]): void {
    if (this.stopped) return;
    for (const k of keys) this.pending.add(k);
    this.kick();
  }

  /** size is the number of keys waiting (not counting backoff timers). */
  get size(): number {
    return this.pending.size;
  }

  /** idle resolves when nothing is queued or running (backoff timers may still be armed). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** stop drops queued work and timers; the key being processed finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.clear();
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
    await this.idle();
  }

  private kick(): void {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      if (this.pending.size > 0 && !this.stopped) this.kick();
      else this.opts.onIdle?.();
    });
  }

  private async drain(): Promise<void> {
    // Yield once so a burst of add() calls in one tick is processed as a batch, in order.
    await Promise.resolve();
    const limit = Math.max(1, this.opts.concurrency ?? 1);
    const running = new Set<Promise<void>>();
    while (!this.stopped) {
      let key: string | undefined;
      for (const k of this.pending) if (!this.inFlight.has(k)) { key = k; break; }
      if (key === undefined || running.size >= limit) {
        if (running.size === 0) break;
        await Promise.race(running);
        continue;
      }
      this.pending.delete(key);
      this.inFlight.add(key);
      const p = this.one(key).finally(() => { this.inFlight.delete(key); running.delete(p); });
      running.add(p);
    }
    await Promise.all(running);
  }

  private async one(key: string): Promise<void> {
    let outcome: WorkOutcome;
    try {
      outcome = await this.worker(key);
    } catch {
      outcome = 'retry';
    }
    if (outcome === 'done') this.failures.delete(key);
    else this.retryLater(key);
  }

  private retryLater(key: string): void {
    if (this.stopped || this.timers.has(key)) return;
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    const delay = Math.min(this.opts.maxDelayMs ?? 30_000, (this.opts.baseDelayMs ?? 100) * 2 ** (n - 1));
    this.timers.set(key, this.clock.setTimeout(() => { this.timers.delete(key); this.add(key); }, delay));
  }
}
