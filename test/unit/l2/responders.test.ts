import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { decideARP, decideNDP, type Announced } from '../../../src/speaker/l2/responders.js';
import { ArpOperation, decodeARPFrame, encodeARPFrame, gratuitousARP } from '../../../src/wire/arp.js';
import { BROADCAST_MAC, parseMAC } from '../../../src/wire/ethernet.js';
import { decodeNDPFrame, encodeNDPFrame, linkLayerOption, neighborSolicitation, unsolicitedAdvertisement } from '../../../src/wire/ndp.js';
import { multicastMAC, solicitedNodeAddress } from '../../../src/wire/ipv6.js';

const ours = parseMAC('02:00:00:00:00:11');
const other = parseMAC('02:00:00:00:00:22');
const client = parseMAC('02:00:00:00:00:c1');
const eth0 = { name: 'eth0', mac: ours };
const v4 = Buffer.from([192, 0, 2, 100]);
const v4Restricted = Buffer.from([192, 0, 2, 101]);
const v6 = Buffer.from('20010db8000000000000000000000100', 'hex');
const clientV6 = Buffer.from('20010db8000000000000000000000002', 'hex');

const table = new Map<string, Announced>([
  [v4.toString('hex'), { ip: '192.0.2.100' }],
  [v4Restricted.toString('hex'), { ip: '192.0.2.101', interfaces: new Set(['eth1']) }],
  [v6.toString('hex'), { ip: '2001:db8::100' }],
]);
const lookup = (b: Buffer) => table.get(b.toString('hex'));

function arpRequest(target: Buffer, opts: { ethDst?: Buffer; op?: number; sender?: Buffer } = {}): Buffer {
  return encodeARPFrame({
    ethDst: opts.ethDst ?? BROADCAST_MAC,
    ethSrc: client,
    arp: { operation: opts.op ?? ArpOperation.Request, senderMAC: client, senderIP: opts.sender ?? Buffer.from([192, 0, 2, 2]), targetMAC: Buffer.alloc(6), targetIP: target },
  });
}

const arpCases: { desc: string; frame: Buffer; want: string }[] = [
  { desc: 'a broadcast request for an announced IP is answered', frame: arpRequest(v4), want: 'reply' },
  { desc: 'a request unicast to our MAC (cache refresh) is answered', frame: arpRequest(v4, { ethDst: ours }), want: 'reply' },
  { desc: 'a request unicast to another host is not ours', frame: arpRequest(v4, { ethDst: other }), want: 'notOurs' },
  { desc: 'an RFC 5227 probe (sender IP 0.0.0.0) for an announced IP is answered, defending the address', frame: arpRequest(v4, { sender: Buffer.alloc(4) }), want: 'reply' },
  { desc: 'a request sent to a multicast (not broadcast) MAC is not ours', frame: arpRequest(v4, { ethDst: parseMAC('01:00:5e:00:00:01') }), want: 'notOurs' },
  { desc: 'a request for an IP we do not announce is not ours', frame: arpRequest(Buffer.from([192, 0, 2, 7])), want: 'notOurs' },
  { desc: 'a reply is not a request', frame: arpRequest(v4, { op: ArpOperation.Reply }), want: 'notRequest' },
  { desc: 'another node\'s gratuitous request for our IP is an announcement, not a question', frame: gratuitousARP(v4, other, ArpOperation.Request), want: 'notRequest' },
  { desc: 'a request for an IP restricted to eth1 arriving on eth0 is the wrong interface', frame: arpRequest(v4Restricted), want: 'wrongInterface' },
  { desc: 'a truncated frame is malformed', frame: arpRequest(v4).subarray(0, 30), want: 'malformed' },
  { desc: 'an ARP for another protocol type is malformed to us', frame: Buffer.from(arpRequest(v4).fill(0x86, 16, 17)), want: 'malformed' },
];
for (const c of arpCases) {
  test(`ARP: ${c.desc}`, () => {
    const d = decideARP(c.frame, eth0, lookup);
    assert.is(d.action === 'reply' ? 'reply' : d.reason, c.want);
  });
}

