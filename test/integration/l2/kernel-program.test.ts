// The in-kernel ARP/NDP responder against the user-space rules (decideARP/decideNDP), run inside the
// kernel with BPF_PROG_TEST_RUN on loopback (ifindex 1): no namespaces, but it needs CAP_BPF. The
// kernel may pass on what user space would answer (user space still sees it), but whenever it
// answers, user space must answer too, with the same bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { assemble } from '../../../src/bpf/asm.js';
import { KEY_SIZE, TCX_NEXT, VALUE_SIZE, responderProgram } from '../../../src/bpf/responder.js';
import { BpfHashMap, closeFd, loadSchedCls, testRun } from '../../../src/sys/bpf.js';
import { decideARP, decideNDP, type Announced, type Decision } from '../../../src/speaker/l2/responders.js';
import { ArpOperation, encodeARPFrame } from '../../../src/wire/arp.js';
import { BROADCAST_MAC, EtherType, encodeEthernet, parseMAC } from '../../../src/wire/ethernet.js';
import { encodeIPv6, icmpv6Checksum, multicastMAC, solicitedNodeAddress } from '../../../src/wire/ipv6.js';
import { encodeNDPFrame, neighborSolicitation } from '../../../src/wire/ndp.js';

const REDIRECT = 7;
const ours = parseMAC('02:00:00:00:00:11');
const other = parseMAC('02:00:00:00:00:22');
const client = parseMAC('02:00:00:00:00:c1');
const lo = { name: 'lo', mac: ours };
const v4 = Buffer.from([192, 0, 2, 100]);
const v4Elsewhere = Buffer.from([192, 0, 2, 101]); // keyed on ifindex 2 only
const clientV4 = Buffer.from([192, 0, 2, 2]);
const v6 = Buffer.from('20010db8000000000000000000000100', 'hex');
const v6Elsewhere = Buffer.from('20010db8000000000000000000000101', 'hex');
const clientV6 = Buffer.from('20010db8000000000000000000000002', 'hex');

// The same announced set both ways: user space restricts the "elsewhere" IPs to eth1, the kernel
// map simply has no (1, ip) key for them.
const table = new Map<string, Announced>([
  [v4.toString('hex'), { ip: '192.0.2.100' }],
  [v4Elsewhere.toString('hex'), { ip: '192.0.2.101', interfaces: new Set(['eth1']) }],
  [v6.toString('hex'), { ip: '2001:db8::100' }],
  [v6Elsewhere.toString('hex'), { ip: '2001:db8::101', interfaces: new Set(['eth1']) }],
]);
const lookup = (b: Buffer) => table.get(b.toString('hex'));
const key = (ifindex: number, ip: Buffer): Buffer => {
  const k = Buffer.alloc(KEY_SIZE);
  k.writeUInt32LE(ifindex, 0);
  ip.copy(k, 4);
  return k;
};

// Load once at file top: without CAP_BPF (or BPF at all) the whole file is skipped, not failed.
let map: BpfHashMap | undefined;
let prog = -1;
let why = '';
try {
  map = BpfHashMap.create('lbctl_kprog_t', KEY_SIZE, VALUE_SIZE, 16);
  prog = loadSchedCls('lbctl_kprog_t', assemble(responderProgram(map.fd)));
  const value = Buffer.alloc(VALUE_SIZE);
  ours.copy(value, 0);
  for (const [ifindex, ip] of [[1, v4], [2, v4Elsewhere], [1, v6], [2, v6Elsewhere]] as const) map.set(key(ifindex, ip), value);
} catch (e) {
  why = e instanceof Error ? e.message : String(e);
  map?.close();
}

function arpRequest(target: Buffer, o: { ethDst?: Buffer; op?: number; sender?: Buffer } = {}): Buffer {
  return encodeARPFrame({
    ethDst: o.ethDst ?? BROADCAST_MAC,
    ethSrc: client,
    arp: { operation: o.op ?? ArpOperation.Request, senderMAC: client, senderIP: o.sender ?? clientV4, targetMAC: Buffer.alloc(6), targetIP: target },
  });
}

