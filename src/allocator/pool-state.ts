// Live state of one pool: its CIDRs as slot spaces, the used slots of each, the addresses currently
// shared under each sharing key, and exact per-family counters. Knows nothing about services.
import type { Family, IP } from '../model/ip.js';
import type { Pool } from '../model/config.js';
import { IntervalSet } from './interval-set.js';
import { addressOf, slotSpace, type SlotSpace } from './slots.js';
import type { PortHold, SharingState } from './sharing.js';

/** Position is an allocatable address located in a pool: which CIDR, which slot. */
export interface Position {
  readonly pool: PoolState;
  readonly cidr: number;
  readonly slot: bigint;
  readonly ip: IP;
}

/** IpUse is one address with at least one user, and how it is shared. */
export interface IpUse extends SharingState {
  readonly text: string;
  readonly pos: Position;
  services: string[];
  ports: PortHold[];
}

/** comparePositions orders addresses the way a pool hands them out: CIDR order, then slot. */
export function comparePositions(a: Position, b: Position): number {
  if (a.cidr !== b.cidr) return a.cidr - b.cidr;
  return a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0;
}

/** PoolState is the allocatable view of one configured pool. */
export class PoolState {
  readonly spaces: SlotSpace[];
  private readonly used: IntervalSet[];
  /** sharers indexes used addresses by sharing key, for the "join a compatible sharer" search. */
  readonly sharers = new Map<string, Set<IpUse>>();
  /** serviceCount is the number of services holding addresses from this pool (kept by the Ledger). */
  serviceCount = 0;
  private readonly inUse = { 4: 0n, 6: 0n };

  constructor(
    readonly pool: Pool,
    /** order is the pool's index in the config (the tie-breaker for pool choice). */
    readonly order: number,
  ) {
    this.spaces = pool.cidrs.map((c) => slotSpace(c, pool.avoidBuggyIPs));
    this.used = this.spaces.map(() => new IntervalSet());
  }

  /** name is the pool's name. */
  get name(): string {
    return this.pool.name;
  }

  /** capacity is the exact number of allocatable addresses of a family. */
  capacity(family: Family): bigint {
    let n = 0n;
    for (const s of this.spaces) if (s.family === family) n += s.size;
    return n;
  }

  /** inUseCount is the number of distinct addresses of a family with at least one user. */
  inUseCount(family: Family): bigint {
    return this.inUse[family];
  }

  /** hasFamily tells whether the pool has any allocatable address of a family. */
  hasFamily(family: Family): boolean {
    return this.spaces.some((s) => s.family === family && s.size > 0n);
  }

  /** firstFree is the lowest unused address of a family: CIDRs in pool order, slots ascending. */
  firstFree(family: Family): Position | undefined {
    for (let i = 0; i < this.spaces.length; i++) {
      const space = this.spaces[i]!;
      if (space.family !== family) continue;
      const slot = this.used[i]!.lowestAbsent(space.size);
      if (slot !== undefined) return { pool: this, cidr: i, slot, ip: addressOf(space, slot) };
    }
    return undefined;
  }

  /** isUsed tells whether a position currently has a user. */
  isUsed(pos: Position): boolean {
    return this.used[pos.cidr]!.has(pos.slot);
  }

  /** occupy marks a position used (first user of the address). */
  occupy(pos: Position): void {
    if (this.used[pos.cidr]!.add(pos.slot)) this.inUse[pos.ip.family] += 1n;
  }

  /** vacate marks a position free (last user left). */
  vacate(pos: Position): void {
    if (this.used[pos.cidr]!.delete(pos.slot)) this.inUse[pos.ip.family] -= 1n;
  }

  /** fragments is the number of used intervals (diagnostics and benchmarks). */
  fragments(): number {
    return this.used.reduce((n, u) => n + u.intervalCount, 0);
  }
}
