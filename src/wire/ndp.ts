// Neighbor Discovery (RFC 4861): Neighbor Solicitation (§4.3), Neighbor Advertisement (§4.4) and
// their options (§4.6). Options we do not know are kept raw, never dropped, so a decode/encode round
// trip is lossless. Validation follows §7.1.1/§7.1.2 and is a separate step so tests can build
// invalid messages on purpose.
import { EtherType, WireError, checkMAC, decodeEthernet, encodeEthernet } from './ethernet.js';
import {
  ALL_NODES, NEXT_HEADER_ICMPV6, decodeIPv6, encodeIPv6, icmpv6Checksum, icmpv6ChecksumValid,
  isMulticastIPv6, isUnspecifiedIPv6, multicastMAC, solicitedNodeAddress, type IPv6Packet,
} from './ipv6.js';

/** NdpType is the ICMPv6 type of the two messages we handle. */
export const NdpType = { NeighborSolicitation: 135, NeighborAdvertisement: 136 } as const;
/** NdpOptionType numbers the options of RFC 4861 §4.6. */
export const NdpOptionType = { SourceLinkLayerAddress: 1, TargetLinkLayerAddress: 2 } as const;

/** NdpOption is one option: link-layer address options decoded, anything else kept as raw bytes. */
export type NdpOption =
  | { type: 1 | 2; mac: Buffer }
  | { type: number; raw: Buffer };

/** NdpMessage is an NS or NA; `flags` apply to NA only (Router, Solicited, Override; §4.4). */
export interface NdpMessage {
  type: number;
  code: number;
  target: Buffer;
  flags: { router: boolean; solicited: boolean; override: boolean };
  options: NdpOption[];
}

const NDP_FIXED_LEN = 24;

/** decodeNDP parses an ICMPv6 NS or NA body (checksum not checked here; see validateNDP). */
export function decodeNDP(msg: Buffer): NdpMessage {
  if (msg.length < NDP_FIXED_LEN) throw new WireError('wire.truncated', 'ndp', `ndp: message of ${msg.length} bytes is shorter than ${NDP_FIXED_LEN}`);
  const type = msg[0]!;
  if (type !== NdpType.NeighborSolicitation && type !== NdpType.NeighborAdvertisement) {
    throw new WireError('wire.unsupported', 'ndp.type', `ndp: ICMPv6 type ${type} is not a neighbor solicitation or advertisement`);
  }
  const f = msg[4]!;
  return {
    type,
    code: msg[1]!,
    target: Buffer.from(msg.subarray(8, 24)),
    flags: { router: (f & 0x80) !== 0, solicited: (f & 0x40) !== 0, override: (f & 0x20) !== 0 },
    options: decodeOptions(msg.subarray(NDP_FIXED_LEN)),
  };
}

function decodeOptions(buf: Buffer): NdpOption[] {
  const out: NdpOption[] = [];
  for (let off = 0; off < buf.length; ) {
    if (buf.length - off < 2) throw new WireError('wire.truncated', 'ndp.option', `ndp: ${buf.length - off} stray byte(s) after the options`);
    const type = buf[off]!;
    const len = buf[off + 1]! * 8;
    // §4.6: a zero length would loop forever; such packets must be discarded.
    if (len === 0) throw new WireError('wire.invalid', 'ndp.option.length', `ndp: option type ${type} has length 0`);
    if (off + len > buf.length) throw new WireError('wire.truncated', 'ndp.option.length', `ndp: option type ${type} of ${len} bytes overruns the message`);
    const body = Buffer.from(buf.subarray(off + 2, off + len));
    const lla = type === NdpOptionType.SourceLinkLayerAddress || type === NdpOptionType.TargetLinkLayerAddress;
    // An Ethernet link-layer option is exactly 8 bytes; other lengths are kept raw (other link types).
    out.push(lla && len === 8 ? { type: type as 1 | 2, mac: body.subarray(0, 6) } : { type, raw: body });
    off += len;
  }
  return out;
}

/** encodeNDP writes the message with a zero checksum; `finishICMPv6` fills it in. */
export function encodeNDP(m: NdpMessage): Buffer {
  if (m.target.length !== 16) throw new WireError('wire.invalid', 'ndp.target', `ndp: target has ${m.target.length} bytes, want 16`);
  const opts = m.options.map(encodeOption);
  const out = Buffer.alloc(NDP_FIXED_LEN + opts.reduce((n, o) => n + o.length, 0));
  out[0] = m.type;
  out[1] = m.code;
  if (m.type === NdpType.NeighborAdvertisement) {
    out[4] = (m.flags.router ? 0x80 : 0) | (m.flags.solicited ? 0x40 : 0) | (m.flags.override ? 0x20 : 0);
  }
  m.target.copy(out, 8);
  let off = NDP_FIXED_LEN;
  for (const o of opts) off += o.copy(out, off);
  return out;
}

function encodeOption(o: NdpOption): Buffer {
  const body = 'mac' in o ? (checkMAC(o.mac, 'ndp.option.mac'), o.mac) : o.raw;
  const len = Math.ceil((body.length + 2) / 8) * 8;
  if (len / 8 > 255) throw new WireError('wire.invalid', 'ndp.option.length', `ndp: option type ${o.type} of ${body.length} bytes is too long`);
  const out = Buffer.alloc(len);
  out[0] = o.type;
  out[1] = len / 8;
  body.copy(out, 2);
  return out;
}

