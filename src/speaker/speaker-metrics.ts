// Copies the announcers' own counters into the Prometheus families once a second. The layer 2
// announcer keeps cumulative numbers, so counters advance by the difference since the last copy.
import type { SpeakerMetrics } from '../metrics/metrics.js';
import type { BgpBackend } from './bgp/backend.js';
import type { L2StatsSnapshot } from './l2/stats.js';

/** MetricsBaseline is the last snapshot copied. */
export interface MetricsBaseline {
  l2: L2StatsSnapshot | undefined;
}

/** syncSpeakerMetrics copies layer 2 counters and BGP session state into the registry. */
export function syncSpeakerMetrics(m: SpeakerMetrics, base: MetricsBaseline, l2: { counters(): L2StatsSnapshot; kernelAnswering?(): boolean } | undefined, bgp: BgpBackend | undefined): void {
  if (l2) {
    const now = l2.counters();
    advance(m.l2RequestsReceived, now.requestsReceived, base.l2?.requestsReceived);
    advance(m.l2ResponsesSent, now.responsesSent, base.l2?.responsesSent);
    advance(m.l2GratuitousSent, now.gratuitousSent, base.l2?.gratuitousSent);
    base.l2 = now;
    m.l2KernelResponder.set(l2.kernelAnswering?.() ? 1 : 0);
  }
  if (bgp) {
    m.bgpSessionUp.reset();
    for (const s of bgp.sessions()) m.bgpSessionUp.set({ peer: s.peer }, s.up ? 1 : 0);
    const st = bgp.stats();
    m.bgpAnnouncedPrefixes.reset();
    for (const [peer, n] of st.prefixesAnnounced) m.bgpAnnouncedPrefixes.set({ peer }, n);
    m.bgpUpdatesTotal.reset();
    for (const [peer, n] of st.updatesByPeer) m.bgpUpdatesTotal.set({ peer }, n);
  }
}

function advance(c: { inc(labels: { ip: string }, v: number): void }, now: Record<string, number>, before: Record<string, number> | undefined): void {
  for (const [ip, n] of Object.entries(now)) {
    const d = n - (before?.[ip] ?? 0);
    if (d > 0) c.inc({ ip }, d);
  }
}
