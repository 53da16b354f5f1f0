// The in-kernel layer-2 fast path: a tcx ingress program that answers ARP requests and neighbor
// solicitations for the IPs this node announces, by rewriting the request into the reply in place
// and sending it back out of the same interface. It runs in the receive path where the kernel's own
// ARP code runs, so a reply costs no task wake-up (the user-space responders need two). It answers
// only the common, fully checked shapes and passes everything else on untouched (TCX_NEXT), so the
// user-space responder still sees it, decides with the same rules and counts the drop reason.
//
// The table is a hash map shared with user space: key = ifindex (u32, host order) + the address (16
// bytes, IPv4 in the first 4, rest zero); value = the interface MAC (6 bytes, 2 of padding) + a u64
// count of replies sent. An IP restricted to some interfaces simply has no key on the others.
import type { Insn, Reg, JmpOp } from './asm.js';

/** KEY_SIZE and VALUE_SIZE are the responder map's layout (see the file comment). */
export const KEY_SIZE = 20;
export const VALUE_SIZE = 16;

/** Tcx verdicts: NEXT lets the frame continue (other programs, then the stack); REDIRECT sends it. */
export const TCX_NEXT = -1;
const TC_ACT_REDIRECT = 7;

const Helper = { mapLookup: 1, redirect: 23, csumDiff: 28 } as const;
/** __sk_buff field offsets (include/uapi/linux/bpf.h). */
const Skb = { ifindex: 40, data: 76, dataEnd: 80 } as const;

// Register roles: r6 skb, r7 packet start, r8 packet end, r9 the map value once found.
const SKB: Reg = 6;
const PKT: Reg = 7;
const END: Reg = 8;
const VAL: Reg = 9;

// Register operands are `Reg`; immediates go through the `*i` forms, so `mov(r6, r1)` and
// `movi(r0, 1)` cannot be confused.
const mov = (dst: Reg, src: Reg): Insn => ({ op: 'alu64', alu: 'mov', dst, src });
const movi = (dst: Reg, imm: number): Insn => ({ op: 'alu64', alu: 'mov', dst, src: { imm } });
const add = (dst: Reg, src: Reg): Insn => ({ op: 'alu64', alu: 'add', dst, src });
const addi = (dst: Reg, imm: number): Insn => ({ op: 'alu64', alu: 'add', dst, src: { imm } });
const ldx = (size: 1 | 2 | 4 | 8, dst: Reg, src: Reg, off: number): Insn => ({ op: 'ldx', size, dst, src, off });
const stx = (size: 1 | 2 | 4 | 8, dst: Reg, off: number, src: Reg): Insn => ({ op: 'stx', size, dst, src, off });
const st = (size: 1 | 2 | 4 | 8, dst: Reg, off: number, imm: number): Insn => ({ op: 'st', size, dst, off, imm });
/** j32/j32i compare the low 32 bits, so 0xffffffff is not sign-extended against a u32 load. */
const j32 = (cond: JmpOp, dst: Reg, src: Reg, to: string): Insn => ({ op: 'jmp32', cond, dst, src, to });
const j32i = (cond: JmpOp, dst: Reg, imm: number, to: string): Insn => ({ op: 'jmp32', cond, dst, src: { imm }, to });
const j = (cond: JmpOp, dst: Reg, src: Reg, to: string): Insn => ({ op: 'jmp', cond, dst, src, to });
const ji = (cond: JmpOp, dst: Reg, imm: number, to: string): Insn => ({ op: 'jmp', cond, dst, src: { imm }, to });
const label = (name: string): Insn => ({ op: 'label', name });

/** le32 is how four wire bytes read back as a u32 on this (little-endian) host. */
const le32 = (...b: number[]): number => Buffer.from(b).readUInt32LE(0);
const le16 = (...b: number[]): number => Buffer.from(b).readUInt16LE(0);

/** needBytes passes the frame on unless it has at least `n` linear bytes (the verifier insists). */
function needBytes(n: number): Insn[] {
  return [mov(2, PKT), addi(2, n), j('gt', 2, END, 'pass')];
}

/** copy moves `n` (6 or 16) bytes inside the packet or from the map value, 4/2 bytes at a time. */
function copy(n: 6 | 16, to: [Reg, number], from: [Reg, number]): Insn[] {
  const out: Insn[] = [];
  const widths = n === 6 ? [4, 2] : [4, 4, 4, 4];
  let o = 0;
  for (const w of widths as (2 | 4)[]) {
    out.push(ldx(w, 3, from[0], from[1] + o), stx(w, to[0], to[1] + o, 3));
    o += w;
  }
  return out;
}

/**
 * lookup builds the key (ifindex + address at `addrOff`, `addrLen` bytes) on the stack, finds it and
 * keeps the value in r9; frames for addresses we do not announce here are passed on.
 */
