// BGP communities: RFC 1997 `A:B` (two 16-bit decimals) and RFC 8092 large `large:A:B:C` (three 32-bit
// decimals), canonicalised to their decimal text so aliases and literals compare by value.

/** CommunityParse is a parsed community, or why it is not one. */
export type CommunityParse = { ok: true; canonical: string; large: boolean } | { ok: false; reason: string; wellFormed: boolean };

const decimal = /^[0-9]+$/;

function part(text: string, max: number): number | undefined {
  if (!decimal.test(text)) return undefined;
  const n = Number(text);
  return n <= max ? n : undefined;
}

/**
 * parseCommunity reads `A:B` (each 0-65535) or, when allowLarge, `large:A:B:C` (each 0-4294967295).
 * `wellFormed` tells a value that has the shape of a community but a part out of range (a hard error)
 * from a string that is no community at all (maybe an alias defined later).
 */
export function parseCommunity(text: string, allowLarge: boolean): CommunityParse {
  if (text.startsWith('large:')) {
    const parts = text.slice(6).split(':');
    if (!allowLarge) return { ok: false, reason: 'large communities are only supported in the metallb.io CRDs', wellFormed: true };
    if (parts.length !== 3 || !parts.every((p) => decimal.test(p))) {
      return { ok: false, reason: 'a large community must be large:A:B:C with three decimal numbers', wellFormed: false };
    }
    const nums = parts.map((p) => part(p, 0xffffffff));
    if (nums.some((n) => n === undefined)) return { ok: false, reason: 'each part of a large community must fit in 32 bits', wellFormed: true };
    return { ok: true, canonical: `large:${nums.join(':')}`, large: true };
  }
  const parts = text.split(':');
  if (parts.length !== 2 || !parts.every((p) => decimal.test(p))) {
    return { ok: false, reason: 'a community must be A:B with two decimal numbers', wellFormed: false };
  }
  const nums = parts.map((p) => part(p, 0xffff));
  if (nums[0] === undefined) return { ok: false, reason: 'the first part of a community must fit in 16 bits', wellFormed: true };
  if (nums[1] === undefined) return { ok: false, reason: 'the second part of a community must fit in 16 bits', wellFormed: true };
  return { ok: true, canonical: `${nums[0]}:${nums[1]}`, large: false };
}

/** compareCommunities sorts canonical communities: standard before large, then numerically. */
export function compareCommunities(a: string, b: string): number {
  const key = (s: string): number[] => {
    const large = s.startsWith('large:');
    return [large ? 1 : 0, ...(large ? s.slice(6) : s).split(':').map(Number)];
  };
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
