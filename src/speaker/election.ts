// Who announces a layer-2 IP. Pure and identical on every node, so speakers agree without talking:
// candidates are the live speakers allowed by the pool's L2Advertisements, minus excluded or
// network-unavailable nodes (and, for externalTrafficPolicy Local, nodes without a usable local
// endpoint); the default order is MetalLB's, sha256(node + "#" + ip) compared bytewise, lowest wins,
// so a cluster mixing lbctl and MetalLB speakers elects the same node. Every decision has a reason.
import { createHash } from 'node:crypto';
import { usableEndpoint, type EndpointView, type NodeView, type TrafficPolicy } from '../model/cluster.js';
import type { L2Advertisement } from '../model/config.js';
import { canonicalIP } from '../model/ip.js';
import { matchesAny } from '../model/selector.js';
import { placeBalanced } from './l2/balanced.js';

/** EXCLUDE_LB_LABEL keeps a node out of every load-balancer announcement (v0.14+). */
export const EXCLUDE_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** ElectionService is one Service holding the IP, reduced to what the election reads. */
export interface ElectionService {
  key: string;
  labels: Readonly<Record<string, string>>;
  externalTrafficPolicy: TrafficPolicy;
  endpoints: readonly EndpointView[];
}

/** ElectionInput is everything the election for one IP depends on. */
export interface ElectionInput {
  /** ip is the election key: the services' first LoadBalancer IP, canonical (Go's ip.String()). */
  ip: string;
  /** ips are every address the winner announces (dual-stack: both families); default [ip]. */
  ips?: readonly string[];
  /** services are all Services sharing this IP. */
  services: readonly ElectionService[];
  /** advertisements are the L2Advertisements of the IP's pool. */
  advertisements: readonly L2Advertisement[];
  nodes: readonly NodeView[];
  /** liveSpeakers are the nodes whose speaker is alive (memberlist / leases). */
  liveSpeakers: Iterable<string>;
  /** ignoreExcludeLB is MetalLB's --ignore-exclude-lb. */
  ignoreExcludeLB?: boolean;
}

/** NodeExclusion says why a node is not a candidate. */
export type NodeExclusion = 'noSpeaker' | 'excludedByLabel' | 'networkUnavailable' | 'noMatchingAdvertisement' | 'noLocalEndpoint';

/** ElectionReason is the outcome for the IP; `elected` is the only one with a winner. */
export type ElectionReason = 'elected' | 'noUsableEndpoint' | 'noMatchingAdvertisement' | 'noCandidate';

/** ServiceDecision is the outcome for one service on the IP. */
export interface ServiceDecision {
  key: string;
  announced: boolean;
  reason: ElectionReason;
}

/** Election is the decision for one IP. */
export interface Election {
  ip: string;
  /** ips the winner announces (the key first). */
  ips: string[];
  winner?: string;
  reason: ElectionReason;
  /** candidates in preference order (hash order; balanced placement records its own pick). */
  candidates: string[];
  excluded: { node: string; reason: NodeExclusion }[];
  services: ServiceDecision[];
  /** interfaces for the winner from its matching advertisements; undefined = every eligible interface. */
  interfaces?: string[];
}

/** metallbKey is the ordering key MetalLB sorts by: sha256 of `${node}#${ip}` (UTF-8). */
export function metallbKey(node: string, ip: string): Buffer {
  return createHash('sha256').update(`${node}#${ip}`, 'utf8').digest();
}

