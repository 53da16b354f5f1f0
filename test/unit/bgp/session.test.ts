// BgpSession against a scripted peer on a real loopback socket, with a fake clock for the timers.
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BgpSession, type SessionConfig } from '../../../src/speaker/bgp/session.js';
import { createLogger } from '../../../src/log.js';
import { dialBgp } from '../../../src/sys/bgp-dial.js';
import { FakeClock, RawPeer, kinds, type PeerConn } from '../../support/bgp-fake.js';
import { waitFor } from '../../support/netns.js';
import {
  KEEPALIVE, buildOpen, encodeOpen, encodeNotification, encodeRouteRefresh, formatPrefix, endOfRib, type BgpMessage, type UpdateMessage,
} from '../../../src/wire/bgp/index.js';
import type { Route } from '../../../src/speaker/bgp/route.js';

const log = createLogger('test', 'silent');

interface Rig {
  clock: FakeClock;
  peer: RawPeer;
  session: BgpSession;
  events: string[];
  dials: number;
}

// Every rig is closed after its test even when an assertion failed, so a failure never leaves a
// listening socket behind that would keep the test process alive.
const live: Rig[] = [];
test.after.each(async () => {
  for (const r of live.splice(0)) await done(r);
});

async function rig(cfg: Partial<SessionConfig> = {}): Promise<Rig> {
  const peer = new RawPeer();
  await peer.listen();
  const clock = new FakeClock();
  const r: Rig = { clock, peer, events: [], dials: 0, session: undefined as unknown as BgpSession };
  r.session = new BgpSession({
    name: 'p', peerAddress: '127.0.0.1', peerPort: peer.port, myASN: 64512, peerASN: 64513, holdTime: 90, keepaliveTime: 0,
    connectTimeoutMs: 2000, openWaitMs: 240_000, ...cfg,
  }, { clock, log, dial: (o) => { r.dials++; return dialBgp(o); } });
  r.session.onEvent((e) => r.events.push(e.up ? 'up' : `down: ${e.reason}`));
  live.push(r);
  return r;
}

async function done(r: Rig): Promise<void> {
  const i = live.indexOf(r);
  if (i >= 0) live.splice(i, 1);
  await r.session.stop();
  await r.peer.close();
}

function peerOpen(asn: number, hold = 90, id = '192.0.2.99', families = [{ afi: 1, safi: 1 }, { afi: 2, safi: 1 }]): Buffer {
  return encodeOpen(buildOpen({ asn, holdTime: hold, routerId: id, families }));
}

async function establish(r: Rig, asn = 64513, hold = 90): Promise<PeerConn> {
  r.session.start();
  const c = await waitFor('connection', () => r.peer.last(), 3000, 5);
  await waitFor('our OPEN', () => (c.messages.length >= 1 ? true : undefined), 3000, 5);
  c.socket.write(Buffer.concat([peerOpen(asn, hold), KEEPALIVE]));
  await waitFor('established', () => (r.session.status().up ? true : undefined), 3000, 5);
  return c;
}

function updates(c: PeerConn): UpdateMessage[] {
  return c.messages.filter((m): m is Extract<BgpMessage, { kind: 'update' }> => m.kind === 'update').map((m) => m.update);
}

function notifications(c: PeerConn): [number, number][] {
  return c.messages.flatMap((m) => (m.kind === 'notification' ? [[m.notification.code, m.notification.subcode] as [number, number]] : []));
}

const route = (prefix: string, extra: Partial<Route> = {}): Route => ({ prefix, localPref: 0, communities: [], ...extra });

test('the session sends OPEN, answers the peer OPEN with KEEPALIVE, and is Established after the peer KEEPALIVE', async () => {
  const r = await rig();
  const c = await establish(r);
  const open = c.messages[0];
  assert.is(open?.kind, 'open');
  if (open?.kind === 'open') {
    assert.is(open.open.myAS, 64512);
    assert.is(open.open.holdTime, 90);
    assert.is(open.open.routerId, '127.0.0.1');
  }
  await waitFor('EoR', () => (updates(c).length >= 2 ? true : undefined), 2000, 5);
  assert.equal(kinds(c).slice(0, 4), ['open', 'keepalive', 'update', 'update']);
  assert.equal(c.frames.slice(2, 4).map((f) => f.raw.toString('hex')), [endOfRib(1).toString('hex'), endOfRib(2).toString('hex')]);
  assert.equal(r.events, ['up']);
  assert.is(r.session.status().negotiated?.keepaliveMs, 30_000);
  await done(r);
});

