// Advertisement rules shared by both formats: community resolution and de-duplication of ads that
// end up identical on one pool.
import type { BGPAdvertisement, L2Advertisement } from '../../model/config.js';
import { compareCommunities, parseCommunity } from './community.js';
import { quote, type Problems, type Where } from './problems.js';
import { hasOwn, stableKey } from './util.js';

export { stableKey } from './util.js';

/**
 * resolveAdCommunities turns an ad's community list into sorted canonical values: an alias is looked
 * up first, then the text is read as a literal. The same string twice is an error; an alias and a
 * literal with the same value collapse into one (as in MetalLB). A string that is neither an alias
 * nor community-shaped is a transient error in the CRD format (the Community may arrive later).
 */
export function resolveAdCommunities(list: string[], aliases: Record<string, string>, where: Where, allowLarge: boolean, problems: Problems): string[] {
  const out = new Set<string>();
  const written = new Set<string>();
  list.forEach((text, i) => {
    const w: Where = { ...where, field: `${where.field ?? 'communities'}[${i}]` };
    if (written.has(text)) return problems.error('config.community.duplicate', w, `duplicate definition of community ${quote(text)}`);
    written.add(text);
    if (hasOwn(aliases, text)) return void out.add(aliases[text]!);
    const c = parseCommunity(text, allowLarge);
    if (c.ok) return void out.add(c.canonical);
    // A word without a colon is most likely an alias nobody defined. Only a CRD Community can still
    // arrive later (transient); a ConfigMap is read whole, so there it is final.
    const unknownAlias = !c.wellFormed && !text.includes(':');
    const why = unknownAlias ? `it is neither a defined ${allowLarge ? 'Community alias' : 'bgp-communities alias'} nor a community value` : c.reason;
    problems.error(unknownAlias ? 'config.community.alias' : 'config.community', w, `invalid community ${quote(text)}: ${why}`, unknownAlias && allowLarge);
  });
  return [...out].sort(compareCommunities);
}

/** dedupeAds drops advertisements identical to an earlier one on the same pool (first kept). */
export function dedupeAds<T extends BGPAdvertisement | L2Advertisement>(ads: T[]): T[] {
  const seen = new Set<string>();
  return ads.filter((a) => {
    const k = stableKey(a);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
