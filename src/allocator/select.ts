// Which pools may serve a service, and in which order automatic allocation tries them. MetalLB
// walked a Go map (random order); we sort: pools with serviceAllocation priority > 0 first, lower
// number first, then every other pool in config order. Ties keep config order.
import type { Family } from '../model/ip.js';
import { matchesAny, matchesSelector } from '../model/selector.js';
import type { Pool } from '../model/config.js';
import type { AllocationRequest } from './types.js';
import type { PoolState } from './pool-state.js';

/** PoolFit says whether a pool may serve a service, and why not. */
export type PoolFit = { ok: true } | { ok: false; reason: 'namespace' | 'serviceSelector' };

/**
 * poolServes applies serviceAllocation: a pool listing namespaces (by name or selector) serves only
 * services in them; a pool with serviceSelectors serves only services matching one; both must hold.
 */
export function poolServes(pool: Pool, req: Pick<AllocationRequest, 'namespace' | 'labels' | 'namespaceLabels'>): PoolFit {
  const sa = pool.serviceAllocation;
  if (sa === undefined) return { ok: true };
  if (sa.namespaces.length > 0 || sa.namespaceSelectors.length > 0) {
    const byName = sa.namespaces.includes(req.namespace);
    const nsLabels = req.namespaceLabels ?? {};
    const bySelector = sa.namespaceSelectors.some((s) => matchesSelector(s, nsLabels));
    if (!byName && !bySelector) return { ok: false, reason: 'namespace' };
  }
  if (sa.serviceSelectors.length > 0 && !matchesAny(sa.serviceSelectors, req.labels)) {
    return { ok: false, reason: 'serviceSelector' };
  }
  return { ok: true };
}

/** priorityOf is a pool's serviceAllocation priority (0 = none). */
export function priorityOf(pool: Pool): number {
  return pool.serviceAllocation?.priority ?? 0;
}

/** comparePools is the deterministic automatic-allocation order. */
export function comparePools(a: PoolState, b: PoolState): number {
  const pa = priorityOf(a.pool);
  const pb = priorityOf(b.pool);
  if (pa > 0 && pb > 0 && pa !== pb) return pa - pb;
  if (pa > 0 && pb <= 0) return -1;
  if (pb > 0 && pa <= 0) return 1;
  return a.order - b.order;
}

/** autoOrder is the auto-assign pools in trial order (computed once per config). */
export function autoOrder(pools: readonly PoolState[]): PoolState[] {
  return pools.filter((p) => p.pool.autoAssign).sort(comparePools);
}

/** autoCandidates keeps the pools of an autoOrder list that serve the request. */
export function autoCandidates(ordered: readonly PoolState[], req: AllocationRequest): PoolState[] {
  return ordered.filter((p) => poolServes(p.pool, req).ok);
}

/**
 * familyPlans lists the family sets to try, best first: one family for single-stack; both for
 * RequireDualStack; both, then the primary alone, then the secondary alone for PreferDualStack.
 */
export function familyPlans(req: Pick<AllocationRequest, 'families' | 'policy'>): Family[][] {
  const fams = [...new Set(req.families)];
  if (fams.length === 0) return [[4]];
  if (fams.length === 1 || req.policy === 'SingleStack') return [[fams[0]!]];
  const both: Family[] = [4, 6];
  if (req.policy === 'RequireDualStack') return [both];
  return [both, [fams[0]!], [fams[1]!]];
}
