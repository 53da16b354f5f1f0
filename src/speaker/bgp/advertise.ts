// The BGP advertisement plan: from the config, this node and the services, which peers get a
// session and which routes each of them must hold, with one reason per service. Pure; the manager
// feeds it state and hands the result to a BgpBackend (native sessions or FRR).
import {
  compareIP,
  formatCIDR,
  makeCIDR,
  matchesAny,
  parseCIDR,
  serviceKey,
  type BGPAdvertisement,
  type Config,
  type IP,
  type NodeView,
  type Peer,
} from '../../model/index.js';
import { mergeCommunities } from './community.js';
import { eligibility, type AnnouncedService, type AnnounceReason, type EligibilityOptions } from './eligibility.js';
import type { PeerRoutes, Route } from './route.js';

export type { AnnouncedService, AnnounceReason } from './eligibility.js';

/** ServiceDecision is the outcome for one service on this node. */
export interface ServiceDecision {
  /** key is `namespace/name`. */
  key: string;
  reason: AnnounceReason;
  detail: string;
  /** prefixes announced for this service (sorted), empty unless reason is `announced`. */
  prefixes: string[];
  /** peers that receive at least one of its prefixes (sorted names). */
  peers: string[];
}

/** AdvertisementPlan is the whole desired BGP state of this node. */
export interface AdvertisementPlan {
  /** peers selected for this node, in config order. */
  peers: Peer[];
  /** routes per selected peer (every selected peer has an entry, possibly empty). */
  routes: PeerRoutes;
  decisions: Map<string, ServiceDecision>;
}

/** PlanInput is everything the plan depends on. */
export interface PlanInput extends EligibilityOptions {
  config: Config;
  node: NodeView;
  services: readonly AnnouncedService[];
}

/** peersForNode returns the peers whose node selectors match this node (empty list = all nodes). */
export function peersForNode(config: Config, node: NodeView): Peer[] {
  return config.peers.filter((p) => matchesAny(p.nodeSelectors, node.labels));
}

/**
 * planAdvertisements computes sessions, per-peer routes and per-service reasons. Services are
 * visited in key order so "first LOCAL_PREF kept" on a shared prefix does not depend on event order.
 */
export function planAdvertisements(input: PlanInput): AdvertisementPlan {
  const peers = peersForNode(input.config, input.node);
  const tables = new Map<string, Map<string, Route>>(peers.map((p) => [p.name, new Map()]));
  const decisions = new Map<string, ServiceDecision>();
  const services = [...input.services].sort((a, b) => cmp(serviceKey(a.service), serviceKey(b.service)));
  for (const svc of services) {
    const key = serviceKey(svc.service);
    const e = eligibility(input.config, input.node, svc, input);
    if (e.reason !== 'announced') {
      decisions.set(key, { key, reason: e.reason, detail: e.detail, prefixes: [], peers: [] });
      continue;
    }
    const reached = new Set<string>();
    const prefixes = new Set<string>();
    for (const ip of e.ips) {
      for (const ad of e.ads) {
        const route = routeFor(ip, ad);
        prefixes.add(route.prefix);
        for (const p of peers) {
          if (ad.peers.length > 0 && !ad.peers.includes(p.name)) continue;
          addRoute(tables.get(p.name)!, route);
          reached.add(p.name);
        }
      }
    }
    const decision: ServiceDecision = { key, reason: 'announced', detail: e.detail, prefixes: sortPrefixes([...prefixes]), peers: [...reached].sort() };
    if (reached.size === 0) {
      decision.reason = 'noPeers';
      decision.detail = peers.length === 0 ? `no BGP peer is selected for node "${input.node.name}"` : 'its advertisements name no peer selected for this node';
    }
    decisions.set(key, decision);
  }
  const routes: PeerRoutes = new Map();
  for (const [name, table] of tables) routes.set(name, sortRoutes([...table.values()]));
  return { peers, routes, decisions };
}

/** routeFor masks one service IP with an advertisement's aggregation length and copies its attributes. */
export function routeFor(ip: IP, ad: BGPAdvertisement): Route {
  const len = ip.family === 4 ? ad.aggregationLength : ad.aggregationLengthV6;
  return { prefix: formatCIDR(makeCIDR(ip, len)), localPref: ad.localPref, communities: mergeCommunities(ad.communities) };
}

/** addRoute collapses a prefix announced twice: communities merge, the first LOCAL_PREF stays. */
function addRoute(table: Map<string, Route>, route: Route): void {
  const had = table.get(route.prefix);
  if (!had) {
    table.set(route.prefix, { ...route, communities: [...route.communities] });
    return;
  }
  had.communities = mergeCommunities(had.communities, route.communities);
}

/** sortRoutes orders routes IPv4 first, then by address, then by length (stable output for diffs and goldens). */
export function sortRoutes(routes: Route[]): Route[] {
  return sortBy(routes, (r) => r.prefix);
}

/** sortPrefixes orders canonical prefixes like sortRoutes. */
export function sortPrefixes(prefixes: string[]): string[] {
  return sortBy(prefixes, (p) => p);
}

/** sortBy parses each prefix once (not once per comparison: that dominated a 10,000-service plan). */
function sortBy<T>(items: T[], prefixOf: (item: T) => string): T[] {
  const keyed = items.map((item) => ({ item, text: prefixOf(item), cidr: parseCIDR(prefixOf(item)) }));
  keyed.sort((a, b) => (a.cidr && b.cidr ? compareIP(a.cidr.ip, b.cidr.ip) || a.cidr.prefix - b.cidr.prefix : cmp(a.text, b.text)));
  return keyed.map((k) => k.item);
}

/** comparePrefixes orders canonical prefixes by family, network address, then length. */
export function comparePrefixes(a: string, b: string): number {
  const ca = parseCIDR(a);
  const cb = parseCIDR(b);
  if (!ca || !cb) return cmp(a, b);
  return compareIP(ca.ip, cb.ip) || ca.prefix - cb.prefix;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
