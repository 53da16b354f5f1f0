// Typed `spec` shapes of the metallb.io custom resources lbctl reads, as they look after the schema
// check (schemas/crd/*.schema.json, the shape truth). Field names are the Kubernetes JSON names.
// Everything optional stays optional here: CRD defaulting may have been bypassed (a file fed to
// `lbctl validate`), so the builder applies the defaults itself.

/** K8sLabelSelector is metav1.LabelSelector as written in a manifest. */
export interface K8sLabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** ObjectMeta is the part of metadata lbctl reads. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}

/** CRDObject is one metallb.io object: kind, version and its typed spec. */
export interface CRDObject<K extends CRDKind = CRDKind> {
  apiVersion: string;
  kind: K;
  metadata: ObjectMeta;
  spec: SpecOf<K>;
}

/** CRDKind names every metallb.io kind the parser understands. */
export type CRDKind =
  | 'IPAddressPool'
  | 'L2Advertisement'
  | 'BGPAdvertisement'
  | 'BGPPeer'
  | 'BFDProfile'
  | 'Community'
  | 'AddressPool';

/** SpecOf maps a kind to its spec type (BGPPeer covers both versions). */
export type SpecOf<K extends CRDKind> = K extends 'IPAddressPool'
  ? IPAddressPoolSpec
  : K extends 'L2Advertisement'
    ? L2AdvertisementSpec
    : K extends 'BGPAdvertisement'
      ? BGPAdvertisementSpec
      : K extends 'BGPPeer'
        ? BGPPeerSpecV1beta2 | BGPPeerSpecV1beta1
        : K extends 'BFDProfile'
          ? BFDProfileSpec
          : K extends 'Community'
            ? CommunitySpec
            : AddressPoolSpecV1beta1;

/** IPAddressPoolSpec is metallb.io/v1beta1 IPAddressPool.spec. */
export interface IPAddressPoolSpec {
  addresses: string[];
  /** autoAssign defaults to true. */
  autoAssign?: boolean;
  avoidBuggyIPs?: boolean;
  serviceAllocation?: {
    priority?: number;
    namespaces?: string[];
    namespaceSelectors?: K8sLabelSelector[];
    serviceSelectors?: K8sLabelSelector[];
  };
}

/** L2AdvertisementSpec is metallb.io/v1beta1 L2Advertisement.spec. */
export interface L2AdvertisementSpec {
  ipAddressPools?: string[];
  ipAddressPoolSelectors?: K8sLabelSelector[];
  nodeSelectors?: K8sLabelSelector[];
  interfaces?: string[];
  serviceSelectors?: K8sLabelSelector[];
}

/** BGPAdvertisementSpec is metallb.io/v1beta1 BGPAdvertisement.spec. */
export interface BGPAdvertisementSpec {
  /** aggregationLength defaults to 32. */
  aggregationLength?: number;
  /** aggregationLengthV6 defaults to 128. */
  aggregationLengthV6?: number;
  localPref?: number;
  /** communities: `A:B`, `large:A:B:C` or a Community alias name. */
  communities?: string[];
  ipAddressPools?: string[];
  ipAddressPoolSelectors?: K8sLabelSelector[];
  nodeSelectors?: K8sLabelSelector[];
  /** peers names BGPPeer objects; empty means every peer. */
  peers?: string[];
  serviceSelectors?: K8sLabelSelector[];
}

/** BGPPeerSpecV1beta2 is metallb.io/v1beta2 BGPPeer.spec (the storage version). */
export interface BGPPeerSpecV1beta2 {
  myASN: number;
  peerASN?: number;
  /** dynamicASN, localASN and interface exist upstream; lbctl refuses them as unsupported. */
  dynamicASN?: 'internal' | 'external';
  localASN?: number;
  peerAddress?: string;
  interface?: string;
  sourceAddress?: string;
  /** peerPort defaults to 179 (1-16384). */
  peerPort?: number;
  /** holdTime, keepaliveTime: Go duration strings (`90s`, `1m30s`). */
  holdTime?: string;
  keepaliveTime?: string;
  connectTime?: string;
  routerID?: string;
  nodeSelectors?: K8sLabelSelector[];
  password?: string;
  passwordSecret?: { name?: string; namespace?: string };
  bfdProfile?: string;
  enableGracefulRestart?: boolean;
  ebgpMultiHop?: boolean;
  vrf?: string;
  disableMP?: boolean;
  dualStackAddressFamily?: boolean;
}

/** BGPPeerSpecV1beta1 is the deprecated metallb.io/v1beta1 BGPPeer.spec. */
export interface BGPPeerSpecV1beta1 {
  myASN: number;
  peerASN: number;
  peerAddress: string;
  sourceAddress?: string;
  /** peerPort: 0-16384, no CRD default (0 means 179). */
  peerPort?: number;
  holdTime?: string;
  keepaliveTime?: string;
  routerID?: string;
  nodeSelectors?: K8sLabelSelector[];
  password?: string;
  bfdProfile?: string;
  ebgpMultiHop?: boolean;
}

/** BFDProfileSpec is metallb.io/v1beta1 BFDProfile.spec; intervals in milliseconds. */
export interface BFDProfileSpec {
  receiveInterval?: number;
  transmitInterval?: number;
  detectMultiplier?: number;
  echoInterval?: number;
  echoMode?: boolean;
  passiveMode?: boolean;
  minimumTtl?: number;
}

/** CommunitySpec is metallb.io/v1beta1 Community.spec: alias definitions. */
export interface CommunitySpec {
  communities?: { name: string; value: string }[];
}

/** AddressPoolSpecV1beta1 is the short-lived metallb.io/v1beta1 AddressPool (v0.13, removed in v0.14). */
export interface AddressPoolSpecV1beta1 {
  /** protocol: layer2 or bgp, as in the legacy ConfigMap. */
  protocol: string;
  addresses: string[];
  autoAssign?: boolean;
  avoidBuggyIPs?: boolean;
  bgpAdvertisements?: {
    aggregationLength?: number;
    aggregationLengthV6?: number;
    localPref?: number;
    communities?: string[];
  }[];
}
