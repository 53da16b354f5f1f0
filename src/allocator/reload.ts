// Config reload planning: build the next Ledger and re-home every allocation into it. An allocation
// is re-homed when all its addresses are allocatable in ONE pool of the new config (the pool's name
// may change: rename, split, swap); otherwise it is a conflict. The caller decides whether conflicts
// refuse the config (legacy behaviour) or drop those allocations (MetalLB 0.14+).
import type { Config } from '../model/config.js';
import { parseIP } from '../model/ip.js';
import { Ledger } from './ledger.js';
import type { Position } from './pool-state.js';
import type { ReloadConflict } from './types.js';

/** ReloadPlan is the next ledger with every fitting allocation re-homed, and what did not fit. */
export interface ReloadPlan {
  next: Ledger;
  conflicts: ReloadConflict[];
  moved: { service: string; from: string; to: string }[];
}

/** planReload re-homes the allocations of `current` into a ledger for `config`. */
export function planReload(current: Ledger, config: Config): ReloadPlan {
  const next = new Ledger(config);
  const conflicts: ReloadConflict[] = [];
  const moved: ReloadPlan['moved'] = [];
  for (const alloc of current.allocs.values()) {
    const placed = place(next, alloc.ips);
    if ('reason' in placed) {
      conflicts.push({ service: alloc.key, ips: [...alloc.ips], reason: placed.reason, message: `allocator: new config not compatible with assigned IPs: service "${alloc.key}" cannot own ${alloc.ips.map((i) => `"${i}"`).join(', ')} (${placed.detail})` });
      continue;
    }
    const to = placed.positions[0]!.pool.name;
    if (to !== alloc.pool) moved.push({ service: alloc.key, from: alloc.pool, to });
    next.record({ ...alloc, pool: to }, placed.positions);
  }
  return { next, conflicts, moved };
}

type Placement = { positions: Position[] } | { reason: ReloadConflict['reason']; detail: string };

function place(next: Ledger, ips: readonly string[]): Placement {
  const positions: Position[] = [];
  for (const text of ips) {
    const where = next.index.locate(parseIP(text)!);
    if (where === undefined) return { reason: 'notInPool', detail: `no pool holds ${text}` };
    if ('excludedBy' in where) return { reason: 'notInPool', detail: `pool "${where.excludedBy.name}" avoids buggy IP ${text}` };
    positions.push(where.pos);
  }
  if (positions.some((p) => p.pool !== positions[0]!.pool)) return { reason: 'ipsInDifferentPools', detail: 'its addresses are now in different pools' };
  return { positions };
}
