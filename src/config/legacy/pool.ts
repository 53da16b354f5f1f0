// One legacy `address-pools` entry -> model pool. The protocol becomes advertisements: layer2 gets one
// L2 advertisement for every node and interface, bgp gets its bgp-advertisements (or MetalLB's default).
import type { BGPAdvertisement, Pool } from '../../model/config.js';
import type { LegacyBGPAdvertisement, LegacyPool } from './types.js';
import { quote, type Problems, type Where } from '../rules/problems.js';
import { checkAggregation, parseAddressEntry, type AddressEntry } from '../rules/addresses.js';
import { resolveAdCommunities, dedupeAds, stableKey } from '../rules/advertisement.js';
import type { PartPool } from '../rules/part.js';

/** buildLegacyPool validates one pool entry (index i) and returns it with its address entries. */
export function buildLegacyPool(raw: LegacyPool, i: number, aliases: Record<string, string>, problems: Problems): PartPool | undefined {
  const where: Where = { object: raw.name ? `address pool ${quote(raw.name)}` : `address pool #${i + 1}` };
  const f = (field: string): Where => ({ ...where, field });
  const before = problems.errors.length;
  if (!raw.name) problems.error('config.pool.name', f('name'), 'missing pool name');
  const written = [...(raw.cidr ?? []).map((text, j) => ({ text, field: `cidr[${j}]` })), ...(raw.addresses ?? []).map((text, j) => ({ text, field: `addresses[${j}]` }))];
  if (raw.cidr !== undefined) problems.warn('config.deprecated.cidr', f('cidr'), 'the "cidr" key is deprecated since MetalLB v0.5: write "addresses"');
  if (raw['arp-network'] !== undefined) problems.warn('config.deprecated.arp-network', f('arp-network'), 'the "arp-network" key is deprecated since MetalLB v0.5 and ignored');
  if (written.length === 0) problems.error('config.pool.addresses', f('addresses'), 'pool has no prefixes defined');
  const entries: AddressEntry[] = [];
  const fields: string[] = [];
  for (const w of written) {
    const e = parseAddressEntry(w.text, f(w.field), problems);
    if (e) {
      entries.push(e);
      fields.push(w.field);
    }
  }
  const ads = protocolAds(raw, where, entries, aliases, problems);
  if (problems.errors.length > before || !ads) return undefined;
  const pool: Pool = {
    name: raw.name!,
    addresses: entries.map((e) => e.text),
    cidrs: entries.flatMap((e) => e.cidrs),
    autoAssign: raw['auto-assign'] ?? true,
    avoidBuggyIPs: raw['avoid-buggy-ips'] ?? false,
    labels: {},
    bgpAdvertisements: ads.bgp,
    l2Advertisements: ads.l2,
  };
  return { pool, where, prefixes: { name: pool.name, object: where.object, field: (k) => fields[k]!, entries } };
}

type Ads = { bgp: BGPAdvertisement[]; l2: Pool['l2Advertisements'] };

function protocolAds(raw: LegacyPool, where: Where, entries: AddressEntry[], aliases: Record<string, string>, problems: Problems): Ads | undefined {
  const f = (field: string): Where => ({ ...where, field });
  if (raw.advertisements !== undefined) problems.warn('config.deprecated.advertisements', f('advertisements'), 'the "advertisements" key is deprecated since MetalLB v0.3: write "bgp-advertisements"');
  const written = [...(raw['bgp-advertisements'] ?? []), ...(raw.advertisements ?? [])];
  // arp and ndp are the v0.3-v0.5 names of layer2; MetalLB v0.5 rewrote them the same way.
  const renamed = raw.protocol === 'arp' || raw.protocol === 'ndp';
  if (renamed) problems.warn('config.deprecated.protocol', f('protocol'), `protocol ${quote(raw.protocol)} is deprecated since MetalLB v0.5: write "layer2"`);
  switch (renamed ? 'layer2' : raw.protocol) {
    case 'layer2':
      if (written.length > 0) {
        problems.error('config.pool.protocol', f('bgp-advertisements'), 'cannot have bgp-advertisements configuration element in a layer2 address pool');
        return undefined;
      }
      return { bgp: [], l2: [{ nodeSelectors: [], interfaces: [], serviceSelectors: [] }] };
    case 'bgp':
      return bgpAds(written, where, entries, aliases, problems);
    case undefined:
    case '':
      problems.error('config.pool.protocol', f('protocol'), 'address pool is missing the protocol field');
      return undefined;
    default:
      problems.error('config.pool.protocol', f('protocol'), `unknown protocol ${quote(raw.protocol)} (expected layer2 or bgp)`);
      return undefined;
  }
}

function bgpAds(written: LegacyBGPAdvertisement[], where: Where, entries: AddressEntry[], aliases: Record<string, string>, problems: Problems): Ads | undefined {
  const before = problems.errors.length;
  // MetalLB compared the ads as written: `aggregation-length: 32` and an omitted one are different.
  const seen = new Map<string, number>();
  written.forEach((ad, j) => {
    const k = stableKey(ad);
    const first = seen.get(k);
    if (first !== undefined) problems.error('config.bgpadv.duplicate', { ...where, field: `bgp-advertisements[${j}]` }, `duplicate definition of bgpadvertisements. advertisement ${first} and ${j} are equal`);
    else seen.set(k, j);
  });
  const list = written.length > 0 ? written : [{}];
  const ads: BGPAdvertisement[] = [];
  list.forEach((ad, j) => {
    const field = (name: string): Where => ({ ...where, field: `bgp-advertisements[${j}].${name}` });
    const model: BGPAdvertisement = {
      aggregationLength: ad['aggregation-length'] ?? 32,
      aggregationLengthV6: ad['aggregation-length-v6'] ?? 128,
      localPref: ad.localpref ?? 0,
      communities: resolveAdCommunities(ad.communities ?? [], aliases, field('communities'), false, problems),
      nodeSelectors: [],
      peers: [],
      serviceSelectors: [],
    };
    checkAggregation(model, { v4: field('aggregation-length'), v6: field('aggregation-length-v6') }, entries, problems);
    ads.push(model);
  });
  return problems.errors.length > before ? undefined : { bgp: dedupeAds(ads), l2: [] };
}
