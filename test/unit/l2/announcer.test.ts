import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Layer2Announcer } from '../../../src/speaker/l2/announcer.js';
import type { InterfaceInfo } from '../../../src/speaker/l2/types.js';
import { ArpOperation, decodeARPFrame, encodeARPFrame } from '../../../src/wire/arp.js';
import { BROADCAST_MAC, parseMAC } from '../../../src/wire/ethernet.js';
import { decodeNDPFrame, neighborSolicitation } from '../../../src/wire/ndp.js';
import { FakeIO, ManualClock, iface } from './fakes.js';
import { createLogger } from '../../../src/log.js';

const client = parseMAC('02:00:00:00:00:c1');
const quiet = createLogger('test', 'silent');

function setup(scan: InterfaceInfo[] = [iface('eth0', 2, '02:00:00:00:00:11'), iface('eth1', 3, '02:00:00:00:00:12')]) {
  const io = new FakeIO();
  const clock = new ManualClock();
  let current = scan;
  const a = new Layer2Announcer({ io, clock, scan: () => current, rescanMs: 10_000, logger: quiet });
  a.start();
  return { io, clock, a, setScan: (s: InterfaceInfo[]) => (current = s) };
}

function arpFor(ip: number[]): Buffer {
  return encodeARPFrame({
    ethDst: BROADCAST_MAC, ethSrc: client,
    arp: { operation: ArpOperation.Request, senderMAC: client, senderIP: Buffer.from([192, 0, 2, 2]), targetMAC: Buffer.alloc(6), targetIP: Buffer.from(ip) },
  });
}

test('start opens one ARP and one NDP socket per eligible interface and none on ineligible ones', () => {
  const { a, io } = setup([
    iface('eth0', 2, '02:00:00:00:00:11'),
    iface('lo', 1, '00:00:00:00:00:00', { broadcast: false, linkLocalV6: false }),
    iface('bond-slave', 4, '02:00:00:00:00:14', { master: 'bond0' }),
    iface('v6less', 5, '02:00:00:00:00:15', { linkLocalV6: false }),
  ]);
  assert.equal(a.responding(), { arp: ['eth0', 'v6less'], ndp: ['eth0'] });
  assert.is(io.conns.length, 3);
});

test('gaining an IPv4 address sends gratuitous ARP request and reply on every interface at once, then stops after 5 rounds', () => {
  const { a, io, clock } = setup();
  const st = a.setAnnouncements({ '192.0.2.100': {} });
  assert.equal(st, [{ ip: '192.0.2.100', status: 'announced', interfaces: ['eth0', 'eth1'] }]);
  const eth0 = io.live('eth0', 'arp')!;
  assert.equal(eth0.sent.map((f) => decodeARPFrame(f).arp.operation), [ArpOperation.Request, ArpOperation.Reply]);
  clock.advance(9_000);
  assert.is(eth0.sent.length, 10);
  assert.is(a.counters().gratuitousSent['192.0.2.100'], 10, '5 rounds × 2 interfaces');
});

test('an ARP request for an owned IP is answered and counted; a request for another IP is dropped as notOurs', () => {
  const { a, io, clock } = setup();
  a.setAnnouncements({ '192.0.2.100': {} });
  clock.advance(9_000);
  const eth0 = io.live('eth0', 'arp')!;
  const before = eth0.sent.length;
  eth0.deliver(arpFor([192, 0, 2, 100]));
  eth0.deliver(arpFor([192, 0, 2, 55]));
  eth0.deliver(Buffer.from('garbage'));
  assert.is(eth0.sent.length, before + 1);
  const c = a.counters();
  assert.equal([c.requestsReceived['192.0.2.100'], c.responsesSent['192.0.2.100']], [1, 1]);
  assert.equal(c.dropped, { notOurs: 1, notRequest: 0, wrongInterface: 0, malformed: 1 });
});

test('an IP restricted to eth1 is announced and answered only there; eth0 counts wrongInterface', () => {
  const { a, io } = setup();
  const st = a.setAnnouncements({ '192.0.2.100': { interfaces: ['eth1'] } });
  assert.equal(st[0]!.interfaces, ['eth1']);
  assert.is(io.live('eth0', 'arp')!.sent.length, 0);
  assert.is(io.live('eth1', 'arp')!.sent.length, 2);
  io.live('eth0', 'arp')!.deliver(arpFor([192, 0, 2, 100]));
  assert.is(a.counters().dropped.wrongInterface, 1);
});

test('an IP restricted to interfaces this node lacks reports noInterface (MetalLB emits announceFailed)', () => {
  const { a } = setup();
  assert.equal(a.setAnnouncements({ '192.0.2.100': { interfaces: ['ens9'] } }), [{ ip: '192.0.2.100', status: 'noInterface', interfaces: [] }]);
});

test('losing an IP stops its burst at once and stops answering for it', () => {
  const { a, io, clock } = setup();
  a.setAnnouncements({ '192.0.2.100': {} });
  clock.advance(1_200);
  a.setAnnouncements({});
  const eth0 = io.live('eth0', 'arp')!;
  const sent = eth0.sent.length;
  clock.advance(10_000);
  eth0.deliver(arpFor([192, 0, 2, 100]));
  assert.is(eth0.sent.length, sent);
  assert.is(a.counters().dropped.notOurs, 1);
});

test('setting the same announcements again does not restart the burst (the diff is a no-op)', () => {
  const { a, io } = setup();
  a.setAnnouncements({ '192.0.2.100': {} });
  a.setAnnouncements({ '192.0.2.100': {} });
  assert.is(io.live('eth0', 'arp')!.sent.length, 2);
});

