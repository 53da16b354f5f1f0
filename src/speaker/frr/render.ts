// Renders the complete frr.conf for a desired BGP state. Output is deterministic (goldens compare
// it byte for byte) and close to FRR's own `show running-config` (one-space indents, explicit
// prefix-list sequence numbers) so that frr-reload.py computes small, exact diffs.
import type { BFDProfile } from '../../model/index.js';
import { parseCommunity } from '../bgp/community.js';
import type { FrrDesired, FrrNeighbor, FrrRouter } from './desired.js';
import { fnv1a, type OriginAttrs } from './origin.js';

/** FrrRenderOptions are the process-level parts of frr.conf. */
export interface FrrRenderOptions {
  hostname: string;
  /** logLevel for `log stdout` (FRR names: informational, debugging, warnings, errors...). */
  logLevel?: string;
  /**
   * zebra: false renders for a bgpd started with `-Z` (no zebra): `bgp no-rib` is kept (otherwise
   * frr-reload would remove it) and zebra-only `nht` lines are left out. Default true.
   */
  zebra?: boolean;
}

/** renderFrrConfig returns the frr.conf text for `desired`. */
export function renderFrrConfig(desired: FrrDesired, opts: FrrRenderOptions): string {
  const out: string[] = [];
  // `debugging` is stdout's default level, which FRR prints as a bare `log stdout`.
  const level = opts.logLevel ?? 'informational';
  out.push('frr defaults traditional', `hostname ${opts.hostname}`, level === 'debugging' ? 'log stdout' : `log stdout ${level}`);
  // FRR waits 5 s by default before re-running route-maps after a prefix-list change (moving a
  // prefix between peers is one). 1 s is the shortest delay: 0 does not mean "at once", it turns
  // the re-run off, and a prefix taken off one peer's allow-list was never withdrawn (measured).
  out.push('bgp route-map delay-timer 1');
  if (opts.zebra === false) out.push('bgp no-rib');
  else out.push('ip nht resolve-via-default', 'ipv6 nht resolve-via-default');
  out.push('!');
  for (const m of desired.originMaps) out.push(...originMap(m));
  for (const r of desired.routers) for (const n of r.neighbors) out.push(...neighborFilters(n, r));
  for (const r of desired.routers) out.push(...routerBlock(r));
  if (desired.bfdProfiles.length > 0) out.push(...bfdBlock(desired.bfdProfiles));
  out.push('end');
  return out.join('\n') + '\n';
}

/** prefixListName names a neighbor's prefix-lists; `what` is `pl`, `deny`, `lp<N>`, `comm-<c>` or `large-<c>`. */
export function prefixListName(n: FrrNeighbor, what: string, family: 4 | 6): string {
  return `${n.id}-${what}-ipv${family}`;
}

/**
 * neighborFilters renders one neighbor's policy: inbound deny-all (we learn nothing), then an
 * outbound route-map whose `on-match next` entries add LOCAL_PREF and communities per prefix group,
 * and a final decision on what may leave. FRR commits each prefix-list entry as its own
 * configuration transaction (measured: 2,000 entries took 27 s to load), so the decision uses the
 * fewest entries: a bare `permit` when the neighbor gets every prefix of its router, a deny-list
 * of the few it must not get, or allow-lists per family closed by `deny any`. A group covering
 * all of the neighbor's prefixes is rendered without a match for the same reason.
 */
