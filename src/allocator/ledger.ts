// The allocator's book-keeping for one config: pools, the address index, which service holds which
// addresses and ports. `record` and `forget` are the only writers, so counters and sharing indexes
// cannot drift apart. Decisions (may this service have that address?) live in allocator.ts.
import type { Config } from '../model/config.js';
import { formatIP } from '../model/ip.js';
import { CidrIndex } from './lookup.js';
import { PoolState, type IpUse, type Position } from './pool-state.js';
import { autoOrder } from './select.js';
import { portKey } from './sharing.js';
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

  /** record gives `alloc` the addresses at `positions` (the caller has checked sharing). */
  record(alloc: Allocation, positions: readonly Position[]): void {
    const ips: string[] = [];
    for (const pos of positions) {
      const text = formatIP(pos.ip);
      ips.push(text);
      let use = this.uses.get(text);
      if (use === undefined) {
        use = { text, pos, services: new Set(), ports: new Map(), sharingKey: alloc.sharingKey, trafficPolicy: alloc.trafficPolicy, selector: alloc.selector };
        this.uses.set(text, use);
        pos.pool.occupy(pos);
      } else if (use.services.size === 0 || (use.services.size === 1 && use.services.has(alloc.key))) {
        // A sole user may change its keys in place.
        this.unindex(use);
        use.sharingKey = alloc.sharingKey;
        use.trafficPolicy = alloc.trafficPolicy;
        use.selector = alloc.selector;
      }
      this.indexSharer(use);
      use.services.add(alloc.key);
      for (const p of alloc.ports) use.ports.set(portKey(p), alloc.key);
    }
    positions[0]?.pool.services.add(alloc.key);
    this.allocs.set(alloc.key, { ...alloc, ips });
  }

  /** forget drops a service's allocation and frees addresses nobody else uses. */
  forget(key: string): Allocation | undefined {
    const alloc = this.allocs.get(key);
    if (alloc === undefined) return undefined;
    this.allocs.delete(key);
    this.byName.get(alloc.pool)?.services.delete(key);
    for (const text of alloc.ips) {
      const use = this.uses.get(text);
      if (use === undefined) continue;
      use.services.delete(key);
      for (const [port, holder] of use.ports) if (holder === key) use.ports.delete(port);
      if (use.services.size === 0) {
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
