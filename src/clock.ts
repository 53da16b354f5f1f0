// Time as a parameter: every timer-driven part (BGP sessions, layer 2 announcement bursts, leases,
// work-queue backoff) takes a Clock, so tests drive time instead of sleeping. Each part keeps its
// own real clock because they differ on purpose: leases need wall time written to the store, the
// announcement schedule a monotonic clock, and session timers must not pin the process.

/** Clock is the current time in milliseconds and one-shot timers. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
