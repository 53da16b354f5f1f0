// The speaker's BGP wiring with a recording backend: sessions follow the peers whose node
// selectors match this node (and change with the node's labels), routes follow the Services, and
// the announcements are published as ServiceBGPStatus records. Without layer 2 no lease is held.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryState } from '../../../src/state/memory.js';
import { SpeakerDaemon } from '../../../src/speaker/daemon.js';
import { newRegistry, speakerMetrics } from '../../../src/metrics/metrics.js';
import type { BgpBackend, BgpBackendStats, PeerSessionState } from '../../../src/speaker/bgp/backend.js';
import type { PeerRoutes } from '../../../src/speaker/bgp/route.js';
import type { Peer } from '../../../src/model/index.js';
import { legacyConfig, node, service, slice } from './objects.js';

class RecordingBackend implements BgpBackend {
  peers: string[] = [];
  routes: PeerRoutes = new Map();
  setPeers(peers: Peer[]): void { this.peers = peers.map((p) => p.peerAddress).sort(); }
  setRoutes(routes: PeerRoutes): void { this.routes = routes; }
  sessions(): PeerSessionState[] { return this.peers.map((peer) => ({ peer, up: true })); }
  stats(): BgpBackendStats { return { updatesSent: 0, updatesByPeer: new Map(), bytesSent: 0, prefixesAnnounced: new Map() }; }
  onSessionChange(): void {}
  async close(): Promise<void> { this.peers = []; }
}

const CONFIG = `peers:
- {peer-address: 192.0.2.254, peer-asn: 64512, my-asn: 64513}
- peer-address: 192.0.2.253
  peer-asn: 64512
  my-asn: 64513
  node-selectors: [{match-labels: {rack: r2}}]
address-pools:
- {name: routed, protocol: bgp, addresses: [198.51.100.0/28]}
`;

// The BGP manager debounces 200 ms; the first config parse also takes a moment. Poll, bounded.
async function until(what: string, f: () => boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (f()) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('sessions follow the node selectors, routes follow the Services, records are published', async () => {
  const state = new MemoryState('metallb-system', [legacyConfig(CONFIG), node('n1', { rack: 'r1' }), service('dns', { ips: ['198.51.100.3'] }), slice('dns', ['n1'])]);
  const backend = new RecordingBackend();
  const d = new SpeakerDaemon(state, { node: 'n1', bgp: backend, metrics: speakerMetrics(newRegistry(false)), lease: { renewMs: 50, durationMs: 200 } });
  d.start();
  try {
    await until('routes', () => backend.routes.size > 0 && !!state.get('ServiceBGPStatus', 'metallb-system', 'bgp-n1-default-dns'));
    assert.equal(backend.peers, ['192.0.2.254'], 'the rack r2 peer does not select n1');
    assert.is(state.writes.get('upsertLease'), undefined, 'a BGP-only speaker holds no lease');
    const routes = [...backend.routes.values()].flat().map((r) => r.prefix);
    assert.equal(routes, ['198.51.100.3/32']);
    const rec = state.get('ServiceBGPStatus', 'metallb-system', 'bgp-n1-default-dns');
    assert.is(rec?.status.node, 'n1');
    assert.is(rec?.status.peers.length, 1);
    state.put(node('n1', { rack: 'r2' }));
    await until('the second session', () => backend.peers.length === 2);
    assert.equal(backend.peers, ['192.0.2.253', '192.0.2.254'], 'relabelled into rack r2: both peers');
    state.remove('Service', 'default', 'dns');
    await until('the withdrawal', () => [...backend.routes.values()].flat().length === 0);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal([...backend.routes.values()].flat(), [], 'withdrawn with the Service');
    assert.is(state.get('ServiceBGPStatus', 'metallb-system', 'bgp-n1-default-dns'), undefined);
  } finally {
    await d.stop();
  }
  assert.equal(backend.peers, [], 'closed on stop');
});

test.run();
