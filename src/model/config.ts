// The one internal model that both config formats parse into (legacy ConfigMap and metallb.io CRDs),
// and that feeds the allocator, the announcers and the migration tool. Plain data: no I/O, no classes,
// so models compare with deep equality and serialise to JSON (see schemas/model.schema.json).
import type { CIDR } from './ip.js';
import type { LabelSelector } from './selector.js';

/** Config is a whole parsed and validated configuration. */
export interface Config {
  /** pools in config order (legacy list order; CRD pools by name, as an API server lists them), which drives allocation order. */
  pools: Pool[];
  peers: Peer[];
  bfdProfiles: BFDProfile[];
  /** communities maps alias names (legacy `bgp-communities`, Community CRs) to canonical values. */
  communities: Record<string, string>;
}

/** Pool is an address pool: legacy `address-pools` entry or an IPAddressPool. */
export interface Pool {
  name: string;
  /** addresses are the entries as written (CIDR or `a-b` range), trimmed. */
  addresses: string[];
  /** cidrs is every entry expanded to the minimal aligned CIDR list, in entry order. */
  cidrs: CIDR[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
  /** serviceAllocation restricts and orders the pool for automatic allocation (CRD only). */
  serviceAllocation?: ServiceAllocation;
  /** labels of the IPAddressPool object, matched by ipAddressPoolSelectors. */
  labels: Record<string, string>;
  /** bgpAdvertisements announce the pool over BGP (legacy protocol bgp, or BGPAdvertisements). */
  bgpAdvertisements: BGPAdvertisement[];
  /** l2Advertisements announce the pool over ARP/NDP (legacy protocol layer2, or L2Advertisements). */
  l2Advertisements: L2Advertisement[];
}

/** ServiceAllocation is IPAddressPool.spec.serviceAllocation. */
export interface ServiceAllocation {
  /** priority: lower first; 0 means none (tried after every prioritised pool). */
  priority: number;
  namespaces: string[];
  namespaceSelectors: LabelSelector[];
  serviceSelectors: LabelSelector[];
}

/** BGPAdvertisement says how one pool's IPs are announced over BGP. */
export interface BGPAdvertisement {
  aggregationLength: number;
  aggregationLengthV6: number;
  localPref: number;
  /** communities canonical (`A:B` or `large:A:B:C`), sorted, aliases resolved. */
  communities: string[];
  /** nodeSelectors: empty means every node. */
  nodeSelectors: LabelSelector[];
  /** peers names the BGPPeers this goes to; empty means every peer. */
  peers: string[];
  /** serviceSelectors: empty means every service. */
  serviceSelectors: LabelSelector[];
}

/** L2Advertisement says how one pool's IPs are announced over ARP/NDP. */
export interface L2Advertisement {
  /** nodeSelectors: empty means every node. */
  nodeSelectors: LabelSelector[];
  /** interfaces: empty means every eligible interface. */
  interfaces: string[];
  /** serviceSelectors: empty means every service. */
  serviceSelectors: LabelSelector[];
}

/** Peer is a BGP neighbour with every default filled in. */
export interface Peer {
  /** name is the BGPPeer name; legacy peers get `peerName()` so both formats agree. */
  name: string;
  myASN: number;
  peerASN: number;
  /** peerAddress canonical. */
  peerAddress: string;
  peerPort: number;
  /** holdTime in whole seconds (default 90; 0 = no hold timer). */
  holdTime: number;
  /** keepaliveTime in whole seconds (default holdTime/3). */
  keepaliveTime: number;
  /** keepaliveExplicit records that keepalive was configured rather than derived from the hold time. */
  keepaliveExplicit: boolean;
  routerID?: string;
  sourceAddress?: string;
  ebgpMultiHop: boolean;
  bfdProfile?: string;
  /** nodeSelectors: empty means every node. */
  nodeSelectors: LabelSelector[];
  /** password is the TCP MD5 key; never logged or printed (see redactConfig). */
  password?: string;
  /** passwordSecret references a kubernetes.io/basic-auth Secret holding the key. */
  passwordSecret?: { name: string; namespace: string };
  /** vrf, connectTime, enableGracefulRestart exist in v1beta2 only and need the FRR backend. */
  vrf?: string;
  connectTime?: number;
  enableGracefulRestart?: boolean;
}

/** BFDProfile is a BFD timing profile (FRR backend only); unset fields use FRR's defaults. */
export interface BFDProfile {
  name: string;
  receiveInterval?: number;
  transmitInterval?: number;
  detectMultiplier?: number;
  echoInterval?: number;
  echoMode: boolean;
  passiveMode: boolean;
  minimumTtl?: number;
}

/** ConfigWarning is a non-fatal finding (deprecated spelling, ignored field). */
export interface ConfigWarning {
  code: string;
  message: string;
  object?: string;
  field?: string;
}

/** ParseResult is a valid config and what was noticed on the way. */
export interface ParseResult {
  config: Config;
  warnings: ConfigWarning[];
}

/** emptyConfig is the valid config with nothing in it (an empty ConfigMap payload). */
export function emptyConfig(): Config {
  return { pools: [], peers: [], bfdProfiles: [], communities: {} };
}

/** peerName derives a stable DNS-1123 name for a peer from what it is: address, ASN and port. */
export function peerName(p: Pick<Peer, 'peerAddress' | 'peerASN' | 'peerPort'>): string {
  const addr = p.peerAddress.toLowerCase().replace(/[^0-9a-z]+/g, '-').replace(/^-+|-+$/g, '');
  const port = p.peerPort === 179 ? '' : `-port${p.peerPort}`;
  return `peer-${addr}-as${p.peerASN}${port}`;
}