function neighborFilters(n: FrrNeighbor, r: FrrRouter): string[] {
  const lists: string[] = [];
  const maps: string[] = [`route-map ${n.id}-in deny 20`, 'exit', '!'];
  const all = n.v4.length + n.v6.length;
  const mine = new Set([...n.v4, ...n.v6]);
  const excluded = [...r.v4, ...r.v6].filter((p) => !mine.has(p));
  let seq = 0;
  const entry = (action: 'permit' | 'deny', match: string | undefined, sets: string[], next: boolean) => {
    seq += 10;
    maps.push(`route-map ${n.id}-out ${action} ${seq}`, ...(match ? [` ${match}`] : []), ...sets.map((s) => ` ${s}`));
    if (next) maps.push(' on-match next');
    maps.push('exit', '!');
  };
  const matchList = (what: string, prefixes: string[], fam: 4 | 6, closed: boolean): string => {
    const name = prefixListName(n, what, fam);
    lists.push(...prefixList(name, fam, prefixes, closed));
    return `match ${fam === 4 ? 'ip' : 'ipv6'} address prefix-list ${name}`;
  };
  const useDenyList = all > 0 && excluded.length > 0 && excluded.length < all;
  if (useDenyList) for (const [fam, ps] of byFamily(excluded)) entry('deny', matchList('deny', ps, fam, false), [], false);
  for (const [what, prefixes, set] of attributeGroups(n)) {
    if (prefixes.length === all) entry('permit', undefined, [set], true);
    else for (const [fam, ps] of byFamily(prefixes)) entry('permit', matchList(what, ps, fam, false), [set], true);
  }
  if (all > 0 && (excluded.length === 0 || useDenyList)) {
    // Everything not denied above may leave: we originate only our own prefixes and learn nothing.
    entry('permit', undefined, [], false);
  } else {
    entry('permit', matchList('pl', n.v4, 4, true), [], false);
    entry('permit', matchList('pl', n.v6, 6, true), [], false);
  }
  return [...lists, ...(lists.length ? ['!'] : []), ...maps];
}

/** attributeGroups lists [prefix-list name part, prefixes, set line] for LOCAL_PREF then communities. */
function attributeGroups(n: FrrNeighbor): [string, string[], string][] {
  const out: [string, string[], string][] = [];
  for (const [lp, prefixes] of n.localPrefs) out.push([`lp${lp}`, prefixes, `set local-preference ${lp}`]);
  for (const [c, prefixes] of n.communities) {
    const parsed = parseCommunity(c);
    if (parsed?.kind === 'large') out.push([`large-${parsed.parts.join(':')}`, prefixes, `set large-community ${parsed.parts.join(':')} additive`]);
    else out.push([`comm-${c}`, prefixes, `set community ${c} additive`]);
  }
  return out;
}

/** byFamily splits canonical prefixes into the non-empty IPv4 and IPv6 lists. */
function byFamily(prefixes: string[]): [4 | 6, string[]][] {
  const v4 = prefixes.filter((p) => !p.includes(':'));
  const v6 = prefixes.filter((p) => p.includes(':'));
  return ([[4, v4], [6, v6]] as [4 | 6, string[]][]).filter(([, ps]) => ps.length > 0);
}

function prefixList(name: string, fam: 4 | 6, prefixes: string[], closed: boolean): string[] {
  const kw = fam === 4 ? 'ip' : 'ipv6';
  const seqs = prefixSeqs(prefixes);
  const lines = [...seqs].sort((a, b) => a[1] - b[1]).map(([p, seq]) => `${kw} prefix-list ${name} seq ${seq} permit ${p}`);
  if (closed) lines.push(`${kw} prefix-list ${name} seq ${MAX_SEQ} deny any`);
  return lines;
}

/** MAX_SEQ is FRR's highest prefix-list sequence number, kept for the closing `deny any`. */
const MAX_SEQ = 4294967295;

/**
 * prefixSeqs gives each prefix a sequence number derived from the prefix itself (FNV-1a), so adding
 * or removing one prefix leaves every other entry's line unchanged and frr-reload touches one line;
 * numbered by position, removing the first of 1,000 prefixes rewrote all 1,000. Exact-match
 * entries never overlap, so their order is irrelevant. Collisions probe upward, in prefix order.
 */
export function prefixSeqs(prefixes: readonly string[]): Map<string, number> {
  const used = new Set<number>();
  const out = new Map<string, number>();
  for (const p of [...prefixes].sort()) {
    let seq = (fnv1a(p) % (MAX_SEQ - 1)) + 1;
    while (used.has(seq)) seq = seq === MAX_SEQ - 1 ? 1 : seq + 1;
    used.add(seq);
    out.set(p, seq);
  }
  return out;
}


