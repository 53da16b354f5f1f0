// The allocator's book-keeping for one config: pools, the address index, which service holds which
// addresses and ports. `record` and `forget` are the only writers, so counters and sharing indexes
// cannot drift apart. Decisions (may this service have that address?) live in allocator.ts.
import type { Config } from '../model/config.js';
import { formatIP } from '../model/ip.js';
import { CidrIndex } from './lookup.js';
import { PoolState, type IpUse, type Position } from './pool-state.js';
import { autoOrder } from './select.js';
import { portKey, type PortHold } from './sharing.js';
import type { Allocation } from './types.js';

/** Ledger is the mutable state behind an Allocator for one active config. */
export class Ledger {
  readonly pools: PoolState[];
  readonly byName = new Map<string, PoolState>();
  readonly index: CidrIndex;
  /** autoPools are the auto-assign pools in automatic-allocation order. */
  readonly autoPools: PoolState[];
  /** uses maps canonical address text to its users. */
  readonly uses = new Map<string, IpUse>();
  /** allocs maps service key to its allocation, in the order services were first recorded. */
  readonly allocs = new Map<string, Allocation>();

  constructor(readonly config: Config) {
    this.pools = config.pools.map((p, i) => new PoolState(p, i));
    for (const p of this.pools) this.byName.set(p.name, p);
    this.index = new CidrIndex(this.pools);
    this.autoPools = autoOrder(this.pools);
  }

  /** useAt returns the users of an address, if any. */
  useAt(text: string): IpUse | undefined {
    return this.uses.get(text);
  }

  /**
   * record gives `alloc` (a fresh object, kept as is) the addresses at `positions`; the caller has
   * checked sharing and has forgotten the service's previous allocation, so a sole user changing its
   * keys simply re-creates the address record with the new keys.
   */
  record(alloc: Allocation, positions: readonly Position[]): void {
    alloc.ips = positions.map((pos) => this.join(alloc, pos));
    if (positions[0] !== undefined) positions[0].pool.serviceCount += 1;
    this.allocs.set(alloc.key, alloc);
  }

  /** join adds one service to one address (creating the record for its first user). */
  private join(alloc: Allocation, pos: Position): string {
    const text = formatIP(pos.ip);
    const use = this.uses.get(text);
    if (use === undefined) {
      // Arrays built at their final size: most addresses have one user, and V8 over-allocates on push.
      const ports = alloc.ports.map((p): PortHold => [portKey(p), alloc.key]);
      const created: IpUse = { text, pos, services: [alloc.key], ports, sharingKey: alloc.sharingKey, trafficPolicy: alloc.trafficPolicy, selector: alloc.selector };
      this.uses.set(text, created);
      pos.pool.occupy(pos);
      this.indexSharer(created);
      return text;
    }
    if (!use.services.includes(alloc.key)) use.services.push(alloc.key);
    for (const p of alloc.ports) {
      const port = portKey(p);
      // The caller checked that no other service holds it, so an existing hold is our own.
      if (!use.ports.some(([held]) => held === port)) use.ports.push([port, alloc.key]);
    }
    return text;
  }

  /** forget drops a service's allocation and frees addresses nobody else uses. */
  forget(key: string): Allocation | undefined {
    const alloc = this.allocs.get(key);
    if (alloc === undefined) return undefined;
    this.allocs.delete(key);
    const pool = this.byName.get(alloc.pool);
    if (pool !== undefined) pool.serviceCount -= 1;
    for (const text of alloc.ips) {
      const use = this.uses.get(text);
      if (use === undefined) continue;
      use.services = use.services.filter((s) => s !== key);
      use.ports = use.ports.filter(([, holder]) => holder !== key);
      if (use.services.length === 0) {
        this.unindex(use);
        this.uses.delete(text);
        use.pos.pool.vacate(use.pos);
      }
    }
    return alloc;
  }

  private indexSharer(use: IpUse): void {
    if (use.sharingKey === '') return;
    const sharers = use.pos.pool.sharers;
    let set = sharers.get(use.sharingKey);
    if (set === undefined) sharers.set(use.sharingKey, (set = new Set()));
    set.add(use);
  }

  private unindex(use: IpUse): void {
    const sharers = use.pos.pool.sharers;
    const set = sharers.get(use.sharingKey);
    if (set === undefined) return;
    set.delete(use);
    if (set.size === 0) sharers.delete(use.sharingKey);
  }
}