/** hashOrder sorts nodes the way MetalLB does for `ip` (bytewise ascending key, lowest first). */
export function hashOrder(nodes: readonly string[], ip: string): string[] {
  const keyed = nodes.map((n) => ({ n, k: metallbKey(n, ip) }));
  keyed.sort((a, b) => Buffer.compare(a.k, b.k) || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  return keyed.map((x) => x.n);
}

/**
 * electLeader runs the default (MetalLB-compatible) election for one IP. The key is re-printed in
 * canonical form first: `2001:DB8::0001` must hash as Go prints it (`2001:db8::1`) or nodes disagree.
 */
export function electLeader(input: ElectionInput): Election {
  const e = candidatesFor(input);
  if (e.reason !== 'elected') return e;
  e.candidates = hashOrder(e.candidates, e.ip);
  return finish(e, input, e.candidates[0]);
}

/** PlacementMode picks MetalLB's hash order or the opt-in balanced placement. */
export type PlacementMode = 'hash' | 'balanced';

/** Placement is every IP's election plus how many IPs each node ends up owning. */
export interface Placement {
  elections: Map<string, Election>;
  counts: Record<string, number>;
}

/** electAll elects every IP at once (balanced placement needs the whole picture). */
export function electAll(inputs: readonly ElectionInput[], mode: PlacementMode = 'hash'): Placement {
  const elections = new Map<string, Election>();
  if (mode === 'hash') {
    for (const i of inputs) {
      const e = electLeader(i);
      elections.set(e.ip, e);
    }
  } else {
    const pre = inputs.map((i) => ({ input: i, e: candidatesFor(i) }));
    const placed = placeBalanced(pre.filter((p) => p.e.reason === 'elected').map((p) => ({ ip: p.e.ip, candidates: p.e.candidates })));
    for (const { input, e } of pre) {
      if (e.reason === 'elected') e.candidates = hashOrder(e.candidates, e.ip);
      elections.set(e.ip, e.reason === 'elected' ? finish(e, input, placed.owners.get(e.ip)) : e);
    }
  }
  const counts: Record<string, number> = {};
  for (const e of elections.values()) if (e.winner) counts[e.winner] = (counts[e.winner] ?? 0) + 1;
  return { elections, counts };
}

/** shouldAnnounce is one node's view: announce iff it won; otherwise the reason (`notOwner` if someone else won). */
export function shouldAnnounce(e: Election, node: string): { announce: boolean; reason: ElectionReason | 'notOwner' } {
  if (e.winner === node) return { announce: true, reason: 'elected' };
  return { announce: false, reason: e.winner ? 'notOwner' : e.reason };
}

/**
 * announcementsFor turns elections into what this node's Layer2Announcer should announce: every
 * address of every IP it won, with the winner's interface restriction.
 */
export function announcementsFor(elections: Iterable<Election>, node: string): Map<string, { interfaces?: string[] }> {
  const out = new Map<string, { interfaces?: string[] }>();
  for (const e of elections) {
    if (e.winner !== node) continue;
    for (const ip of e.ips) out.set(ip, e.interfaces ? { interfaces: e.interfaces } : {});
  }
  return out;
}

/** candidatesFor computes the unordered candidate set; reason is `elected` when it is non-empty. */
export function candidatesFor(input: ElectionInput): Election {
  const live = new Set(input.liveSpeakers);
  const excluded: Election['excluded'] = [];
  const services: ServiceDecision[] = [];
  let common: Set<string> | undefined;
  for (const svc of input.services) {
    const ads = input.advertisements.filter((a) => matchesAny(a.serviceSelectors, svc.labels));
    const usable = svc.endpoints.filter(usableEndpoint);
    if (usable.length === 0) {
      services.push({ key: svc.key, announced: false, reason: 'noUsableEndpoint' });
      continue;
    }
    if (ads.length === 0) {
      services.push({ key: svc.key, announced: false, reason: 'noMatchingAdvertisement' });
      continue;
    }
    const localNodes = new Set(usable.map((ep) => ep.nodeName).filter((n): n is string => !!n));
    const ok = new Set<string>();
    for (const node of input.nodes) {
      const why = exclusion(node, live, ads, svc.externalTrafficPolicy === 'Local' ? localNodes : undefined, input.ignoreExcludeLB);
      if (why) excluded.push({ node: node.name, reason: why });
      else ok.add(node.name);
    }
    common = common ? new Set([...common].filter((n) => ok.has(n))) : ok;
    services.push({ key: svc.key, announced: true, reason: 'elected' });
  }
  const candidates = [...(common ?? [])].sort();
  const reason: ElectionReason = !common ? firstReason(services) : candidates.length ? 'elected' : 'noCandidate';
  if (reason !== 'elected') for (const s of services) if (s.announced) Object.assign(s, { announced: false, reason });
  const key = canonicalIP(input.ip) ?? input.ip;
  const ips = [key, ...(input.ips ?? []).map((x) => canonicalIP(x) ?? x).filter((x) => x !== key)];
  return { ip: key, ips, reason, candidates, excluded: dedupe(excluded), services };
}

function exclusion(node: NodeView, live: Set<string>, ads: L2Advertisement[], local: Set<string> | undefined, ignoreExclude = false): NodeExclusion | undefined {
  if (!live.has(node.name)) return 'noSpeaker';
  if (node.networkUnavailable) return 'networkUnavailable';
  if (!ignoreExclude && Object.prototype.hasOwnProperty.call(node.labels, EXCLUDE_LB_LABEL)) return 'excludedByLabel';
  if (!ads.some((a) => matchesAny(a.nodeSelectors, node.labels))) return 'noMatchingAdvertisement';
  if (local && !local.has(node.name)) return 'noLocalEndpoint';
  return undefined;
}

function firstReason(services: ServiceDecision[]): ElectionReason {
  if (services.some((s) => s.reason === 'noMatchingAdvertisement')) return 'noMatchingAdvertisement';
  return 'noUsableEndpoint';
}

function finish(e: Election, input: ElectionInput, winner: string | undefined): Election {
  if (!winner) return { ...e, reason: 'noCandidate' };
  const node = input.nodes.find((n) => n.name === winner);
  const announcedLabels = input.services.filter((s) => e.services.some((d) => d.key === s.key && d.announced)).map((s) => s.labels);
  const ads = input.advertisements.filter(
    (a) => announcedLabels.some((l) => matchesAny(a.serviceSelectors, l)) && node !== undefined && matchesAny(a.nodeSelectors, node.labels),
  );
  const all = ads.some((a) => a.interfaces.length === 0);
  const out: Election = { ...e, winner };
  if (!all) out.interfaces = [...new Set(ads.flatMap((a) => a.interfaces))].sort();
  return out;
}

function dedupe(xs: Election['excluded']): Election['excluded'] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = `${x.node}|${x.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
