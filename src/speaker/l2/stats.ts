// Layer-2 counters as plain numbers, so the metrics module can read them into
// metallb_layer2_requests_received / responses_sent / gratuitous_sent (labelled by ip) without this
// module depending on prom-client. Drops are counted by reason, the way MetalLB logs them.
import { DROP_REASONS, type DropReason } from './types.js';

/** L2StatsSnapshot is a copy of every counter at one moment. */
export interface L2StatsSnapshot {
  /** requestsReceived counts ARP requests / neighbor solicitations for an IP we announce, by IP. */
  requestsReceived: Record<string, number>;
  /** responsesSent counts ARP replies / solicited NAs, by IP. */
  responsesSent: Record<string, number>;
  /** gratuitousSent counts unsolicited announcements (one per interface per round), by IP. */
  gratuitousSent: Record<string, number>;
  /** dropped counts frames that got no answer, by reason. */
  dropped: Record<DropReason, number>;
  /** sendErrors counts frames the kernel refused to send. */
  sendErrors: number;
}

/** L2Stats accumulates the counters; only the announcer writes them. */
export class L2Stats {
  private readonly requests = new Map<string, number>();
  private readonly responses = new Map<string, number>();
  private readonly gratuitous = new Map<string, number>();
  private readonly drops = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
  private errors = 0;

  /** request counts one request for `ip`. */
  request(ip: string): void {
    bump(this.requests, ip);
  }

  /** response counts one reply for `ip`. */
  response(ip: string): void {
    bump(this.responses, ip);
  }

  /** gratuitousSent counts one unsolicited announcement for `ip` on one interface. */
  gratuitousSent(ip: string): void {
    bump(this.gratuitous, ip);
  }

  /** drop counts one unanswered frame. */
  drop(reason: DropReason): void {
    this.drops[reason]++;
  }

  /** sendError counts one refused send. */
  sendError(): void {
    this.errors++;
  }

  /** snapshot copies every counter (callers may keep or mutate it). */
  snapshot(): L2StatsSnapshot {
    return {
      requestsReceived: Object.fromEntries(this.requests),
      responsesSent: Object.fromEntries(this.responses),
      gratuitousSent: Object.fromEntries(this.gratuitous),
      dropped: { ...this.drops },
      sendErrors: this.errors,
    };
  }
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}
