// Path attributes (RFC 4271 §4.3/§5, RFC 1997 communities, RFC 8092 large communities, RFC 4760
// MP_REACH/MP_UNREACH). Attributes we do not interpret are kept raw, so decode(encode(x)) keeps them.
import { AsPathSegmentType, AttrFlag, AttrType, ErrorCode, UpdateSubcode } from './constants.js';
import { BgpDecodeError } from './errors.js';
import { decodeMpReach, decodeMpUnreach, encodeMpReach, encodeMpUnreach, type MpReach, type MpUnreach } from './mp.js';
import { formatAddress, parseAddress } from './prefix.js';

/** AsPathSegment is one AS_SET or AS_SEQUENCE. */
export interface AsPathSegment {
  type: number;
  asns: number[];
}

/** LargeCommunity is global administrator, local data 1, local data 2 (RFC 8092 §3). */
export type LargeCommunity = [number, number, number];

/** RawAttribute is an attribute we carry without interpreting (flags as received). */
export interface RawAttribute {
  flags: number;
  type: number;
  value: Buffer;
}

/** PathAttributes is the decoded attribute set of one UPDATE; absent fields were not sent. */
export interface PathAttributes {
  origin?: number;
  asPath?: AsPathSegment[];
  nextHop?: string;
  med?: number;
  localPref?: number;
  atomicAggregate?: boolean;
  communities?: number[];
  largeCommunities?: LargeCommunity[];
  mpReach?: MpReach;
  mpUnreach?: MpUnreach;
  unknown?: RawAttribute[];
}

/** CodecOptions is per-session context: whether both sides negotiated 4-octet ASNs. */
export interface CodecOptions {
  as4: boolean;
}

const WELL_KNOWN = new Set<number>([AttrType.ORIGIN, AttrType.AS_PATH, AttrType.NEXT_HOP, AttrType.LOCAL_PREF, AttrType.ATOMIC_AGGREGATE]);
const OPTIONAL_KNOWN = new Set<number>([AttrType.MULTI_EXIT_DISC, AttrType.COMMUNITIES, AttrType.MP_REACH_NLRI, AttrType.MP_UNREACH_NLRI, AttrType.LARGE_COMMUNITY]);
const TRANSITIVE_OPTIONAL = new Set<number>([AttrType.COMMUNITIES, AttrType.LARGE_COMMUNITY]);

