// Test helpers: hand-built Config objects and allocation requests (the parser is not needed here).
import type { Config, Pool, ServiceAllocation } from '../../../src/model/config.js';
import { parseCIDR, parseIP, summarizeRange, type CIDR } from '../../../src/model/ip.js';
import type { AllocationRequest } from '../../../src/allocator/types.js';

/** PoolSpec is the short form tests write pools in. */
export interface PoolSpec {
  name: string;
  addresses: string[];
  autoAssign?: boolean;
  avoidBuggyIPs?: boolean;
  serviceAllocation?: Partial<ServiceAllocation>;
}

function expand(entry: string): CIDR[] {
  if (entry.includes('/')) return [parseCIDR(entry)!];
  const [a, b] = entry.split('-').map((s) => parseIP(s.trim())!);
  return summarizeRange(a!, b!);
}

/** pool builds a model Pool. */
export function pool(spec: PoolSpec): Pool {
  const sa = spec.serviceAllocation;
  return {
    name: spec.name,
    addresses: spec.addresses,
    cidrs: spec.addresses.flatMap(expand),
    autoAssign: spec.autoAssign ?? true,
    avoidBuggyIPs: spec.avoidBuggyIPs ?? false,
    ...(sa ? { serviceAllocation: { priority: 0, namespaces: [], namespaceSelectors: [], serviceSelectors: [], ...sa } } : {}),
    labels: {},
    bgpAdvertisements: [],
    l2Advertisements: [],
  };
}

/** config builds a Config holding only pools. */
export function config(...pools: PoolSpec[]): Config {
  return { pools: pools.map(pool), peers: [], bfdProfiles: [], communities: {} };
}

/** req builds a request for service `key` ("ns/name") with sensible defaults. */
export function req(key: string, over: Partial<AllocationRequest> = {}): AllocationRequest {
  const [namespace] = key.split('/');
  return {
    key,
    namespace: namespace!,
    labels: {},
    families: [4],
    policy: 'SingleStack',
    ports: [{ protocol: 'TCP', port: 80 }],
    sharingKey: '',
    trafficPolicy: 'Cluster',
    selector: '',
    ...over,
  };
}
