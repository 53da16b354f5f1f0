// What to do with one received frame: the ARP and NDP responder decisions (MetalLB arp.go/ndp.go
// rules). Pure: frame bytes and the announced table in, a reply frame or a drop reason out, so every
// branch is unit-tested without sockets and a malformed frame can only ever produce a reason.
import { ArpOperation, arpReply, decodeARPFrame } from '../../wire/arp.js';
import { WireError, isBroadcastMAC, isMulticastMAC } from '../../wire/ethernet.js';
import { NdpType, decodeNDPFrame, linkLayerOption, solicitedAdvertisement, validateNDP } from '../../wire/ndp.js';
import type { DropReason } from './types.js';

/** Announced is one IP this node currently owns. */
export interface Announced {
  /** ip is the canonical text form (the metrics label). */
  ip: string;
  /** interfaces restricts where it is answered; undefined means every eligible interface. */
  interfaces?: ReadonlySet<string>;
}

/** AnnouncedLookup finds an announced IP by its 4 or 16 network-order bytes. */
export type AnnouncedLookup = (ipBytes: Buffer) => Announced | undefined;

/** ResponderIface is the receiving interface as the decisions see it. */
export interface ResponderIface {
  name: string;
  mac: Buffer;
}

/** Decision is the outcome for one frame: a reply to send, or a counted drop with a detail for debug logs. */
export type Decision =
  | { action: 'reply'; ip: string; frame: Buffer }
  | { action: 'drop'; reason: DropReason; detail: string; ip?: string };

/** decideARP answers ARP requests for announced IPs (RFC 826), from the interface MAC. */
export function decideARP(frame: Buffer, iface: ResponderIface, lookup: AnnouncedLookup): Decision {
  let f;
  try {
    f = decodeARPFrame(frame);
  } catch (e) {
    return malformed(e);
  }
  const { arp } = f;
  if (arp.operation !== ArpOperation.Request) return drop('notRequest', `arp operation ${arp.operation}`);
  // A gratuitous request (sender IP = target IP) announces; it does not ask. Answering another
  // node's announcement for a moving IP would fight the takeover.
  if (arp.senderIP.equals(arp.targetIP)) return drop('notRequest', 'gratuitous arp');
  if (!isBroadcastMAC(f.ethDst) && !f.ethDst.equals(iface.mac)) return drop('notOurs', 'ethernet destination is another host');
  const hit = lookup(arp.targetIP);
  if (!hit) return drop('notOurs', `target ${[...arp.targetIP].join('.')} is not announced`);
  if (hit.interfaces && !hit.interfaces.has(iface.name)) return drop('wrongInterface', `${hit.ip} is not announced on ${iface.name}`, hit.ip);
  return { action: 'reply', ip: hit.ip, frame: arpReply(arp, iface.mac) };
}

/**
 * decideNDP answers neighbor solicitations that carry a source link-layer option (so DAD probes are
 * left alone) for announced IPs, with a solicited, non-override NA carrying our MAC.
 */
export function decideNDP(frame: Buffer, iface: ResponderIface, lookup: AnnouncedLookup): Decision {
  let f;
  try {
    f = decodeNDPFrame(frame);
  } catch (e) {
    if (e instanceof WireError && e.code === 'wire.unsupported') return drop('notRequest', e.message);
    return malformed(e);
  }
  if (f.ndp.type !== NdpType.NeighborSolicitation) return drop('notRequest', `icmpv6 type ${f.ndp.type}`);
  const violation = validateNDP(f.ip, f.ndp);
  if (violation) return drop('malformed', `rfc 4861 check failed: ${violation}`);
  const solicitor = linkLayerOption(f.ndp, 1);
  if (!solicitor) return drop('notRequest', 'no source link-layer option (duplicate address detection)');
  if (!isMulticastMAC(f.ethDst) && !f.ethDst.equals(iface.mac)) return drop('notOurs', 'ethernet destination is another host');
  const hit = lookup(f.ndp.target);
  if (!hit) return drop('notOurs', 'target is not announced');
  if (hit.interfaces && !hit.interfaces.has(iface.name)) return drop('wrongInterface', `${hit.ip} is not announced on ${iface.name}`, hit.ip);
  return { action: 'reply', ip: hit.ip, frame: solicitedAdvertisement(f, iface.mac, solicitor) };
}

function drop(reason: DropReason, detail: string, ip?: string): Decision {
  return ip === undefined ? { action: 'drop', reason, detail } : { action: 'drop', reason, detail, ip };
}

function malformed(e: unknown): Decision {
  return drop('malformed', e instanceof Error ? e.message : String(e));
}
