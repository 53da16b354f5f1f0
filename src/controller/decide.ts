// Pure per-Service controller decisions (MetalLB's convergeBalancer, reorganised as named steps):
// given a ServiceView and the Allocator, decide the status ingress list, the pool annotation and the
// events. The only side effect is on the Allocator passed in; writing status is the caller's job.
import type { Allocator } from '../allocator/allocator.js';
import type { AllocationRequest } from '../allocator/types.js';
import { serviceKey, type ServiceView } from '../model/cluster.js';
import { canonicalIP } from '../model/ip.js';
import type { Labels } from '../model/selector.js';
import { IP_ALLOCATED_FROM_POOL, deprecatedKeys } from './annotations.js';
import { requestFromView, type RequestBuild } from './decide-request.js';
import { cleared, ignored, normal, quoteList, sameSet, settled, warning, type DecisionEvent, type ServiceDecision } from './decision.js';

/** DecideOptions carry what a decision needs beyond the Service itself. */
export interface DecideOptions {
  /** lbClass: handle only services of this spec.loadBalancerClass; unset = only services without a class. */
  lbClass?: string;
  /** namespaceLabels of the service's namespace, for serviceAllocation.namespaceSelectors. */
  namespaceLabels?: Labels;
}

/** classMatches is MetalLB's --lb-class rule. */
export function classMatches(view: Pick<ServiceView, 'loadBalancerClass'>, lbClass: string | undefined): boolean {
  return lbClass === undefined || lbClass === '' ? view.loadBalancerClass === undefined : view.loadBalancerClass === lbClass;
}

/** deprecationWarnings returns one warning per `metallb.universe.tf/` annotation. */
export function deprecationWarnings(view: ServiceView): DecisionEvent[] {
  return deprecatedKeys(view.annotations).map((k) => warning('deprecatedAnnotation', `Service uses deprecated annotation ${k}`));
}

/** decideService decides one Service's addresses, updating the allocator accordingly. */
export function decideService(view: ServiceView, allocator: Allocator, opts: DecideOptions = {}): ServiceDecision {
  if (!classMatches(view, opts.lbClass)) return ignored(view);
  const events = deprecationWarnings(view);
  if (view.type !== 'LoadBalancer') return cleared(view, allocator, 'notLoadBalancer', events);
  if (allocator.pools().length === 0) return cleared(view, allocator, 'noPools', events);
  const build = requestFromView(view, opts.namespaceLabels);
  const current = view.ingressIPs.map((ip) => canonicalIP(ip) ?? ip);
  let reprocessAll = false;
  if (current.length > 0) {
    const kept = keepCurrent(view, build, current, allocator, events);
    if (kept !== undefined) return kept;
    reprocessAll = allocator.release(build.request.key).length > 0;
  }
  if (build.invalid !== undefined) {
    events.push(warning('LoadBalancerFailed', `invalid requested loadbalancer IPs: ${build.invalid}`));
    return settled(view, { outcome: 'failed', reason: 'invalidRequest', ips: [], events, reprocessAll, error: build.invalid });
  }
  return allocate(view, build.request, allocator, events, reprocessAll);
}

/**
 * keepCurrent re-learns the addresses in status (on start-up, before any new allocation, so running
 * services keep their IPs). Returns undefined when they must go (ClearAssignment already recorded).
 */
function keepCurrent(view: ServiceView, build: RequestBuild, current: string[], allocator: Allocator, events: DecisionEvent[]): ServiceDecision | undefined {
  const req = build.request;
  const { requestedIPs: _ips, requestedPool: _pool, ...base } = req;
  const res = allocator.assignIPs(base, current, 'kept');
  let why: string | undefined;
  if (!res.ok) why = res.message;
  else if (req.requestedPool !== undefined && req.requestedPool !== res.pool) why = `requested pool "${req.requestedPool}" differs from current pool "${res.pool}"`;
  else if (build.invalid === undefined && req.requestedIPs !== undefined && !sameSet(req.requestedIPs.map((i) => canonicalIP(i) ?? i), current)) {
    why = `requested IPs ${JSON.stringify(req.requestedIPs)} differ from current IPs ${JSON.stringify(current)}`;
  }
  if (why !== undefined || !res.ok) {
    events.push(normal('ClearAssignment', `current IP for "${req.key}" not allowed by config, will attempt for new IP assignment: ${why ?? 'refused'}`));
    return undefined;
  }
  if (build.invalid !== undefined) events.push(warning('LoadBalancerFailed', `invalid requested loadbalancer IPs: ${build.invalid}`));
  // A PreferDualStack service holding one family gets the other one from the same pool when possible,
  // unless it asked for exactly the addresses it has.
  let final = res;
  if (req.policy === 'PreferDualStack' && new Set(req.families).size === 2 && res.ips.length === 1 && req.requestedIPs === undefined) {
    const grown = allocator.assign(base);
    if (grown.ok && grown.ips.length === 2) {
      final = grown;
      events.push(normal('IPAllocated', `Assigned additional IP ${quoteList(grown.ips)}`));
    }
  }
  return settled(view, { outcome: 'kept', reason: 'kept', ips: final.ips, pool: final.pool, events, reprocessAll: false });
}

function allocate(view: ServiceView, req: AllocationRequest, allocator: Allocator, events: DecisionEvent[], reprocessAll: boolean): ServiceDecision {
  const res = allocator.assign(req);
  if (!res.ok) {
    events.push(warning('AllocationFailed', `Failed to allocate IP for "${req.key}": ${res.message}`));
    return settled(view, { outcome: 'failed', reason: res.reason, ips: [], events, reprocessAll, error: res.message });
  }
  events.push(normal('IPAllocated', `Assigned IP ${quoteList(res.ips)}`));
  return settled(view, { outcome: 'allocated', reason: res.reason, ips: res.ips, pool: res.pool, events, reprocessAll });
}

/** decideDeleted frees a deleted service's addresses; others should be reprocessed if any were freed. */
export function decideDeleted(key: string, allocator: Allocator): Pick<ServiceDecision, 'service' | 'outcome' | 'reason' | 'reprocessAll'> & { released: string[] } {
  const released = allocator.release(key);
  return { service: key, outcome: 'cleared', reason: 'deleted', reprocessAll: released.length > 0, released };
}

/** POOL_ANNOTATION is the annotation the controller writes with the pool name. */
export const POOL_ANNOTATION = IP_ALLOCATED_FROM_POOL.current;

export { serviceKey };
export type { ServiceDecision, DecisionEvent, DecisionOutcome } from './decision.js';
