// ARP for IPv4 over Ethernet (RFC 826), including the gratuitous forms of RFC 5227 §3. Only the
// Ethernet/IPv4 combination is decoded; anything else is refused with a typed error.
import { BROADCAST_MAC, EtherType, WireError, checkMAC, decodeEthernet, encodeEthernet } from './ethernet.js';

/** ArpOperation is ar$op (RFC 826): 1 request, 2 reply. */
export const ArpOperation = { Request: 1, Reply: 2 } as const;

/** ARP_PACKET_LEN is the length of an Ethernet/IPv4 ARP packet (8-byte fixed part + 2×(6+4)). */
export const ARP_PACKET_LEN = 28;
const HTYPE_ETHERNET = 1;

/** ArpPacket is one Ethernet/IPv4 ARP packet; addresses are 6- and 4-byte buffers. */
export interface ArpPacket {
  operation: number;
  senderMAC: Buffer;
  senderIP: Buffer;
  targetMAC: Buffer;
  targetIP: Buffer;
}

/** decodeARP parses the ARP payload of an Ethernet frame (trailing padding is ignored). */
export function decodeARP(buf: Buffer): ArpPacket {
  if (buf.length < ARP_PACKET_LEN) {
    throw new WireError('wire.truncated', 'arp', `arp: packet of ${buf.length} bytes is shorter than ${ARP_PACKET_LEN}`);
  }
  const htype = buf.readUInt16BE(0);
  const ptype = buf.readUInt16BE(2);
  if (htype !== HTYPE_ETHERNET) throw new WireError('wire.unsupported', 'arp.htype', `arp: hardware type ${htype} is not Ethernet (1)`);
  if (ptype !== EtherType.IPv4) throw new WireError('wire.unsupported', 'arp.ptype', `arp: protocol type 0x${ptype.toString(16)} is not IPv4`);
  if (buf[4] !== 6) throw new WireError('wire.invalid', 'arp.hlen', `arp: hardware length ${buf[4]} is not 6`);
  if (buf[5] !== 4) throw new WireError('wire.invalid', 'arp.plen', `arp: protocol length ${buf[5]} is not 4`);
  return {
    operation: buf.readUInt16BE(6),
    senderMAC: Buffer.from(buf.subarray(8, 14)),
    senderIP: Buffer.from(buf.subarray(14, 18)),
    targetMAC: Buffer.from(buf.subarray(18, 24)),
    targetIP: Buffer.from(buf.subarray(24, 28)),
  };
}

/** encodeARP writes the 28-byte ARP packet. */
export function encodeARP(p: ArpPacket): Buffer {
  checkMAC(p.senderMAC, 'arp.sha');
  checkMAC(p.targetMAC, 'arp.tha');
  if (p.senderIP.length !== 4) throw new WireError('wire.invalid', 'arp.spa', `arp: sender IP has ${p.senderIP.length} bytes, want 4`);
  if (p.targetIP.length !== 4) throw new WireError('wire.invalid', 'arp.tpa', `arp: target IP has ${p.targetIP.length} bytes, want 4`);
  const out = Buffer.alloc(ARP_PACKET_LEN);
  out.writeUInt16BE(HTYPE_ETHERNET, 0);
  out.writeUInt16BE(EtherType.IPv4, 2);
  out[4] = 6;
  out[5] = 4;
  out.writeUInt16BE(p.operation, 6);
  p.senderMAC.copy(out, 8);
  p.senderIP.copy(out, 14);
  p.targetMAC.copy(out, 18);
  p.targetIP.copy(out, 24);
  return out;
}

/** ArpFrame is an ARP packet with the Ethernet addresses it travelled between. */
export interface ArpFrame {
  ethDst: Buffer;
  ethSrc: Buffer;
  arp: ArpPacket;
}

/** decodeARPFrame parses a whole Ethernet frame that must carry ARP. */
export function decodeARPFrame(buf: Buffer): ArpFrame {
  const eth = decodeEthernet(buf);
  if (eth.etherType !== EtherType.ARP) {
    throw new WireError('wire.unsupported', 'ethernet.type', `arp: EtherType 0x${eth.etherType.toString(16)} is not ARP`);
  }
  return { ethDst: Buffer.from(eth.dst), ethSrc: Buffer.from(eth.src), arp: decodeARP(eth.payload) };
}

/** encodeARPFrame wraps an ARP packet in a padded Ethernet frame. */
export function encodeARPFrame(f: ArpFrame): Buffer {
  return encodeEthernet({ dst: f.ethDst, src: f.ethSrc, etherType: EtherType.ARP, payload: encodeARP(f.arp) });
}

/**
 * arpReply answers a request for `ip` from `mac` (RFC 826 "swap the fields"): unicast back to the
 * requester's hardware address, our MAC as sender, the requester as target.
 */
export function arpReply(request: ArpPacket, mac: Buffer): Buffer {
  return encodeARPFrame({
    ethDst: request.senderMAC,
    ethSrc: mac,
    arp: {
      operation: ArpOperation.Reply,
      senderMAC: mac,
      senderIP: request.targetIP,
      targetMAC: request.senderMAC,
      targetIP: request.senderIP,
    },
  });
}

/**
 * gratuitousARP builds the broadcast announcement for `ip` owned by `mac`. Sender IP = target IP =
 * the address (RFC 5227 §3); target MAC is broadcast as MetalLB sends it, so old clients that only
 * update on a matching tha still see it. `operation` picks the request or the reply form.
 */
export function gratuitousARP(ip: Buffer, mac: Buffer, operation: number): Buffer {
  return encodeARPFrame({
    ethDst: BROADCAST_MAC,
    ethSrc: mac,
    arp: { operation, senderMAC: mac, senderIP: ip, targetMAC: BROADCAST_MAC, targetIP: ip },
  });
}
