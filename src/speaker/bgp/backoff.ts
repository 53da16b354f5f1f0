// Reconnect backoff: 1 s doubling to 2 min, reset when a session reaches Established (issue 5).

/** Backoff yields the delay before the next connection attempt. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly firstMs = 1_000, private readonly maxMs = 120_000) {}

  /** next returns the delay to wait now and advances: 1 s, 2 s, 4 s, ... capped at the maximum. */
  next(): number {
    const ms = Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return ms;
  }

  /** reset starts over at the first delay (after a successful session). */
  reset(): void {
    this.attempt = 0;
  }
}
