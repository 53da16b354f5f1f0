// Opt-in balanced placement of layer-2 IPs: consistent hashing with bounded loads (Mirrokni,
// Thorup, Zadimoghaddam 2018). Each node has virtual points on a hash ring; IPs are taken in a fixed
// (hashed) order and each walks clockwise from its own hash to the first candidate node still under
// the cap ceil(IPs/nodes)+1. The ring keeps movement small when nodes come and go; the cap bounds
// the spread that plain hashing leaves. Pure and deterministic: every node computes the same result.
import { createHash } from 'node:crypto';

/** BalancedItem is one IP and the nodes allowed to own it. */
export interface BalancedItem {
  ip: string;
  candidates: readonly string[];
}

/** PlacementReason says how an IP got its owner: `ring` under the cap, `overflow` when every candidate was full. */
export type PlacementReason = 'ring' | 'overflow' | 'noCandidate';

/** BalancedPlacement maps IPs to owners, with the cap used and per-node counts. */
export interface BalancedPlacement {
  owners: Map<string, string | undefined>;
  reasons: Map<string, PlacementReason>;
  counts: Record<string, number>;
  cap: number;
}

/** VIRTUAL_POINTS per node: enough that ring arcs are even, few enough to stay cheap. */
export const VIRTUAL_POINTS = 64;

function point(text: string): bigint {
  return createHash('sha256').update(text, 'utf8').digest().readBigUInt64BE(0);
}

interface RingPoint {
  at: bigint;
  node: string;
}

/** buildRing places VIRTUAL_POINTS hashed points per node, sorted around the ring. */
export function buildRing(nodes: readonly string[], points = VIRTUAL_POINTS): RingPoint[] {
  const ring: RingPoint[] = [];
  for (const node of nodes) for (let i = 0; i < points; i++) ring.push({ at: point(`${node}#vnode#${i}`), node });
  ring.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.node < b.node ? -1 : 1));
  return ring;
}

function firstAtOrAfter(ring: RingPoint[], at: bigint): number {
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ring[mid]!.at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo % ring.length;
}

/** placeBalanced assigns every item; items with no candidate get no owner (reason noCandidate). */
export function placeBalanced(items: readonly BalancedItem[]): BalancedPlacement {
  const nodes = [...new Set(items.flatMap((i) => i.candidates))].sort();
  const placeable = items.filter((i) => i.candidates.length > 0).length;
  const cap = nodes.length ? Math.ceil(placeable / nodes.length) + 1 : 0;
  const ring = buildRing(nodes);
  const load = new Map(nodes.map((n) => [n, 0]));
  const owners = new Map<string, string | undefined>();
  const reasons = new Map<string, PlacementReason>();
  // A fixed order (by the IP's hash) makes the result independent of input order.
  const ordered = items.map((i) => ({ i, h: point(i.ip) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.i.ip < b.i.ip ? -1 : 1));
  for (const { i, h } of ordered) {
    const allowed = new Set(i.candidates);
    if (allowed.size === 0) {
      owners.set(i.ip, undefined);
      reasons.set(i.ip, 'noCandidate');
      continue;
    }
    let owner = walk(ring, h, allowed, load, cap);
    reasons.set(i.ip, owner ? 'ring' : 'overflow');
    owner ??= leastLoaded([...allowed], load);
    load.set(owner, (load.get(owner) ?? 0) + 1);
    owners.set(i.ip, owner);
  }
  const counts: Record<string, number> = {};
  for (const [n, c] of load) if (c > 0) counts[n] = c;
  return { owners, reasons, counts, cap };
}

function walk(ring: RingPoint[], h: bigint, allowed: Set<string>, load: Map<string, number>, cap: number): string | undefined {
  const start = firstAtOrAfter(ring, h);
  for (let k = 0; k < ring.length; k++) {
    const p = ring[(start + k) % ring.length]!;
    if (allowed.has(p.node) && (load.get(p.node) ?? 0) < cap) return p.node;
  }
  return undefined;
}

function leastLoaded(nodes: string[], load: Map<string, number>): string {
  return nodes.sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || (a < b ? -1 : 1))[0]!;
}
