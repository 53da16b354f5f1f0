import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { WireError, formatMAC, parseMAC } from '../../../src/wire/ethernet.js';
import {
  ALL_NODES, decodeIPv6, encodeIPv6, icmpv6Checksum, icmpv6ChecksumValid, multicastMAC, solicitedNodeAddress,
} from '../../../src/wire/ipv6.js';
import {
  NdpType, decodeNDP, decodeNDPFrame, encodeNDP, encodeNDPFrame, linkLayerOption, neighborSolicitation, solicitedAdvertisement,
  unsolicitedAdvertisement, validateNDP, type NdpMessage,
} from '../../../src/wire/ndp.js';
import { fixtureFrame, hex } from './arp-hex.js';

const ours = parseMAC('02:00:00:00:00:11');
const clientMac = parseMAC('02:00:00:00:00:c1');
const vip = hex('20010db8000000000000000000000100'); // 2001:db8::100
const clientIP = hex('20010db8000000000000000000000002'); // 2001:db8::2

// The neighbor solicitation Linux sent for 2001:db8::100 (captured; its checksum 0x196a is the kernel's).
const kernelNS = hex(
  '3333ff000100', //  ethernet destination: 33:33 + solicited-node group
  '0200000000c1', //  ethernet source: the client
  '86dd', //          EtherType IPv6
  '60000000', //      version 6, traffic class 0, flow label 0
  '0020', //          payload length 32
  '3a', //            next header ICMPv6
  'ff', //            hop limit 255
  '20010db8000000000000000000000002', // source 2001:db8::2
  'ff0200000000000000000001ff000100', // destination ff02::1:ff00:100
  '87', //            type 135 neighbor solicitation
  '00', //            code 0
  '196a', //          checksum
  '00000000', //      reserved
  '20010db8000000000000000000000100', // target 2001:db8::100
  '01', '01', '0200000000c1', //        option: source link-layer address, 1×8 bytes
);

// Our solicited advertisement in answer (S=1, O=0, R=0), sourced from the target itself.
const ourNA = hex(
  '0200000000c1', '020000000011', '86dd', // unicast back to the solicitor, from us
  '60000000', '0020', '3a', 'ff', //         IPv6, 32 bytes of ICMPv6, hop limit 255
  '20010db8000000000000000000000100', //     source: the target 2001:db8::100
  '20010db8000000000000000000000002', //     destination: the solicitor
  '88', '00', 'a865', //                     type 136, code 0, checksum
  '40000000', //                             flags: Solicited
  '20010db8000000000000000000000100', //     target
  '02', '01', '020000000011', //             option: target link-layer address
);

test('the kernel NS decodes: addresses, hop limit, target and source link-layer option', () => {
  const f = decodeNDPFrame(kernelNS);
  assert.is(f.ip.hopLimit, 255);
  assert.ok(f.ip.src.equals(clientIP));
  assert.ok(f.ip.dst.equals(solicitedNodeAddress(vip)));
  assert.is(f.ndp.type, NdpType.NeighborSolicitation);
  assert.ok(f.ndp.target.equals(vip));
  assert.equal(formatMAC(linkLayerOption(f.ndp, 1)!), '02:00:00:00:00:c1');
  assert.is(validateNDP(f.ip, f.ndp), undefined);
});

test('our checksum code agrees with the kernel: recomputing the captured NS checksum gives 0x196a', () => {
  const f = decodeNDPFrame(kernelNS);
  const body = Buffer.from(f.ip.payload);
  body.writeUInt16BE(0, 2);
  assert.is(icmpv6Checksum(f.ip.src, f.ip.dst, body), 0x196a);
  assert.ok(icmpv6ChecksumValid(f.ip.src, f.ip.dst, f.ip.payload));
});

test('the solicited NA we build is byte-identical to the expected frame, field by field', () => {
  assert.equal(solicitedAdvertisement(decodeNDPFrame(kernelNS), ours, clientMac).toString('hex'), ourNA.toString('hex'));
});

test('the solicited NA decodes back with S=1, O=0, R=0 and the target link-layer option', () => {
  const f = decodeNDPFrame(ourNA);
  assert.equal(f.ndp.flags, { router: false, solicited: true, override: false });
  assert.ok(linkLayerOption(f.ndp, 2)!.equals(ours));
  assert.ok(icmpv6ChecksumValid(f.ip.src, f.ip.dst, f.ip.payload));
  assert.is(validateNDP(f.ip, f.ndp), undefined);
});

test('the unsolicited NA goes to ff02::1 (33:33:00:00:00:01) with Override=1 and Solicited=0', () => {
  const f = decodeNDPFrame(unsolicitedAdvertisement(vip, ours));
  assert.equal(formatMAC(f.ethDst), '33:33:00:00:00:01');
  assert.ok(f.ip.dst.equals(ALL_NODES));
  assert.ok(f.ip.src.equals(vip));
  assert.equal(f.ndp.flags, { router: false, solicited: false, override: true });
  assert.is(validateNDP(f.ip, f.ndp), undefined);
});

