import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  BROADCAST_MAC, EtherType, WireError, decodeEthernet, encodeEthernet, formatMAC, isBroadcastMAC, isMulticastMAC, parseMAC,
} from '../../../src/wire/ethernet.js';
import { ArpOperation, arpReply, decodeARP, decodeARPFrame, encodeARP, encodeARPFrame, gratuitousARP } from '../../../src/wire/arp.js';
import { fixtureFrame, hex } from './arp-hex.js';

const ours = parseMAC('02:00:00:00:00:11');
const client = parseMAC('02:00:00:00:00:c1');

// An ARP request from 192.0.2.2 asking for 192.0.2.100, as arping sends it (42 bytes, unpadded).
const request = hex(
  'ffffffffffff', // ethernet destination: broadcast
  '0200000000c1', // ethernet source: the client
  '0806', //         EtherType ARP
  '0001', //         hardware type Ethernet
  '0800', //         protocol type IPv4
  '06', //           hardware length
  '04', //           protocol length
  '0001', //         operation request
  '0200000000c1', // sender hardware address
  'c0000202', //     sender IP 192.0.2.2
  '000000000000', // target hardware address (unknown)
  'c0000264', //     target IP 192.0.2.100
);

// Our reply to it: unicast back, operation reply, fields swapped, padded to 60 bytes.
const reply = hex(
  '0200000000c1', // ethernet destination: the requester
  '020000000011', // ethernet source: our interface
  '0806', //         EtherType ARP
  '0001 0800 06 04', // Ethernet/IPv4
  '0002', //         operation reply
  '020000000011', // sender hardware address: us
  'c0000264', //     sender IP: the announced address
  '0200000000c1', // target hardware address: the requester
  'c0000202', //     target IP: the requester
  '00'.repeat(18), // padding to the 60-byte minimum
);

test('an ARP request decodes field by field', () => {
  const f = decodeARPFrame(request);
  assert.equal(formatMAC(f.ethDst), 'ff:ff:ff:ff:ff:ff');
  assert.equal(formatMAC(f.ethSrc), '02:00:00:00:00:c1');
  assert.is(f.arp.operation, ArpOperation.Request);
  assert.equal([...f.arp.senderIP], [192, 0, 2, 2]);
  assert.equal([...f.arp.targetIP], [192, 0, 2, 100]);
  assert.ok(f.arp.senderMAC.equals(client));
});

test('an ARP request encodes to the same bytes (without padding) it decodes from', () => {
  const f = decodeARPFrame(request);
  const again = encodeARPFrame(f);
  assert.is(again.length, 60);
  assert.equal(again.subarray(0, 42).toString('hex'), request.toString('hex'));
  assert.ok(again.subarray(42).every((b) => b === 0), 'padding is zero');
});

test('the reply to a request is the RFC 826 swap, from our MAC, to the requester', () => {
  const got = arpReply(decodeARPFrame(request).arp, ours);
  assert.equal(got.toString('hex'), reply.toString('hex'));
});

test('gratuitous ARP in request and reply forms carries sender IP = target IP and broadcast addresses', () => {
  const ip = Buffer.from([192, 0, 2, 100]);
  for (const op of [ArpOperation.Request, ArpOperation.Reply]) {
    const f = decodeARPFrame(gratuitousARP(ip, ours, op));
    assert.ok(isBroadcastMAC(f.ethDst));
    assert.ok(f.ethSrc.equals(ours));
    assert.is(f.arp.operation, op);
    assert.ok(f.arp.senderIP.equals(ip) && f.arp.targetIP.equals(ip));
    assert.ok(f.arp.senderMAC.equals(ours));
    assert.ok(f.arp.targetMAC.equals(BROADCAST_MAC));
  }
});

test('captured frames: the kernel request decodes and our reply and gratuitous frames are byte-identical to what we encode now', async () => {
  const req = decodeARPFrame(await fixtureFrame('kernel-arp-request'));
  assert.is(req.arp.operation, ArpOperation.Request);
  const ourReply = await fixtureFrame('lbctl-arp-reply');
  assert.equal(arpReply(req.arp, ours).toString('hex'), ourReply.toString('hex'));
  const ip = Buffer.from([192, 0, 2, 100]);
  assert.equal(gratuitousARP(ip, ours, ArpOperation.Request).toString('hex'), (await fixtureFrame('lbctl-garp-request')).toString('hex'));
  assert.equal(gratuitousARP(ip, ours, ArpOperation.Reply).toString('hex'), (await fixtureFrame('lbctl-garp-reply')).toString('hex'));
});