function lookup(mapFd: number, addrOff: number, addrLen: 4 | 16): Insn[] {
  const out: Insn[] = [st(8, 10, -24, 0), st(8, 10, -16, 0), st(4, 10, -8, 0), ldx(4, 2, SKB, Skb.ifindex), stx(4, 10, -24, 2)];
  for (let o = 0; o < addrLen; o += 4) out.push(ldx(4, 3, PKT, addrOff + o), stx(4, 10, -20 + o, 3));
  out.push({ op: 'ldmapfd', dst: 1, fd: mapFd }, mov(2, 10), addi(2, -24), { op: 'call', helper: Helper.mapLookup });
  out.push(ji('eq', 0, 0, 'pass'), mov(VAL, 0));
  return out;
}

/** destinationIsOurs jumps to `ok` when the Ethernet destination is our MAC (the map value's); else the frame is passed on. */
function destinationIsOurs(ok: string): Insn[] {
  return [
    ldx(4, 2, PKT, 0), ldx(4, 3, VAL, 0), j32('ne', 2, 3, 'pass'),
    ldx(2, 2, PKT, 4), ldx(2, 3, VAL, 4), j32('ne', 2, 3, 'pass'),
    { op: 'ja', to: ok },
  ];
}

/** countAndSend bumps the reply counter and redirects the rewritten frame out of the same interface. */
function countAndSend(): Insn[] {
  return [
    movi(1, 1),
    { op: 'atomicAdd', size: 8, dst: VAL, src: 1, off: 8 },
    ldx(4, 1, SKB, Skb.ifindex), movi(2, 0), { op: 'call', helper: Helper.redirect },
    // bpf_redirect returns TC_ACT_REDIRECT for flags 0; returning it as the verdict sends the frame.
    movi(0, TC_ACT_REDIRECT), { op: 'exit' },
  ];
}

// ARP (RFC 826) over Ethernet: 14-byte header, then htype 1, ptype 0x0800, hlen 6, plen 4, op.
const ARP = { sha: 22, spa: 28, tha: 32, tpa: 38, op: 21, len: 42 } as const;

function arp(mapFd: number): Insn[] {
  return [
    label('arp'),
    ...needBytes(ARP.len),
    ldx(4, 2, PKT, 14), j32i('ne', 2, le32(0x00, 0x01, 0x08, 0x00), 'pass'), // Ethernet hardware, IPv4 protocol
    ldx(4, 2, PKT, 18), j32i('ne', 2, le32(6, 4, 0x00, 0x01), 'pass'), // a request
    // A gratuitous request (sender IP = target IP) announces; answering it would fight a takeover.
    ldx(4, 2, PKT, ARP.spa), ldx(4, 3, PKT, ARP.tpa), j32('eq', 2, 3, 'pass'),
    ...lookup(mapFd, ARP.tpa, 4),
    // Ethernet destination: broadcast, or our own MAC.
    ldx(4, 2, PKT, 0), j32i('ne', 2, 0xffffffff, 'arp_unicast'),
    ldx(2, 2, PKT, 4), j32i('eq', 2, 0xffff, 'arp_reply'),
    label('arp_unicast'),
    ...destinationIsOurs('arp_reply'),
    label('arp_reply'),
    ...copy(6, [PKT, 0], [PKT, ARP.sha]), // to the asker
    ...copy(6, [PKT, ARP.tha], [PKT, ARP.sha]),
    ...copy(6, [PKT, 6], [VAL, 0]), // from our MAC
    ...copy(6, [PKT, ARP.sha], [VAL, 0]),
    ldx(4, 2, PKT, ARP.spa), ldx(4, 3, PKT, ARP.tpa), stx(4, PKT, ARP.spa, 3), stx(4, PKT, ARP.tpa, 2),
    st(1, PKT, ARP.op, 2), // reply
    ...countAndSend(),
  ];
}

// A neighbor solicitation in its only common shape: Ethernet + IPv6 without extension headers +
// ICMPv6 type 135 with exactly one option, the source link-layer address (86 bytes in all).
const NS = { ipv6: 14, payloadLen: 18, nextHeader: 20, hopLimit: 21, src: 22, dst: 38, icmp: 54, checksum: 56, flags: 58, target: 62, opt: 78, optMAC: 80, len: 86 } as const;

/** sumNDP leaves in r0 the folded ones'-complement sum of the pseudo-header and the ICMPv6 message. */
function sumNDP(): Insn[] {
  // Words are summed as this little-endian host reads them; a ones'-complement sum is byte-order
  // agnostic, so the folded result written back the same way lands in network order.
  const pseudo = le32(0, 0, 0, NS.len - NS.icmp) + le32(0, 0, 0, 58); // upper-layer length, next header
  return [
    movi(1, 0), movi(2, 0), mov(3, PKT), addi(3, NS.src), movi(4, 32), movi(5, pseudo),
    { op: 'call', helper: Helper.csumDiff }, // addresses, seeded with the rest of the pseudo-header
    mov(5, 0), movi(1, 0), movi(2, 0), mov(3, PKT), addi(3, NS.icmp), movi(4, NS.len - NS.icmp),
    { op: 'call', helper: Helper.csumDiff }, // the message, seeded with the sum so far
    ...fold(),
  ];
}

