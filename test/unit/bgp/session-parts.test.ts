// The pure parts of a session: OPEN checks, route diffs, community parsing, backoff, next hops.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkOpen, type OpenExpectations } from '../../../src/speaker/bgp/open-check.js';
import { diffRib, toOutRoute, type OutRoute } from '../../../src/speaker/bgp/rib-out.js';
import { RibSender } from '../../../src/speaker/bgp/rib-sender.js';
import { Backoff } from '../../../src/speaker/bgp/backoff.js';
import { fallbackRouterId, ipv6NextHopFor } from '../../../src/speaker/bgp/nexthop.js';
import { FrameReader, buildOpen, decodeMessage, formatPrefix, type OpenMessage } from '../../../src/wire/bgp/index.js';

const want: OpenExpectations = { myASN: 64512, peerASN: 64513, routerId: '192.0.2.1', holdTime: 90, keepaliveTime: 0 };
const v4v6 = [{ afi: 1, safi: 1 }, { afi: 2, safi: 1 }];
const open = (asn: number, hold: number, families = v4v6, id = '192.0.2.2'): OpenMessage => buildOpen({ asn, holdTime: hold, routerId: id, families });

const openCases: { desc: string; open: OpenMessage; want?: Partial<OpenExpectations>; expect: string }[] = [
  { desc: 'matching AS negotiates the smaller hold time and a third of it as keepalive', open: open(64513, 30), expect: 'ok hold=30 ka=10000 as4=true v4=true v6=true' },
  { desc: 'hold time 0 on either side disables both timers', open: open(64513, 0), expect: 'ok hold=0 ka=0 as4=true v4=true v6=true' },
  { desc: 'an explicit shorter keepalive is honoured', open: open(64513, 90), want: { keepaliveTime: 5 }, expect: 'ok hold=90 ka=5000 as4=true v4=true v6=true' },
  { desc: 'a peer with only IPv4 multiprotocol gets no IPv6', open: open(64513, 90, [{ afi: 1, safi: 1 }]), expect: 'ok hold=90 ka=30000 as4=true v4=true v6=false' },
  { desc: 'a peer without multiprotocol capabilities gets IPv4 only', open: open(64513, 90, []), expect: 'ok hold=90 ka=30000 as4=true v4=true v6=false' },
  { desc: 'the wrong peer AS is refused with Bad Peer AS', open: open(65001, 90), expect: 'refused 2/2 peer AS 65001 is not the configured 64513' },
  { desc: 'a 4-octet peer AS is read from the capability', open: open(4200000000, 90), want: { peerASN: 4200000000 }, expect: 'ok hold=90 ka=30000 as4=true v4=true v6=true' },
  { desc: 'an iBGP peer using our router id is refused', open: open(64512, 90, v4v6, '192.0.2.1'), want: { peerASN: 64512 }, expect: 'refused 2/3 iBGP peer uses our router id 192.0.2.1' },
  { desc: 'our 4-octet AS towards a 2-octet-only peer is refused with Unsupported Capability', open: { ...open(64513, 90), capabilities: [] }, want: { myASN: 4200000001 }, expect: 'refused 2/7 our AS 4200000001 needs the 4-octet AS capability the peer did not send' },
];
for (const c of openCases) {
  test(`checkOpen: ${c.desc}`, () => {
    const v = checkOpen(c.open, { ...want, ...c.want });
    const got = v.ok
      ? `ok hold=${v.negotiated.holdTime} ka=${v.negotiated.keepaliveMs} as4=${v.negotiated.as4} v4=${v.negotiated.ipv4} v6=${v.negotiated.ipv6}`
      : `refused ${v.notification.code}/${v.notification.subcode} ${v.reason}`;
    assert.is(got, c.expect);
  });
}

const communityCases: [string, { communities: number[]; largeCommunities: number[][] } | string][] = [
  ['64512:100', { communities: [64512 * 65536 + 100], largeCommunities: [] }],
  ['0:0', { communities: [0], largeCommunities: [] }],
  ['65535:65535', { communities: [0xffffffff], largeCommunities: [] }],
  ['65536:1', 'bad'],
  ['large:4200000000:1:2', { communities: [], largeCommunities: [[4200000000, 1, 2]] }],
  ['large:4294967296:1:2', 'bad'],
  ['no-export', 'bad'],
];
for (const [text, wantC] of communityCases) {
  test(`toOutRoute turns community ${text} into ${typeof wantC === 'string' ? 'a reported problem' : 'wire values'}`, () => {
    const { route, bad } = toOutRoute({ prefix: '192.0.2.1/32', localPref: 0, communities: [text] }, false);
    if (typeof wantC === 'string') assert.equal(bad, [text]);
    else assert.equal({ communities: route!.attrs.communities, largeCommunities: route!.attrs.largeCommunities }, wantC);
  });
}

test('toOutRoute drops LOCAL_PREF for eBGP and keeps it for iBGP', () => {
  const r = { prefix: '192.0.2.0/24', localPref: 50, communities: ['2:2', '1:1'] };
  assert.is(toOutRoute(r, false).route!.attrs.localPref, undefined);
  assert.is(toOutRoute(r, true).route!.attrs.localPref, 50);
  assert.equal(toOutRoute(r, true).route!.attrs.communities, [65537, 131074]);
  assert.equal(toOutRoute({ ...r, communities: ['bogus'] }, true).bad, ['bogus']);
});

