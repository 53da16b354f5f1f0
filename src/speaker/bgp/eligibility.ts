// Whether this node should announce one service over BGP, and why (MetalLB main's ShouldAnnounce
// plus the speaker's pre-checks). Pure: the inputs are plain views, the answer is a reason.
import {
  cidrContains,
  matchesAny,
  parseIP,
  usableEndpoint,
  type BGPAdvertisement,
  type Config,
  type EndpointView,
  type IP,
  type NodeView,
  type Pool,
  type ServiceView,
} from '../../model/index.js';

/** AnnouncedService is what the speaker knows of one service: the view, its pool and endpoints. */
export interface AnnouncedService {
  service: ServiceView;
  /** pool the IPs came from (the controller's annotation); found by address when unset. */
  pool?: string;
  /** endpoints of every EndpointSlice of the service. */
  endpoints: EndpointView[];
}

/** AnnounceReason names every outcome of the decision; only `announced` means routes are sent. */
export type AnnounceReason =
  | 'announced'
  | 'notLoadBalancer'
  | 'noIPAllocated'
  | 'invalidIP'
  | 'noPool'
  | 'notBGP'
  | 'noMatchingAdvertisement'
  | 'nodeNetworkUnavailable'
  | 'nodeLabeledExcludeBalancers'
  | 'noEndpoints'
  | 'noLocalEndpoints'
  | 'noPeers';

/** Eligibility is the decision before peers are considered: a reason, and what to announce if any. */
export interface Eligibility {
  reason: AnnounceReason;
  /** detail is a human sentence for logs and events (names the value that decided). */
  detail: string;
  ips: IP[];
  pool?: Pool;
  /** ads are the pool's BGP advertisements that select this node and this service. */
  ads: BGPAdvertisement[];
}

/** EXCLUDE_LB_LABEL is the well-known label that keeps a node out of external load balancers. */
export const EXCLUDE_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

/** EligibilityOptions tune the decision (MetalLB's --ignore-exclude-lb flag). */
export interface EligibilityOptions {
  ignoreExcludeLB?: boolean;
}

/**
 * eligibility decides whether `node` should announce `svc`, in MetalLB's order: service shape,
 * pool, advertisements selecting this node and service, node health, then endpoints.
 */
export function eligibility(config: Config, node: NodeView, svc: AnnouncedService, opts: EligibilityOptions = {}): Eligibility {
  const s = svc.service;
  const no = (reason: AnnounceReason, detail: string, rest: Partial<Eligibility> = {}): Eligibility => ({ reason, detail, ips: [], ads: [], ...rest });
  if (s.type !== 'LoadBalancer') return no('notLoadBalancer', `service type is ${s.type || 'unset'}`);
  if (s.ingressIPs.length === 0) return no('noIPAllocated', 'service has no ingress IP yet');
  const ips: IP[] = [];
  for (const text of s.ingressIPs) {
    const ip = parseIP(text);
    if (!ip) return no('invalidIP', `ingress IP "${text}" does not parse`);
    ips.push(ip);
  }
  const pool = findPool(config, svc.pool, ips);
  if (!pool) return no('noPool', svc.pool ? `pool "${svc.pool}" is not in the config` : `no pool contains ${s.ingressIPs.join(', ')}`);
  if (pool.bgpAdvertisements.length === 0) return no('notBGP', `pool "${pool.name}" has no BGP advertisement`, { pool });
  const ads = pool.bgpAdvertisements.filter((a) => matchesAny(a.nodeSelectors, node.labels) && matchesAny(a.serviceSelectors, s.labels));
  if (ads.length === 0) {
    return no('noMatchingAdvertisement', `no BGP advertisement of pool "${pool.name}" selects node "${node.name}" and this service`, { pool });
  }
  if (node.networkUnavailable) return no('nodeNetworkUnavailable', `node "${node.name}" has NetworkUnavailable=True`, { pool });
  if (!opts.ignoreExcludeLB && Object.prototype.hasOwnProperty.call(node.labels, EXCLUDE_LB_LABEL)) {
    return no('nodeLabeledExcludeBalancers', `node "${node.name}" is labeled ${EXCLUDE_LB_LABEL}`, { pool });
  }
  const endpointReason = endpointDecision(s, svc.endpoints, node.name);
  if (endpointReason) return no(endpointReason.reason, endpointReason.detail, { pool });
  return { reason: 'announced', detail: `announcing from node "${node.name}"`, ips, pool, ads };
}

function findPool(config: Config, name: string | undefined, ips: IP[]): Pool | undefined {
  if (name !== undefined) return config.pools.find((p) => p.name === name);
  return config.pools.find((p) => ips.every((ip) => p.cidrs.some((c) => cidrContains(c, ip))));
}

/**
 * endpointDecision applies the traffic policy: Cluster needs one usable endpoint anywhere, Local
 * needs one on this node. Returns undefined when the service may be announced.
 */
export function endpointDecision(
  s: Pick<ServiceView, 'externalTrafficPolicy'>,
  endpoints: readonly EndpointView[],
  nodeName: string,
): { reason: 'noEndpoints' | 'noLocalEndpoints'; detail: string } | undefined {
  if (s.externalTrafficPolicy === 'Local' && !hasUsableAddress(endpoints.filter((e) => e.nodeName === nodeName))) {
    return { reason: 'noLocalEndpoints', detail: `traffic policy Local and no usable endpoint on node "${nodeName}"` };
  }
  if (!hasUsableAddress(endpoints)) return { reason: 'noEndpoints', detail: 'no usable endpoint in the cluster' };
  return undefined;
}

/**
 * hasUsableAddress is MetalLB's per-address rule: an address counts only when no entry lists it as
 * unusable, so a pod with one unready port (it appears in two slices) is not announced.
 */
export function hasUsableAddress(endpoints: readonly EndpointView[]): boolean {
  const usable = new Map<string, boolean>();
  for (const e of endpoints) {
    const ok = usableEndpoint(e);
    for (const addr of e.addresses) {
      if (!ok) usable.set(addr, false);
      else if (!usable.has(addr)) usable.set(addr, true);
    }
  }
  for (const v of usable.values()) if (v) return true;
  return false;
}
