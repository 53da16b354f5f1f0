// Unsolicited announcements when this node becomes an IP's owner (MetalLB's "spam"): one round at
// once, then one every 1.1 s until 5 s after the latest trigger, stopped the moment ownership goes.
// Rounds are sent by a callback, so the schedule is tested with a fake clock and no sockets.
import type { Clock } from './types.js';

/** GratuitousTiming is the schedule; MetalLB's values are the defaults. */
export interface GratuitousTiming {
  intervalMs: number;
  durationMs: number;
}

/** DEFAULT_GRATUITOUS_TIMING is immediately, then every 1.1 s for 5 s (about 5 rounds). */
export const DEFAULT_GRATUITOUS_TIMING: GratuitousTiming = { intervalMs: 1100, durationMs: 5000 };

interface Burst {
  deadline: number;
  timer: unknown;
}

/** GratuitousScheduler runs one burst per IP; `sendRound(ip)` transmits one round on every interface. */
export class GratuitousScheduler {
  private readonly bursts = new Map<string, Burst>();

  constructor(
    private readonly clock: Clock,
    private readonly sendRound: (ip: string) => void,
    private readonly timing: GratuitousTiming = DEFAULT_GRATUITOUS_TIMING,
  ) {}

  /**
   * trigger starts a burst for `ip`, or extends the running one to 5 s from now. A running burst is
   * not restarted, so repeated triggers do not multiply the traffic.
   */
  trigger(ip: string): void {
    const deadline = this.clock.now() + this.timing.durationMs;
    const running = this.bursts.get(ip);
    if (running) {
      running.deadline = deadline;
      return;
    }
    const burst: Burst = { deadline, timer: undefined };
    this.bursts.set(ip, burst);
    this.round(ip, burst);
  }

  /** stop ends the burst for `ip` at once (ownership lost). */
  stop(ip: string): void {
    const b = this.bursts.get(ip);
    if (!b) return;
    this.clock.clearTimeout(b.timer);
    this.bursts.delete(ip);
  }

  /** stopAll ends every burst. */
  stopAll(): void {
    for (const ip of [...this.bursts.keys()]) this.stop(ip);
  }

  /** active lists the IPs with a running burst. */
  active(): string[] {
    return [...this.bursts.keys()];
  }

  private round(ip: string, burst: Burst): void {
    if (this.bursts.get(ip) !== burst) return;
    try {
      this.sendRound(ip);
    } catch {
      // The sender counts its own failures; a bad round must not end the burst.
    }
    if (this.clock.now() + this.timing.intervalMs > burst.deadline) {
      this.bursts.delete(ip);
      return;
    }
    burst.timer = this.clock.setTimeout(() => this.round(ip, burst), this.timing.intervalMs);
  }
}
