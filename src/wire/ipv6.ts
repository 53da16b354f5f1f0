// The IPv6 fixed header (RFC 8200 §3) and the upper-layer checksum over the IPv6 pseudo-header
// (RFC 8200 §8.1) that ICMPv6 uses (RFC 4443 §2.3). Extension headers are not walked: Neighbor
// Discovery messages are carried directly after the fixed header.
import { WireError } from './ethernet.js';

/** IPV6_HEADER_LEN is the fixed header length. */
export const IPV6_HEADER_LEN = 40;
/** NEXT_HEADER_ICMPV6 is the protocol number of ICMPv6. */
export const NEXT_HEADER_ICMPV6 = 58;

/** IPv6Packet is a decoded fixed header and its payload (a view, cut to the Payload Length field). */
export interface IPv6Packet {
  trafficClass: number;
  flowLabel: number;
  nextHeader: number;
  hopLimit: number;
  src: Buffer;
  dst: Buffer;
  payload: Buffer;
}

/** decodeIPv6 parses the fixed header; bytes past Payload Length (Ethernet padding) are dropped. */
export function decodeIPv6(buf: Buffer): IPv6Packet {
  if (buf.length < IPV6_HEADER_LEN) {
    throw new WireError('wire.truncated', 'ipv6.header', `ipv6: packet of ${buf.length} bytes is shorter than the 40-byte header`);
  }
  const first = buf.readUInt32BE(0);
  const version = first >>> 28;
  if (version !== 6) throw new WireError('wire.invalid', 'ipv6.version', `ipv6: version ${version} is not 6`);
  const payloadLen = buf.readUInt16BE(4);
  if (IPV6_HEADER_LEN + payloadLen > buf.length) {
    throw new WireError('wire.truncated', 'ipv6.payloadLength', `ipv6: payload length ${payloadLen} exceeds the ${buf.length - IPV6_HEADER_LEN} bytes present`);
  }
  return {
    trafficClass: (first >>> 20) & 0xff,
    flowLabel: first & 0xfffff,
    nextHeader: buf[6]!,
    hopLimit: buf[7]!,
    src: Buffer.from(buf.subarray(8, 24)),
    dst: Buffer.from(buf.subarray(24, 40)),
    payload: buf.subarray(IPV6_HEADER_LEN, IPV6_HEADER_LEN + payloadLen),
  };
}

/** encodeIPv6 writes the fixed header followed by the payload; Payload Length is computed. */
export function encodeIPv6(p: IPv6Packet): Buffer {
  checkAddr(p.src, 'ipv6.src');
  checkAddr(p.dst, 'ipv6.dst');
  if (p.payload.length > 0xffff) throw new WireError('wire.invalid', 'ipv6.payloadLength', `ipv6: payload of ${p.payload.length} bytes needs a jumbogram`);
  const out = Buffer.alloc(IPV6_HEADER_LEN + p.payload.length);
  out.writeUInt32BE(((6 << 28) | ((p.trafficClass & 0xff) << 20) | (p.flowLabel & 0xfffff)) >>> 0, 0);
  out.writeUInt16BE(p.payload.length, 4);
  out[6] = p.nextHeader;
  out[7] = p.hopLimit;
  p.src.copy(out, 8);
  p.dst.copy(out, 24);
  p.payload.copy(out, IPV6_HEADER_LEN);
  return out;
}

function checkAddr(a: Uint8Array, field: string): void {
  if (a.length !== 16) throw new WireError('wire.invalid', field, `ipv6: ${field} has ${a.length} bytes, want 16`);
}

/**
 * pseudoHeaderChecksum is the Internet checksum (RFC 1071) of the RFC 8200 §8.1 pseudo-header
 * (source, destination, upper-layer length, next header) followed by `body`. With the body's own
 * checksum field zeroed this is the value to write; over a received body it is 0 when valid.
 */
export function pseudoHeaderChecksum(src: Uint8Array, dst: Uint8Array, nextHeader: number, body: Uint8Array): number {
  let sum = 0;
  const add16 = (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  };
  add16(src);
  add16(dst);
  sum += Math.floor(body.length / 0x10000) + (body.length & 0xffff);
  sum += nextHeader;
  add16(body);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** icmpv6Checksum computes the checksum for an ICMPv6 message whose checksum field (bytes 2-3) is zero. */
export function icmpv6Checksum(src: Uint8Array, dst: Uint8Array, message: Uint8Array): number {
  return pseudoHeaderChecksum(src, dst, NEXT_HEADER_ICMPV6, message);
}

/** icmpv6ChecksumValid tells whether a received ICMPv6 message's checksum verifies. */
export function icmpv6ChecksumValid(src: Uint8Array, dst: Uint8Array, message: Uint8Array): boolean {
  return pseudoHeaderChecksum(src, dst, NEXT_HEADER_ICMPV6, message) === 0;
}

/** isMulticastIPv6 tells whether an address is in ff00::/8. */
export function isMulticastIPv6(a: Uint8Array): boolean {
  return a.length === 16 && a[0] === 0xff;
}

/** isUnspecifiedIPv6 tells whether an address is ::. */
export function isUnspecifiedIPv6(a: Uint8Array): boolean {
  return a.length === 16 && a.every((b) => b === 0);
}

/** ALL_NODES is ff02::1 (RFC 4291 §2.7.1). */
export const ALL_NODES: Buffer = Buffer.from('ff020000000000000000000000000001', 'hex');

/** solicitedNodeAddress maps an address to ff02::1:ffXX:XXXX (RFC 4291 §2.7.1, low 24 bits kept). */
export function solicitedNodeAddress(a: Uint8Array): Buffer {
  checkAddr(a, 'ipv6.address');
  const out = Buffer.from('ff0200000000000000000001ff000000', 'hex');
  out[13] = a[13]!;
  out[14] = a[14]!;
  out[15] = a[15]!;
  return out;
}

/** multicastMAC maps an IPv6 multicast address to 33:33 + its low 32 bits (RFC 2464 §7). */
export function multicastMAC(a: Uint8Array): Buffer {
  checkAddr(a, 'ipv6.address');
  return Buffer.from([0x33, 0x33, a[12]!, a[13]!, a[14]!, a[15]!]);
}
