// Time as a parameter for both daemons (liveness, work-queue backoff), so tests run on a fake clock.

import type { Clock } from '../clock.js';

export type { Clock };

/** realClock is the process clock. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