test('ARP: the answer is a reply from our MAC to the requester, naming the announced IP', () => {
  const d = decideARP(arpRequest(v4), eth0, lookup);
  if (d.action !== 'reply') return assert.unreachable(d.detail);
  assert.is(d.ip, '192.0.2.100');
  const f = decodeARPFrame(d.frame);
  assert.ok(f.ethDst.equals(client) && f.ethSrc.equals(ours));
  assert.is(f.arp.operation, ArpOperation.Reply);
  assert.ok(f.arp.senderIP.equals(v4) && f.arp.senderMAC.equals(ours));
});

test('ARP: the restricted IP is answered on the interface it is allowed on', () => {
  const d = decideARP(arpRequest(v4Restricted), { name: 'eth1', mac: ours }, lookup);
  assert.is(d.action, 'reply');
});

function ns(target: Buffer, opts: { src?: Buffer; withOption?: boolean; ethDst?: Buffer; hop?: number } = {}): Buffer {
  const src = opts.src ?? clientV6;
  const dst = solicitedNodeAddress(target);
  return encodeNDPFrame(opts.ethDst ?? multicastMAC(dst), client, src, dst, {
    type: 135, code: 0, target, flags: { router: false, solicited: false, override: false },
    options: opts.withOption === false ? [] : [{ type: 1, mac: client }],
  });
}

const ndpCases: { desc: string; frame: Buffer; want: string }[] = [
  { desc: 'a multicast NS with a source link-layer option is answered', frame: ns(v6), want: 'reply' },
  { desc: 'a unicast NS to our MAC (reachability probe) is answered', frame: ns(v6, { ethDst: ours }), want: 'reply' },
  { desc: 'a unicast NS to another host is not ours', frame: ns(v6, { ethDst: other }), want: 'notOurs' },
  { desc: 'an NS without a source link-layer option (DAD style) is not a request we answer', frame: ns(v6, { withOption: false }), want: 'notRequest' },
  { desc: 'a DAD probe from :: is not a request we answer', frame: ns(v6, { src: Buffer.alloc(16), withOption: false }), want: 'notRequest' },
  { desc: 'an NS for an IP we do not announce is not ours', frame: neighborSolicitation(Buffer.from('20010db8000000000000000000000999', 'hex'), clientV6, client), want: 'notOurs' },
  { desc: 'a neighbor advertisement is not a request', frame: unsolicitedAdvertisement(v6, other), want: 'notRequest' },
  { desc: 'an NS with a broken checksum is malformed', frame: Buffer.from(ns(v6)).fill(0, 56, 58), want: 'malformed' },
  { desc: 'an NS with an option of length zero is malformed', frame: Buffer.from(ns(v6)).fill(0, 79, 80), want: 'malformed' },
  { desc: 'a truncated IPv6 packet is malformed', frame: ns(v6).subarray(0, 60), want: 'malformed' },
  { desc: 'an IPv4 frame on the IPv6 socket is not a request', frame: Buffer.from(ns(v6)).fill(0x08, 12, 13).fill(0, 13, 14), want: 'notRequest' },
];
for (const c of ndpCases) {
  test(`NDP: ${c.desc}`, () => {
    const d = decideNDP(c.frame, eth0, lookup);
    assert.is(d.action === 'reply' ? 'reply' : d.reason, c.want);
  });
}

test('NDP: the answer is a solicited NA to the solicitor\'s MAC, from the target, with our MAC as target link-layer address', () => {
  const d = decideNDP(ns(v6), eth0, lookup);
  if (d.action !== 'reply') return assert.unreachable(d.detail);
  const f = decodeNDPFrame(d.frame);
  assert.ok(f.ethDst.equals(client) && f.ethSrc.equals(ours));
  assert.ok(f.ip.src.equals(v6) && f.ip.dst.equals(clientV6));
  assert.equal(f.ndp.flags, { router: false, solicited: true, override: false });
  assert.ok(linkLayerOption(f.ndp, 2)!.equals(ours));
});

test('property: no byte string makes either responder throw; it always yields a decision', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
      const b = Buffer.from(bytes);
      for (const d of [decideARP(b, eth0, lookup), decideNDP(b, eth0, lookup)]) assert.ok(d.action === 'reply' || d.action === 'drop');
    }),
    { numRuns: 1000 },
  );
});

test.run();
