// A Part is what one format contributes to the model before the cross-object checks (pool name
// uniqueness, overlaps, mode validators) run over everything together.
import type { BFDProfile, Peer, Pool } from '../../model/config.js';
import type { PoolPrefixes } from './addresses.js';
import type { Where } from './problems.js';

/** PartPool is a built pool with what later checks need to name its fields. */
export interface PartPool {
  pool: Pool;
  prefixes: PoolPrefixes;
  where: Where;
}

/** PartPeer is a built peer with where it came from. */
export interface PartPeer {
  peer: Peer;
  where: Where;
}

/** Format tells which input format a part came from (mode validators differ slightly). */
export type Format = 'legacy' | 'crd';

/** Part is one format's contribution to the config. */
export interface Part {
  format: Format;
  pools: PartPool[];
  peers: PartPeer[];
  bfdProfiles: { profile: BFDProfile; where: Where }[];
  communities: Record<string, string>;
}

/** emptyPart starts a part of a format. */
export function emptyPart(format: Format): Part {
  return { format, pools: [], peers: [], bfdProfiles: [], communities: {} };
}