/** originMap renders one shared origination route-map (see origin.ts). */
function originMap(m: OriginAttrs): string[] {
  const out = [`route-map ${m.name} permit 10`];
  if (m.localPref !== 0) out.push(` set local-preference ${m.localPref}`);
  const standard: string[] = [];
  const large: string[] = [];
  for (const c of m.communities) {
    const parsed = parseCommunity(c);
    if (parsed?.kind === 'large') large.push(parsed.parts.join(':'));
    else standard.push(c);
  }
  if (standard.length > 0) out.push(` set community ${standard.join(' ')}`);
  if (large.length > 0) out.push(` set large-community ${large.join(' ')}`);
  out.push('exit', '!');
  return out;
}

/** routerBlock renders `router bgp`: global knobs, neighbor sessions, then both address families. */
function routerBlock(r: FrrRouter): string[] {
  const out = [`router bgp ${r.asn}${r.vrf ? ` vrf ${r.vrf}` : ''}`];
  if (r.routerID) out.push(` bgp router-id ${r.routerID}`);
  // FRR 8 drops eBGP routes without a policy, checks that networks exist in the RIB (they never do:
  // the service IPs are not on any interface), and would activate IPv4 for every neighbor.
  out.push(' no bgp ebgp-requires-policy', ' no bgp network import-check', ' no bgp default ipv4-unicast', ' bgp graceful-restart preserve-fw-state');
  for (const n of r.neighbors) out.push(...sessionLines(n));
  for (const fam of [4, 6] as const) {
    out.push(' !', ` address-family ipv${fam} unicast`);
    for (const p of fam === 4 ? r.v4 : r.v6) {
      const rm = r.origin.get(p);
      out.push(rm ? `  network ${p} route-map ${rm}` : `  network ${p}`);
    }
    for (const n of r.neighbors) {
      const a = n.peer.peerAddress;
      out.push(`  neighbor ${a} activate`, `  neighbor ${a} route-map ${n.id}-in in`, `  neighbor ${a} route-map ${n.id}-out out`);
    }
    out.push(' exit-address-family');
  }
  out.push('exit', '!');
  return out;
}

/** sessionLines renders one neighbor's session settings (order as FRR prints them). */
function sessionLines(n: FrrNeighbor): string[] {
  const p = n.peer;
  const a = ` neighbor ${p.peerAddress}`;
  const out = [`${a} remote-as ${p.peerASN}`];
  if (n.localAS !== undefined) out.push(`${a} local-as ${n.localAS} no-prepend replace-as`);
  if (p.bfdProfile) out.push(`${a} bfd`, `${a} bfd profile ${p.bfdProfile}`);
  if (p.password) out.push(`${a} password ${p.password}`);
  if (p.ebgpMultiHop && !n.ibgp) out.push(`${a} ebgp-multihop 255`); // FRR prints the implied TTL; match it so reloads see no diff
  if (p.peerPort !== 179) out.push(`${a} port ${p.peerPort}`);
  if (p.sourceAddress) out.push(`${a} update-source ${p.sourceAddress}`);
  if (p.enableGracefulRestart) out.push(`${a} graceful-restart`);
  out.push(`${a} timers ${p.keepaliveTime} ${p.holdTime}`);
  if (p.connectTime) out.push(`${a} timers connect ${p.connectTime}`);
  return out;
}

/** bfdBlock renders BFD profiles; unset fields are left to FRR's defaults. */
function bfdBlock(profiles: BFDProfile[]): string[] {
  const out = ['bfd'];
  for (const b of profiles) {
    out.push(` profile ${b.name}`);
    if (b.detectMultiplier !== undefined) out.push(`  detect-multiplier ${b.detectMultiplier}`);
    if (b.receiveInterval !== undefined) out.push(`  receive-interval ${b.receiveInterval}`);
    if (b.transmitInterval !== undefined) out.push(`  transmit-interval ${b.transmitInterval}`);
    if (b.echoMode) out.push('  echo-mode');
    if (b.echoInterval !== undefined) out.push(`  echo-interval ${b.echoInterval}`);
    if (b.passiveMode) out.push('  passive-mode');
    if (b.minimumTtl !== undefined) out.push(`  minimum-ttl ${b.minimumTtl}`);
    out.push(' exit', ' !');
  }
  out.push('exit', '!');
  return out;
}