test('captured frames: our solicited and unsolicited NAs match what we encode today; the kernel DAD probe is recognised', async () => {
  const ns = decodeNDPFrame(await fixtureFrame('kernel-ns'));
  assert.equal(solicitedAdvertisement(ns, ours, clientMac).toString('hex'), (await fixtureFrame('lbctl-solicited-na')).toString('hex'));
  assert.equal(unsolicitedAdvertisement(vip, ours).toString('hex'), (await fixtureFrame('lbctl-unsolicited-na')).toString('hex'));
  const dad = decodeNDPFrame(await fixtureFrame('kernel-dad-ns'));
  assert.ok(dad.ip.src.every((b) => b === 0), 'DAD comes from ::');
  assert.is(linkLayerOption(dad.ndp, 1), undefined);
  assert.is(validateNDP(dad.ip, dad.ndp), undefined);
  // Linux adds a Nonce option (type 14, RFC 7527) that we do not interpret: kept raw, re-encoded as is.
  assert.equal(dad.ndp.options.map((o) => o.type), [14]);
  assert.equal(encodeNDP(dad.ndp).subarray(24).toString('hex'), dad.ip.payload.subarray(24).toString('hex'));
});

test('solicited-node address and its multicast MAC keep the low 24 / 32 bits (RFC 4291, RFC 2464)', () => {
  const a = hex('20010db8000000000000000012345678');
  assert.equal(solicitedNodeAddress(a).toString('hex'), 'ff0200000000000000000001ff345678');
  assert.equal(formatMAC(multicastMAC(solicitedNodeAddress(a))), '33:33:ff:34:56:78');
});

test('unknown options are kept raw and re-encoded unchanged, in order', () => {
  const m: NdpMessage = {
    type: NdpType.NeighborSolicitation, code: 0, target: vip, flags: { router: false, solicited: false, override: false },
    options: [{ type: 14, raw: hex('010203040506') }, { type: 1, mac: clientMac }, { type: 200, raw: hex('aa'.repeat(14)) }],
  };
  const back = decodeNDP(encodeNDP(m));
  assert.equal(back.options, m.options);
});

test('a link-layer option longer than 8 bytes (not Ethernet) is kept raw rather than misread as a MAC', () => {
  const body = Buffer.concat([hex('87000000 00000000'), vip, hex('02 02'), Buffer.alloc(14, 0xab)]);
  const m = decodeNDP(body);
  assert.is(linkLayerOption(m, 2), undefined);
  assert.is((m.options[0] as { raw: Buffer }).raw.length, 14);
});

const badNDP: { desc: string; bytes: Buffer; code: string; field: string }[] = [
  { desc: 'a message shorter than 24 bytes', bytes: hex('8700000000000000'), code: 'wire.truncated', field: 'ndp' },
  { desc: 'an ICMPv6 echo request', bytes: Buffer.concat([hex('80000000 00000000'), vip]), code: 'wire.unsupported', field: 'ndp.type' },
  { desc: 'an option of length 0 (RFC 4861 §4.6 says discard)', bytes: Buffer.concat([hex('87000000 00000000'), vip, hex('0100 000000000000')]), code: 'wire.invalid', field: 'ndp.option.length' },
  { desc: 'an option overrunning the message', bytes: Buffer.concat([hex('87000000 00000000'), vip, hex('0102 0200000000c1')]), code: 'wire.truncated', field: 'ndp.option.length' },
  { desc: 'one stray byte after the options', bytes: Buffer.concat([hex('87000000 00000000'), vip, hex('01')]), code: 'wire.truncated', field: 'ndp.option' },
];
for (const c of badNDP) {
  test(`decodeNDP refuses ${c.desc} with ${c.code}`, () => {
    try {
      decodeNDP(c.bytes);
      assert.unreachable('should throw');
    } catch (e) {
      assert.instance(e, WireError);
      assert.is((e as WireError).code, c.code);
      assert.is((e as WireError).field, c.field);
      assert.ok((e as WireError).message.startsWith('ndp: '));
    }
  });
}

function mutate(frame: Buffer, at: number, value: number): Buffer {
  const b = Buffer.from(frame);
  b[at] = value;
  return b;
}

const violations: { desc: string; frame: Buffer; want: string }[] = [
  { desc: 'hop limit 64 (it crossed a router)', frame: mutate(kernelNS, 14 + 7, 64), want: 'hopLimit' },
  { desc: 'code 1', frame: mutate(kernelNS, 54 + 1, 1), want: 'code' },
  { desc: 'a flipped checksum bit', frame: mutate(kernelNS, 54 + 2, 0x19 ^ 1), want: 'checksum' },
];
for (const v of violations) {
  test(`validateNDP reports ${v.want} for ${v.desc}`, () => {
    const f = decodeNDPFrame(v.frame);
    assert.is(validateNDP(f.ip, f.ndp), v.want);
  });
}

