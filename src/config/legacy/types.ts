// The legacy `metallb-system/config` payload after strict decoding, as MetalLB v0.8-v0.12 (and the
// older spellings of v0.3-v0.5) read it. Keys keep their YAML spelling so the structure mirrors the
// file exactly: the migration tool needs to know what was written, not just what it means
// (`auto-assign: true` explicit vs omitted, `aggregation-length: 32` explicit vs default).
// Every field is optional here: "missing" is a semantic error raised by the builder, not the decoder.

/** LegacyConfigFile is the whole payload (the ConfigMap's `config` key). */
export interface LegacyConfigFile {
  peers?: LegacyPeer[];
  /** bgp-communities maps alias names to `A:B` literals (v0.3+). */
  'bgp-communities'?: Record<string, string>;
  'address-pools'?: LegacyPool[];
  /** bfd-profiles exist since v0.12 (FRR mode only). */
  'bfd-profiles'?: LegacyBFDProfile[];
  /** communities is the v0.1-v0.2 name of bgp-communities (deprecated; merged into it). */
  communities?: Record<string, string>;
}

/** LegacyPeer is one `peers` entry. Durations stay strings: `90` without a unit is an error later. */
export interface LegacyPeer {
  'my-asn'?: number;
  'peer-asn'?: number;
  'peer-address'?: string;
  /** peer-port: 0 or absent means 179. */
  'peer-port'?: number;
  /** source-address since v0.11. */
  'source-address'?: string;
  /** hold-time is a Go duration string (`90s`, `1m30s`, `3.7s`). */
  'hold-time'?: string;
  /** keepalive-time since v0.12, Go duration string. */
  'keepalive-time'?: string;
  'router-id'?: string;
  'node-selectors'?: LegacyNodeSelector[];
  /** password is the TCP MD5 key in clear text (v0.6+); never logged. */
  password?: string;
  /** bfd-profile since v0.12: names a `bfd-profiles` entry. */
  'bfd-profile'?: string;
  /** ebgp-multihop since v0.12. */
  'ebgp-multihop'?: boolean;
}

/** LegacyNodeSelector is one `node-selectors` entry (v0.4+). */
export interface LegacyNodeSelector {
  'match-labels'?: Record<string, string>;
  'match-expressions'?: LegacySelectorRequirement[];
}

/** LegacySelectorRequirement is one `match-expressions` entry. */
export interface LegacySelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

/** LegacyProtocol lists what `protocol` may say; `arp`/`ndp` are the v0.3-v0.5 names of layer2. */
export type LegacyProtocol = 'layer2' | 'bgp' | 'arp' | 'ndp';

/** LegacyPool is one `address-pools` entry. */
export interface LegacyPool {
  name?: string;
  /** protocol is kept as written; unknown values are a semantic error, not a decode error. */
  protocol?: string;
  /** addresses are CIDRs or `start-end` ranges (v0.5+). */
  addresses?: string[];
  /** cidr is the pre-v0.5 spelling of addresses; both are concatenated (deprecated). */
  cidr?: string[];
  /** arp-network was a v0.3-v0.5 layer2 hint with no effect since; accepted and ignored (deprecated). */
  'arp-network'?: string;
  'auto-assign'?: boolean;
  'avoid-buggy-ips'?: boolean;
  'bgp-advertisements'?: LegacyBGPAdvertisement[];
  /** advertisements is the v0.1-v0.2 name of bgp-advertisements (deprecated; appended to it). */
  advertisements?: LegacyBGPAdvertisement[];
}

/** LegacyBGPAdvertisement is one `bgp-advertisements` entry (a null item decodes to `{}`). */
export interface LegacyBGPAdvertisement {
  'aggregation-length'?: number;
  /** aggregation-length-v6 since v0.12. */
  'aggregation-length-v6'?: number;
  localpref?: number;
  /** communities are aliases or `A:B` literals. */
  communities?: string[];
}

/** LegacyBFDProfile is one `bfd-profiles` entry (v0.12); intervals in milliseconds. */
export interface LegacyBFDProfile {
  name?: string;
  'receive-interval'?: number;
  'transmit-interval'?: number;
  'detect-multiplier'?: number;
  'echo-interval'?: number;
  'echo-mode'?: boolean;
  'passive-mode'?: boolean;
  'minimum-ttl'?: number;
}
