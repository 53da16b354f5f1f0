// Attributes set where a prefix is originated (`network P route-map NAME`) instead of per neighbor.
// FRR commits every prefix-list entry as its own configuration transaction, whose cost grows with
// the configuration (measured: 2,000 entries loaded in 27 s; 10,000 did not load in 10 minutes).
// When every neighbor that gets a prefix gets it with the same LOCAL_PREF and communities, which is
// the usual case, the prefix needs no prefix-list entry at all: a few shared route-maps, named by
// their content, set the attributes once. Pure.
import type { Route } from '../bgp/route.js';

/** OriginAttrs is one shared origination route-map. */
export interface OriginAttrs {
  /** name is derived from the content, so it is stable across renders. */
  name: string;
  localPref: number;
  communities: string[];
}

/** OriginPlan says which prefixes of one router are uniform, and the route-map each one uses. */
export interface OriginPlan {
  /** uniform prefixes carry the same attributes to every neighbor; none of them needs a prefix-list entry for attributes. */
  uniform: Set<string>;
  /** maps prefixes with non-empty uniform attributes to their route-map name. */
  routeMap: Map<string, string>;
}

/** attrKey identifies an attribute set; routes already carry canonical, sorted communities. */
function attrKey(r: Pick<Route, 'localPref' | 'communities'>): string {
  return `${r.localPref}|${r.communities.join(' ')}`;
}

/**
 * planOrigin looks at the routes every neighbor of one router gets and returns the uniform
 * prefixes. `maps` collects the shared route-maps (pass one map for all routers: names are global).
 */
export function planOrigin(tables: readonly (readonly Route[])[], maps: Map<string, OriginAttrs>): OriginPlan {
  const seen = new Map<string, { key: string; route: Route } | null>();
  for (const table of tables) {
    for (const r of table) {
      const was = seen.get(r.prefix);
      const key = attrKey(r);
      if (was === undefined) seen.set(r.prefix, { key, route: r });
      else if (was !== null && was.key !== key) seen.set(r.prefix, null);
    }
  }
  const plan: OriginPlan = { uniform: new Set(), routeMap: new Map() };
  for (const [prefix, v] of seen) {
    if (v === null) continue;
    plan.uniform.add(prefix);
    if (v.route.localPref === 0 && v.route.communities.length === 0) continue;
    plan.routeMap.set(prefix, nameFor(v.route, maps));
  }
  return plan;
}

/** nameFor returns the route-map name for an attribute set, adding it to `maps` on first use. */
function nameFor(r: Route, maps: Map<string, OriginAttrs>): string {
  const key = attrKey(r);
  const base = `lbctl-attrs-${fnv1a(key).toString(16).padStart(8, '0')}`;
  // A hash collision between two different sets would merge them: probe to a free name instead.
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : `${base}-${i}`;
    const had = maps.get(name);
    if (!had) {
      maps.set(name, { name, localPref: r.localPref, communities: [...r.communities] });
      return name;
    }
    if (attrKey(had) === key) return name;
  }
}

/** fnv1a is the 32-bit FNV-1a hash of a string (stable names and sequence numbers). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
