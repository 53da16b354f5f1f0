import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  FrameReader, MAX_MESSAGE_LEN, decodeMessage, formatPrefix, packAnnouncements, packWithdrawals, parsePrefix,
  type Announcement, type UpdateMessage,
} from '../../../src/wire/bgp/index.js';

function decodeAll(msgs: Buffer[]): UpdateMessage[] {
  const frames = new FrameReader().push(Buffer.concat(msgs));
  assert.is(frames.length, msgs.length);
  return frames.map((f) => {
    const m = decodeMessage(f, { as4: true });
    if (m.kind !== 'update') throw new Error(m.kind);
    return m.update;
  });
}

function v4Hosts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`);
}

const opts = { as4: true, asPath: [64512], nextHopV4: '192.0.2.1', nextHopsV6: ['2001:db8::1'] };
const plain = { communities: [], largeCommunities: [] };

test('10,000 IPv4 /32s with equal attributes fill UPDATEs up to 4096 octets and each prefix is sent once', () => {
  const prefixes = v4Hosts(10_000);
  const msgs = packAnnouncements(prefixes.map((p) => ({ prefix: parsePrefix(p), attrs: plain })), opts);
  assert.ok(msgs.every((m) => m.length <= MAX_MESSAGE_LEN));
  // Each /32 takes 5 octets and the attributes 25: at most ceil(10000*5 / (4096-23-25)) messages.
  assert.is(msgs.length, Math.ceil((10_000 * 5) / (4096 - 23 - 25 - ((4096 - 23 - 25) % 5))));
  assert.ok(msgs.slice(0, -1).every((m) => m.length > MAX_MESSAGE_LEN - 5));
  const got = decodeAll(msgs).flatMap((u) => u.nlri.map(formatPrefix));
  assert.equal(got, prefixes);
});

test('prefixes with different attributes go into different UPDATEs, each with its own attributes', () => {
  const anns: Announcement[] = [
    { prefix: parsePrefix('192.0.2.10/32'), attrs: { localPref: 100, communities: [1], largeCommunities: [] } },
    { prefix: parsePrefix('192.0.2.11/32'), attrs: { localPref: 200, communities: [], largeCommunities: [[1, 2, 3]] } },
    { prefix: parsePrefix('192.0.2.12/32'), attrs: { localPref: 100, communities: [1], largeCommunities: [] } },
  ];
  const ups = decodeAll(packAnnouncements(anns, opts));
  assert.is(ups.length, 2);
  assert.equal(ups[0]!.nlri.map(formatPrefix), ['192.0.2.10/32', '192.0.2.12/32']);
  assert.is(ups[0]!.attributes.localPref, 100);
  assert.equal(ups[0]!.attributes.communities, [1]);
  assert.equal(ups[1]!.nlri.map(formatPrefix), ['192.0.2.11/32']);
  assert.equal(ups[1]!.attributes.largeCommunities, [[1, 2, 3]]);
});

test('IPv6 prefixes are packed into MP_REACH_NLRI with the IPv6 next hop, also past 255 octets', () => {
  const prefixes = Array.from({ length: 1000 }, (_, i) => `2001:db8::${(i + 1).toString(16)}/128`);
  const msgs = packAnnouncements(prefixes.map((p) => ({ prefix: parsePrefix(p), attrs: plain })), opts);
  assert.ok(msgs.every((m) => m.length <= MAX_MESSAGE_LEN));
  assert.is(msgs.length, Math.ceil(1000 / Math.floor((4096 - 23 - 11 - 4 - 5 - 16) / 17)));
  const ups = decodeAll(msgs);
  assert.ok(ups.every((u) => u.nlri.length === 0 && u.attributes.mpReach?.nextHops[0] === '2001:db8::1'));
  assert.equal(ups.flatMap((u) => u.attributes.mpReach!.nlri.map(formatPrefix)), prefixes);
});

test('withdrawals are batched: IPv4 in the withdrawn field, IPv6 in MP_UNREACH_NLRI', () => {
  const v4 = v4Hosts(2000);
  const v6 = ['2001:db8::1/128', '2001:db8:1::/48'];
  const msgs = packWithdrawals([...v4, ...v6].map(parsePrefix));
  assert.ok(msgs.every((m) => m.length <= MAX_MESSAGE_LEN));
  assert.is(msgs.length, Math.ceil((2000 * 5) / (4096 - 23)) + 1);
  const ups = decodeAll(msgs);
  assert.equal(ups.flatMap((u) => u.withdrawn.map(formatPrefix)), v4);
  assert.equal(ups.at(-1)!.attributes.mpUnreach!.withdrawn.map(formatPrefix), v6);
});

test('packing without a next hop for the family is refused with a typed error', () => {
  try {
    packAnnouncements([{ prefix: parsePrefix('2001:db8::1/128'), attrs: plain }], { as4: true, asPath: [], nextHopV4: '192.0.2.1' });
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, 'bgp.pack.no-next-hop');
  }
});

test.run();