test('validateNDP reports a multicast target and a DAD probe carrying a source link-layer option', () => {
  const multi = decodeNDPFrame(neighborSolicitation(hex('ff020000000000000000000000000001'), clientIP, clientMac));
  assert.is(validateNDP(multi.ip, multi.ndp), 'multicastTarget');
  const dad = decodeNDPFrame(neighborSolicitation(vip, Buffer.alloc(16), clientMac));
  assert.is(validateNDP(dad.ip, dad.ndp), 'dadWithSourceLLA');
});

test('ipv6: payload beyond Payload Length (Ethernet padding) is cut off; a short payload is truncated', () => {
  const pkt = encodeIPv6({ trafficClass: 0xab, flowLabel: 0x12345, nextHeader: 58, hopLimit: 255, src: clientIP, dst: vip, payload: hex('01020304') });
  const padded = Buffer.concat([pkt, Buffer.alloc(6)]);
  const d = decodeIPv6(padded);
  assert.equal([d.trafficClass, d.flowLabel, d.payload.toString('hex')], [0xab, 0x12345, '01020304']);
  assert.throws(() => decodeIPv6(pkt.subarray(0, 42)), (e: WireError) => e.code === 'wire.truncated' && e.field === 'ipv6.payloadLength');
  assert.throws(() => decodeIPv6(mutate(pkt, 0, 0x40)), (e: WireError) => e.field === 'ipv6.version');
});

test('property: a checksummed NDP frame always verifies, and any single flipped payload bit breaks it', () => {
  const addr = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((a) => Buffer.from(a));
  fc.assert(
    fc.property(addr, addr, fc.integer({ min: 0, max: 28 * 8 - 1 }), (target, src, bit) => {
      const f = decodeNDPFrame(neighborSolicitation(target, src, clientMac));
      assert.ok(icmpv6ChecksumValid(f.ip.src, f.ip.dst, f.ip.payload));
      const broken = Buffer.from(f.ip.payload);
      const byte = 4 + (bit >> 3); // skip type/code/checksum so the flip is never in the checksum itself
      broken[byte]! ^= 1 << (bit & 7);
      assert.not.ok(icmpv6ChecksumValid(f.ip.src, f.ip.dst, broken));
    }),
    { numRuns: 300 },
  );
});

test('property: any NS/NA with any options survives encode then decode, and its checksum verifies', () => {
  const addr = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((a) => Buffer.from(a));
  const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((a) => Buffer.from(a));
  const raw = fc.record({
    type: fc.integer({ min: 3, max: 255 }),
    // Raw option bodies fill whole 8-byte units (2 header bytes + 6, 14, 22 ...), so they round-trip exactly.
    raw: fc.integer({ min: 0, max: 3 }).chain((n) => fc.uint8Array({ minLength: 6 + 8 * n, maxLength: 6 + 8 * n })).map((a) => Buffer.from(a)),
  });
  const lla = fc.record({ type: fc.constantFrom(1 as const, 2 as const), mac });
  fc.assert(
    fc.property(fc.constantFrom(135, 136), addr, addr, addr, fc.boolean(), fc.boolean(), fc.boolean(), fc.array(fc.oneof(raw, lla), { maxLength: 4 }), (type, target, src, dst, router, solicited, override, options) => {
      const flags = type === 136 ? { router, solicited, override } : { router: false, solicited: false, override: false };
      const m: NdpMessage = { type, code: 0, target, flags, options };
      const frame = encodeNDPFrame(clientMac, ours, src, dst, m);
      const back = decodeNDPFrame(frame);
      const plain = (x: NdpMessage) => ({
        ...x, target: x.target.toString('hex'), flags: { ...x.flags },
        options: x.options.map((o) => ('mac' in o ? { type: o.type, mac: o.mac.toString('hex') } : { type: o.type, raw: o.raw.toString('hex') })),
      });
      assert.equal(plain(back.ndp), plain(m));
      assert.ok(back.ip.src.equals(src) && back.ip.dst.equals(dst));
      assert.ok(icmpv6ChecksumValid(back.ip.src, back.ip.dst, back.ip.payload));
    }),
    { numRuns: 300 },
  );
});

test('property: decoding arbitrary bytes as an NDP frame throws only WireErrors', () => {
  const prefix = kernelNS.subarray(0, 54);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, withHeader) => {
      const buf = withHeader ? Buffer.concat([prefix, Buffer.from(bytes)]) : Buffer.from(bytes);
      try {
        decodeNDPFrame(buf);
      } catch (e) {
        assert.instance(e, WireError);
      }
    }),
    { numRuns: 500 },
  );
});

test.run();
