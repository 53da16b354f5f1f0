// Adj-RIB-Out bookkeeping: what we told one peer, and the diff to the desired table. Pure.
import type { Route } from './route.js';
import type { LargeCommunity, RouteAttrs } from '../../wire/bgp/index.js';
import { parseCommunity } from './community.js';

/** OutRoute is a desired route turned into wire attributes for one session. */
export interface OutRoute {
  prefix: string;
  attrs: RouteAttrs;
  /** key identifies the attribute set: a route is re-sent only when its key changes. */
  key: string;
}

/** RibDiff is what to send: prefixes to withdraw and routes to (re)announce. */
export interface RibDiff {
  withdraw: string[];
  announce: OutRoute[];
}

/**
 * toOutRoute maps a Route to wire attributes for a session. LOCAL_PREF goes to iBGP peers only
 * (RFC 4271 §5.1.5), where it is mandatory: an unset (0) value is sent as the customary 100.
 */
export function toOutRoute(r: Route, ibgp: boolean): { route?: OutRoute; bad: string[] } {
  const communities: number[] = [];
  const largeCommunities: LargeCommunity[] = [];
  const bad: string[] = [];
  for (const c of r.communities) {
    const v = parseCommunity(c);
    if (v?.kind === 'standard') communities.push(v.parts[0]! * 65536 + v.parts[1]!);
    else if (v?.kind === 'large') largeCommunities.push(v.parts as LargeCommunity);
    else bad.push(c);
  }
  communities.sort((a, b) => a - b);
  const localPref = ibgp ? (r.localPref > 0 ? r.localPref : 100) : undefined;
  const attrs: RouteAttrs = { localPref, communities, largeCommunities };
  const key = `${localPref ?? ''}|${communities.join(',')}|${largeCommunities.map((l) => l.join(':')).join(',')}`;
  return { route: { prefix: r.prefix, attrs, key }, bad };
}

/** diffRib compares what was sent (prefix -> key) with the desired routes. */
export function diffRib(sent: ReadonlyMap<string, string>, desired: ReadonlyMap<string, OutRoute>): RibDiff {
  const withdraw = [...sent.keys()].filter((p) => !desired.has(p));
  const announce = [...desired.values()].filter((r) => sent.get(r.prefix) !== r.key);
  return { withdraw, announce };
}
