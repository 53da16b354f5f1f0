// The field table behind "nothing silently lost": every key the legacy decoder can hand us is listed
// here with the CRD field it becomes. The converter walks the decoded payload and refuses any key not
// in this table, so a decoder that learns a new key makes migration fail loudly (naming the key)
// instead of dropping it. migrate/MAPPING.md documents the same table; a test keeps them in step.
import { ConfigError } from '../model/index.js';

/** LegacySection names each kind of object found in a legacy payload. */
export type LegacySection = 'config' | 'peer' | 'node-selector' | 'match-expression' | 'pool' | 'bgp-advertisement' | 'bfd-profile';

/** LEGACY_FIELDS lists, per section, each legacy key and where it goes (the text MAPPING.md shows). */
export const LEGACY_FIELDS: Record<LegacySection, Record<string, string>> = {
  config: {
    peers: 'one BGPPeer (metallb.io/v1beta2) per entry',
    'address-pools': 'one IPAddressPool per entry, plus its advertisements',
    'bgp-communities': 'one Community named bgp-communities',
    'bfd-profiles': 'one BFDProfile per entry',
    communities: 'v0.1-v0.2 spelling of bgp-communities: merged into the same Community',
  },
  peer: {
    'my-asn': 'BGPPeer spec.myASN',
    'peer-asn': 'BGPPeer spec.peerASN',
    'peer-address': 'BGPPeer spec.peerAddress',
    'peer-port': 'BGPPeer spec.peerPort (omitted when 0 or absent: both mean 179)',
    'source-address': 'BGPPeer spec.sourceAddress',
    'hold-time': 'BGPPeer spec.holdTime (same duration text)',
    'keepalive-time': 'BGPPeer spec.keepaliveTime (holdTime: 90s is added when hold-time was absent)',
    'router-id': 'BGPPeer spec.routerID',
    'node-selectors': 'BGPPeer spec.nodeSelectors',
    password: 'BGPPeer spec.password, or with --password-secrets a kubernetes.io/basic-auth Secret referenced by spec.passwordSecret',
    'bfd-profile': 'BGPPeer spec.bfdProfile (renamed like the BFDProfile)',
    'ebgp-multihop': 'BGPPeer spec.ebgpMultiHop',
  },
  'node-selector': {
    'match-labels': 'LabelSelector matchLabels',
    'match-expressions': 'LabelSelector matchExpressions',
  },
  'match-expression': {
    key: 'matchExpressions[].key',
    operator: 'matchExpressions[].operator',
    values: 'matchExpressions[].values',
  },
  pool: {
    name: 'IPAddressPool metadata.name (coerced to a DNS-1123 name when needed)',
    protocol: 'layer2 (and arp/ndp): one L2Advertisement <pool>-l2; bgp: the BGPAdvertisements; anything else fails',
    addresses: 'IPAddressPool spec.addresses (verbatim, ranges kept)',
    cidr: 'IPAddressPool spec.addresses (after the addresses entries)',
    'arp-network': 'nothing: it has had no effect since v0.6; dropped with a warning',
    'auto-assign': 'IPAddressPool spec.autoAssign',
    'avoid-buggy-ips': 'IPAddressPool spec.avoidBuggyIPs',
    'bgp-advertisements': 'one BGPAdvertisement per entry (<pool>-bgp, or <pool>-bgp-N when several); none: one default BGPAdvertisement <pool>-bgp',
    advertisements: 'v0.1-v0.2 spelling of bgp-advertisements: BGPAdvertisements numbered after the bgp-advertisements entries',
  },
  'bgp-advertisement': {
    'aggregation-length': 'BGPAdvertisement spec.aggregationLength',
    'aggregation-length-v6': 'BGPAdvertisement spec.aggregationLengthV6',
    localpref: 'BGPAdvertisement spec.localPref',
    communities: 'BGPAdvertisement spec.communities (alias names kept; the aliases live in the Community)',
  },
  'bfd-profile': {
    name: 'BFDProfile metadata.name (coerced to a DNS-1123 name when needed)',
    'receive-interval': 'BFDProfile spec.receiveInterval',
    'transmit-interval': 'BFDProfile spec.transmitInterval',
    'detect-multiplier': 'BFDProfile spec.detectMultiplier',
    'echo-interval': 'BFDProfile spec.echoInterval',
    'echo-mode': 'BFDProfile spec.echoMode',
    'passive-mode': 'BFDProfile spec.passiveMode',
    'minimum-ttl': 'BFDProfile spec.minimumTtl',
  },
};

/**
 * assertMapped throws ConfigError `migrate.unmapped-field` for the first key of `obj` that the table
 * does not know, naming the object and the key. Undefined values count as absent.
 */
export function assertMapped(section: LegacySection, obj: object, origin: string): void {
  const known = LEGACY_FIELDS[section];
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined || Object.prototype.hasOwnProperty.call(known, key)) continue;
    throw new ConfigError(
      'migrate.unmapped-field',
      `migrate: ${origin}: field ${JSON.stringify(key)} has no CRD equivalent known to lbctl; refusing to drop it`,
      { object: origin, field: key },
    );
  }
}
