// A full reconcile pass over every service, as the controller runs it on start and after a config
// change. Two phases: first every service with addresses in status re-learns them (nothing new is
// allocated yet), then every service is decided in orderForPass order. So a service whose status
// address turns out to be invalid can never take the address of a running service that simply
// had not been re-learned yet (MetalLB's single sorted pass allows that).
import type { Allocator } from '../allocator/allocator.js';
import type { FailureReason } from '../allocator/types.js';
import type { ServiceView } from '../model/cluster.js';
import { canonicalIP } from '../model/ip.js';
import { classMatches, decideService, type DecideOptions } from './decide.js';
import { orderForPass } from './decide-order.js';
import { requestFromView } from './decide-request.js';
import type { ServiceDecision } from './decision.js';

/** RelearnResult says whether a service's status addresses were reserved, and why not. */
export type RelearnResult = { relearned: true; reason: 'kept' } | { relearned: false; reason: 'otherClass' | 'notLoadBalancer' | 'noStatus' | FailureReason };

/** relearn reserves a service's status addresses if the allocator allows them. */
export function relearn(view: ServiceView, allocator: Allocator, opts: DecideOptions = {}): RelearnResult {
  if (!classMatches(view, opts.lbClass)) return { relearned: false, reason: 'otherClass' };
  if (view.type !== 'LoadBalancer') return { relearned: false, reason: 'notLoadBalancer' };
  if (view.ingressIPs.length === 0) return { relearned: false, reason: 'noStatus' };
  const { request } = requestFromView(view, opts.namespaceLabels);
  const { requestedIPs: _ips, requestedPool: _pool, ...base } = request;
  const res = allocator.assignIPs(base, view.ingressIPs.map((ip) => canonicalIP(ip) ?? ip), 'kept');
  return res.ok ? { relearned: true, reason: 'kept' } : { relearned: false, reason: res.reason };
}

/**
 * decidePass re-learns every status address, then decides every service; returns decisions in the
 * order they were made. `keepOrder` decides new services in the given order (dry runs follow the
 * file) instead of orderForPass order.
 */
export function decidePass(
  views: readonly ServiceView[],
  allocator: Allocator,
  opts: (view: ServiceView) => DecideOptions = () => ({}),
  keepOrder = false,
): ServiceDecision[] {
  const ordered = keepOrder ? [...views] : orderForPass(views);
  for (const v of orderForPass(views)) relearn(v, allocator, opts(v));
  return ordered.map((v) => decideService(v, allocator, opts(v)));
}
