// L2Advertisement and BGPAdvertisement -> advertisements attached to the pools they select, with the
// per-pool checks (aggregation vs each pool's prefixes, LOCAL_PREF consistency).
import type { BGPAdvertisement, L2Advertisement } from '../../model/config.js';
import { matchesSelector, type LabelSelector } from '../../model/selector.js';
import type { BGPAdvertisementSpec, CRDObject, L2AdvertisementSpec } from './types.js';
import { quote, type Problems, type Where } from '../rules/problems.js';
import { checkAggregation, checkAggregationLimits } from '../rules/addresses.js';
import { dedupeAds, resolveAdCommunities, stableKey } from '../rules/advertisement.js';
import { selectorListsMayMeet } from '../rules/selector.js';
import type { PartPool } from '../rules/part.js';
import { crdSelectors } from './peer.js';

/** selectPools returns the pools an ad applies to: both fields empty = all, else named ∪ selected. */
function selectPools(spec: { ipAddressPools?: string[] }, selectors: LabelSelector[], pools: PartPool[], where: Where, problems: Problems): PartPool[] {
  const names = spec.ipAddressPools ?? [];
  const dup = names.findIndex((n, i) => names.indexOf(n) !== i);
  if (dup >= 0) problems.error('config.ad.pools', { ...where, field: `spec.ipAddressPools[${dup}]` }, `duplicate definition of ipAddressPools: ${quote(names[dup])}`);
  if (names.length === 0 && selectors.length === 0) return pools;
  return pools.filter((p) => names.includes(p.pool.name) || selectors.some((s) => matchesSelector(s, p.pool.labels)));
}

/** attachL2 adds each L2Advertisement to the pools it selects (identical ads on a pool count once). */
export function attachL2(ads: CRDObject<'L2Advertisement'>[], pools: PartPool[], problems: Problems): void {
  for (const obj of ads) {
    const spec = obj.spec as L2AdvertisementSpec;
    const where: Where = { object: `L2Advertisement ${quote(obj.metadata.name)}` };
    const before = problems.errors.length;
    const poolSel = crdSelectors(spec.ipAddressPoolSelectors, { ...where, field: 'spec.ipAddressPoolSelectors' }, problems, false);
    const ad: L2Advertisement = {
      nodeSelectors: crdSelectors(spec.nodeSelectors, { ...where, field: 'spec.nodeSelectors' }, problems),
      interfaces: [...new Set(spec.interfaces ?? [])].sort(),
      serviceSelectors: crdSelectors(spec.serviceSelectors, { ...where, field: 'spec.serviceSelectors' }, problems),
    };
    const targets = selectPools(spec, poolSel, pools, where, problems);
    if (problems.errors.length > before) continue;
    for (const p of targets) p.pool.l2Advertisements = dedupeAds([...p.pool.l2Advertisements, ad]);
  }
}

/** AdSource remembers which object produced an attached BGP ad, for LOCAL_PREF messages. */
type AdSource = Map<BGPAdvertisement, Where>;

function bgpAdFromCR(obj: CRDObject<'BGPAdvertisement'>, aliases: Record<string, string>, where: Where, problems: Problems): BGPAdvertisement {
  const spec = obj.spec as BGPAdvertisementSpec;
  const peers = spec.peers ?? [];
  const dup = peers.findIndex((n, i) => peers.indexOf(n) !== i);
  if (dup >= 0) problems.error('config.ad.peers', { ...where, field: `spec.peers[${dup}]` }, `duplicate definition of peers: ${quote(peers[dup])}`);
  const ad: BGPAdvertisement = {
    aggregationLength: spec.aggregationLength ?? 32,
    aggregationLengthV6: spec.aggregationLengthV6 ?? 128,
    localPref: spec.localPref ?? 0,
    communities: resolveAdCommunities(spec.communities ?? [], aliases, { ...where, field: 'spec.communities' }, true, problems),
    nodeSelectors: crdSelectors(spec.nodeSelectors, { ...where, field: 'spec.nodeSelectors' }, problems),
    peers: [...new Set(peers)].sort(),
    serviceSelectors: crdSelectors(spec.serviceSelectors, { ...where, field: 'spec.serviceSelectors' }, problems),
  };
  if (ad.serviceSelectors.length > 0 && (ad.aggregationLength !== 32 || ad.aggregationLengthV6 !== 128)) {
    problems.error('config.bgpadv.selectors', { ...where, field: 'spec.serviceSelectors' }, 'serviceSelectors and aggregationLength are mutually exclusive');
  }
  return ad;
}

