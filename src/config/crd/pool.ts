// IPAddressPool and the short-lived v1beta1 AddressPool -> model pools.
import type { BGPAdvertisement, Pool, ServiceAllocation } from '../../model/config.js';
import type { AddressPoolSpecV1beta1, CRDObject, IPAddressPoolSpec } from './types.js';
import { quote, type Problems, type Where } from '../rules/problems.js';
import { checkAggregation, parseAddressEntry, type AddressEntry } from '../rules/addresses.js';
import { dedupeAds, resolveAdCommunities } from '../rules/advertisement.js';
import type { PartPool } from '../rules/part.js';
import { crdSelectors } from './peer.js';

function entries(addresses: string[], where: Where, problems: Problems): AddressEntry[] {
  const out: AddressEntry[] = [];
  if (addresses.length === 0) problems.error('config.pool.addresses', { ...where, field: 'spec.addresses' }, 'pool has no prefixes defined');
  addresses.forEach((text, i) => {
    const e = parseAddressEntry(text, { ...where, field: `spec.addresses[${i}]` }, problems);
    if (e) out.push(e);
  });
  return out;
}

function allocation(spec: IPAddressPoolSpec['serviceAllocation'], where: Where, problems: Problems): ServiceAllocation | undefined {
  if (!spec) return undefined;
  const namespaces = spec.namespaces ?? [];
  const dup = namespaces.findIndex((n, i) => namespaces.indexOf(n) !== i);
  if (dup >= 0) problems.error('config.pool.namespaces', { ...where, field: `spec.serviceAllocation.namespaces[${dup}]` }, `duplicate definition in namespaces field: ${quote(namespaces[dup])}`);
  return {
    priority: spec.priority ?? 0,
    namespaces: [...namespaces],
    // Not normalised: namespaces and namespaceSelectors combine as a union, so `[{}]` (every
    // namespace) must not collapse into "no selector".
    namespaceSelectors: crdSelectors(spec.namespaceSelectors, { ...where, field: 'spec.serviceAllocation.namespaceSelectors' }, problems, false),
    serviceSelectors: crdSelectors(spec.serviceSelectors, { ...where, field: 'spec.serviceAllocation.serviceSelectors' }, problems),
  };
}

function part(pool: Pool, where: Where, list: AddressEntry[]): PartPool {
  return { pool, where, prefixes: { name: pool.name, object: where.object, field: (k) => `spec.addresses[${k}]`, entries: list } };
}

/** poolFromCR validates an IPAddressPool; advertisements are attached later by the ads that select it. */
export function poolFromCR(obj: CRDObject<'IPAddressPool'>, problems: Problems): PartPool | undefined {
  const spec = obj.spec as IPAddressPoolSpec;
  const where: Where = { object: `IPAddressPool ${quote(obj.metadata.name)}` };
  const before = problems.errors.length;
  const list = entries(spec.addresses, where, problems);
  const serviceAllocation = allocation(spec.serviceAllocation, where, problems);
  if (problems.errors.length > before) return undefined;
  return part({ ...basePool(obj, spec, list), ...(serviceAllocation ? { serviceAllocation } : {}) }, where, list);
}

// basePool is the part of a Pool both pool kinds read the same way; advertisements come later.
function basePool(obj: { metadata: { name: string; labels?: Record<string, string> } }, spec: { autoAssign?: boolean; avoidBuggyIPs?: boolean }, list: { text: string; cidrs: Pool['cidrs'] }[]): Pool {
  return {
    name: obj.metadata.name,
    addresses: list.map((e) => e.text),
    cidrs: list.flatMap((e) => e.cidrs),
    autoAssign: spec.autoAssign ?? true,
    avoidBuggyIPs: spec.avoidBuggyIPs ?? false,
    labels: { ...(obj.metadata.labels ?? {}) },
    bgpAdvertisements: [],
    l2Advertisements: [],
  };
}

/** addressPoolFromCR reads the v0.13 AddressPool, whose protocol and BGP ads are inline like the ConfigMap's. */
export function addressPoolFromCR(obj: CRDObject<'AddressPool'>, aliases: Record<string, string>, problems: Problems): PartPool | undefined {
  const spec = obj.spec as AddressPoolSpecV1beta1;
  const where: Where = { object: `AddressPool ${quote(obj.metadata.name)}` };
  const before = problems.errors.length;
  const list = entries(spec.addresses, where, problems);
  const written = spec.bgpAdvertisements ?? [];
  if (spec.protocol === 'layer2' && written.length > 0) {
    problems.error('config.pool.protocol', { ...where, field: 'spec.bgpAdvertisements' }, 'cannot have bgpAdvertisements in a layer2 address pool');
  }
  const bgp: BGPAdvertisement[] = [];
  if (spec.protocol === 'bgp') {
    (written.length > 0 ? written : [{}]).forEach((ad, j) => {
      const field = (name: string): Where => ({ ...where, field: `spec.bgpAdvertisements[${j}].${name}` });
      const model: BGPAdvertisement = {
        aggregationLength: ad.aggregationLength ?? 32,
        aggregationLengthV6: ad.aggregationLengthV6 ?? 128,
        localPref: ad.localPref ?? 0,
        communities: resolveAdCommunities(ad.communities ?? [], aliases, field('communities'), true, problems),
        nodeSelectors: [],
        peers: [],
        serviceSelectors: [],
      };
      checkAggregation(model, { v4: field('aggregationLength'), v6: field('aggregationLengthV6') }, list, problems);
      bgp.push(model);
    });
  }
  if (problems.errors.length > before) return undefined;
  const pool: Pool = {
    ...basePool(obj, spec, list),
    bgpAdvertisements: dedupeAds(bgp),
    l2Advertisements: spec.protocol === 'layer2' ? [{ nodeSelectors: [], interfaces: [], serviceSelectors: [] }] : [],
  };
  return part(pool, where, list);
}
