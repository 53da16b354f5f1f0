// BGP communities as the advertisement logic and the backends see them: canonical strings
// `A:B` (RFC 1997, two 16-bit halves) and `large:A:B:C` (RFC 8092, three 32-bit parts).
// The model already canonicalises them; this file only orders and merges them.

/** CommunityKind tells a standard (RFC 1997) community from a large (RFC 8092) one. */
export type CommunityKind = 'standard' | 'large';

/** ParsedCommunity is a community split into numbers for ordering and rendering. */
export interface ParsedCommunity {
  kind: CommunityKind;
  /** parts: [high, low] for standard, [global, local1, local2] for large. */
  parts: number[];
}

/** parseCommunity splits a canonical community string, or returns undefined when it is not one. */
export function parseCommunity(text: string): ParsedCommunity | undefined {
  const large = text.startsWith('large:');
  const body = large ? text.slice('large:'.length) : text;
  const parts = body.split(':');
  if (parts.length !== (large ? 3 : 2) || !parts.every((p) => /^[0-9]{1,10}$/.test(p))) return undefined;
  const nums = parts.map(Number);
  const max = large ? 0xffffffff : 0xffff;
  if (nums.some((n) => n > max)) return undefined;
  return { kind: large ? 'large' : 'standard', parts: nums };
}

/**
 * communityKey orders communities the way MetalLB main does: a standard community compares as the
 * triple (its 32-bit value, 0, 0) against large ones, so `1:1` (65537) sorts after `large:2:0:0`.
 */
function communityKey(text: string): [number, number, number] {
  const c = parseCommunity(text);
  if (!c) return [Number.MAX_SAFE_INTEGER, 0, 0];
  if (c.kind === 'standard') return [c.parts[0]! * 65536 + c.parts[1]!, 0, 0];
  return [c.parts[0]!, c.parts[1]!, c.parts[2]!];
}

/** compareCommunities is a total order on canonical communities (ties broken by text). */
export function compareCommunities(a: string, b: string): number {
  const ka = communityKey(a);
  const kb = communityKey(b);
  for (let i = 0; i < 3; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** mergeCommunities returns the sorted union of community lists without duplicates. */
export function mergeCommunities(...lists: readonly (readonly string[])[]): string[] {
  const all = new Set<string>();
  for (const l of lists) for (const c of l) all.add(c);
  return [...all].sort(compareCommunities);
}