test('diffRib withdraws what is gone and announces what is new or changed', () => {
  const out = (prefix: string, key: string): OutRoute => ({ prefix, key, attrs: { communities: [], largeCommunities: [] } });
  const sent = new Map([['a', 'k1'], ['b', 'k1'], ['c', 'k1']]);
  const desired = new Map([['a', out('a', 'k1')], ['b', out('b', 'k2')], ['d', out('d', 'k1')]]);
  const d = diffRib(sent, desired);
  assert.equal(d.withdraw, ['c']);
  assert.equal(d.announce.map((r) => r.prefix), ['b', 'd']);
});

test('RibSender skips routes the session cannot carry, with reasons, and withdraws them if they were sent', () => {
  const s = new RibSender(false);
  s.setDesired([{ prefix: '192.0.2.1/32', localPref: 0, communities: [] }, { prefix: '2001:db8::1/128', localPref: 0, communities: [] }]);
  const ctx = { myASN: 64512, as4: true, ipv4: true, ipv6: true, nextHopV4: '192.0.2.9', nextHopV6: '2001:db8::9' };
  assert.is(s.build(ctx).announced, 2);
  const b = s.build({ ...ctx, nextHopV6: undefined });
  assert.equal(b.skipped.map((x) => x.reason), ['no IPv6 next hop: set one or add a global IPv6 address to the session interface']);
  assert.is(b.withdrawn, 1);
  const [f] = new FrameReader().push(b.messages[0]!);
  const m = decodeMessage(f!, { as4: true });
  assert.equal(m.kind === 'update' && m.update.attributes.mpUnreach?.withdrawn.map(formatPrefix), ['2001:db8::1/128']);
  assert.is(s.build({ ...ctx, nextHopV6: undefined }).skipped.length, 0, 'the same problem is reported once');
  assert.equal(s.build({ ...ctx, ipv6: false }).skipped, [{ prefix: '2001:db8::1/128', reason: 'peer did not negotiate IPv6 unicast' }]);
});

test('RibSender skips an attribute set too big for any UPDATE and still sends the others', () => {
  const s = new RibSender(false);
  const huge = Array.from({ length: 1100 }, (_, i) => `64512:${i}`);
  s.setDesired([{ prefix: '192.0.2.1/32', localPref: 0, communities: huge }, { prefix: '192.0.2.2/32', localPref: 0, communities: [] }]);
  const b = s.build({ myASN: 64512, as4: true, ipv4: true, ipv6: true, nextHopV4: '192.0.2.9' });
  assert.is(b.announced, 1);
  assert.equal(b.skipped.map((x) => x.prefix), ['192.0.2.1/32']);
  assert.match(b.skipped[0]!.reason, /cannot encode: bgp: .*octets/);
  assert.equal(s.sentPrefixes(), ['192.0.2.2/32']);
});

test('RibSender answers a ROUTE-REFRESH for one family with that family only (RFC 2918)', () => {
  const s = new RibSender(false);
  s.setDesired([
    { prefix: '192.0.2.1/32', localPref: 0, communities: [] },
    { prefix: '192.0.2.2/32', localPref: 0, communities: [] },
    { prefix: '2001:db8::1/128', localPref: 0, communities: [] },
  ]);
  const ctx = { myASN: 64512, as4: true, ipv4: true, ipv6: true, nextHopV4: '192.0.2.9', nextHopV6: '2001:db8::9' };
  assert.is(s.build(ctx).announced, 3);
  assert.is(s.build(ctx).announced, 0, 'nothing left to send');
  s.resendFamily(2);
  const v6 = s.build(ctx);
  assert.is(v6.announced, 1);
  const [f] = new FrameReader().push(v6.messages[0]!);
  const m = decodeMessage(f!, { as4: true });
  assert.equal(m.kind === 'update' && m.update.attributes.mpReach?.nlri.map(formatPrefix), ['2001:db8::1/128']);
  s.resendFamily(1);
  assert.is(s.build(ctx).announced, 2);
  s.resendAll();
  assert.is(s.build(ctx).announced, 3);
});

test('Backoff doubles from 1 s to a 2 min cap and starts over after reset', () => {
  const b = new Backoff();
  const seq = Array.from({ length: 10 }, () => b.next());
  assert.equal(seq, [1000, 2000, 4000, 8000, 16000, 32000, 64000, 120000, 120000, 120000]);
  b.reset();
  assert.is(b.next(), 1000);
});

test('ipv6NextHopFor picks a global address on the interface of the IPv4 address, never a link-local', () => {
  const table = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }, { address: '::1', family: 'IPv6', internal: true }],
    eth0: [{ address: '192.0.2.1', family: 'IPv4', internal: false }, { address: 'fe80::1', family: 'IPv6', internal: false }, { address: '2001:db8::1', family: 'IPv6', internal: false }],
    eth1: [{ address: '198.51.100.1', family: 'IPv4', internal: false }, { address: 'fe80::2', family: 'IPv6', internal: false }],
  };
  assert.is(ipv6NextHopFor('192.0.2.1', table), '2001:db8::1');
  assert.is(ipv6NextHopFor('198.51.100.1', table), undefined);
  assert.is(ipv6NextHopFor('203.0.113.1', table), undefined);
  assert.is(fallbackRouterId(table, 'node-a'), '192.0.2.1');
  const hashed = fallbackRouterId({}, 'node-a');
  assert.match(hashed, /^\d+\.\d+\.\d+\.\d+$/);
  assert.is.not(hashed, fallbackRouterId({}, 'node-b'));
});

test.run();
