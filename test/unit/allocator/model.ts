// A deliberately naive reference allocator for the property test: it enumerates every address of
// every (small) pool and walks them from the start, MetalLB-style, deriving users from allocations.
// It shares no code with src/allocator beyond the model's IP helpers.
import type { Config } from '../../../src/model/config.js';
import { cidrSize, formatIP, isBuggyIPv4, parseIP, type Family } from '../../../src/model/ip.js';
import type { AllocationRequest } from '../../../src/allocator/types.js';

interface MPool {
  name: string;
  order: number;
  priority: number;
  autoAssign: boolean;
  /** namespaces restricts the pool (serviceAllocation.namespaces; the property test uses no selectors). */
  namespaces: string[];
  addrs: { text: string; family: Family }[];
}

interface MAlloc {
  pool: string;
  ips: string[];
  req: AllocationRequest;
}

/** MResult is the reference outcome: addresses and pool, or a failure. */
export type MResult = { ok: true; ips: string[]; pool: string } | { ok: false };

function enumerate(cfg: Config): MPool[] {
  return cfg.pools.map((p, order) => {
    const addrs: MPool['addrs'] = [];
    for (const c of p.cidrs) {
      for (let i = 0n; i < cidrSize(c); i++) {
        const ip = { family: c.ip.family, value: c.ip.value + i };
        if (p.avoidBuggyIPs && isBuggyIPv4(ip)) continue;
        addrs.push({ text: formatIP(ip), family: ip.family });
      }
    }
    return { name: p.name, order, priority: p.serviceAllocation?.priority ?? 0, autoAssign: p.autoAssign, namespaces: p.serviceAllocation?.namespaces ?? [], addrs };
  });
}

function serves(p: MPool, r: AllocationRequest): boolean {
  return p.namespaces.length === 0 || p.namespaces.includes(r.namespace);
}

/** ModelAllocator is the reference model. */
export class ModelAllocator {
  pools: MPool[];
  allocs = new Map<string, MAlloc>();

  constructor(cfg: Config) {
    this.pools = enumerate(cfg);
  }

  private wanted(r: AllocationRequest): Family[][] {
    const fams = [...new Set(r.families)];
    if (fams.length < 2 || r.policy === 'SingleStack') return [[fams[0] ?? 4]];
    if (r.policy === 'RequireDualStack') return [[4, 6]];
    return [[4, 6], [fams[0]!], [fams[1]!]];
  }

  /** mayUse is the sharing rule, evaluated from the allocations holding `ip`. */
  mayUse(ip: string, r: AllocationRequest): boolean {
    const others = [...this.allocs.entries()].filter(([k, a]) => k !== r.key && a.ips.includes(ip)).map(([, a]) => a.req);
    if (others.length === 0) return true;
    const o = others[0]!;
    if (o.sharingKey === '' || r.sharingKey === '' || o.sharingKey !== r.sharingKey || o.trafficPolicy !== r.trafficPolicy) return false;
    if (r.trafficPolicy === 'Local' && o.selector !== r.selector) return false;
    const taken = new Set(others.flatMap((x) => x.ports.map((p) => `${p.protocol}/${p.port}`)));
    return !r.ports.some((p) => taken.has(`${p.protocol}/${p.port}`));
  }

  private poolOfIP(ip: string): MPool | undefined {
    return this.pools.find((p) => p.addrs.some((a) => a.text === ip));
  }

  /** assignIPs mirrors Allocator.assignIPs (outcome only, not the reason). */
  assignIPs(r: AllocationRequest, texts: string[]): MResult {
    const ips = texts.map((t) => parseIP(t));
    if (ips.length === 0 || ips.length > 2 || ips.some((ip) => ip === undefined)) return { ok: false };
    if (ips.length === 2 && ips[0]!.family === ips[1]!.family) return { ok: false };
    const allowed = this.wanted(r)[0]!;
    if (ips.some((ip) => !allowed.includes(ip!.family))) return { ok: false };
    if (r.policy === 'RequireDualStack' && allowed.length === 2 && ips.length < 2) return { ok: false };
    const canon = ips.map((ip) => formatIP(ip!)).sort((a, b) => (a.includes(':') ? 1 : 0) - (b.includes(':') ? 1 : 0));
    const pools = canon.map((t) => this.poolOfIP(t));
    if (pools.some((p) => p === undefined) || pools.some((p) => p !== pools[0])) return { ok: false };
    if (r.requestedPool !== undefined && r.requestedPool !== pools[0]!.name) return { ok: false };
    if (!serves(pools[0]!, r)) return { ok: false };
    if (!canon.every((t) => this.mayUse(t, r))) return { ok: false };
    return this.commit(r, pools[0]!.name, canon);
  }