const routerIdCases: [string, string | undefined, string][] = [
  ['a configured IPv4 routerID is the BGP identifier', '10.9.8.7', '10.9.8.7'],
  ['without a routerID the local IPv4 address is the BGP identifier', undefined, '127.0.0.1'],
  ['an IPv6 routerID cannot be a BGP identifier, so the local IPv4 address is used', '2001:db8::1', '127.0.0.1'],
];
for (const [desc, routerId, want] of routerIdCases) {
  test(`router ID: ${desc}`, async () => {
    const r = await rig({ routerId });
    r.session.start();
    const c = await waitFor('connection', () => r.peer.last(), 3000, 5);
    const m = await waitFor('our OPEN', () => c.messages[0], 3000, 5);
    assert.is(m.kind === 'open' && m.open.routerId, want);
    await done(r);
  });
}

test('routes go out packed in one UPDATE, then only the differences', async () => {
  const r = await rig();
  r.session.setRoutes([route('203.0.113.1/32'), route('203.0.113.2/32'), route('203.0.113.3/32', { communities: ['64512:7', 'large:64512:1:2'] })]);
  const c = await establish(r);
  await waitFor('announcements', () => (updates(c).length >= 4 ? true : undefined), 2000, 5);
  const [first, second] = updates(c);
  assert.equal(first!.nlri.map(formatPrefix), ['203.0.113.1/32', '203.0.113.2/32']);
  assert.is(first!.attributes.nextHop, '127.0.0.1');
  assert.equal(first!.attributes.asPath, [{ type: 2, asns: [64512] }]);
  assert.is(first!.attributes.localPref, undefined);
  assert.equal(second!.attributes.communities, [64512 * 65536 + 7]);
  assert.equal(second!.attributes.largeCommunities, [[64512, 1, 2]]);
  const before = updates(c).length;
  r.session.setRoutes([route('203.0.113.1/32'), route('203.0.113.3/32'), route('203.0.113.4/32')]);
  await waitFor('diff', () => (updates(c).length >= before + 2 ? true : undefined), 2000, 5);
  const diff = updates(c).slice(before);
  assert.equal(diff[0]!.withdrawn.map(formatPrefix), ['203.0.113.2/32']);
  assert.equal(diff[1]!.nlri.map(formatPrefix), ['203.0.113.3/32', '203.0.113.4/32']);
  assert.equal(diff[1]!.attributes.communities, undefined, '203.0.113.3 lost its communities, so it is re-announced without them');
  await done(r);
});

test('iBGP routes carry an empty AS_PATH and LOCAL_PREF (100 when unset)', async () => {
  const r = await rig({ peerASN: 64512 });
  r.session.setRoutes([route('198.51.100.0/24', { localPref: 250 }), route('198.51.100.7/32')]);
  const c = await establish(r, 64512);
  await waitFor('announcements', () => (updates(c).length >= 4 ? true : undefined), 2000, 5);
  const [a, b] = updates(c);
  assert.equal(a!.attributes.asPath, []);
  assert.is(a!.attributes.localPref, 250);
  assert.is(b!.attributes.localPref, 100);
  await done(r);
});

test('IPv6 routes on an IPv4 session use the configured IPv6 next hop in MP_REACH_NLRI', async () => {
  const r = await rig({ nextHopV6: '2001:db8::7' });
  r.session.setRoutes([route('2001:db8:5::1/128')]);
  const c = await establish(r);
  await waitFor('announcement', () => (updates(c).length >= 3 ? true : undefined), 2000, 5);
  const u = updates(c)[0]!;
  assert.equal(u.attributes.mpReach?.nextHops, ['2001:db8::7']);
  assert.equal(u.attributes.mpReach?.nlri.map(formatPrefix), ['2001:db8:5::1/128']);
  await done(r);
});

test('a peer that goes silent gets Hold Timer Expired after the negotiated hold time, and the session reconnects', async () => {
  const r = await rig({ holdTime: 9 });
  const c = await establish(r, 64513, 30);
  assert.is(r.session.status().negotiated?.holdTime, 9);
  r.clock.advance(8_999);
  assert.ok(r.session.status().up, 'still up just before the hold time');
  r.clock.advance(1);
  await waitFor('notification', () => (notifications(c).length ? true : undefined), 2000, 5);
  assert.equal(notifications(c), [[4, 0]]);
  assert.equal(r.events, ['up', 'down: hold timer expired']);
  await waitFor('peer sees close', () => (c.closed ? true : undefined), 2000, 5);
  assert.equal(r.clock.pending(), [1000], 'reconnect is scheduled after the first backoff step');
  r.clock.advance(1000);
  await waitFor('second connection', () => (r.peer.conns.length === 2 ? true : undefined), 2000, 5);
  await done(r);
});