/** ns builds a solicitation by hand for the shapes neighborSolicitation cannot make. */
function ns(target: Buffer, o: { src?: Buffer; option?: boolean } = {}): Buffer {
  const dst = solicitedNodeAddress(target);
  return encodeNDPFrame(multicastMAC(dst), client, o.src ?? clientV6, dst, {
    type: 135, code: 0, target, flags: { router: false, solicited: false, override: false },
    options: o.option === false ? [] : [{ type: 1, mac: client }],
  });
}

/** patched returns a copy of `f` with bytes from `at` replaced. */
const patched = (f: Buffer, at: number, ...bytes: number[]): Buffer => {
  const c = Buffer.from(f);
  Buffer.from(bytes).copy(c, at);
  return c;
};

/** echo is an ICMPv6 echo request shaped exactly like an NS (32-byte body, hop limit 255, "option" 1/1). */
function echo(): Buffer {
  const body = Buffer.alloc(32);
  body[0] = 128;
  body.writeUInt16BE(0x0101, 24);
  body.writeUInt16BE(icmpv6Checksum(clientV6, v6, body), 2);
  const ip = encodeIPv6({ trafficClass: 0, flowLabel: 0, nextHeader: 58, hopLimit: 255, src: clientV6, dst: v6, payload: body });
  return encodeEthernet({ dst: ours, src: client, etherType: EtherType.IPv6, payload: ip });
}

function tcp4(): Buffer {
  const ip = Buffer.alloc(40);
  ip[0] = 0x45;
  ip[9] = 6;
  return encodeEthernet({ dst: ours, src: client, etherType: EtherType.IPv4, payload: ip });
}

/** decide is what user space says: the ARP socket sees EtherType 0x0806, the IPv6 socket the rest. */
const decide = (f: Buffer): Decision => (f.length >= 14 && f.readUInt16BE(12) === EtherType.ARP ? decideARP(f, lo, lookup) : decideNDP(f, lo, lookup));

/**
 * agree runs `frame` in the kernel and checks it against user space: a pass leaves the frame as it
 * was; a redirect is a reply user space also gives, byte-equal over the message (42 bytes for ARP,
 * 86 for NDP). Past that the kernel keeps the request's own length and padding where user space pads
 * with zeros to 60, so the tail must be the input's and the user-space tail zeros.
 */
function agree(frame: Buffer): number {
  const r = testRun(prog, frame, 1);
  if (r.retval === TCX_NEXT) {
    assert.ok(r.frame.equals(frame), `a passed frame is untouched: ${frame.toString('hex')}`);
    return r.retval;
  }
  assert.is(r.retval, REDIRECT, `verdict for ${frame.toString('hex')}`);
  const d = decide(frame);
  assert.is(d.action, 'reply', `the kernel answered what user space drops (${d.action === 'drop' ? `${d.reason}: ${d.detail}` : ''}): ${frame.toString('hex')}`);
  if (d.action !== 'reply') return r.retval;
  const n = frame.readUInt16BE(12) === EtherType.ARP ? 42 : 86;
  assert.is(r.frame.length, frame.length);
  assert.is(r.frame.subarray(0, n).toString('hex'), d.frame.subarray(0, n).toString('hex'), `reply to ${frame.toString('hex')}`);
  assert.ok(r.frame.subarray(n).equals(frame.subarray(n)), 'padding is the request\'s own');
  assert.ok(d.frame.subarray(n).every((b) => b === 0), 'user space pads with zeros');
  return r.retval;
}

const counter = (k: Buffer): bigint => map!.get(k)!.readBigUInt64LE(8);
const NS_OK = neighborSolicitation(v6, clientV6, client);

