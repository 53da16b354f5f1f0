// The FRR view of the desired BGP state: peers grouped into `router bgp` instances (one per VRF,
// FRR allows no more), each neighbor with its routes grouped by attribute. Pure; render.ts prints it.
import { parseCIDR, type BFDProfile, type Peer } from '../../model/index.js';
import type { PeerRoutes, Route } from '../bgp/route.js';
import { sortPrefixes, sortRoutes } from '../bgp/advertise.js';
import { compareCommunities } from '../bgp/community.js';
import { planOrigin, type OriginAttrs } from './origin.js';

/** FrrNeighbor is one `neighbor` with the prefix groups its outbound route-map needs. */
export interface FrrNeighbor {
  peer: Peer;
  /** id names its route-maps and prefix-lists: the address, plus the VRF when there is one. */
  id: string;
  /** localAS is set when this peer's myASN differs from the router's (rendered as `local-as`). */
  localAS?: number;
  ibgp: boolean;
  /** allowed prefixes per family, sorted. */
  v4: string[];
  v6: string[];
  /** localPrefs maps a LOCAL_PREF value to the prefixes carrying it (values ascending); prefixes whose attributes are set at origination are left out of both maps. */
  localPrefs: Map<number, string[]>;
  /** communities maps a community to the prefixes carrying it (communities in model order). */
  communities: Map<string, string[]>;
}

/** FrrRouter is one `router bgp <asn> [vrf <name>]` block. */
export interface FrrRouter {
  asn: number;
  vrf?: string;
  routerID?: string;
  neighbors: FrrNeighbor[];
  /** every prefix announced to any neighbor of this router, per family (the `network` lines). */
  v4: string[];
  v6: string[];
  /** origin maps a prefix to the route-map that sets its attributes at origination. */
  origin: Map<string, string>;
}

/** FrrWarning is something of the desired state FRR cannot express; the rest is still rendered. */
export interface FrrWarning {
  code: 'frr.duplicateNeighbor' | 'frr.unknownBfdProfile' | 'frr.localASNConflict';
  message: string;
}

/** FrrDesired is everything render.ts needs. */
export interface FrrDesired {
  routers: FrrRouter[];
  /** originMaps are the shared origination route-maps, sorted by name. */
  originMaps: OriginAttrs[];
  bfdProfiles: BFDProfile[];
  warnings: FrrWarning[];
}

/**
 * buildFrrDesired groups peers by VRF (default VRF first, then by name). The first peer of a VRF
 * sets the router's ASN and router-id; later peers with another myASN keep theirs via `local-as`.
 */
export function buildFrrDesired(peers: readonly Peer[], bfdProfiles: readonly BFDProfile[], routes: PeerRoutes): FrrDesired {
  const warnings: FrrWarning[] = [];
  const byVrf = new Map<string, { router: FrrRouter; members: { peer: Peer; routes: Route[] }[] }>();
  const profileNames = new Set(bfdProfiles.map((p) => p.name));
  for (const peer of peers) {
    const vrf = peer.vrf ?? '';
    let entry = byVrf.get(vrf);
    if (!entry) {
      entry = { router: { asn: peer.myASN, vrf: vrf || undefined, neighbors: [], v4: [], v6: [], origin: new Map() }, members: [] };
      byVrf.set(vrf, entry);
    }
    const router = entry.router;
    router.routerID ??= peer.routerID;
    if (entry.members.some((m) => m.peer.peerAddress === peer.peerAddress)) {
      warnings.push({ code: 'frr.duplicateNeighbor', message: `frr: peer "${peer.name}": address ${peer.peerAddress} already used by another peer${vrf ? ` in vrf ${vrf}` : ''}; skipped` });
      continue;
    }
    if (peer.myASN !== router.asn && peer.myASN === peer.peerASN) {
      // FRR can give an eBGP peer its own ASN with `local-as`, but refuses local-as == remote-as,
      // so an iBGP peer in another ASN than the VRF's router cannot be expressed at all.
      warnings.push({ code: 'frr.localASNConflict', message: `frr: peer "${peer.name}": iBGP in AS ${peer.myASN} but the router${vrf ? ` of vrf ${vrf}` : ''} is AS ${router.asn}; skipped` });
      continue;
    }
    if (peer.bfdProfile && !profileNames.has(peer.bfdProfile)) {
      warnings.push({ code: 'frr.unknownBfdProfile', message: `frr: peer "${peer.name}": bfd profile "${peer.bfdProfile}" is not defined` });
    }
    entry.members.push({ peer, routes: sortRoutes([...(routes.get(peer.name) ?? [])]) });
  }
  const maps = new Map<string, OriginAttrs>();
  const routers = [...byVrf.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { router, members }]) => {
      const plan = planOrigin(members.map((m) => m.routes), maps);
      const neighbors = members.map((m) => neighborFor(m.peer, router.asn, m.routes, plan.uniform));
      return withNetworks({ ...router, neighbors, origin: plan.routeMap });
    });
  const originMaps = [...maps.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { routers, originMaps, bfdProfiles: [...bfdProfiles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), warnings };
}

function neighborFor(peer: Peer, routerASN: number, routes: readonly Route[], uniform: ReadonlySet<string>): FrrNeighbor {
  const n: FrrNeighbor = {
    peer,
    id: peer.vrf ? `${peer.peerAddress}-${peer.vrf}` : peer.peerAddress,
    localAS: peer.myASN !== routerASN ? peer.myASN : undefined,
    ibgp: peer.myASN === peer.peerASN,
    v4: [],
    v6: [],
    localPrefs: new Map(),
    communities: new Map(),
  };
  for (const r of routes) {
    (familyOf(r.prefix) === 4 ? n.v4 : n.v6).push(r.prefix);
    if (uniform.has(r.prefix)) continue;
    if (r.localPref !== 0) push(n.localPrefs, r.localPref, r.prefix);
    for (const c of r.communities) push(n.communities, c, r.prefix);
  }
  n.localPrefs = new Map([...n.localPrefs].sort(([a], [b]) => a - b));
  n.communities = new Map([...n.communities].sort(([a], [b]) => compareCommunities(a, b)));
  return n;
}

function withNetworks(r: FrrRouter): FrrRouter {
  const v4 = new Set<string>();
  const v6 = new Set<string>();
  for (const n of r.neighbors) {
    n.v4.forEach((p) => v4.add(p));
    n.v6.forEach((p) => v6.add(p));
  }
  return { ...r, v4: sortPrefixes([...v4]), v6: sortPrefixes([...v6]) };
}

function push<K>(m: Map<K, string[]>, k: K, v: string): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** familyOf tells the family of a canonical prefix (6 for anything with a colon). */
export function familyOf(prefix: string): 4 | 6 {
  return parseCIDR(prefix)?.ip.family ?? (prefix.includes(':') ? 6 : 4);
}