test('received KEEPALIVEs and UPDATEs restart the hold timer', async () => {
  const r = await rig({ holdTime: 9 });
  const c = await establish(r, 64513, 9);
  for (let i = 0; i < 3; i++) {
    r.clock.advance(6_000);
    c.socket.write(i === 1 ? endOfRib(1) : KEEPALIVE);
    await waitFor('received', () => (r.session.counters().updatesReceived === (i >= 1 ? 1 : 0) ? true : undefined), 1000, 5);
    await new Promise((res) => setTimeout(res, 20));
  }
  assert.ok(r.session.status().up);
  assert.is(r.session.counters().updatesReceived, 1);
  await done(r);
});

test('KEEPALIVEs go out every hold/3', async () => {
  const r = await rig({ holdTime: 30 });
  const c = await establish(r, 64513, 30);
  const before = kinds(c).filter((k) => k === 'keepalive').length;
  r.clock.advance(10_000);
  r.clock.advance(10_000);
  await waitFor('keepalives', () => (kinds(c).filter((k) => k === 'keepalive').length === before + 2 ? true : undefined), 2000, 5);
  c.socket.write(KEEPALIVE);
  await done(r);
});

const openRejects: { name: string; open: () => Buffer; want: [number, number]; reason: RegExp }[] = [
  { name: 'a peer with the wrong AS gets Bad Peer AS', open: () => peerOpen(65000), want: [2, 2], reason: /peer AS 65000 is not the configured 64513/ },
  { name: 'a peer offering hold time 2 gets Unacceptable Hold Time', open: () => { const b = peerOpen(64513, 3); b.writeUInt16BE(2, 22); return b; }, want: [2, 6], reason: /hold time 2/ },
  { name: 'a peer speaking BGP version 3 gets Unsupported Version Number', open: () => { const b = peerOpen(64513); b[19] = 3; return b; }, want: [2, 1], reason: /version 3/ },
];
for (const c of openRejects) {
  test(`OPEN validation: ${c.name}`, async () => {
    const r = await rig();
    r.session.start();
    const conn = await waitFor('connection', () => r.peer.last(), 3000, 5);
    conn.socket.write(c.open());
    await waitFor('notification', () => (notifications(conn).length ? true : undefined), 2000, 5);
    assert.equal(notifications(conn), [c.want]);
    assert.match(r.session.status().reason, c.reason);
    assert.not.ok(r.session.status().up);
    await done(r);
  });
}

test('a 4-octet local AS is refused towards a peer without the 4-octet capability', async () => {
  const r = await rig({ myASN: 4200000001 });
  r.session.start();
  const conn = await waitFor('connection', () => r.peer.last(), 3000, 5);
  conn.socket.write(encodeOpen({ version: 4, myAS: 64513, holdTime: 90, routerId: '192.0.2.9', capabilities: [] }));
  await waitFor('notification', () => (notifications(conn).length ? true : undefined), 2000, 5);
  assert.equal(notifications(conn), [[2, 7]]);
  await done(r);
});

test('a KEEPALIVE before the OPEN is a Finite State Machine Error', async () => {
  const r = await rig();
  r.session.start();
  const conn = await waitFor('connection', () => r.peer.last(), 3000, 5);
  conn.socket.write(KEEPALIVE);
  await waitFor('notification', () => (notifications(conn).length ? true : undefined), 2000, 5);
  assert.equal(notifications(conn), [[5, 1]]);
  await done(r);
});

test('a NOTIFICATION from the peer takes the session down with the decoded reason and schedules a reconnect', async () => {
  const r = await rig();
  const c = await establish(r);
  c.socket.write(encodeNotification({ code: 6, subcode: 4 }));
  await waitFor('down', () => (r.events.length === 2 ? true : undefined), 2000, 5);
  assert.is(r.events[1], 'down: peer sent notification 6/4 (cease/administrative reset)');
  assert.equal(notifications(c), [], 'no NOTIFICATION is sent in reply to one');
  assert.equal(r.clock.pending(), [1000]);
  await done(r);
});

test('a ROUTE-REFRESH from the peer gets that family\'s table again, and only that family (RFC 2918)', async () => {
  const r = await rig({ nextHopV6: '2001:db8::7' });
  r.session.setRoutes([route('203.0.113.1/32'), route('2001:db8::5/128')]);
  const c = await establish(r);
  await waitFor('first table', () => (updates(c).length >= 4 ? true : undefined), 2000, 5);
  c.socket.write(encodeRouteRefresh({ afi: 1, safi: 1 }));
  await waitFor('IPv4 table again', () => (updates(c).length >= 5 ? true : undefined), 2000, 5);
  await new Promise((res) => setTimeout(res, 50));
  const v4 = updates(c).slice(4);
  assert.is(v4.length, 1, 'the IPv6 table is not sent for an IPv4 refresh');
  assert.equal(v4[0]!.nlri.map(formatPrefix), ['203.0.113.1/32']);
  c.socket.write(encodeRouteRefresh({ afi: 2, safi: 1 }));
  await waitFor('IPv6 table again', () => (updates(c).length >= 6 ? true : undefined), 2000, 5);
  const v6 = updates(c)[5]!;
  assert.equal(v6.attributes.mpReach?.nlri.map(formatPrefix), ['2001:db8::5/128']);
  assert.is(v6.attributes.mpReach?.nextHops[0], '2001:db8::7');
  await done(r);
});