/** attachBGP adds each BGPAdvertisement to its pools, checking aggregation against each pool. */
export function attachBGP(ads: CRDObject<'BGPAdvertisement'>[], pools: PartPool[], aliases: Record<string, string>, problems: Problems): AdSource {
  const sources: AdSource = new Map();
  // Keys of the ads already on each pool, so identical ads attach once without re-serialising.
  const keys = new Map<PartPool, Set<string>>();
  for (const obj of ads) {
    const spec = obj.spec as BGPAdvertisementSpec;
    const where: Where = { object: `BGPAdvertisement ${quote(obj.metadata.name)}` };
    const before = problems.errors.length;
    const ad = bgpAdFromCR(obj, aliases, where, problems);
    const poolSel = crdSelectors(spec.ipAddressPoolSelectors, { ...where, field: 'spec.ipAddressPoolSelectors' }, problems, false);
    const targets = selectPools(spec, poolSel, pools, where, problems);
    const fields = { v4: { ...where, field: 'spec.aggregationLength' }, v6: { ...where, field: 'spec.aggregationLengthV6' } };
    checkAggregationLimits(ad, fields, problems);
    for (const p of targets) checkAggregation(ad, fields, p.prefixes.entries, problems, p.pool.name);
    if (problems.errors.length > before) continue;
    const key = stableKey(ad);
    for (const p of targets) {
      const onPool = keys.get(p) ?? new Set<string>();
      keys.set(p, onPool);
      if (onPool.has(key)) continue;
      onPool.add(key);
      const copy = structuredClone(ad);
      sources.set(copy, where);
      p.pool.bgpAdvertisements.push(copy);
    }
  }
  return sources;
}

function compatible(a: BGPAdvertisement, b: BGPAdvertisement, p: PartPool, nodes?: Record<string, string>[]): boolean {
  if (a.localPref === b.localPref || a.serviceSelectors.length > 0 || b.serviceSelectors.length > 0) return true;
  const fams = new Set(p.pool.cidrs.map((c) => c.ip.family));
  const aggApart = [...fams].every((f) => (f === 4 ? a.aggregationLength !== b.aggregationLength : a.aggregationLengthV6 !== b.aggregationLengthV6));
  if (fams.size > 0 && aggApart) return true;
  if (a.peers.length > 0 && b.peers.length > 0 && !a.peers.some((x) => b.peers.includes(x))) return true;
  return !selectorListsMayMeet(a.nodeSelectors, b.nodeSelectors, nodes);
}

/**
 * checkLocalPref refuses two ads on one pool that would announce the same prefix to the same peer from
 * the same node with different LOCAL_PREF (MetalLB's BGPAdvertisementsHaveCompatibleLocalPref).
 */
export function checkLocalPref(pools: PartPool[], sources: AdSource, nodes: Record<string, string>[] | undefined, problems: Problems): void {
  for (const p of pools) {
    const ads = p.pool.bgpAdvertisements;
    ads.forEach((b, j) => {
      const a = ads.slice(0, j).find((x) => !compatible(x, b, p, nodes));
      if (!a) return;
      const where = sources.get(b) ?? p.where;
      const other = sources.get(a)?.object ?? 'another advertisement';
      problems.error('config.bgpadv.localpref', { ...where, field: 'spec.localPref' }, `invalid local preference ${b.localPref}: ${other} announces pool ${quote(p.pool.name)} with local preference ${a.localPref} to the same peers and nodes`);
    });
  }
}
