// Which pool holds an address: per family, every pool CIDR sorted by start, found by binary search,
// so re-learning or requesting an IP costs O(log #CIDRs) however many pools the config has.
import type { Family, IP } from '../model/ip.js';
import { cidrLast } from '../model/ip.js';
import { slotOf } from './slots.js';
import type { PoolState, Position } from './pool-state.js';

interface Entry {
  start: bigint;
  end: bigint;
  pool: PoolState;
  cidr: number;
}

/** Located is where an address falls: a position, or a pool that excludes it (avoid-buggy-ips). */
export type Located = { pos: Position } | { excludedBy: PoolState } | undefined;

/** CidrIndex finds the pool CIDR containing an address. */
export class CidrIndex {
  private readonly byFamily: Record<Family, Entry[]> = { 4: [], 6: [] };

  constructor(pools: readonly PoolState[]) {
    for (const pool of pools) {
      pool.spaces.forEach((s, cidr) => {
        this.byFamily[s.family].push({ start: s.cidr.ip.value, end: cidrLast(s.cidr).value, pool, cidr });
      });
    }
    for (const list of Object.values(this.byFamily)) list.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  }

  /** locate returns the position of an address, the pool excluding it, or undefined when no pool has it. */
  locate(ip: IP): Located {
    const list = this.byFamily[ip.family];
    let lo = 0;
    let hi = list.length - 1;
    let found: Entry | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = list[mid]!;
      if (e.start <= ip.value) {
        found = e;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found === undefined || found.end < ip.value) return undefined;
    const slot = slotOf(found.pool.spaces[found.cidr]!, ip);
    if (slot === undefined) return { excludedBy: found.pool };
    return { pos: { pool: found.pool, cidr: found.cidr, slot, ip } };
  }
}