function attr(type: number, value: Buffer, flags?: number): Buffer {
  let f = flags ?? (WELL_KNOWN.has(type) ? AttrFlag.TRANSITIVE : AttrFlag.OPTIONAL | (TRANSITIVE_OPTIONAL.has(type) ? AttrFlag.TRANSITIVE : 0));
  f &= ~AttrFlag.EXTENDED_LENGTH;
  if (value.length > 255) {
    const h = Buffer.from([f | AttrFlag.EXTENDED_LENGTH, type, 0, 0]);
    h.writeUInt16BE(value.length, 2);
    return Buffer.concat([h, value]);
  }
  return Buffer.concat([Buffer.from([f, type, value.length]), value]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

function encodeAsPath(segs: AsPathSegment[], as4: boolean): Buffer {
  const w = as4 ? 4 : 2;
  const parts = segs.map((s) => {
    const b = Buffer.alloc(2 + s.asns.length * w);
    b[0] = s.type;
    b[1] = s.asns.length;
    s.asns.forEach((a, i) => (as4 ? b.writeUInt32BE(a, 2 + i * 4) : b.writeUInt16BE(a > 0xffff ? 23456 : a, 2 + i * 2)));
    return b;
  });
  return Buffer.concat(parts);
}

/** encodeAttributes writes the attributes in type-code order (RFC 4271 §5 recommends ascending order). */
export function encodeAttributes(a: PathAttributes, opts: CodecOptions): Buffer {
  const out: Buffer[] = [];
  if (a.origin !== undefined) out.push(attr(AttrType.ORIGIN, Buffer.from([a.origin])));
  if (a.asPath !== undefined) out.push(attr(AttrType.AS_PATH, encodeAsPath(a.asPath, opts.as4)));
  if (a.nextHop !== undefined) out.push(attr(AttrType.NEXT_HOP, parseAddress(a.nextHop)));
  if (a.med !== undefined) out.push(attr(AttrType.MULTI_EXIT_DISC, u32(a.med)));
  if (a.localPref !== undefined) out.push(attr(AttrType.LOCAL_PREF, u32(a.localPref)));
  if (a.atomicAggregate) out.push(attr(AttrType.ATOMIC_AGGREGATE, Buffer.alloc(0)));
  if (a.communities?.length) out.push(attr(AttrType.COMMUNITIES, Buffer.concat(a.communities.map(u32))));
  if (a.mpReach) out.push(attr(AttrType.MP_REACH_NLRI, encodeMpReach(a.mpReach)));
  if (a.mpUnreach) out.push(attr(AttrType.MP_UNREACH_NLRI, encodeMpUnreach(a.mpUnreach)));
  if (a.largeCommunities?.length) out.push(attr(AttrType.LARGE_COMMUNITY, Buffer.concat(a.largeCommunities.flatMap((c) => c.map(u32)))));
  for (const u of a.unknown ?? []) out.push(attr(u.type, u.value, u.flags));
  return Buffer.concat(out);
}

function updErr(code: string, msg: string, subcode: number, data?: Uint8Array): BgpDecodeError {
  return new BgpDecodeError(code, `update: ${msg}`, { code: ErrorCode.UPDATE_MESSAGE, subcode, data });
}

/** decodeAttributes parses the path attribute field of an UPDATE, enforcing flags and lengths (§6.3). */
export function decodeAttributes(buf: Buffer, opts: CodecOptions): PathAttributes {
  const out: PathAttributes = {};
  const seen = new Set<number>();
  let off = 0;
  while (off < buf.length) {
    if (off + 3 > buf.length) throw updErr('bgp.update.truncated-attribute', `attribute header at offset ${off} is truncated`, UpdateSubcode.MALFORMED_ATTRIBUTE_LIST);
    const flags = buf[off]!;
    const type = buf[off + 1]!;
    const ext = (flags & AttrFlag.EXTENDED_LENGTH) !== 0;
    const hlen = ext ? 4 : 3;
    if (off + hlen > buf.length) throw updErr('bgp.update.truncated-attribute', `attribute ${type} header is truncated`, UpdateSubcode.MALFORMED_ATTRIBUTE_LIST);
    const len = ext ? buf.readUInt16BE(off + 2) : buf[off + 2]!;
    if (off + hlen + len > buf.length) {
      throw updErr('bgp.update.truncated-attribute', `attribute ${type} length ${len} overruns the attribute field`, UpdateSubcode.MALFORMED_ATTRIBUTE_LIST);
    }
    if (seen.has(type)) throw updErr('bgp.update.duplicate-attribute', `attribute ${type} appears twice`, UpdateSubcode.MALFORMED_ATTRIBUTE_LIST);
    seen.add(type);
    const whole = buf.subarray(off, off + hlen + len);
    decodeOne(out, flags, type, buf.subarray(off + hlen, off + hlen + len), whole, opts);
    off += hlen + len;
  }
  return out;
}

function checkFlags(flags: number, type: number, whole: Buffer): void {
  const optional = (flags & AttrFlag.OPTIONAL) !== 0;
  const transitive = (flags & AttrFlag.TRANSITIVE) !== 0;
  const wellKnown = WELL_KNOWN.has(type);
  const bad = wellKnown ? optional || !transitive : !optional || (TRANSITIVE_OPTIONAL.has(type) && !transitive);
  if (bad) throw updErr('bgp.update.attribute-flags', `attribute ${type} has flags 0x${flags.toString(16)}`, UpdateSubcode.ATTRIBUTE_FLAGS_ERROR, whole);
}

function fixedLen(type: number, value: Buffer, want: number, whole: Buffer): void {
  if (value.length !== want) {
    throw updErr('bgp.update.attribute-length', `attribute ${type} has length ${value.length}, want ${want}`, UpdateSubcode.ATTRIBUTE_LENGTH_ERROR, whole);
  }
}

function decodeOne(out: PathAttributes, flags: number, type: number, value: Buffer, whole: Buffer, opts: CodecOptions): void {
  if (!WELL_KNOWN.has(type) && !OPTIONAL_KNOWN.has(type)) {
    if ((flags & AttrFlag.OPTIONAL) === 0) {
      throw updErr('bgp.update.unrecognized-well-known', `well-known attribute ${type} is unknown`, UpdateSubcode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, whole);
    }
    (out.unknown ??= []).push({ flags, type, value: Buffer.from(value) });
    return;
  }
  checkFlags(flags, type, whole);
  switch (type) {
    case AttrType.ORIGIN:
      fixedLen(type, value, 1, whole);
      if (value[0]! > 2) throw updErr('bgp.update.bad-origin', `origin ${value[0]} is undefined`, UpdateSubcode.INVALID_ORIGIN_ATTRIBUTE, whole);
      out.origin = value[0]!;
      return;
    case AttrType.AS_PATH:
      out.asPath = decodeAsPath(value, opts.as4);
      return;
    case AttrType.NEXT_HOP:
      fixedLen(type, value, 4, whole);
      out.nextHop = formatAddress(value);
      return;
    case AttrType.MULTI_EXIT_DISC:
      fixedLen(type, value, 4, whole);
      out.med = value.readUInt32BE(0);
      return;
    case AttrType.LOCAL_PREF:
      fixedLen(type, value, 4, whole);
      out.localPref = value.readUInt32BE(0);
      return;
    case AttrType.ATOMIC_AGGREGATE:
      fixedLen(type, value, 0, whole);
      out.atomicAggregate = true;
      return;
    default:
      decodeOptional(out, type, value, whole);
  }
}

function decodeOptional(out: PathAttributes, type: number, value: Buffer, whole: Buffer): void {
  if (type === AttrType.COMMUNITIES || type === AttrType.LARGE_COMMUNITY) {
    const unit = type === AttrType.COMMUNITIES ? 4 : 12;
    if (value.length % unit !== 0) {
      throw updErr('bgp.update.attribute-length', `attribute ${type} length ${value.length} is not a multiple of ${unit}`, UpdateSubcode.OPTIONAL_ATTRIBUTE_ERROR, whole);
    }
    const words = Array.from({ length: value.length / 4 }, (_, i) => value.readUInt32BE(i * 4));
    if (type === AttrType.COMMUNITIES) out.communities = words;
    else out.largeCommunities = Array.from({ length: words.length / 3 }, (_, i) => [words[i * 3]!, words[i * 3 + 1]!, words[i * 3 + 2]!]);
    return;
  }
  if (type === AttrType.MP_REACH_NLRI) out.mpReach = decodeMpReach(value, whole);
  else out.mpUnreach = decodeMpUnreach(value, whole);
}

function decodeAsPath(value: Buffer, as4: boolean): AsPathSegment[] {
  const w = as4 ? 4 : 2;
  const segs: AsPathSegment[] = [];
  let off = 0;
  while (off < value.length) {
    const type = value[off]!;
    const n = value[off + 1];
    if (n === undefined || n === 0 || type < AsPathSegmentType.AS_SET || type > AsPathSegmentType.AS_CONFED_SET || off + 2 + n * w > value.length) {
      throw updErr('bgp.update.malformed-as-path', `as_path segment at offset ${off} is malformed`, UpdateSubcode.MALFORMED_AS_PATH);
    }
    const asns = Array.from({ length: n }, (_, i) => (as4 ? value.readUInt32BE(off + 2 + i * 4) : value.readUInt16BE(off + 2 + i * 2)));
    segs.push({ type, asns });
    off += 2 + n * w;
  }
  return segs;
}