const badArp: { desc: string; bytes: Buffer; code: string; field: string }[] = [
  { desc: 'a packet shorter than 28 bytes is truncated', bytes: request.subarray(14, 40), code: 'wire.truncated', field: 'arp' },
  { desc: 'a non-Ethernet hardware type is unsupported', bytes: Buffer.concat([hex('0006'), request.subarray(16, 42)]), code: 'wire.unsupported', field: 'arp.htype' },
  { desc: 'a non-IPv4 protocol type is unsupported', bytes: Buffer.concat([hex('0001 86dd'), request.subarray(18, 42)]), code: 'wire.unsupported', field: 'arp.ptype' },
  { desc: 'a hardware length other than 6 is invalid', bytes: Buffer.concat([hex('0001 0800 08 04'), request.subarray(20, 42)]), code: 'wire.invalid', field: 'arp.hlen' },
  { desc: 'a protocol length other than 4 is invalid', bytes: Buffer.concat([hex('0001 0800 06 10'), request.subarray(20, 42)]), code: 'wire.invalid', field: 'arp.plen' },
];
for (const c of badArp) {
  test(`decodeARP: ${c.desc}`, () => {
    try {
      decodeARP(c.bytes);
      assert.unreachable('should throw');
    } catch (e) {
      assert.instance(e, WireError);
      assert.is((e as WireError).code, c.code);
      assert.is((e as WireError).field, c.field);
      assert.ok((e as WireError).message.startsWith('arp: '), (e as WireError).message);
    }
  });
}

test('decodeARPFrame refuses a frame whose EtherType is not ARP', () => {
  const ipv4 = Buffer.from(request);
  ipv4.writeUInt16BE(EtherType.IPv4, 12);
  assert.throws(() => decodeARPFrame(ipv4), (e: WireError) => e.code === 'wire.unsupported' && e.field === 'ethernet.type');
});

test('encodeARP refuses addresses of the wrong size, naming the field', () => {
  const p = decodeARP(request.subarray(14));
  assert.throws(() => encodeARP({ ...p, senderIP: Buffer.alloc(16) }), (e: WireError) => e.field === 'arp.spa');
  assert.throws(() => encodeARP({ ...p, targetMAC: Buffer.alloc(5) }), (e: WireError) => e.field === 'arp.tha');
});

test('ethernet: a frame shorter than the header is truncated; 14 bytes is an empty payload', () => {
  assert.throws(() => decodeEthernet(Buffer.alloc(13)), (e: WireError) => e.code === 'wire.truncated');
  assert.is(decodeEthernet(Buffer.alloc(14)).payload.length, 0);
});

test('ethernet: encode without padding keeps the exact length; with padding reaches 60 bytes', () => {
  const f = { dst: BROADCAST_MAC, src: ours, etherType: EtherType.ARP, payload: Buffer.alloc(10, 7) };
  assert.is(encodeEthernet(f, false).length, 24);
  assert.is(encodeEthernet(f).length, 60);
  const back = decodeEthernet(encodeEthernet(f, false));
  assert.equal([back.etherType, back.payload.toString('hex')], [EtherType.ARP, f.payload.toString('hex')]);
});

const macs: { text: string; ok: boolean }[] = [
  { text: '02:00:00:00:00:11', ok: true },
  { text: 'AA:bb:CC:dd:EE:ff', ok: true },
  { text: '02:00:00:00:00', ok: false },
  { text: '02-00-00-00-00-11', ok: false },
  { text: '02:00:00:00:00:1g', ok: false },
  { text: '', ok: false },
];
for (const m of macs) {
  test(`parseMAC "${m.text}" ${m.ok ? 'parses and prints back in lower case' : 'is refused with a typed error'}`, () => {
    if (m.ok) assert.is(formatMAC(parseMAC(m.text)), m.text.toLowerCase());
    else assert.throws(() => parseMAC(m.text), (e: WireError) => e.code === 'wire.invalid' && e.message.includes(`"${m.text}"`));
  });
}

test('multicast and broadcast MAC predicates follow the group bit', () => {
  assert.ok(isMulticastMAC(parseMAC('33:33:ff:00:01:00')));
  assert.ok(isMulticastMAC(BROADCAST_MAC));
  assert.not.ok(isMulticastMAC(ours));
  assert.not.ok(isBroadcastMAC(ours));
});

test('property: any ARP packet survives encode then decode', () => {
  const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((a) => Buffer.from(a));
  const ip4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((a) => Buffer.from(a));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffff }), mac, ip4, mac, ip4, (operation, senderMAC, senderIP, targetMAC, targetIP) => {
      const p = { operation, senderMAC, senderIP, targetMAC, targetIP };
      assert.equal(decodeARP(encodeARP(p)), p);
    }),
    { numRuns: 300 },
  );
});

test('property: decoding arbitrary bytes either succeeds or throws a WireError, never anything else', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      try {
        decodeARPFrame(Buffer.from(bytes));
      } catch (e) {
        assert.instance(e, WireError);
      }
    }),
    { numRuns: 500 },
  );
});

test.run();
