// The order a full pass decides services in. Services that already have addresses in status go
// first (more addresses first, as MetalLB's first pass), so re-learning them can never lose to a new
// allocation that would grab the same address; ties are broken by key for reproducible runs.
import type { ServiceView } from '../model/cluster.js';
import { serviceKey } from '../model/cluster.js';

/** orderForPass returns the services in the order a full reconcile pass should decide them. */
export function orderForPass<T extends Pick<ServiceView, 'namespace' | 'name' | 'ingressIPs'>>(views: readonly T[]): T[] {
  return [...views].sort((a, b) => {
    const byIPs = b.ingressIPs.length - a.ingressIPs.length;
    if (byIPs !== 0) return byIPs;
    const ka = serviceKey(a);
    const kb = serviceKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
