// Builders for BGP advertisement tests: small model objects with MetalLB's defaults, so a table row
// states only what matters to it.
import { parseCIDR, type BGPAdvertisement, type Config, type EndpointView, type NodeView, type Peer, type Pool, type ServiceView } from '../../../src/model/index.js';
import type { AnnouncedService } from '../../../src/speaker/bgp/advertise.js';

/** ad builds a BGP advertisement (aggregation /32 and /128, no local-pref, no communities). */
export function ad(over: Partial<BGPAdvertisement> = {}): BGPAdvertisement {
  return { aggregationLength: 32, aggregationLengthV6: 128, localPref: 0, communities: [], nodeSelectors: [], peers: [], serviceSelectors: [], ...over };
}

/** pool builds a pool over the given CIDRs. */
export function pool(name: string, cidrs: string[], bgpAdvertisements: BGPAdvertisement[] = [ad()]): Pool {
  return {
    name,
    addresses: cidrs,
    cidrs: cidrs.map((c) => parseCIDR(c)!),
    autoAssign: true,
    avoidBuggyIPs: false,
    labels: {},
    bgpAdvertisements,
    l2Advertisements: [],
  };
}

/** peer builds a peer named `name` (iBGP unless told otherwise). */
export function peer(name: string, over: Partial<Peer> = {}): Peer {
  return {
    name,
    myASN: 64512,
    peerASN: 64512,
    peerAddress: '192.0.2.1',
    peerPort: 179,
    holdTime: 90,
    keepaliveTime: 30,
    keepaliveExplicit: false,
    ebgpMultiHop: false,
    nodeSelectors: [],
    ...over,
  };
}

/** config builds a Config. */
export function config(pools: Pool[], peers: Peer[]): Config {
  return { pools, peers, bfdProfiles: [], communities: {} };
}

/** node builds this node (name `pandora`, as in MetalLB's tests). */
export function node(labels: Record<string, string> = {}, over: Partial<NodeView> = {}): NodeView {
  return { name: 'pandora', labels, networkUnavailable: false, ...over };
}

/** ep builds one endpoint. */
export function ep(address: string, nodeName: string, ready = true): EndpointView {
  return { addresses: [address], nodeName, ready, serving: ready };
}

/** svc builds an announced LoadBalancer service `default/<name>` (Cluster policy, one ready endpoint elsewhere). */
export function svc(name: string, ips: string[], over: Partial<ServiceView> = {}, endpoints: EndpointView[] = [ep('10.0.0.1', 'iris')]): AnnouncedService {
  const service: ServiceView = {
    namespace: 'default',
    name,
    labels: {},
    annotations: {},
    type: 'LoadBalancer',
    ipFamilies: ['IPv4'],
    ports: [{ port: 80, protocol: 'TCP' }],
    externalTrafficPolicy: 'Cluster',
    selector: { app: name },
    ingressIPs: ips,
    ...over,
  };
  return { service, endpoints };
}

/** sel builds a matchLabels selector. */
export function sel(matchLabels: Record<string, string>) {
  return { matchLabels, matchExpressions: [] };
}

/** tables renders per-peer routes as comparable strings: `prefix lp=N c=A:B,...`. */
export function tables(routes: Map<string, { prefix: string; localPref: number; communities: string[] }[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, rs] of routes) out[name] = rs.map((r) => `${r.prefix} lp=${r.localPref} c=${r.communities.join(',')}`);
  return out;
}
