// RibSender turns the desired table into the UPDATEs one session still has to send: it filters
// routes the session cannot carry (family not negotiated, no next hop), diffs against what the peer
// already has, and packs the result. Routes are compiled (prefix parsed, attributes built) when they
// are set, not when a session comes up, so a full-table push after Established only diffs and packs.
import { Afi, packAnnouncements, packWithdrawals, parsePrefix, type Prefix } from '../../wire/bgp/index.js';
import { diffRib, toOutRoute, type OutRoute } from './rib-out.js';
import type { Route } from './route.js';

/** SessionCounters are per-peer totals since the session object was created. */
export interface SessionCounters {
  updatesSent: number;
  /** updateBytesSent counts UPDATE messages only; bytesSent counts everything we wrote. */
  updateBytesSent: number;
  bytesSent: number;
  updatesReceived: number;
  prefixesAnnounced: number;
  prefixesWithdrawn: number;
}

/** SendContext is what the session negotiated and where its next hops come from. */
export interface SendContext {
  myASN: number;
  as4: boolean;
  ipv4: boolean;
  ipv6: boolean;
  nextHopV4?: string;
  nextHopV6?: string;
}

/** SkippedRoute is a desired route this session cannot announce, with the reason. */
export interface SkippedRoute {
  prefix: string;
  reason: string;
}

interface Compiled {
  out: OutRoute;
  prefix: Prefix;
}

/** RibSender holds the desired table and what was sent for one session. */
export class RibSender {
  private desired = new Map<string, Compiled>();
  private invalid: SkippedRoute[] = [];
  private sent = new Map<string, Prefix>();
  private sentKeys = new Map<string, string>();
  private readonly warned = new Set<string>();
  readonly counters: SessionCounters = { updatesSent: 0, updateBytesSent: 0, bytesSent: 0, updatesReceived: 0, prefixesAnnounced: 0, prefixesWithdrawn: 0 };

  /** constructor takes whether the peer is internal (iBGP), which decides LOCAL_PREF for every route. */
  constructor(private readonly ibgp: boolean) {}

  /** setDesired replaces the desired routes (one per prefix; a later duplicate wins), compiling new or changed ones. */
  setDesired(routes: Route[]): void {
    const next = new Map<string, Compiled>();
    const attrCache = new Map<string, OutRoute>();
    this.invalid = [];
    for (const r of routes) {
      const sig = `${r.localPref}|${r.communities.join(',')}`;
      let proto = attrCache.get(sig);
      if (!proto) {
        const { route, bad } = toOutRoute(r, this.ibgp);
        for (const b of bad) this.invalid.push({ prefix: r.prefix, reason: `community ${JSON.stringify(b)} ignored: not A:B or large:A:B:C` });
        attrCache.set(sig, (proto = route!));
      }
      const prefix = this.desired.get(r.prefix)?.prefix ?? this.sent.get(r.prefix) ?? this.parse(r.prefix);
      if (prefix) next.set(r.prefix, { prefix, out: { prefix: r.prefix, attrs: proto.attrs, key: proto.key } });
    }
    this.desired = next;
  }

  private parse(text: string): Prefix | undefined {
    try {
      return parsePrefix(text);
    } catch {
      this.invalid.push({ prefix: text, reason: 'prefix does not parse' });
      return undefined;
    }
  }

  /** resendAll forgets what the peer has, so the next build sends the whole table (new connection). */
  resendAll(): void {
    this.sent.clear();
    this.sentKeys.clear();
  }

  /**
   * resendFamily forgets what the peer has of one address family, so the next build re-advertises
   * that family only (RFC 2918: a ROUTE-REFRESH names the AFI/SAFI it wants again; BIRD sends one
   * per channel, and answering each with the whole table would send everything twice).
   */
  resendFamily(afi: number): void {
    for (const [text, prefix] of this.sent) {
      if (prefix.afi !== afi) continue;
      this.sent.delete(text);
      this.sentKeys.delete(text);
    }
  }

  /** sentPrefixes is the table the peer holds from us right now. */
  sentPrefixes(): string[] {
    return [...this.sent.keys()];
  }