const cases: { desc: string; frame: Buffer; want: number }[] = [
  { desc: 'ARP: a broadcast request for an announced IP', frame: arpRequest(v4), want: REDIRECT },
  { desc: 'ARP: an unpadded 42-byte request', frame: arpRequest(v4).subarray(0, 42), want: REDIRECT },
  { desc: 'ARP: a request with non-zero padding keeps it', frame: patched(arpRequest(v4), 42, ...Array(18).fill(0xa5)), want: REDIRECT },
  { desc: 'ARP: a request unicast to our MAC', frame: arpRequest(v4, { ethDst: ours }), want: REDIRECT },
  { desc: 'ARP: an RFC 5227 probe (sender 0.0.0.0) is defended', frame: arpRequest(v4, { sender: Buffer.alloc(4) }), want: REDIRECT },
  { desc: 'ARP: a request unicast to another MAC', frame: arpRequest(v4, { ethDst: other }), want: TCX_NEXT },
  { desc: 'ARP: ff:ff:ff:ff:ff:fe is neither broadcast nor ours', frame: arpRequest(v4, { ethDst: parseMAC('ff:ff:ff:ff:ff:fe') }), want: TCX_NEXT },
  { desc: 'ARP: a target not announced', frame: arpRequest(Buffer.from([192, 0, 2, 7])), want: TCX_NEXT },
  { desc: 'ARP: a target keyed on another interface only', frame: arpRequest(v4Elsewhere), want: TCX_NEXT },
  { desc: 'ARP: a gratuitous request (spa == tpa)', frame: arpRequest(v4, { sender: v4 }), want: TCX_NEXT },
  { desc: 'ARP: a reply', frame: arpRequest(v4, { op: ArpOperation.Reply }), want: TCX_NEXT },
  { desc: 'ARP: a truncated frame (41 bytes)', frame: arpRequest(v4).subarray(0, 41), want: TCX_NEXT },
  { desc: 'ARP: htype is not Ethernet', frame: patched(arpRequest(v4), 14, 0x00, 0x06), want: TCX_NEXT },
  { desc: 'ARP: ptype is not IPv4', frame: patched(arpRequest(v4), 16, 0x86, 0xdd), want: TCX_NEXT },
  { desc: 'ARP: hlen is not 6', frame: patched(arpRequest(v4), 18, 8), want: TCX_NEXT },
  { desc: 'NDP: a multicast NS (neighborSolicitation) for an announced IP', frame: NS_OK, want: REDIRECT },
  { desc: 'NDP: an NS unicast to our MAC', frame: patched(NS_OK, 0, ...ours), want: REDIRECT },
  { desc: 'NDP: an NS with Ethernet padding after it', frame: Buffer.concat([NS_OK, Buffer.alloc(6, 0x5a)]), want: REDIRECT },
  { desc: 'NDP: an NS unicast to another MAC', frame: patched(NS_OK, 0, ...other), want: TCX_NEXT },
  { desc: 'NDP: a bad checksum', frame: patched(NS_OK, 56, NS_OK[56]! ^ 0x01), want: TCX_NEXT },
  { desc: 'NDP: hop limit 64 (checksum still valid)', frame: patched(NS_OK, 21, 64), want: TCX_NEXT },
  { desc: 'NDP: a DAD probe (source ::, no option)', frame: ns(v6, { src: Buffer.alloc(16), option: false }), want: TCX_NEXT },
  { desc: 'NDP: a DAD-sourced NS with an option (invalid)', frame: ns(v6, { src: Buffer.alloc(16) }), want: TCX_NEXT },
  { desc: 'NDP: a multicast target', frame: ns(Buffer.from('ff020000000000000000000000000001', 'hex')), want: TCX_NEXT },
  { desc: 'NDP: no source link-layer option', frame: ns(v6, { option: false }), want: TCX_NEXT },
  { desc: 'NDP: a target not announced', frame: neighborSolicitation(Buffer.from('20010db8000000000000000000000999', 'hex'), clientV6, client), want: TCX_NEXT },
  { desc: 'NDP: a target keyed on another interface only', frame: neighborSolicitation(v6Elsewhere, clientV6, client), want: TCX_NEXT },
  { desc: 'NDP: a truncated NS (85 bytes)', frame: NS_OK.subarray(0, 85), want: TCX_NEXT },
  { desc: 'NDP: IP version 4 in an IPv6 EtherType (checksum still valid)', frame: patched(NS_OK, 14, 0x40), want: TCX_NEXT },
  { desc: 'NDP: an NS with a flow label is answered with none, as user space does', frame: patched(NS_OK, 15, 0x0a, 0xbc, 0xde), want: REDIRECT },
  { desc: 'NDP: an ICMPv6 echo request of the same shape', frame: echo(), want: TCX_NEXT },
  { desc: 'a plain IPv4 TCP frame', frame: tcp4(), want: TCX_NEXT },
];