test('IPv6 addresses join their solicited-node group on each NDP interface, ref-counted across addresses that share it', () => {
  const { a, io } = setup();
  const group = '3333ff000100';
  // 2001:db8::100 and 2001:db8:1::100 share the low 24 bits, so the same group.
  a.setAnnouncements({ '2001:db8::100': {}, '2001:db8:1::100': {} });
  const ndp = io.live('eth0', 'ndp')!;
  assert.equal(ndp.joined, [group], 'joined once');
  a.setAnnouncements({ '2001:db8:1::100': {} });
  assert.equal(ndp.groups(), [group], 'still held by the other address');
  a.setAnnouncements({});
  assert.equal(ndp.groups(), []);
  assert.equal(ndp.left, [group]);
});

test('an unsolicited NA with Override=1 goes out on each NDP interface when an IPv6 address is gained', () => {
  const { a, io } = setup();
  a.setAnnouncements({ '2001:DB8::0100': {} });
  const f = decodeNDPFrame(io.live('eth1', 'ndp')!.sent[0]!);
  assert.equal(f.ndp.flags, { router: false, solicited: false, override: true });
  assert.equal(a.announced(), ['2001:db8::100'], 'addresses are kept canonical');
});

test('a neighbor solicitation for an owned IPv6 address is answered on the interface it arrived on', () => {
  const { a, io } = setup();
  a.setAnnouncements({ '2001:db8::100': {} });
  const ndp = io.live('eth1', 'ndp')!;
  const before = ndp.sent.length;
  ndp.deliver(neighborSolicitation(Buffer.from('20010db8000000000000000000000100', 'hex'), Buffer.from('20010db8000000000000000000000002', 'hex'), client));
  assert.is(ndp.sent.length, before + 1);
  assert.ok(decodeNDPFrame(ndp.sent.at(-1)!).ethDst.equals(client));
  assert.is(a.counters().responsesSent['2001:db8::100'], 1);
});

test('rescan closes responders of vanished interfaces and opens new ones, re-joining groups there', () => {
  const { a, io, clock, setScan } = setup();
  a.setAnnouncements({ '2001:db8::100': {} });
  setScan([iface('eth1', 3, '02:00:00:00:00:12'), iface('eth2', 7, '02:00:00:00:00:17')]);
  clock.advance(10_000);
  assert.equal(a.responding(), { arp: ['eth1', 'eth2'], ndp: ['eth1', 'eth2'] });
  assert.ok(io.conns.filter((c) => c.ifname === 'eth0').every((c) => c.closed));
  assert.equal(io.live('eth2', 'ndp')!.groups(), ['3333ff000100']);
});

test('an interface that appears while an IP is owned gets the unsolicited burst too', () => {
  const { a, io, clock, setScan } = setup([iface('eth0', 2, '02:00:00:00:00:11')]);
  a.setAnnouncements({ '192.0.2.100': {}, '192.0.2.101': { interfaces: ['eth0'] } });
  clock.advance(9_000);
  setScan([iface('eth0', 2, '02:00:00:00:00:11'), iface('eth5', 9, '02:00:00:00:00:19')]);
  clock.advance(10_000);
  const eth5 = io.live('eth5', 'arp')!;
  const announced = eth5.sent.map((f) => [...decodeARPFrame(f).arp.senderIP].join('.'));
  assert.ok(announced.includes('192.0.2.100'), 'unrestricted IP announced on the new interface');
  assert.not.ok(announced.includes('192.0.2.101'), 'an IP restricted to eth0 is not');
});

test('an interface whose MAC changed is reopened; one going down is closed', () => {
  const { a, io, clock, setScan } = setup();
  setScan([iface('eth0', 2, '02:00:00:00:00:99'), iface('eth1', 3, '02:00:00:00:00:12', { up: false })]);
  clock.advance(10_000);
  assert.equal(a.responding(), { arp: ['eth0'], ndp: ['eth0'] });
  assert.is(io.conns.filter((c) => c.ifname === 'eth0').length, 4, 'old pair closed, new pair opened');
});

test('a socket that cannot be opened is skipped and retried on the next scan', () => {
  const io = new FakeIO();
  const clock = new ManualClock();
  io.failOpen.add('eth1');
  const a = new Layer2Announcer({ io, clock, scan: () => [iface('eth0', 2, '02:00:00:00:00:11'), iface('eth1', 3, '02:00:00:00:00:12')], logger: quiet });
  a.start();
  assert.equal(a.responding().arp, ['eth0']);
  io.failOpen.clear();
  clock.advance(10_000);
  assert.equal(a.responding().arp, ['eth0', 'eth1']);
});

test('send failures are counted, not thrown', () => {
  const { a, io } = setup([iface('eth0', 2, '02:00:00:00:00:11')]);
  io.live('eth0', 'arp')!.failSends = true;
  a.setAnnouncements({ '192.0.2.100': {} });
  assert.is(a.counters().sendErrors, 1, 'the first frame of the round fails and the round stops there');
  assert.is(a.counters().gratuitousSent['192.0.2.100'], undefined);
});

test('invalid IP text is reported, not thrown; an IP we do not own reports notAnnounced', () => {
  const { a } = setup();
  assert.equal(a.setAnnouncements({ '192.0.2.300': {} }), [{ ip: '192.0.2.300', status: 'invalidIP', interfaces: [] }]);
  assert.equal(a.status('192.0.2.7'), { ip: '192.0.2.7', status: 'notAnnounced', interfaces: [] });
});

test('close stops timers and closes every socket', () => {
  const { a, io, clock } = setup();
  a.setAnnouncements({ '192.0.2.100': {} });
  a.close();
  assert.ok(io.conns.every((c) => c.closed));
  assert.is(clock.pending(), 0);
});

test.run();
