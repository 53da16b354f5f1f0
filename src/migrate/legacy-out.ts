// The rollback direction: a parsed CRD model -> one legacy payload, or the list of everything the
// legacy format cannot say. We collect every blocker before failing, so one run tells the user all
// of what to change. Values are written in their shortest legacy form (defaults omitted).
import type {
  LegacyBFDProfile,
  LegacyBGPAdvertisement,
  LegacyConfigFile,
  LegacyNodeSelector,
  LegacyPeer,
  LegacyPool,
} from '../config/legacy/types.js';
import type { BFDProfile, BGPAdvertisement, Config, LabelSelector, Peer, Pool } from '../model/index.js';

/** Blocker is one construct the legacy format cannot express. */
export interface Blocker {
  /** object like `IPAddressPool "web"` or `BGPPeer "spine"`. */
  object: string;
  /** construct names what cannot be expressed, e.g. `spec.serviceAllocation`. */
  construct: string;
  reason: string;
}

/** LegacyBuild is the converted payload, or the blockers that prevent it. */
export interface LegacyBuild {
  payload: LegacyConfigFile;
  blockers: Blocker[];
}

const isLarge = (c: string) => c.startsWith('large:');

function selectorsToLegacy(sels: LabelSelector[]): LegacyNodeSelector[] {
  return sels.map((s) => {
    const out: LegacyNodeSelector = {};
    if (Object.keys(s.matchLabels).length > 0) out['match-labels'] = { ...s.matchLabels };
    if (s.matchExpressions.length > 0) {
      out['match-expressions'] = s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, values: [...e.values] }));
    }
    return out;
  });
}

function peerToLegacy(p: Peer, block: (construct: string, reason: string) => void): LegacyPeer {
  if (p.vrf !== undefined) block('spec.vrf', 'legacy peers always use the default VRF');
  if (p.connectTime !== undefined) block('spec.connectTime', 'legacy peers have no connect timer setting');
  if (p.enableGracefulRestart) block('spec.enableGracefulRestart', 'legacy peers cannot enable graceful restart');
  if (p.passwordSecret !== undefined && p.password === undefined) {
    block('spec.passwordSecret', `the key is in Secret ${p.passwordSecret.namespace}/${p.passwordSecret.name}, which is not in the input; add the Secret to the input files`);
  }
  const out: LegacyPeer = { 'my-asn': p.myASN, 'peer-asn': p.peerASN, 'peer-address': p.peerAddress };
  if (p.peerPort !== 179) out['peer-port'] = p.peerPort;
  if (p.sourceAddress !== undefined) out['source-address'] = p.sourceAddress;
  if (p.holdTime !== 90 || p.keepaliveExplicit) out['hold-time'] = `${p.holdTime}s`;
  if (p.keepaliveExplicit) out['keepalive-time'] = `${p.keepaliveTime}s`;
  if (p.routerID !== undefined) out['router-id'] = p.routerID;
  if (p.nodeSelectors.length > 0) out['node-selectors'] = selectorsToLegacy(p.nodeSelectors);
  if (p.password !== undefined) out.password = p.password;
  if (p.bfdProfile !== undefined) out['bfd-profile'] = p.bfdProfile;
  if (p.ebgpMultiHop) out['ebgp-multihop'] = true;
  return out;
}

/**
 * aliasLookup maps a community value back to its alias when exactly one alias has that value, so the
 * rollback reads like what users wrote (legacy resolves alias names before literals, so this is exact).
 */
function aliasLookup(aliases: Record<string, string>): (value: string) => string {
  const byValue = new Map<string, string[]>();
  for (const [name, value] of Object.entries(aliases)) byValue.set(value, [...(byValue.get(value) ?? []), name]);
  return (value) => {
    const names = byValue.get(value);
    return names && names.length === 1 ? names[0]! : value;
  };
}

function bgpAdToLegacy(ad: BGPAdvertisement, alias: (v: string) => string, block: (construct: string, reason: string) => void): LegacyBGPAdvertisement {
  if (ad.nodeSelectors.length > 0) block('BGPAdvertisement nodeSelectors', 'legacy pools are announced from every node (per-node advertisements)');
  if (ad.peers.length > 0) block('BGPAdvertisement peers', 'legacy advertisements go to every peer');
  if (ad.serviceSelectors.length > 0) block('BGPAdvertisement serviceSelectors', 'legacy advertisements apply to every service');
  for (const c of ad.communities.filter(isLarge)) block(`community ${c}`, 'legacy communities are 16:16-bit only (large communities)');
  const out: LegacyBGPAdvertisement = {};
  if (ad.aggregationLength !== 32) out['aggregation-length'] = ad.aggregationLength;
  if (ad.aggregationLengthV6 !== 128) out['aggregation-length-v6'] = ad.aggregationLengthV6;
  if (ad.localPref !== 0) out.localpref = ad.localPref;
  if (ad.communities.length > 0) out.communities = ad.communities.map(alias);
  return out;
}

