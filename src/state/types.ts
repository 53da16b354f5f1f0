// The cluster-state interface both daemons run on. Two sources implement it: the directory source
// (a folder of YAML manifests, the bundled default) and the Kubernetes source (client-node).
// Everything above this line is unaware of where the state comes from.

/** ObjectKind lists the kinds the daemons read or write. */
export type ObjectKind =
  | 'Service'
  | 'EndpointSlice'
  | 'Node'
  | 'Namespace'
  | 'ConfigMap'
  | 'Secret'
  | 'Lease'
  | 'IPAddressPool'
  | 'L2Advertisement'
  | 'BGPAdvertisement'
  | 'BGPPeer'
  | 'BFDProfile'
  | 'Community'
  | 'AddressPool'
  | 'ServiceL2Status'
  | 'ServiceBGPStatus'
  | 'ConfigurationState';

/** ObjectMeta is the metadata every object carries (plain JSON, as in a manifest). */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generateName?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
}

/** KubeObject is any object as plain JSON: `kind` decides what `spec`/`status`/`data` hold. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: any; // shape depends on kind; adapters narrow it
  status?: any;
  data?: Record<string, string>;
  [extra: string]: unknown;
}

/** WatchEvent is one change; `SYNCED` marks the end of the initial list for the watched kinds. */
export type WatchEvent =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }
  | { type: 'SYNCED' };

/** EventRecord is a Kubernetes Event about an object (reasons as MetalLB: IPAllocated, nodeAssigned, ...). */
export interface EventRecord {
  involved: { kind: string; namespace?: string; name: string; uid?: string };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** reportingComponent: `lbctl-controller` or `lbctl-speaker`. */
  source: string;
}

/**
 * LeaseRecord is a coordination.k8s.io Lease reduced to what liveness needs. Speakers name their
 * lease `lbctl-speaker-<node>` (see src/speaker/liveness.ts); the source decides the namespace
 * (metallb-system unless configured). Watching kind `Lease` yields the Lease objects themselves:
 * `spec.holderIdentity`, `spec.leaseDurationSeconds`, `spec.renewTime` (RFC 3339 with micro-
 * seconds); src/state/lease.ts converts both ways.
 */
export interface LeaseRecord {
  name: string;
  holder: string;
  /** renewTime in ms since the epoch. */
  renewTime: number;
  /**
   * durationSeconds may be fractional (sub-second failover); the directory source stores it as
   * given, the Kubernetes source writes `leaseDurationSeconds` rounded up and keeps the exact value
   * in the annotation `lbctl.io/lease-duration-ms` (leaseToObject does both).
   */
  durationSeconds: number;
}

/** Unsubscribe stops a watch. */
export type Unsubscribe = () => void;

/**
 * ClusterState is everything the controller and speaker read from and write to the cluster.
 * Writes are idempotent; transient failures reject with an error whose `transient` is true.
 */
export interface ClusterState {
  /**
   * watch lists the kinds (one ADDED per current object, then SYNCED exactly once) and then streams
   * changes. Contract both daemons rely on:
   * - every event carries its own copy of the object (watchers may mutate it);
   * - an update that changes nothing need not be delivered, but a re-delivery must be harmless;
   * - a kind the cluster does not serve (a CRD that is not installed) counts as an empty list;
   * - events for one object arrive in order; the controller ignores everything before SYNCED.
   */
  watch(kinds: readonly ObjectKind[], onEvent: (ev: WatchEvent) => void): Unsubscribe;
  /** patchServiceStatus writes status.loadBalancer.ingress (empty list clears it). */
  patchServiceStatus(namespace: string, name: string, ingressIPs: string[]): Promise<void>;
  /** patchServiceAnnotations merges annotations; a null value removes the key. */
  patchServiceAnnotations(namespace: string, name: string, annotations: Record<string, string | null>): Promise<void>;
  /** recordEvent attaches an event to an object (best effort). */
  recordEvent(ev: EventRecord): Promise<void>;
  /** upsertLease creates or renews a lease held by `holder`. */
  upsertLease(lease: LeaseRecord): Promise<void>;
  /** deleteLease releases a lease (planned shutdown). */
  deleteLease(name: string): Promise<void>;
  /**
   * upsertObject creates or replaces a status-record object (ServiceL2Status / ServiceBGPStatus,
   * apiVersion metallb.io/v1beta1, object named by the caller, e.g. `l2-<node>-<svc-ns>-<svc>`),
   * labels `metallb.io/node`, `metallb.io/service-name`, `metallb.io/service-namespace`.
   */
  upsertObject(obj: KubeObject): Promise<void>;
  /** deleteObject removes an object written by upsertObject. */
  deleteObject(kind: string, namespace: string, name: string): Promise<void>;
  /** close stops every watch and timer. */
  close(): Promise<void>;
}
