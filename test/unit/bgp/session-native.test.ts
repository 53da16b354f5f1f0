// NativeBackend: one session per peer, recreated on change, closed with Cease on removal, stats.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NativeBackend } from '../../../src/speaker/bgp/native.js';
import { createLogger } from '../../../src/log.js';
import { dialBgp } from '../../../src/sys/bgp-dial.js';
import { FakeClock, RawPeer, type PeerConn } from '../../support/bgp-fake.js';
import { waitFor } from '../../support/netns.js';
import { makePeer } from '../../support/speaker-proc.js';
import { KEEPALIVE, buildOpen, encodeOpen, formatPrefix } from '../../../src/wire/bgp/index.js';
import type { PeerSessionState } from '../../../src/speaker/bgp/backend.js';

const log = createLogger('test', 'silent');

function answer(c: PeerConn, asn: number): void {
  c.socket.write(Buffer.concat([encodeOpen(buildOpen({ asn, holdTime: 90, routerId: '192.0.2.99', families: [{ afi: 1, safi: 1 }] })), KEEPALIVE]));
}

async function setup() {
  const peerA = new RawPeer((c) => setTimeout(() => answer(c, 64513), 20));
  const peerB = new RawPeer((c) => setTimeout(() => answer(c, 64514), 20));
  await peerA.listen();
  await peerB.listen();
  const events: PeerSessionState[] = [];
  const backend = new NativeBackend({ dial: dialBgp, clock: new FakeClock(), log, interfaces: () => ({}) });
  backend.onSessionChange((s) => events.push(s));
  const a = makePeer({ name: 'a', peerAddress: '127.0.0.1', peerPort: peerA.port, myASN: 64512, peerASN: 64513 });
  const b = makePeer({ name: 'b', peerAddress: '127.0.0.1', peerPort: peerB.port, myASN: 64512, peerASN: 64514 });
  return { peerA, peerB, events, backend, a, b };
}

test('each peer gets its own session and its own routes; stats count per peer', async () => {
  const { peerA, peerB, backend, a, b, events } = await setup();
  try {
    backend.setRoutes(new Map([['a', [{ prefix: '203.0.113.1/32', localPref: 0, communities: [] }]], ['b', [{ prefix: '203.0.113.2/32', localPref: 0, communities: [] }, { prefix: '2001:db8::1/128', localPref: 0, communities: [] }]]]));
    backend.setPeers([a, b], []);
    await waitFor('both up', () => (backend.sessions().every((s) => s.up) && backend.sessions().length === 2 ? true : undefined), 3000, 5);
    const nlri = (p: RawPeer) => p.last()!.messages.flatMap((m) => (m.kind === 'update' ? m.update.nlri.map(formatPrefix) : []));
    await waitFor('routes', () => (nlri(peerA).length && nlri(peerB).length ? true : undefined), 3000, 5);
    assert.equal(nlri(peerA), ['203.0.113.1/32']);
    assert.equal(nlri(peerB), ['203.0.113.2/32'], 'the IPv6 route is held back: peer b did not negotiate IPv6');
    const st = backend.stats();
    assert.equal([...st.prefixesAnnounced], [['a', 1], ['b', 1]]);
    assert.is(st.updatesSent, 2);
    assert.ok(st.bytesSent > 0);
    assert.equal(events.map((e) => `${e.peer} ${e.up}`).sort(), ['a true', 'b true']);
  } finally {
    await backend.close();
    await peerA.close();
    await peerB.close();
  }
});

test('removing a peer sends it Cease; changing a peer re-creates its session; an unchanged peer keeps its session', async () => {
  const { peerA, peerB, backend, a, b, events } = await setup();
  try {
    backend.setPeers([a, b], []);
    await waitFor('both up', () => (backend.sessions().filter((s) => s.up).length === 2 ? true : undefined), 3000, 5);
    backend.setPeers([{ ...a, holdTime: 30 }], []);
    const cease = (c: PeerConn) => c.messages.some((m) => m.kind === 'notification' && m.notification.code === 6 && m.notification.subcode === 2);
    await waitFor('b gets Cease', () => (cease(peerB.conns[0]!) ? true : undefined), 3000, 5);
    await waitFor('a reconnects', () => (peerA.conns.length === 2 ? true : undefined), 3000, 5);
    assert.ok(cease(peerA.conns[0]!), 'the changed peer\'s old session was closed with Cease');
    assert.equal(events.filter((e) => !e.up).map((e) => `${e.peer}: ${e.reason}`).sort(), ['a: peer changed', 'b: peer removed']);
    await waitFor('a up again', () => (backend.sessions()[0]?.up ? true : undefined), 3000, 5);
    backend.setPeers([{ ...a, holdTime: 30 }], []);
    await new Promise((r) => setTimeout(r, 50));
    assert.is(peerA.conns.length, 2, 'setting the same peers again keeps the session');
  } finally {
    await backend.close();
    await peerA.close();
    await peerB.close();
  }
});

test.run();
