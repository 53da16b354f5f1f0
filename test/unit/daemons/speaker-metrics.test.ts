// syncSpeakerMetrics copies the announcers' own numbers into MetalLB-named families: layer 2
// counters advance by the difference since the last copy (kernel replies included), the kernel
// fast path shows as a gauge, and BGP UPDATEs are one series per peer.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { speakerMetrics } from '../../../src/metrics/metrics.js';
import { syncSpeakerMetrics, type MetricsBaseline } from '../../../src/speaker/speaker-metrics.js';
import type { L2StatsSnapshot } from '../../../src/speaker/l2/stats.js';
import type { BgpBackend, BgpBackendStats } from '../../../src/speaker/bgp/backend.js';

function snapshot(requests: number, kernel = false): { counters(): L2StatsSnapshot; kernelAnswering(): boolean } {
  return {
    counters: () => ({
      requestsReceived: { '192.0.2.1': requests },
      responsesSent: { '192.0.2.1': requests },
      gratuitousSent: {},
      dropped: { notOurs: 0, notRequest: 0, wrongInterface: 0, malformed: 0 },
      sendErrors: 0,
    }),
    kernelAnswering: () => kernel,
  };
}

function bgp(stats: BgpBackendStats): BgpBackend {
  return {
    setPeers() {}, setRoutes() {}, onSessionChange() {}, close: async () => {},
    sessions: () => [...stats.prefixesAnnounced.keys()].map((peer) => ({ peer, up: true })),
    stats: () => stats,
  };
}

/** sample returns the exposition lines of one metric family. */
async function sample(m: ReturnType<typeof speakerMetrics>, name: string): Promise<string[]> {
  return (await m.registry.metrics()).split('\n').filter((l) => l.startsWith(name));
}

test('layer 2 counters advance by the difference; the kernel gauge follows the announcer', async () => {
  const m = speakerMetrics();
  const base: MetricsBaseline = { l2: undefined };
  syncSpeakerMetrics(m, base, snapshot(3, true), undefined);
  syncSpeakerMetrics(m, base, snapshot(5, true), undefined);
  assert.equal(await sample(m, 'metallb_layer2_requests_received'), ['metallb_layer2_requests_received{ip="192.0.2.1"} 5']);
  assert.equal(await sample(m, 'lbctl_layer2_kernel_responder'), ['lbctl_layer2_kernel_responder 1']);
  syncSpeakerMetrics(m, base, snapshot(5, false), undefined);
  assert.equal(await sample(m, 'lbctl_layer2_kernel_responder'), ['lbctl_layer2_kernel_responder 0']);
});

test('BGP UPDATEs are one series per peer, and a peer that went away leaves no series', async () => {
  const m = speakerMetrics();
  const base: MetricsBaseline = { l2: undefined };
  const two = { updatesSent: 7, updatesByPeer: new Map([['router-a', 4], ['router-b', 3]]), bytesSent: 0, prefixesAnnounced: new Map([['router-a', 2], ['router-b', 2]]) };
  syncSpeakerMetrics(m, base, undefined, bgp(two));
  assert.equal(await sample(m, 'metallb_bgp_updates_total'), ['metallb_bgp_updates_total{peer="router-a"} 4', 'metallb_bgp_updates_total{peer="router-b"} 3']);
  const one = { updatesSent: 5, updatesByPeer: new Map([['router-a', 5]]), bytesSent: 0, prefixesAnnounced: new Map([['router-a', 2]]) };
  syncSpeakerMetrics(m, base, undefined, bgp(one));
  assert.equal(await sample(m, 'metallb_bgp_updates_total'), ['metallb_bgp_updates_total{peer="router-a"} 5']);
});

test.run();