function poolToLegacy(pool: Pool, alias: (v: string) => string, block: (construct: string, reason: string) => void): LegacyPool {
  if (pool.serviceAllocation !== undefined) {
    block('spec.serviceAllocation', 'legacy pools have no priority and serve every namespace and service');
  }
  const out: LegacyPool = { name: pool.name };
  const l2 = pool.l2Advertisements;
  const bgp = pool.bgpAdvertisements;
  if (l2.length > 0 && bgp.length > 0) block('advertisements', 'announced over both layer 2 and BGP; a legacy pool has one protocol');
  if (l2.length === 0 && bgp.length === 0) {
    block('advertisements', 'no advertisement selects it (allocated but never announced); a legacy pool is always announced');
  }
  for (const ad of l2) {
    if (ad.nodeSelectors.length > 0) block('L2Advertisement nodeSelectors', 'legacy layer2 pools are announced from every node (per-node advertisements)');
    if (ad.interfaces.length > 0) block('L2Advertisement interfaces', 'legacy layer2 pools answer on every interface');
    if (ad.serviceSelectors.length > 0) block('L2Advertisement serviceSelectors', 'legacy advertisements apply to every service');
  }
  out.protocol = bgp.length > 0 ? 'bgp' : 'layer2';
  out.addresses = [...pool.addresses];
  if (!pool.autoAssign) out['auto-assign'] = false;
  if (pool.avoidBuggyIPs) out['avoid-buggy-ips'] = true;
  const ads = bgp.map((ad) => bgpAdToLegacy(ad, alias, block));
  // One advertisement with every default is what a legacy bgp pool gets when it lists none.
  const onlyDefault = ads.length === 1 && Object.keys(ads[0]!).length === 0;
  if (ads.length > 0 && !onlyDefault) out['bgp-advertisements'] = ads;
  return out;
}

function bfdToLegacy(b: BFDProfile): LegacyBFDProfile {
  const out: LegacyBFDProfile = { name: b.name };
  if (b.receiveInterval !== undefined) out['receive-interval'] = b.receiveInterval;
  if (b.transmitInterval !== undefined) out['transmit-interval'] = b.transmitInterval;
  if (b.detectMultiplier !== undefined) out['detect-multiplier'] = b.detectMultiplier;
  if (b.echoInterval !== undefined) out['echo-interval'] = b.echoInterval;
  if (b.echoMode) out['echo-mode'] = true;
  if (b.passiveMode) out['passive-mode'] = true;
  if (b.minimumTtl !== undefined) out['minimum-ttl'] = b.minimumTtl;
  return out;
}

/** buildLegacy converts a CRD model to a legacy payload, collecting every blocker on the way. */
export function buildLegacy(config: Config): LegacyBuild {
  const blockers: Blocker[] = [];
  const blockerFor = (object: string) => (construct: string, reason: string) => blockers.push({ object, construct, reason });
  const payload: LegacyConfigFile = {};
  if (config.peers.length > 0) payload.peers = config.peers.map((p) => peerToLegacy(p, blockerFor(`BGPPeer ${JSON.stringify(p.name)}`)));
  const aliases = Object.keys(config.communities).sort();
  for (const a of aliases.filter((a) => isLarge(config.communities[a]!))) {
    blockers.push({ object: `community alias ${JSON.stringify(a)}`, construct: config.communities[a]!, reason: 'legacy communities are 16:16-bit only (large communities)' });
  }
  if (aliases.length > 0) payload['bgp-communities'] = Object.fromEntries(aliases.map((a) => [a, config.communities[a]!]));
  if (config.pools.length > 0) {
    const alias = aliasLookup(config.communities);
    payload['address-pools'] = config.pools.map((p) => poolToLegacy(p, alias, blockerFor(`IPAddressPool ${JSON.stringify(p.name)}`)));
  }
  if (config.bfdProfiles.length > 0) payload['bfd-profiles'] = config.bfdProfiles.map(bfdToLegacy);
  return { payload, blockers };
}

/** formatBlockers prints one line per blocker. */
export function formatBlockers(blockers: Blocker[]): string[] {
  return blockers.map((b) => `migrate: ${b.object}: ${b.construct} cannot be expressed in the legacy ConfigMap: ${b.reason}`);
}
