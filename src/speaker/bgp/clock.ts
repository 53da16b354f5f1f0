// Time as a parameter: sessions take a Clock so unit tests can drive hold and keepalive timers
// without sleeping.

import type { Clock } from '../../clock.js';

export type { Clock };

/** TimerHandle is whatever a Clock returns from setTimeout. */
export type TimerHandle = unknown;

/** realClock is the process clock; timers are unref'd so a forgotten session never pins the process. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (cb, ms) => {
    const t = setTimeout(cb, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Timer is one restartable timer on a Clock (hold, keepalive, retry). */
export class Timer {
  private handle: TimerHandle | undefined;

  constructor(private readonly clock: Clock, private readonly fire: () => void) {}

  /** start (re)arms the timer; a delay <= 0 leaves it stopped (hold time 0 means no timer). */
  start(ms: number): void {
    this.stop();
    if (ms <= 0) return;
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined;
      this.fire();
    }, ms);
  }

  /** stop disarms the timer. */
  stop(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }

  /** running tells whether the timer is armed. */
  running(): boolean {
    return this.handle !== undefined;
  }
}
