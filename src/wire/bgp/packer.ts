// The UPDATE packer: many prefixes per message. Prefixes with identical attributes share one UPDATE,
// filled up to the 4096-octet limit (RFC 4271 §4); withdrawals are batched the same way. MetalLB's
// native speaker sends one UPDATE per prefix, which is what made big tables slow to converge.
import { Afi, AsPathSegmentType, HEADER_LEN, MAX_MESSAGE_LEN, Origin, Safi } from './constants.js';
import { BgpEncodeError } from './errors.js';
import { encodeAttributes, type LargeCommunity, type PathAttributes } from './attributes.js';
import { encodedPrefixLen, parseAddress, type Prefix } from './prefix.js';
import { encodeUpdate } from './update.js';

/** RouteAttrs are the per-route attributes an advertisement chooses. */
export interface RouteAttrs {
  /** localPref is sent only when set (the session leaves it out for eBGP peers). */
  localPref?: number;
  communities: number[];
  largeCommunities: LargeCommunity[];
}

/** Announcement is one prefix with its attributes. */
export interface Announcement {
  prefix: Prefix;
  attrs: RouteAttrs;
  /** group optionally names the attribute set, saving the packer from deriving a key per prefix. */
  group?: string;
}

/** PackOptions is the session context every UPDATE shares. */
export interface PackOptions {
  as4: boolean;
  /** asPath is the AS_SEQUENCE to send: empty for iBGP, our ASN for eBGP. */
  asPath: number[];
  /** nextHopV4 is the NEXT_HOP for IPv4 routes. */
  nextHopV4?: string;
  /** nextHopsV6 is the MP_REACH next hop for IPv6 routes: a global address, optionally plus a link-local. */
  nextHopsV6?: string[];
}

// Room for NLRI bytes: the message minus header, the two length fields and the attribute bytes.
const FIXED = HEADER_LEN + 4;

function baseAttributes(a: RouteAttrs, opts: PackOptions): PathAttributes {
  return {
    origin: Origin.IGP,
    asPath: opts.asPath.length > 0 ? [{ type: AsPathSegmentType.AS_SEQUENCE, asns: opts.asPath }] : [],
    localPref: a.localPref,
    communities: a.communities,
    largeCommunities: a.largeCommunities,
  };
}

function groupKey(a: Announcement): string {
  const x = a.attrs;
  return `${a.prefix.afi}|${x.localPref ?? ''}|${x.communities.join(',')}|${x.largeCommunities.map((c) => c.join(':')).join(',')}`;
}

function chunk(prefixes: Prefix[], room: number): Prefix[][] {
  if (room < 17) throw new BgpEncodeError('bgp.pack.no-room', `attributes leave only ${room} octets for prefixes`);
  const out: Prefix[][] = [];
  let cur: Prefix[] = [];
  let used = 0;
  for (const p of prefixes) {
    const n = encodedPrefixLen(p);
    if (used + n > room) {
      out.push(cur);
      cur = [];
      used = 0;
    }
    cur.push(p);
    used += n;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function packGroup(prefixes: Prefix[], attrs: RouteAttrs, opts: PackOptions): Buffer[] {
  const base = baseAttributes(attrs, opts);
  if (prefixes[0]!.afi === Afi.IPV4) {
    if (!opts.nextHopV4) throw new BgpEncodeError('bgp.pack.no-next-hop', 'no IPv4 next hop for IPv4 routes');
    const withNh = { ...base, nextHop: opts.nextHopV4 };
    const room = MAX_MESSAGE_LEN - FIXED - encodeAttributes(withNh, opts).length;
    return chunk(prefixes, room).map((nlri) => encodeUpdate({ withdrawn: [], attributes: withNh, nlri }, opts));
  }
  const hops = opts.nextHopsV6 ?? [];
  if (hops.length === 0) throw new BgpEncodeError('bgp.pack.no-next-hop', 'no IPv6 next hop for IPv6 routes');
  const nhLen = hops.map(parseAddress).reduce((n, b) => n + b.length, 0);
  // MP_REACH header with extended length (4) + afi/safi/nh-len/reserved (5) + next hops.
  const room = MAX_MESSAGE_LEN - FIXED - encodeAttributes(base, opts).length - 4 - 5 - nhLen;
  return chunk(prefixes, room).map((nlri) =>
    encodeUpdate({ withdrawn: [], attributes: { ...base, mpReach: { afi: Afi.IPV6, safi: Safi.UNICAST, nextHops: hops, nlri } }, nlri: [] }, opts));
}

/** packAnnouncements groups announcements by family and attributes and returns the fewest UPDATEs that carry them. */
export function packAnnouncements(anns: Announcement[], opts: PackOptions): Buffer[] {
  const groups = new Map<string, { attrs: RouteAttrs; prefixes: Prefix[] }>();
  for (const a of anns) {
    const k = a.group === undefined ? groupKey(a) : `${a.prefix.afi}|${a.group}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { attrs: a.attrs, prefixes: [] }));
    g.prefixes.push(a.prefix);
  }
  return [...groups.values()].flatMap((g) => packGroup(g.prefixes, g.attrs, opts));
}

/** packWithdrawals returns UPDATEs withdrawing `prefixes`: IPv4 in the withdrawn routes field, IPv6 in MP_UNREACH_NLRI. */
export function packWithdrawals(prefixes: Prefix[]): Buffer[] {
  const v4 = prefixes.filter((p) => p.afi === Afi.IPV4);
  const v6 = prefixes.filter((p) => p.afi === Afi.IPV6);
  const opts = { as4: true };
  const out = chunk(v4, MAX_MESSAGE_LEN - FIXED).map((withdrawn) => encodeUpdate({ withdrawn, attributes: {}, nlri: [] }, opts));
  for (const withdrawn of chunk(v6, MAX_MESSAGE_LEN - FIXED - 4 - 3)) {
    out.push(encodeUpdate({ withdrawn: [], attributes: { mpUnreach: { afi: Afi.IPV6, safi: Safi.UNICAST, withdrawn } }, nlri: [] }, opts));
  }
  return out;
}
