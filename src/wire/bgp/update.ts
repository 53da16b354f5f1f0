// UPDATE message (RFC 4271 §4.3): withdrawn routes, path attributes, NLRI; plus End-of-RIB (RFC 4724 §2).
import { Afi, AttrType, ErrorCode, MAX_MESSAGE_LEN, MsgType, Safi, UpdateSubcode } from './constants.js';
import { BgpDecodeError, BgpEncodeError } from './errors.js';
import { writeHeader } from './header.js';
import { decodeAttributes, encodeAttributes, type CodecOptions, type PathAttributes } from './attributes.js';
import { decodePrefixes, encodedPrefixLen, writePrefix, type Prefix } from './prefix.js';

/** UpdateMessage is one UPDATE: IPv4 withdrawals and NLRI in the body, other families inside attributes. */
export interface UpdateMessage {
  withdrawn: Prefix[];
  attributes: PathAttributes;
  nlri: Prefix[];
}

function prefixBlock(ps: Prefix[]): Buffer {
  const out = Buffer.alloc(ps.reduce((n, p) => n + encodedPrefixLen(p), 0));
  let off = 0;
  for (const p of ps) off = writePrefix(out, off, p);
  return out;
}

/** encodeUpdate returns a whole UPDATE message; throws BgpEncodeError when it exceeds 4096 octets. */
export function encodeUpdate(u: UpdateMessage, opts: CodecOptions): Buffer {
  const withdrawn = prefixBlock(u.withdrawn);
  const attrs = encodeAttributes(u.attributes, opts);
  const nlri = prefixBlock(u.nlri);
  const body = Buffer.alloc(4 + withdrawn.length + attrs.length + nlri.length);
  body.writeUInt16BE(withdrawn.length, 0);
  withdrawn.copy(body, 2);
  body.writeUInt16BE(attrs.length, 2 + withdrawn.length);
  attrs.copy(body, 4 + withdrawn.length);
  nlri.copy(body, 4 + withdrawn.length + attrs.length);
  const msg = writeHeader(MsgType.UPDATE, body);
  if (msg.length > MAX_MESSAGE_LEN) throw new BgpEncodeError('bgp.update.too-long', `update of ${msg.length} octets exceeds ${MAX_MESSAGE_LEN}`);
  return msg;
}

function malformed(msg: string): BgpDecodeError {
  return new BgpDecodeError('bgp.update.malformed', `update: ${msg}`, { code: ErrorCode.UPDATE_MESSAGE, subcode: UpdateSubcode.MALFORMED_ATTRIBUTE_LIST });
}

function missing(type: number): BgpDecodeError {
  return new BgpDecodeError('bgp.update.missing-well-known', `update: well-known attribute ${type} is missing`, {
    code: ErrorCode.UPDATE_MESSAGE, subcode: UpdateSubcode.MISSING_WELL_KNOWN_ATTRIBUTE, data: Buffer.from([type]),
  });
}

/**
 * decodeUpdate parses an UPDATE body. Field lengths that overrun the message are a Malformed
 * Attribute List (§6.3); announcing routes without ORIGIN, AS_PATH or (for IPv4 NLRI) NEXT_HOP is a
 * Missing Well-known Attribute whose data is the missing type code.
 */
export function decodeUpdate(body: Buffer, opts: CodecOptions): UpdateMessage {
  const wLen = body.readUInt16BE(0);
  if (2 + wLen + 2 > body.length) throw malformed(`withdrawn routes length ${wLen} overruns the message`);
  const withdrawn = decodePrefixes(body.subarray(2, 2 + wLen), Afi.IPV4, UpdateSubcode.INVALID_NETWORK_FIELD, 'withdrawn routes');
  const aLen = body.readUInt16BE(2 + wLen);
  const aStart = 4 + wLen;
  if (aStart + aLen > body.length) throw malformed(`total path attribute length ${aLen} overruns the message`);
  const attributes = decodeAttributes(body.subarray(aStart, aStart + aLen), opts);
  const nlri = decodePrefixes(body.subarray(aStart + aLen), Afi.IPV4, UpdateSubcode.INVALID_NETWORK_FIELD, 'nlri');
  if (nlri.length > 0 || (attributes.mpReach?.nlri.length ?? 0) > 0) {
    if (attributes.origin === undefined) throw missing(AttrType.ORIGIN);
    if (attributes.asPath === undefined) throw missing(AttrType.AS_PATH);
    if (nlri.length > 0 && attributes.nextHop === undefined) throw missing(AttrType.NEXT_HOP);
  }
  return { withdrawn, attributes, nlri };
}

/** endOfRib returns the End-of-RIB marker for a family (RFC 4724 §2): empty UPDATE for IPv4 unicast, empty MP_UNREACH otherwise. */
export function endOfRib(afi: number, safi: number = Safi.UNICAST): Buffer {
  if (afi === Afi.IPV4 && safi === Safi.UNICAST) return encodeUpdate({ withdrawn: [], attributes: {}, nlri: [] }, { as4: true });
  return encodeUpdate({ withdrawn: [], attributes: { mpUnreach: { afi, safi, withdrawn: [] } }, nlri: [] }, { as4: true });
}

/** isEndOfRib tells whether a decoded UPDATE is an End-of-RIB marker, and for which AFI. */
export function isEndOfRib(u: UpdateMessage): number | undefined {
  const a = u.attributes;
  const keys = Object.keys(a).filter((k) => a[k as keyof PathAttributes] !== undefined);
  if (u.withdrawn.length === 0 && u.nlri.length === 0 && keys.length === 0) return Afi.IPV4;
  if (keys.length === 1 && a.mpUnreach && a.mpUnreach.withdrawn.length === 0) return a.mpUnreach.afi;
  return undefined;
}
