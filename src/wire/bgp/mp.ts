// MP_REACH_NLRI and MP_UNREACH_NLRI bodies (RFC 4760 §3, §4). We interpret unicast IPv4/IPv6; the
// next hop of an IPv6 route is one global address or a global plus a link-local (RFC 2545 §3).
import { Afi, ErrorCode, UpdateSubcode } from './constants.js';
import { BgpDecodeError, BgpEncodeError } from './errors.js';
import { decodePrefixes, encodedPrefixLen, formatAddress, parseAddress, writePrefix, type Prefix } from './prefix.js';

/** MpReach is the MP_REACH_NLRI attribute: family, next hops and the reachable prefixes. */
export interface MpReach {
  afi: number;
  safi: number;
  nextHops: string[];
  nlri: Prefix[];
}

/** MpUnreach is the MP_UNREACH_NLRI attribute: family and the withdrawn prefixes. */
export interface MpUnreach {
  afi: number;
  safi: number;
  withdrawn: Prefix[];
}

function mpErr(msg: string, whole: Buffer): BgpDecodeError {
  return new BgpDecodeError('bgp.update.malformed-mp', `update: ${msg}`, {
    code: ErrorCode.UPDATE_MESSAGE, subcode: UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, data: whole,
  });
}

function prefixesSize(ps: Prefix[]): number {
  return ps.reduce((n, p) => n + encodedPrefixLen(p), 0);
}

/** encodeMpReach writes afi, safi, next hop length and addresses, a reserved octet, then the NLRI. */
export function encodeMpReach(m: MpReach): Buffer {
  const hops = m.nextHops.map(parseAddress);
  if (hops.length === 0) throw new BgpEncodeError('bgp.mp.no-next-hop', 'mp_reach_nlri needs a next hop');
  const nh = Buffer.concat(hops);
  const out = Buffer.alloc(5 + nh.length + prefixesSize(m.nlri));
  out.writeUInt16BE(m.afi, 0);
  out[2] = m.safi;
  out[3] = nh.length;
  nh.copy(out, 4);
  let off = 5 + nh.length;
  for (const p of m.nlri) off = writePrefix(out, off, p);
  return out;
}

/** encodeMpUnreach writes afi, safi and the withdrawn prefixes (none = End-of-RIB, RFC 4724 §2). */
export function encodeMpUnreach(m: MpUnreach): Buffer {
  const out = Buffer.alloc(3 + prefixesSize(m.withdrawn));
  out.writeUInt16BE(m.afi, 0);
  out[2] = m.safi;
  let off = 3;
  for (const p of m.withdrawn) off = writePrefix(out, off, p);
  return out;
}

function knownFamily(afi: number): boolean {
  return afi === Afi.IPV4 || afi === Afi.IPV6;
}

/** decodeMpReach parses an MP_REACH_NLRI body; a body that does not add up is an Optional Attribute Error. */
export function decodeMpReach(v: Buffer, whole: Buffer): MpReach {
  if (v.length < 5) throw mpErr(`mp_reach_nlri of ${v.length} octets is too short`, whole);
  const afi = v.readUInt16BE(0);
  const safi = v[2]!;
  const nhLen = v[3]!;
  if (5 + nhLen > v.length) throw mpErr(`mp_reach_nlri next hop length ${nhLen} overruns the attribute`, whole);
  const nh = v.subarray(4, 4 + nhLen);
  const nlriBuf = v.subarray(5 + nhLen);
  if (!knownFamily(afi)) return { afi, safi, nextHops: [], nlri: [] };
  const width = afi === Afi.IPV4 ? 4 : 16;
  if (nhLen === 0 || nhLen % width !== 0 || nhLen > 2 * width) throw mpErr(`mp_reach_nlri next hop length ${nhLen} is invalid for afi ${afi}`, whole);
  const nextHops = [];
  for (let i = 0; i < nhLen; i += width) nextHops.push(formatAddress(nh.subarray(i, i + width)));
  return { afi, safi, nextHops, nlri: decodePrefixes(nlriBuf, afi, UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, 'mp_reach_nlri') };
}

/** decodeMpUnreach parses an MP_UNREACH_NLRI body. */
export function decodeMpUnreach(v: Buffer, whole: Buffer): MpUnreach {
  if (v.length < 3) throw mpErr(`mp_unreach_nlri of ${v.length} octets is too short`, whole);
  const afi = v.readUInt16BE(0);
  const safi = v[2]!;
  if (!knownFamily(afi)) return { afi, safi, withdrawn: [] };
  return { afi, safi, withdrawn: decodePrefixes(v.subarray(3), afi, UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, 'mp_unreach_nlri') };
}