test('hold time 0 on the peer disables hold timer and keepalives', async () => {
  const r = await rig();
  await establish(r, 64513, 0);
  assert.is(r.session.status().negotiated?.holdTime, 0);
  assert.equal(r.clock.pending(), []);
  r.clock.advance(3_600_000);
  assert.ok(r.session.status().up);
  await done(r);
});

test('an UPDATE before the session is Established is a Finite State Machine Error', async () => {
  const r = await rig();
  r.session.start();
  const conn = await waitFor('connection', () => r.peer.last(), 3000, 5);
  await waitFor('our OPEN', () => (conn.messages.length ? true : undefined), 3000, 5);
  conn.socket.write(Buffer.concat([peerOpen(64513), endOfRib(1)]));
  await waitFor('notification', () => (notifications(conn).length ? true : undefined), 2000, 5);
  assert.equal(notifications(conn), [[5, 2]]);
  await done(r);
});

test('after a reconnect the full table is sent again', async () => {
  const r = await rig();
  r.session.setRoutes([route('203.0.113.1/32'), route('203.0.113.2/32')]);
  const c1 = await establish(r);
  await waitFor('first table', () => (updates(c1).length >= 3 ? true : undefined), 2000, 5);
  c1.socket.destroy();
  await waitFor('down', () => (r.events.length === 2 ? true : undefined), 2000, 5);
  r.clock.advance(1000);
  const c2 = await waitFor('reconnect', () => (r.peer.conns.length === 2 ? r.peer.last() : undefined), 2000, 5);
  await waitFor('our OPEN', () => (c2.messages.length ? true : undefined), 2000, 5);
  c2.socket.write(Buffer.concat([peerOpen(64513), KEEPALIVE]));
  await waitFor('second table', () => (updates(c2).length >= 3 ? true : undefined), 2000, 5);
  assert.equal(updates(c2)[0]!.nlri.map(formatPrefix), ['203.0.113.1/32', '203.0.113.2/32']);
  await done(r);
});

test('stop sends Cease/Administrative Shutdown', async () => {
  const r = await rig();
  const c = await establish(r);
  await r.session.stop();
  await waitFor('cease', () => (notifications(c).length ? true : undefined), 2000, 5);
  assert.equal(notifications(c), [[6, 2]]);
  assert.is(r.session.status().state, 'stopped');
  await r.peer.close();
});

test('stop gives a peer that never closes its side 1 s, then drops the connection', async () => {
  const conns: net.Socket[] = [];
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    conns.push(s);
    s.on('error', () => undefined);
    s.resume();
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const clock = new FakeClock();
  const session = new BgpSession({
    name: 'p', peerAddress: '127.0.0.1', peerPort: (server.address() as net.AddressInfo).port, myASN: 64512, peerASN: 64513,
    holdTime: 90, keepaliveTime: 0, connectTimeoutMs: 2000, openWaitMs: 240_000,
  }, { clock, log, dial: dialBgp });
  try {
    session.start();
    await waitFor('connection', () => (conns.length ? true : undefined), 2000, 5);
    await waitFor('OpenSent', () => (session.status().state === 'opensent' ? true : undefined), 2000, 5);
    let stopped = false;
    const stopping = session.stop().then(() => (stopped = true));
    await new Promise((res) => setTimeout(res, 100));
    assert.not.ok(stopped, 'still waiting for the peer to close');
    clock.advance(1000);
    await stopping;
    assert.ok(stopped);
  } finally {
    for (const c of conns) c.destroy();
    server.close();
  }
});

test('failed connects back off 1 s, 2 s, 4 s ...', async () => {
  const r = await rig();
  await r.peer.close();
  r.session.start();
  const delays: number[] = [];
  for (let i = 0; i < 4; i++) {
    const want = i + 1;
    await waitFor('retry scheduled', () => (r.clock.pending().length === 1 && r.dials === want ? true : undefined), 2000, 5);
    delays.push(r.clock.pending()[0]!);
    r.clock.advance(delays.at(-1)!);
  }
  assert.equal(delays, [1000, 2000, 4000, 8000]);
  assert.match(r.session.status().reason, /connect: .*ECONNREFUSED/);
  await r.session.stop();
});

test.run();