  /** build returns the UPDATEs that bring the peer to the desired table and records them as sent. */
  build(ctx: SendContext): { messages: Buffer[]; announced: number; withdrawn: number; skipped: SkippedRoute[] } {
    const skipped: SkippedRoute[] = [...this.invalid];
    const usable = new Map<string, OutRoute>();
    for (const [text, c] of this.desired) {
      const why = unusable(c.prefix, ctx);
      if (why) skipped.push({ prefix: text, reason: why });
      else usable.set(text, c.out);
    }
    const diff = diffRib(this.sentKeys, usable);
    const packed = this.packSafely(diff.announce, ctx);
    for (const r of packed.failed) skipped.push({ prefix: r.out.prefix, reason: r.reason });
    const failedKeys = new Set(packed.failed.map((f) => f.out.key));
    const announce = diff.announce.filter((r) => !failedKeys.has(r.key));
    const messages = [...packWithdrawals(diff.withdraw.map((p) => this.sent.get(p)!)), ...packed.messages];
    for (const p of diff.withdraw) {
      this.sent.delete(p);
      this.sentKeys.delete(p);
    }
    for (const r of announce) {
      this.sent.set(r.prefix, this.desired.get(r.prefix)!.prefix);
      this.sentKeys.set(r.prefix, r.key);
    }
    this.count(messages, announce.length, diff.withdraw.length);
    return { messages, announced: announce.length, withdrawn: diff.withdraw.length, skipped: this.newWarnings(skipped) };
  }

  // packSafely packs everything at once; if an attribute set cannot be encoded (e.g. so many
  // communities that no prefix fits in 4096 octets) it retries set by set and reports the bad ones,
  // so one bad advertisement never stops the others.
  private packSafely(announce: OutRoute[], ctx: SendContext): { messages: Buffer[]; failed: { out: OutRoute; reason: string }[] } {
    const opts = { as4: ctx.as4, asPath: this.ibgp ? [] : [ctx.myASN], nextHopV4: ctx.nextHopV4, nextHopsV6: ctx.nextHopV6 ? [ctx.nextHopV6] : [] };
    const ann = (r: OutRoute) => ({ prefix: this.desired.get(r.prefix)!.prefix, attrs: r.attrs, group: r.key });
    try {
      return { messages: packAnnouncements(announce.map(ann), opts), failed: [] };
    } catch {
      const groups = new Map<string, OutRoute[]>();
      for (const r of announce) {
        const g = groups.get(r.key);
        if (g) g.push(r);
        else groups.set(r.key, [r]);
      }
      const messages: Buffer[] = [];
      const failed: { out: OutRoute; reason: string }[] = [];
      for (const rs of groups.values()) {
        try {
          messages.push(...packAnnouncements(rs.map(ann), opts));
        } catch (e) {
          failed.push(...rs.map((out) => ({ out, reason: `cannot encode: ${(e as Error).message}` })));
        }
      }
      return { messages, failed };
    }
  }

  private count(messages: Buffer[], announced: number, withdrawn: number): void {
    const c = this.counters;
    c.updatesSent += messages.length;
    c.updateBytesSent += messages.reduce((n, m) => n + m.length, 0);
    c.prefixesAnnounced += announced;
    c.prefixesWithdrawn += withdrawn;
  }

  // Each problem is logged once per prefix and reason, not on every flush.
  private newWarnings(skipped: SkippedRoute[]): SkippedRoute[] {
    return skipped.filter((s) => {
      const k = `${s.prefix}|${s.reason}`;
      if (this.warned.has(k)) return false;
      this.warned.add(k);
      return true;
    });
  }
}

function unusable(p: Prefix, ctx: SendContext): string | undefined {
  if (p.afi === Afi.IPV4) {
    if (!ctx.ipv4) return 'peer did not negotiate IPv4 unicast';
    if (!ctx.nextHopV4) return 'no IPv4 next hop on an IPv6 session';
  } else {
    if (!ctx.ipv6) return 'peer did not negotiate IPv6 unicast';
    if (!ctx.nextHopV6) return 'no IPv6 next hop: set one or add a global IPv6 address to the session interface';
  }
  return undefined;
}
