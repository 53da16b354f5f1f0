// BgpManager: debouncing, diffing what reaches the backend, and reasons in the logs (read as data).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { BgpManager, peerChanges, type Scheduler } from '../../../src/speaker/bgp/manager.js';
import type { BgpBackend, PeerSessionState } from '../../../src/speaker/bgp/backend.js';
import type { PeerRoutes } from '../../../src/speaker/bgp/route.js';
import type { BFDProfile, Peer } from '../../../src/model/index.js';
import type { ServiceDecision } from '../../../src/speaker/bgp/advertise.js';
import { config, ep, node, peer, pool, sel, svc, tables } from './build.js';

/** FakeBackend records every call the manager makes. */
class FakeBackend implements BgpBackend {
  calls: string[] = [];
  peers: string[] = [];
  routes: PeerRoutes = new Map();
  setPeers(peers: Peer[], _profiles: BFDProfile[]): void {
    this.peers = peers.map((p) => p.name);
    this.calls.push(`setPeers ${this.peers.join(',')}`);
  }
  setRoutes(routes: PeerRoutes): void {
    this.routes = routes;
    this.calls.push('setRoutes');
  }
  sessions(): PeerSessionState[] {
    return [];
  }
  stats() {
    return { updatesSent: 0, updatesByPeer: new Map<string, number>(), bytesSent: 0, prefixesAnnounced: new Map<string, number>() };
  }
  onSessionChange(): void {}
  async close(): Promise<void> {
    this.calls.push('close');
  }
}

/** fakeScheduler queues callbacks; run() fires the ones still pending. */
function fakeScheduler() {
  const pending = new Set<() => void>();
  const schedule: Scheduler = (fn) => {
    pending.add(fn);
    return () => pending.delete(fn);
  };
  return {
    schedule,
    pending: () => pending.size,
    run: () => {
      const fns = [...pending];
      pending.clear();
      fns.forEach((f) => f());
    },
  };
}

function setup(opts: { onDecision?: (d: ServiceDecision) => void } = {}) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(JSON.parse(String(chunk))); cb(); } });
  const logger = pino({ level: 'info' }, sink);
  const backend = new FakeBackend();
  const clock = fakeScheduler();
  const mgr = new BgpManager({ backend, schedule: clock.schedule, logger, onDecision: opts.onDecision });
  return { mgr, backend, clock, lines };
}

const cfg = config([pool('v4', ['198.51.100.0/24'])], [peer('p1'), peer('r2', { peerAddress: '192.0.2.9', nodeSelectors: [sel({ rack: 'r2' })] })]);

test('nothing reaches the backend until both the config and the node are known', () => {
  const { mgr, backend, clock } = setup();
  mgr.setService(svc('a', ['198.51.100.10']));
  mgr.setConfig(cfg);
  clock.run();
  assert.equal(backend.calls, []);
  assert.is(mgr.flush(), undefined);
  mgr.setNode(node());
  clock.run();
  assert.equal(backend.calls, ['setPeers p1', 'setRoutes']);
  assert.equal(tables(backend.routes), { p1: ['198.51.100.10/32 lp=0 c='] });
});

test('a burst of changes inside the quiet period makes one plan and one backend update', () => {
  const { mgr, backend, clock } = setup();
  mgr.setConfig(cfg);
  mgr.setNode(node());
  for (let i = 1; i <= 20; i++) mgr.setService(svc(`s${i}`, [`198.51.100.${i}`]));
  assert.is(clock.pending(), 1);
  clock.run();
  assert.equal(backend.calls, ['setPeers p1', 'setRoutes']);
  assert.is(backend.routes.get('p1')!.length, 20);
});

test('an unchanged state sends nothing again', () => {
  const { mgr, backend, clock } = setup();
  mgr.setConfig(cfg);
  mgr.setNode(node());
  mgr.setService(svc('a', ['198.51.100.10']));
  clock.run();
  backend.calls = [];
  mgr.setConfig(structuredClone(cfg));
  mgr.setService(svc('a', ['198.51.100.10']));
  clock.run();
  assert.equal(backend.calls, []);
});

