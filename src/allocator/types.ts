// The allocator's vocabulary: a plain request (no Kubernetes types), results that always carry a
// reason, and per-pool counts. The controller builds requests from ServiceViews; tests build them by hand.
import type { Family } from '../model/ip.js';
import type { Labels } from '../model/selector.js';

/** Protocol is a service port protocol; "" is kept when a manifest left it empty. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP' | '';

/** PortSpec is one (protocol, port) the service listens on. */
export interface PortSpec {
  protocol: Protocol;
  port: number;
}

/** FamilyPolicy is spec.ipFamilyPolicy. */
export type FamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

/** AllocationRequest is everything the allocator needs to know about one service. */
export interface AllocationRequest {
  /** key is "namespace/name". */
  key: string;
  namespace: string;
  labels: Labels;
  /** namespaceLabels are the labels of the service's namespace (for serviceAllocation.namespaceSelectors). */
  namespaceLabels?: Labels;
  /** families the service wants, primary first; two entries mean dual-stack (per policy). */
  families: Family[];
  policy: FamilyPolicy;
  ports: PortSpec[];
  /** sharingKey is the allow-shared-ip annotation value; "" means the IP is not shared. */
  sharingKey: string;
  /** trafficPolicy: Local services share only with Local services of the identical selector. */
  trafficPolicy: 'Cluster' | 'Local';
  /** selector is the canonical spec.selector (`k=v` sorted, comma-joined). */
  selector: string;
  /** requestedIPs are explicit addresses (loadBalancerIP or the loadBalancerIPs annotation). */
  requestedIPs?: string[];
  /** requestedPool is the address-pool annotation. */
  requestedPool?: string;
}

/** SharingRefusal lists why an address could not be shared. */
export type SharingRefusal =
  | 'notShared'
  | 'sharingKeyDiffers'
  | 'trafficPolicyDiffers'
  | 'selectorDiffers'
  | 'portInUse';

/** FailureReason is the stable reason code of a refused allocation. */
export type FailureReason =
  | SharingRefusal
  | 'invalidIP'
  | 'tooManyIPs'
  | 'sameFamily'
  | 'familyMismatch'
  | 'notInPool'
  | 'ipsInDifferentPools'
  | 'unknownPool'
  | 'poolMismatch'
  | 'poolNotCompatible'
  | 'noAvailableIPs';

/** SuccessReason says how the addresses were chosen. */
export type SuccessReason = 'requested' | 'kept' | 'fromPool' | 'auto';

/** AllocationResult is the outcome of assign/assignIPs; every outcome names its reason. */
export type AllocationResult =
  | { ok: true; reason: SuccessReason; ips: string[]; pool: string }
  | { ok: false; reason: FailureReason; message: string };

/** Allocation is what the allocator holds for one service. */
export interface Allocation {
  key: string;
  pool: string;
  /** ips in canonical form, IPv4 first. */
  ips: string[];
  ports: PortSpec[];
  sharingKey: string;
  trafficPolicy: 'Cluster' | 'Local';
  selector: string;
}

/** FamilyCounts are exact per-family numbers. */
export interface FamilyCounts {
  ipv4: bigint;
  ipv6: bigint;
  total: bigint;
}

/** PoolCounts are a pool's capacity and in-use address counts (distinct addresses, not services). */
export interface PoolCounts {
  pool: string;
  capacity: FamilyCounts;
  inUse: FamilyCounts;
  /** services is the number of services holding addresses from the pool. */
  services: number;
}

/** SetConfigOptions choose the reload semantics. */
export interface SetConfigOptions {
  /**
   * reallocate accepts a config that takes in-use addresses away and drops those allocations (MetalLB
   * 0.14+). Default false: such a config is refused as a whole and the old one stays (legacy ConfigMap).
   */
  reallocate?: boolean;
}

/** ReloadConflict is an allocation that does not fit the new config. */
export interface ReloadConflict {
  service: string;
  ips: string[];
  reason: 'notInPool' | 'ipsInDifferentPools';
  message: string;
}

/** SetConfigResult reports what a config change did. */
export interface SetConfigResult {
  accepted: boolean;
  /** reason: accepted (every allocation kept), reallocated (some dropped), refused. */
  reason: 'accepted' | 'reallocated' | 'refused';
  /** conflicts are the allocations the new config takes away (dropped when reallocated). */
  conflicts: ReloadConflict[];
  /** moved lists services whose pool name changed (rename, split, swap). */
  moved: { service: string; from: string; to: string }[];
}
