// Every received frame gets exactly one outcome (a counted request or a counted drop), whatever its
// bytes; multicast memberships are balanced; counters are copies.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Layer2Announcer } from '../../../src/speaker/l2/announcer.js';
import { GroupMemberships } from '../../../src/speaker/l2/memberships.js';
import { L2Stats } from '../../../src/speaker/l2/stats.js';
import { ArpOperation, encodeARPFrame } from '../../../src/wire/arp.js';
import { BROADCAST_MAC, parseMAC } from '../../../src/wire/ethernet.js';
import { neighborSolicitation } from '../../../src/wire/ndp.js';
import { createLogger } from '../../../src/log.js';
import { FakeConn, FakeIO, ManualClock, iface } from './fakes.js';

const client = parseMAC('02:00:00:00:00:c1');
const quiet = createLogger('test', 'silent');

function total(c: ReturnType<Layer2Announcer['counters']>): number {
  const requests = Object.values(c.requestsReceived).reduce((a, b) => a + b, 0);
  const drops = Object.values(c.dropped).reduce((a, b) => a + b, 0);
  return requests + drops;
}

// Frames that mix valid requests (owned or not) with corrupted copies.
const arbFrame = fc.oneof(
  fc.uint8Array({ maxLength: 100 }).map((b) => ({ kind: 'arp' as const, f: Buffer.from(b) })),
  fc.uint8Array({ maxLength: 100 }).map((b) => ({ kind: 'ndp' as const, f: Buffer.from(b) })),
  fc.integer({ min: 99, max: 101 }).map((last) => ({
    kind: 'arp' as const,
    f: encodeARPFrame({ ethDst: BROADCAST_MAC, ethSrc: client, arp: { operation: ArpOperation.Request, senderMAC: client, senderIP: Buffer.from([192, 0, 2, 2]), targetMAC: Buffer.alloc(6), targetIP: Buffer.from([192, 0, 2, last]) } }),
  })),
  fc.tuple(fc.integer({ min: 0, max: 85 }), fc.integer({ min: 0, max: 255 })).map(([at, v]) => {
    const f = neighborSolicitation(Buffer.from('20010db8000000000000000000000100', 'hex'), Buffer.from('20010db8000000000000000000000002', 'hex'), client);
    f[at] = v;
    return { kind: 'ndp' as const, f };
  }),
);

test('property: every frame delivered is counted exactly once, as a request or as a drop', () => {
  fc.assert(
    fc.property(fc.array(arbFrame, { maxLength: 40 }), (frames) => {
      const io = new FakeIO();
      const a = new Layer2Announcer({ io, clock: new ManualClock(), scan: () => [iface('eth0', 2, '02:00:00:00:00:11')], rescanMs: 0, logger: quiet });
      a.start();
      a.setAnnouncements({ '192.0.2.100': {}, '2001:db8::100': {} });
      for (const { kind, f } of frames) io.live('eth0', kind)!.deliver(f);
      assert.is(total(a.counters()), frames.length);
      a.close();
    }),
    { numRuns: 200 },
  );
});

test('group memberships: the socket sees one join and one leave however many users come and go', () => {
  const conn = new FakeConn('eth0', 2, 'ndp', () => {});
  const g = new GroupMemberships();
  const mac = parseMAC('33:33:ff:00:01:00');
  g.join(conn, mac);
  g.join(conn, mac);
  g.join(conn, mac);
  assert.is(g.users(conn, mac), 3);
  g.leave(conn, mac);
  g.leave(conn, mac);
  assert.equal([conn.joined.length, conn.left.length], [1, 0]);
  g.leave(conn, mac);
  g.leave(conn, mac); // one too many: ignored
  assert.equal([conn.joined.length, conn.left.length], [1, 1]);
  assert.is(g.users(conn, mac), 0);
});

test('group memberships: forgetting a closed connection drops its counts without touching the socket', () => {
  const conn = new FakeConn('eth0', 2, 'ndp', () => {});
  const g = new GroupMemberships();
  const mac = parseMAC('33:33:ff:00:01:00');
  g.join(conn, mac);
  g.forget(conn);
  assert.is(g.users(conn, mac), 0);
  assert.equal(conn.left, []);
  g.join(conn, mac);
  assert.is(conn.joined.length, 2, 'a reopened socket joins again');
});

test('stats snapshots are copies: changing one does not change the counters', () => {
  const s = new L2Stats();
  s.request('192.0.2.1');
  s.drop('malformed');
  const snap = s.snapshot();
  snap.requestsReceived['192.0.2.1'] = 99;
  snap.dropped.malformed = 99;
  assert.is(s.snapshot().requestsReceived['192.0.2.1'], 1);
  assert.is(s.snapshot().dropped.malformed, 1);
  assert.equal(s.snapshot().dropped, { notOurs: 0, notRequest: 0, wrongInterface: 0, malformed: 1 });
});

test.run();