test('a node label change opens the selected session and logs why', () => {
  const { mgr, backend, clock, lines } = setup();
  mgr.setConfig(cfg);
  mgr.setNode(node());
  mgr.setService(svc('a', ['198.51.100.10']));
  clock.run();
  mgr.setNode(node({ rack: 'r2' }));
  clock.run();
  assert.equal(backend.calls, ['setPeers p1', 'setRoutes', 'setPeers p1,r2', 'setRoutes']);
  assert.equal(tables(backend.routes), { p1: ['198.51.100.10/32 lp=0 c='], r2: ['198.51.100.10/32 lp=0 c='] });
  const added = lines.filter((l) => l.event === 'peerAdded').map((l) => [l.peer, l.reason]);
  assert.equal(added, [['p1', 'configured'], ['r2', 'selectedByNodeSelector']]);
  mgr.setNode(node({ rack: 'r1' }));
  clock.run();
  assert.equal(lines.filter((l) => l.event === 'peerRemoved').map((l) => [l.peer, l.reason]), [['r2', 'filteredByNodeSelector']]);
});

test('a Local service losing its last local endpoint is withdrawn and the reason is logged', () => {
  const seen: string[] = [];
  const { mgr, backend, clock, lines } = setup({ onDecision: (d) => seen.push(`${d.key} ${d.reason}`) });
  mgr.setConfig(cfg);
  mgr.setNode(node());
  mgr.setService(svc('a', ['198.51.100.10'], { externalTrafficPolicy: 'Local' }, [ep('10.0.0.1', 'pandora')]));
  clock.run();
  mgr.setService(svc('a', ['198.51.100.10'], { externalTrafficPolicy: 'Local' }, [ep('10.0.0.1', 'pandora', false)]));
  clock.run();
  assert.equal(tables(backend.routes), { p1: [] });
  assert.equal(seen, ['default/a announced', 'default/a noLocalEndpoints']);
  const last = lines.filter((l) => l.service === 'default/a').at(-1)!;
  assert.equal([last.event, last.reason], ['serviceNotAnnounced', 'noLocalEndpoints']);
  assert.match(String(last.detail), 'pandora');
});

test('deleting a service withdraws its prefix and logs serviceDeleted', () => {
  const { mgr, backend, clock, lines } = setup();
  mgr.setConfig(cfg);
  mgr.setNode(node());
  mgr.setService(svc('a', ['198.51.100.10']));
  mgr.setService(svc('b', ['198.51.100.11']));
  clock.run();
  mgr.deleteService('default/a');
  mgr.deleteService('default/missing');
  clock.run();
  assert.equal(tables(backend.routes), { p1: ['198.51.100.11/32 lp=0 c='] });
  assert.equal(lines.filter((l) => l.event === 'serviceWithdrawn').map((l) => [l.service, l.reason]), [['default/a', 'serviceDeleted']]);
  assert.equal([...mgr.decisions().keys()], ['default/b']);
});

test('removing a peer from the config closes its session with reason removedFromConfig', () => {
  const { mgr, backend, clock, lines } = setup();
  mgr.setConfig(config(cfg.pools, [peer('p1'), peer('p3', { peerAddress: '192.0.2.3' })]));
  mgr.setNode(node());
  clock.run();
  mgr.setConfig(cfg);
  clock.run();
  assert.equal(backend.peers, ['p1']);
  assert.equal(lines.filter((l) => l.event === 'peerRemoved').map((l) => [l.peer, l.reason]), [['p3', 'removedFromConfig']]);
});

test('close cancels a pending plan and closes the backend', async () => {
  const { mgr, backend, clock } = setup();
  mgr.setConfig(cfg);
  mgr.setNode(node());
  await mgr.close();
  clock.run();
  mgr.setService(svc('a', ['198.51.100.10']));
  assert.is(clock.pending(), 0);
  assert.equal(backend.calls, ['close']);
});

test('peerChanges reports a changed peer as peerChanged', () => {
  const names = new Set(['p1']);
  assert.equal(peerChanges([peer('p1')], [peer('p1', { holdTime: 9 })], names, names), [{ event: 'peerChanged', peer: 'p1', reason: 'configChanged' }]);
});

test.run();