if (!map || prog < 0) {
  console.log(`  skip integration/l2/kernel-program: ${why}`);
  test.skip('in-kernel responder against the TS responders (needs CAP_BPF)', () => {});
} else {
  test.after(() => {
    closeFd(prog);
    map?.close();
  });

  for (const c of cases) {
    test(c.desc, () => {
      assert.is(agree(c.frame), c.want);
    });
  }

  test('each reply bumps the counter of the key it answered, and only that one', () => {
    const k4 = key(1, v4);
    const k6 = key(1, v6);
    const [a4, a6] = [counter(k4), counter(k6)];
    assert.is(agree(arpRequest(v4)), REDIRECT);
    assert.is(agree(arpRequest(v4, { op: ArpOperation.Reply })), TCX_NEXT);
    assert.equal([counter(k4), counter(k6)], [a4 + 1n, a6]);
    assert.is(agree(NS_OK), REDIRECT);
    assert.equal([counter(k4), counter(k6)], [a4 + 1n, a6 + 1n]);
    assert.ok(map!.get(k4)!.subarray(0, 6).equals(ours), 'the MAC half of the value is untouched');
  });

  test('property: mutated requests are passed untouched or answered exactly as user space answers', () => {
    const bases = [arpRequest(v4), arpRequest(v4, { ethDst: ours }), arpRequest(v4).subarray(0, 42), NS_OK, patched(NS_OK, 0, ...ours)];
    // Each run edits a valid request: a few byte flips biased to the headers, and maybe a new length
    // (a cut, or random bytes appended), 14..128 bytes (test runs need at least the Ethernet header).
    const edit = fc.record({
      base: fc.constantFrom(...bases),
      flips: fc.array(fc.tuple(fc.integer({ min: 0, max: 127 }), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }),
      len: fc.option(fc.integer({ min: 14, max: 128 })),
      fill: fc.uint8Array({ minLength: 128, maxLength: 128 }),
    });
    const random = fc.uint8Array({ minLength: 14, maxLength: 128 }).map((b) => Buffer.from(b));
    const frames = fc.oneof({ weight: 9, arbitrary: edit.map(({ base, flips, len, fill }) => {
      const f = Buffer.concat([base, Buffer.from(fill)]).subarray(0, len ?? base.length);
      const out = Buffer.from(f);
      for (const [at, x] of flips) if (at < out.length) out[at]! ^= x;
      return out;
    }) }, { weight: 1, arbitrary: random });
    // BPF_PROG_TEST_RUN itself refuses (EINVAL) IPv6 frames without a full 40-byte header and IPv4
    // ones without 20 bytes: those never reach the program, so they are not inputs here.
    const runnable = (f: Buffer) => f.length >= ({ [EtherType.IPv6]: 54, [EtherType.IPv4]: 34 }[f.readUInt16BE(12)] ?? 14);
    fc.assert(fc.property(frames, (f) => {
      fc.pre(runnable(f));
      agree(f);
    }), { numRuns: 300 });
  });

  test('property: the canonical shapes are always answered, whatever the addresses', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (mac, ip4, ip6) => {
      const m = Buffer.from(mac);
      m[0] = m[0]! & 0xfe; // a unicast client MAC
      const spa = Buffer.from(ip4);
      fc.pre(!spa.equals(v4));
      const src6 = Buffer.from(ip6);
      fc.pre(src6.some((b) => b !== 0));
      const arp = encodeARPFrame({ ethDst: BROADCAST_MAC, ethSrc: m, arp: { operation: 1, senderMAC: m, senderIP: spa, targetMAC: Buffer.alloc(6), targetIP: v4 } });
      assert.is(agree(arp), REDIRECT);
      assert.is(agree(neighborSolicitation(v6, src6, m)), REDIRECT);
    }), { numRuns: 200 });
  });
}

test.run();