/** fold reduces the 64-bit sum in r0 to 16 bits with end-around carries. */
function fold(): Insn[] {
  const step: Insn[] = [mov(2, 0), { op: 'alu64', alu: 'rsh', dst: 2, src: { imm: 16 } }, { op: 'alu64', alu: 'and', dst: 0, src: { imm: 0xffff } }, add(0, 2)];
  return [...step, ...step, ...step, ...step];
}

function ndp(mapFd: number): Insn[] {
  return [
    label('ndp'),
    ...needBytes(NS.len),
    // IP version 6: user space refuses any other as malformed (the EtherType alone does not say).
    ldx(1, 2, PKT, NS.ipv6), { op: 'alu64', alu: 'and', dst: 2, src: { imm: 0xf0 } }, ji('ne', 2, 0x60, 'pass'),
    ldx(1, 2, PKT, NS.nextHeader), ji('ne', 2, 58, 'pass'),
    ldx(1, 2, PKT, NS.icmp), ji('ne', 2, 135, 'pass'),
    ldx(2, 2, PKT, NS.payloadLen), j32i('ne', 2, le16(0, 32), 'pass'),
    ldx(1, 2, PKT, NS.hopLimit), ji('ne', 2, 255, 'pass'),
    ldx(1, 2, PKT, NS.icmp + 1), ji('ne', 2, 0, 'pass'), // code
    ldx(2, 2, PKT, NS.opt), j32i('ne', 2, le16(1, 1), 'pass'), // source link-layer option, 8 bytes
    ldx(1, 2, PKT, NS.target), ji('eq', 2, 0xff, 'pass'), // multicast target
    // An unspecified source is duplicate address detection: never answered here.
    ldx(8, 2, PKT, NS.src), ldx(8, 3, PKT, NS.src + 8), { op: 'alu64', alu: 'or', dst: 2, src: 3 }, ji('eq', 2, 0, 'pass'),
    // Ethernet destination: any multicast, or our own MAC (checked after the lookup).
    ...lookup(mapFd, NS.target, 16),
    ...needBytes(NS.len), // the helper call forgot the checked range
    ...sumNDP(),
    j32i('ne', 0, 0xffff, 'pass'), // bad checksum: user space counts it as malformed
    ...needBytes(NS.len),
    ldx(1, 2, PKT, 0), ji('set', 2, 1, 'ndp_reply'),
    ...destinationIsOurs('ndp_reply'),
    label('ndp_reply'),
    ...copy(6, [PKT, 0], [PKT, NS.optMAC]), // to the solicitor's link-layer address
    ...copy(6, [PKT, 6], [VAL, 0]),
    ...copy(16, [PKT, NS.dst], [PKT, NS.src]), // to the solicitor
    ...copy(16, [PKT, NS.src], [PKT, NS.target]), // from the target address itself
    st(4, PKT, NS.ipv6, le32(0x60, 0, 0, 0)), // version 6, traffic class and flow label 0, not the solicitor's
    st(1, PKT, NS.icmp, 136),
    st(2, PKT, NS.checksum, 0),
    st(4, PKT, NS.flags, le32(0x40, 0, 0, 0)), // Solicited=1, Router=0, Override=0
    st(2, PKT, NS.opt, le16(2, 1)), // target link-layer address option
    ...copy(6, [PKT, NS.optMAC], [VAL, 0]),
    ...sumNDP(),
    ...needBytes(NS.len),
    { op: 'alu64', alu: 'xor', dst: 0, src: { imm: 0xffff } },
    stx(2, PKT, NS.checksum, 0),
    ...countAndSend(),
  ];
}

/**
 * responderProgram is the whole tcx program for the map `mapFd`. Frames that are neither ARP nor
 * IPv6 leave after two loads and one compare.
 */
export function responderProgram(mapFd: number): Insn[] {
  return [
    mov(SKB, 1),
    ldx(4, PKT, SKB, Skb.data),
    ldx(4, END, SKB, Skb.dataEnd),
    ...needBytes(14),
    ldx(2, 2, PKT, 12),
    j32i('eq', 2, le16(0x08, 0x06), 'arp'),
    j32i('eq', 2, le16(0x86, 0xdd), 'ndp'),
    label('pass'),
    movi(0, TCX_NEXT),
    { op: 'exit' },
    ...arp(mapFd),
    ...ndp(mapFd),
  ];
}