  private commit(r: AllocationRequest, pool: string, ips: string[]): MResult {
    this.allocs.delete(r.key);
    this.allocs.set(r.key, { pool, ips, req: r });
    return { ok: true, ips, pool };
  }

  private pick(pool: MPool, fams: Family[], r: AllocationRequest): string[] | undefined {
    const out: string[] = [];
    for (const f of [...fams].sort()) {
      const hit = pool.addrs.find((a) => a.family === f && this.mayUse(a.text, r) && (r.sharingKey !== '' || !this.used(a.text)));
      if (hit === undefined) return undefined;
      out.push(hit.text);
    }
    return out;
  }

  private used(ip: string): boolean {
    return [...this.allocs.values()].some((a) => a.ips.includes(ip));
  }

  /** assign mirrors Allocator.assign. */
  assign(r: AllocationRequest): MResult {
    if (r.requestedIPs !== undefined && r.requestedIPs.length > 0) return this.assignIPs(r, r.requestedIPs);
    const held = this.allocs.get(r.key);
    if (held !== undefined && (r.requestedPool === undefined || r.requestedPool === held.pool)) {
      const fams = held.ips.map((t) => parseIP(t)!.family);
      const allowed = this.wanted(r)[0]!;
      const fits = fams.every((f) => allowed.includes(f)) && !(r.policy === 'RequireDualStack' && allowed.length === 2 && fams.length < 2);
      if (fits) {
        if (r.policy === 'PreferDualStack' && new Set(r.families).size === 2 && held.ips.length === 1) {
          const pool = this.pools.find((p) => p.name === held.pool);
          const extra = pool && this.pick(pool, [fams[0] === 4 ? 6 : 4], r);
          const grown = extra ? this.assignIPs(r, [...held.ips, ...extra]) : { ok: false };
          if (grown.ok) return grown;
        }
        const kept = this.assignIPs(r, held.ips);
        if (kept.ok) return kept;
      }
    }
    this.allocs.delete(r.key);
    const named = this.pools.filter((p) => p.name === r.requestedPool);
    const candidates = (r.requestedPool !== undefined ? named : this.autoPools()).filter((p) => serves(p, r));
    for (const fams of this.wanted(r)) {
      for (const pool of candidates) {
        const ips = this.pick(pool, fams, r);
        if (ips !== undefined) return this.commit(r, pool.name, ips);
      }
    }
    return { ok: false };
  }

  private autoPools(): MPool[] {
    const prio = this.pools.filter((p) => p.autoAssign && p.priority > 0).sort((a, b) => a.priority - b.priority || a.order - b.order);
    return [...prio, ...this.pools.filter((p) => p.autoAssign && p.priority <= 0)];
  }

  /** release mirrors Allocator.release. */
  release(key: string): void {
    this.allocs.delete(key);
  }

  /** setConfig mirrors Allocator.setConfig (accepted or not). */
  setConfig(cfg: Config, reallocate: boolean): boolean {
    const next = new ModelAllocator(cfg);
    const conflicts: string[] = [];
    for (const [key, a] of this.allocs) {
      const pools = a.ips.map((ip) => next.poolOfIP(ip));
      if (pools.some((p) => p === undefined || p !== pools[0])) conflicts.push(key);
      else next.allocs.set(key, { ...a, pool: pools[0]!.name });
    }
    if (conflicts.length > 0 && !reallocate) return false;
    this.pools = next.pools;
    this.allocs = next.allocs;
    return true;
  }
}
