// The Allocator: pools -> addresses for services, behind a small API the controller, the dry-run
// CLI and the tests share. It takes plain requests (see types.ts), never Kubernetes objects, and
// every outcome carries a reason. One Ledger per active config; a reload builds the next Ledger and
// swaps it in only when accepted.
import type { Config } from '../model/config.js';
import { emptyConfig } from '../model/config.js';
import { formatIP, parseIP } from '../model/ip.js';
import { chooseAuto, chooseExplicit, chooseFromPool, checkFamilies, pickInPool, type Chosen, type Failure } from './choose.js';
import { Ledger } from './ledger.js';
import { planReload } from './reload.js';
import type { Allocation, AllocationRequest, AllocationResult, PoolCounts, SetConfigOptions, SetConfigResult, SuccessReason } from './types.js';

/** Allocator assigns pool addresses to services and remembers who holds what. */
export class Allocator {
  private ledger: Ledger;

  constructor(config: Config = emptyConfig()) {
    this.ledger = new Ledger(config);
  }

  /** config is the active configuration. */
  get config(): Config {
    return this.ledger.config;
  }

  /**
   * setConfig switches to a new config, re-homing every allocation to the pool that now holds its
   * addresses (renames, splits and swaps keep every IP). A config that takes in-use addresses away is
   * refused as a whole unless `reallocate` is set, in which case those allocations are dropped.
   */
  setConfig(config: Config, opts: SetConfigOptions = {}): SetConfigResult {
    const plan = planReload(this.ledger, config);
    if (plan.conflicts.length > 0 && opts.reallocate !== true) {
      return { accepted: false, reason: 'refused', conflicts: plan.conflicts, moved: [] };
    }
    this.ledger = plan.next;
    return { accepted: true, reason: plan.conflicts.length > 0 ? 'reallocated' : 'accepted', conflicts: plan.conflicts, moved: plan.moved };
  }

  /**
   * assign gives a service addresses: its requested IPs if any; else what it already holds, if that
   * still fits the request; else from the requested pool; else automatically.
   */
  assign(req: AllocationRequest): AllocationResult {
    if (req.requestedIPs !== undefined && req.requestedIPs.length > 0) return this.assignIPs(req, req.requestedIPs);
    const held = this.ledger.allocs.get(req.key);
    if (held !== undefined && this.stillFits(held, req)) {
      const extra = this.missingFamilyIP(held, req);
      const grown = extra === undefined ? undefined : this.assignIPs(req, [...held.ips, extra], 'kept');
      if (grown?.ok === true) return grown;
      const kept = this.assignIPs(req, held.ips, 'kept');
      if (kept.ok) return kept;
    }
    this.ledger.forget(req.key);
    const chosen = req.requestedPool !== undefined ? chooseFromPool(this.ledger, req, req.requestedPool) : chooseAuto(this.ledger, req);
    return this.commit(req, chosen, req.requestedPool !== undefined ? 'fromPool' : 'auto');
  }

  /**
   * assignIPs gives a service exactly these addresses (requested, or re-learned from its status).
   * On refusal the service keeps whatever it held before.
   */
  assignIPs(req: AllocationRequest, ips: readonly string[], reason: SuccessReason = 'requested'): AllocationResult {
    return this.commit(req, chooseExplicit(this.ledger, req, ips), reason);
  }

  /** release frees a service's addresses (shared addresses stay with their other users); returns them. */
  release(key: string): string[] {
    return this.ledger.forget(key)?.ips ?? [];
  }

  /** allocation returns what a service holds. */
  allocation(key: string): Allocation | undefined {
    const a = this.ledger.allocs.get(key);
    return a && { ...a, ips: [...a.ips], ports: [...a.ports] };
  }

  /** ips returns a service's addresses (IPv4 first), empty when it holds none. */
  ips(key: string): string[] {
    return [...(this.ledger.allocs.get(key)?.ips ?? [])];
  }

  /** poolOf returns the pool a service's addresses come from. */
  poolOf(key: string): string | undefined {
    return this.ledger.allocs.get(key)?.pool;
  }

  /** services lists the keys of services holding addresses. */
  services(): string[] {
    return [...this.ledger.allocs.keys()];
  }

  /** usersOf lists the services holding an address. */
  usersOf(ip: string): string[] {
    const parsed = parseIP(ip.trim());
    const use = parsed && this.ledger.useAt(formatIP(parsed));
    return use ? [...use.services].sort() : [];
  }

  /** pools lists the pool names in config order. */
  pools(): string[] {
    return this.ledger.pools.map((p) => p.name);
  }

  /** counts returns a pool's exact capacity and in-use numbers per family. */
  counts(pool: string): PoolCounts | undefined {
    const p = this.ledger.byName.get(pool);
    if (p === undefined) return undefined;
    const cap4 = p.capacity(4);
    const cap6 = p.capacity(6);
    const use4 = p.inUseCount(4);
    const use6 = p.inUseCount(6);
    return {
      pool,
      capacity: { ipv4: cap4, ipv6: cap6, total: cap4 + cap6 },
      inUse: { ipv4: use4, ipv6: use6, total: use4 + use6 },
      services: p.serviceCount,
    };
  }

  private stillFits(held: Allocation, req: AllocationRequest): boolean {
    if (req.requestedPool !== undefined && req.requestedPool !== held.pool) return false;
    return checkFamilies(req, held.ips.map((t) => parseIP(t)!.family)) === undefined;
  }

  /** missingFamilyIP finds the second family for a PreferDualStack service holding one (same pool). */
  private missingFamilyIP(held: Allocation, req: AllocationRequest): string | undefined {
    if (req.policy !== 'PreferDualStack' || new Set(req.families).size !== 2 || held.ips.length !== 1) return undefined;
    const missing = parseIP(held.ips[0]!)!.family === 4 ? 6 : 4;
    const pool = this.ledger.byName.get(held.pool);
    const pos = pool && pickInPool(pool, missing, req);
    return pos && formatIP(pos.ip);
  }

  private commit(req: AllocationRequest, chosen: Chosen | Failure, reason: SuccessReason): AllocationResult {
    if (!chosen.ok) return chosen;
    this.ledger.forget(req.key);
    const alloc: Allocation = {
      key: req.key,
      pool: chosen.pool.name,
      ips: [],
      ports: req.ports.map((p) => ({ ...p })),
      sharingKey: req.sharingKey,
      trafficPolicy: req.trafficPolicy,
      selector: req.selector,
    };
    this.ledger.record(alloc, chosen.positions);
    return { ok: true, reason, ips: this.ledger.allocs.get(req.key)!.ips.slice(), pool: chosen.pool.name };
  }
}
