// The last step of every parse: merge the parts of each format, run the checks that span every object
// (unique names, overlapping prefixes, backend mode), and produce the Config.
import type { Config } from '../model/config.js';
import type { NodeView } from '../model/cluster.js';
import { checkOverlaps } from './rules/addresses.js';
import { quote, type Problems } from './rules/problems.js';
import { validateMode, type Mode } from './rules/modes.js';
import { hasOwn, setOwn } from './rules/util.js';
import type { Part } from './rules/part.js';

function uniqueNames(parts: Part[], problems: Problems): void {
  const pools = new Map<string, string>();
  const peers = new Map<string, string>();
  const bfds = new Map<string, string>();
  for (const part of parts) {
    for (const p of part.pools) {
      const first = pools.get(p.pool.name);
      const also = first === p.where.object ? '' : ` (already defined by ${first})`;
      if (first !== undefined) problems.error('config.pool.duplicate', { ...p.where, field: part.format === 'crd' ? 'metadata.name' : 'name' }, `duplicate definition of pool ${quote(p.pool.name)}${also}`);
      else pools.set(p.pool.name, p.where.object);
    }
    for (const p of part.peers) {
      const first = peers.get(p.peer.name);
      if (first !== undefined && first !== p.where.object) problems.error('config.peer.name', p.where, `peer name ${quote(p.peer.name)} is already used by ${first}`);
      else peers.set(p.peer.name, p.where.object);
    }
    for (const b of part.bfdProfiles) {
      const first = bfds.get(b.profile.name);
      if (first !== undefined) problems.error('config.bfd.duplicate', b.where, `found duplicate bfd profile name ${quote(b.profile.name)}`);
      else bfds.set(b.profile.name, b.where.object);
    }
  }
}

function mergeCommunities(parts: Part[], problems: Problems): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part.communities)) {
      if (hasOwn(out, k) && out[k] !== v) problems.error('config.community.duplicate', { object: 'communities', field: k }, `duplicate definition of community ${quote(k)}`);
      else setOwn(out, k, v);
    }
  }
  return out;
}

/**
 * assemble checks what spans objects and formats and returns the Config. Pools keep part order
 * (legacy first, then CRDs), each part already in its own order.
 */
export function assemble(parts: Part[], mode: Mode, nodes: NodeView[] | undefined, problems: Problems): Config {
  uniqueNames(parts, problems);
  const pools = parts.flatMap((p) => p.pools);
  // Same-named duplicates were reported above; the overlap check still looks at every prefix.
  checkOverlaps(pools.map((p) => p.prefixes), problems);
  for (const part of parts) validateMode(mode, part, nodes, problems);
  for (const p of pools) {
    if (p.pool.bgpAdvertisements.length === 0 && p.pool.l2Advertisements.length === 0) {
      problems.warn('config.pool.unannounced', p.where, 'no L2Advertisement or BGPAdvertisement selects this pool: its addresses are assigned but never announced');
    }
  }
  return {
    pools: pools.map((p) => p.pool),
    peers: parts.flatMap((p) => p.peers.map((x) => x.peer)),
    bfdProfiles: parts.flatMap((p) => p.bfdProfiles.map((x) => x.profile)),
    communities: mergeCommunities(parts, problems),
  };
}