/** linkLayerOption returns the MAC of the first source (1) or target (2) link-layer option. */
export function linkLayerOption(m: NdpMessage, type: 1 | 2): Buffer | undefined {
  for (const o of m.options) if (o.type === type && 'mac' in o) return o.mac;
  return undefined;
}

/** NdpViolation names which RFC 4861 §7.1 rule a received message breaks. */
export type NdpViolation = 'hopLimit' | 'code' | 'checksum' | 'multicastTarget' | 'dadWithSourceLLA' | 'dadNotToSolicitedNode' | 'solicitedToMulticast';

/** validateNDP applies RFC 4861 §7.1.1 (NS) and §7.1.2 (NA) receive checks; undefined means valid. */
export function validateNDP(ip: IPv6Packet, m: NdpMessage): NdpViolation | undefined {
  if (ip.hopLimit !== 255) return 'hopLimit';
  if (m.code !== 0) return 'code';
  if (!icmpv6ChecksumValid(ip.src, ip.dst, ip.payload)) return 'checksum';
  if (isMulticastIPv6(m.target)) return 'multicastTarget';
  if (m.type === NdpType.NeighborSolicitation && isUnspecifiedIPv6(ip.src)) {
    if (linkLayerOption(m, 1)) return 'dadWithSourceLLA';
    if (!ip.dst.equals(solicitedNodeAddress(m.target))) return 'dadNotToSolicitedNode';
  }
  if (m.type === NdpType.NeighborAdvertisement && m.flags.solicited && isMulticastIPv6(ip.dst)) return 'solicitedToMulticast';
  return undefined;
}

/** NdpFrame is an NDP message with the Ethernet and IPv6 envelopes it arrived in. */
export interface NdpFrame {
  ethDst: Buffer;
  ethSrc: Buffer;
  ip: IPv6Packet;
  ndp: NdpMessage;
}

/** decodeNDPFrame parses Ethernet + IPv6 + ICMPv6 NS/NA; anything else throws a WireError. */
export function decodeNDPFrame(buf: Buffer): NdpFrame {
  const eth = decodeEthernet(buf);
  if (eth.etherType !== EtherType.IPv6) throw new WireError('wire.unsupported', 'ethernet.type', `ndp: EtherType 0x${eth.etherType.toString(16)} is not IPv6`);
  const ip = decodeIPv6(eth.payload);
  if (ip.nextHeader !== NEXT_HEADER_ICMPV6) throw new WireError('wire.unsupported', 'ipv6.nextHeader', `ndp: next header ${ip.nextHeader} is not ICMPv6`);
  return { ethDst: Buffer.from(eth.dst), ethSrc: Buffer.from(eth.src), ip, ndp: decodeNDP(ip.payload) };
}

/** encodeNDPFrame builds Ethernet + IPv6 (hop limit 255, §7.1) + ICMPv6 with its checksum filled in. */
export function encodeNDPFrame(ethDst: Buffer, ethSrc: Buffer, src: Buffer, dst: Buffer, m: NdpMessage): Buffer {
  const body = encodeNDP(m);
  body.writeUInt16BE(icmpv6Checksum(src, dst, body), 2);
  const ip = encodeIPv6({ trafficClass: 0, flowLabel: 0, nextHeader: NEXT_HEADER_ICMPV6, hopLimit: 255, src, dst, payload: body });
  return encodeEthernet({ dst: ethDst, src: ethSrc, etherType: EtherType.IPv6, payload: ip });
}

/**
 * solicitedAdvertisement answers a solicitation for `target` from `mac`: unicast to the solicitor,
 * Solicited=1, Override=0, Router=0, target link-layer option (MetalLB's reply). The IPv6 source is
 * the target itself, because some clients (ndisc6) ignore an NA sourced from any other address.
 */
export function solicitedAdvertisement(ns: NdpFrame, mac: Buffer, solicitorMAC: Buffer): Buffer {
  const target = ns.ndp.target;
  return encodeNDPFrame(solicitorMAC, mac, target, ns.ip.src, {
    type: NdpType.NeighborAdvertisement,
    code: 0,
    target,
    flags: { router: false, solicited: true, override: false },
    options: [{ type: NdpOptionType.TargetLinkLayerAddress, mac }],
  });
}

/** unsolicitedAdvertisement announces `target` at `mac` to all nodes (ff02::1) with Override=1 (§7.2.6). */
export function unsolicitedAdvertisement(target: Buffer, mac: Buffer): Buffer {
  return encodeNDPFrame(multicastMAC(ALL_NODES), mac, target, ALL_NODES, {
    type: NdpType.NeighborAdvertisement,
    code: 0,
    target,
    flags: { router: false, solicited: false, override: true },
    options: [{ type: NdpOptionType.TargetLinkLayerAddress, mac }],
  });
}

/** neighborSolicitation builds a multicast NS for `target` (what a client sends; used by probes and tests). */
export function neighborSolicitation(target: Buffer, src: Buffer, mac: Buffer): Buffer {
  const dst = solicitedNodeAddress(target);
  return encodeNDPFrame(multicastMAC(dst), mac, src, dst, {
    type: NdpType.NeighborSolicitation,
    code: 0,
    target,
    flags: { router: false, solicited: false, override: false },
    options: [{ type: NdpOptionType.SourceLinkLayerAddress, mac }],
  });
}
