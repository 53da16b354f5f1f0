// Which IPs this node announces over layer 2, and why each service is or is not announced. Pure:
// it groups services by their first LoadBalancer IP (MetalLB's election key since v0.11, so services
// sharing an IP pick one node), runs the shared election over the live speakers, and keeps the
// IPs this node won.
import type { Config, Pool } from '../model/config.js';
import { canonicalIP, cidrContains, parseIP } from '../model/ip.js';
import type { EndpointView, NodeView, ServiceView } from '../model/cluster.js';
import type { AnnouncementSpec } from './l2/announcer.js';
import { electAll, type Election, type ElectionInput, type PlacementMode } from './election.js';

/** L2Service is what the plan needs of one service. */
export interface L2Service {
  view: ServiceView;
  endpoints: EndpointView[];
}

/** L2ServiceOutcome is one service's layer 2 result on this node. */
export interface L2ServiceOutcome {
  key: string;
  ips: string[];
  announced: boolean;
  /** reason: elected, notOwner, noUsableEndpoint, noMatchingAdvertisement, noCandidate, notLayer2, noPool. */
  reason: string;
  winner?: string;
  interfaces?: string[];
}

/** L2Plan is the desired layer 2 state of this node. */
export interface L2Plan {
  announce: Map<string, AnnouncementSpec>;
  services: Map<string, L2ServiceOutcome>;
  elections: Election[];
}

/** L2PlanInput is everything the plan depends on. */
export interface L2PlanInput {
  config: Config;
  node: string;
  services: readonly L2Service[];
  nodes: readonly NodeView[];
  live: Iterable<string>;
  ignoreExcludeLB?: boolean;
  placement?: PlacementMode;
}

/** poolOfIP finds the pool whose CIDRs hold an address. */
export function poolOfIP(config: Config, ip: string): Pool | undefined {
  const parsed = parseIP(ip);
  if (!parsed) return undefined;
  return config.pools.find((p) => p.cidrs.some((c) => cidrContains(c, parsed)));
}

/** planLayer2 elects an owner per IP and returns what this node announces. */
export function planLayer2(input: L2PlanInput): L2Plan {
  const groups = new Map<string, { pool: Pool; members: L2Service[] }>();
  const services = new Map<string, L2ServiceOutcome>();
  for (const s of input.services) {
    const key = `${s.view.namespace}/${s.view.name}`;
    const ips = s.view.ingressIPs.map((ip) => canonicalIP(ip) ?? ip);
    if (s.view.type !== 'LoadBalancer' || ips.length === 0) continue;
    const pool = poolOfIP(input.config, ips[0]!);
    if (!pool) { services.set(key, { key, ips, announced: false, reason: 'noPool' }); continue; }
    if (pool.l2Advertisements.length === 0) { services.set(key, { key, ips, announced: false, reason: 'notLayer2' }); continue; }
    let g = groups.get(ips[0]!);
    if (!g) groups.set(ips[0]!, (g = { pool, members: [] }));
    g.members.push(s);
  }
  const inputs: ElectionInput[] = [...groups].map(([ip, g]) => ({
    ip,
    services: g.members.map((m) => ({ key: `${m.view.namespace}/${m.view.name}`, labels: m.view.labels, externalTrafficPolicy: m.view.externalTrafficPolicy, endpoints: m.endpoints })),
    advertisements: g.pool.l2Advertisements,
    nodes: input.nodes,
    liveSpeakers: input.live,
    ignoreExcludeLB: input.ignoreExcludeLB,
  }));
  const placement = electAll(inputs, input.placement ?? 'hash');
  const announce = new Map<string, AnnouncementSpec>();
  for (const [ip, g] of groups) {
    const e = placement.elections.get(ip)!;
    for (const m of g.members) {
      const key = `${m.view.namespace}/${m.view.name}`;
      const ips = m.view.ingressIPs.map((x) => canonicalIP(x) ?? x);
      const d = e.services.find((x) => x.key === key);
      const mine = e.winner === input.node && d?.announced === true;
      const reason = mine ? 'elected' : e.winner && d?.announced ? 'notOwner' : d?.reason ?? e.reason;
      const out: L2ServiceOutcome = { key, ips, announced: mine, reason };
      if (e.winner) out.winner = e.winner;
      if (e.interfaces) out.interfaces = e.interfaces;
      services.set(key, out);
      if (mine) for (const x of ips) announce.set(x, e.interfaces ? { interfaces: e.interfaces } : {});
    }
  }
  return { announce, services, elections: [...placement.elections.values()] };
}
