// Allocator benchmark: allocate 10,000 and 100,000 services over mixed pools (a prioritised /24, an
// avoid-buggy IPv4 /8, an IPv6 /64, a dual-stack pool; 1 in 5 services shares an address) and print
// time per allocation, the growth ratio t(100k)/t(10k) (linear total = 10), heap per allocated
// service, and a MetalLB-style baseline (walk each CIDR from its first address) on 10k for contrast.
// Run: npm run bench  (or: npx tsx test/bench/allocator.ts). Re-spawns itself with --expose-gc.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Allocator } from '../../src/allocator/allocator.js';
import type { AllocationRequest } from '../../src/allocator/types.js';
import type { Config, Pool } from '../../src/model/config.js';
import { cidrSize, isBuggyIPv4, parseCIDR, formatIP, type Family } from '../../src/model/ip.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self], { stdio: 'inherit', env: { ...process.env, LBCTL_LOG_LEVEL: 'silent' } });
  process.exit(r.status ?? 1);
}

function pool(name: string, addresses: string[], extra: Partial<Pool> = {}): Pool {
  return { name, addresses, cidrs: addresses.map((a) => parseCIDR(a)!), autoAssign: true, avoidBuggyIPs: false, labels: {}, bgpAdvertisements: [], l2Advertisements: [], ...extra };
}

const config: Config = {
  pools: [
    pool('v4-big', ['10.0.0.0/8'], { avoidBuggyIPs: true }),
    pool('v6', ['2001:db8::/64']),
    pool('dual', ['172.16.0.0/12', '2001:db8:1::/64']),
    pool('first', ['198.51.100.0/24'], { serviceAllocation: { priority: 1, namespaces: [], namespaceSelectors: [], serviceSelectors: [] } }),
  ],
  peers: [],
  bfdProfiles: [],
  communities: {},
};

const noLabels = {};

/** request i of the mix: 60% IPv4, 10% IPv6, 10% dual-stack, 20% sharing in groups of 8. */
function request(i: number): AllocationRequest {
  const kind = i % 10;
  const r: AllocationRequest = {
    key: `ns${i % 97}/svc${i}`,
    namespace: `ns${i % 97}`,
    labels: noLabels,
    families: [4],
    policy: 'SingleStack',
    ports: [{ protocol: 'TCP', port: 80 }],
    sharingKey: '',
    trafficPolicy: 'Cluster',
    selector: '',
  };
  if (kind === 6) r.families = [6];
  if (kind === 7) {
    r.families = [4, 6];
    r.policy = 'RequireDualStack';
  }
  if (kind >= 8) {
    r.sharingKey = `group${Math.floor(i / 40)}`;
    r.ports = [{ protocol: 'TCP', port: 1000 + (i % 40) }];
  }
  return r;
}

/** Baseline is MetalLB's approach: for each pool, walk each CIDR from its first address. */
class Baseline {
  private readonly used = new Map<string, { key: string; ports: Set<string> }>();
  private readonly order: Pool[];
  constructor(cfg: Config) {
    // Same pool order as ours (MetalLB itself used random map order): priority > 0 ascending, then the rest.
    const prio = (p: Pool) => p.serviceAllocation?.priority ?? 0;
    this.order = [...cfg.pools.filter((p) => prio(p) > 0).sort((a, b) => prio(a) - prio(b)), ...cfg.pools.filter((p) => prio(p) <= 0)];
  }

  assign(r: AllocationRequest): string[] | undefined {
    for (const p of this.order) {
      const ips: string[] = [];
      for (const fam of r.families) {
        const ip = this.walk(p, fam, r);
        if (ip === undefined) break;
        ips.push(ip);
      }
      if (ips.length !== r.families.length) continue;
      for (const ip of ips) {
        const u = this.used.get(ip) ?? { key: r.sharingKey, ports: new Set<string>() };
        for (const port of r.ports) u.ports.add(`${port.protocol}/${port.port}`);
        this.used.set(ip, u);
      }
      return ips.map((k) => formatIP({ family: k.startsWith('6') ? 6 : 4, value: BigInt(k.slice(2)) }));
    }
    return undefined;
  }

  private walk(p: Pool, fam: Family, r: AllocationRequest): string | undefined {
    for (const c of p.cidrs) {
      if (c.ip.family !== fam) continue;
      const size = cidrSize(c);
      for (let k = 0n; k < size; k++) {
        const ip = { family: fam, value: c.ip.value + k };
        if (p.avoidBuggyIPs && isBuggyIPv4(ip)) continue;
        const key = `${fam}:${ip.value}`;
        const u = this.used.get(key);
        if (u === undefined) return key;
        if (r.sharingKey !== '' && u.key === r.sharingKey && !r.ports.some((x) => u.ports.has(`${x.protocol}/${x.port}`))) return key;
      }
    }
    return undefined;
  }
}

/** timeOurs allocates n services; `keep` records each result (for the baseline comparison), which the heap figure then includes. */
function timeOurs(n: number, keep: boolean): { ms: number; cpuMs: number; results: string[]; failed: number; heapPerService: number; allocator: Allocator; firstTenth: number; lastTenth: number } {
  const results: string[] = keep ? new Array(n) : [];
  let failed = 0;
  gc!();
  const heap0 = process.memoryUsage().heapUsed;
  const a = new Allocator(config);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let tFirst = t0;
  let tLast = t0;
  for (let i = 0; i < n; i++) {
    if (i === n / 10) tFirst = process.hrtime.bigint();
    if (i === n - n / 10) tLast = process.hrtime.bigint();
    const r = a.assign(request(i));
    if (!r.ok) failed++;
    if (keep) results[i] = r.ok ? r.ips.join('+') : '!';
  }
  const end = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const ms = Number(end - t0) / 1e6;
  const firstTenth = Number(tFirst - t0) / 1e6;
  const lastTenth = Number(end - tLast) / 1e6;
  gc!();
  const heapPerService = (process.memoryUsage().heapUsed - heap0) / n;
  return { ms, cpuMs, results, failed, heapPerService, allocator: a, firstTenth, lastTenth };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmt = (x: number, d = 1) => x.toFixed(d);

console.log('allocator bench: pools first(/24, priority 1), v4-big(10.0.0.0/8, avoid-buggy), v6(/64), dual(/12 + /64)');
console.log('mix: 60% IPv4, 10% IPv6, 10% RequireDualStack, 20% sharing (groups of 8 on one address)');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const t10: number[] = [];
const t100: number[] = [];
const c10: number[] = [];
const c100: number[] = [];
let small = timeOurs(10_000, true); // warm-up
let big = timeOurs(100_000, false);
for (let k = 0; k < runs; k++) {
  small = timeOurs(10_000, true);
  t10.push(small.ms);
  c10.push(small.cpuMs);
  big = timeOurs(100_000, false);
  t100.push(big.ms);
  c100.push(big.cpuMs);
}
const m10 = median(t10);
const m100 = median(t100);
const failed = big.failed;
const mc10 = median(c10);
const mc100 = median(c100);
console.log(`ours     10,000 services: ${fmt(m10)} ms wall, ${fmt((m10 * 1000) / 10_000, 2)} µs/allocation; ${fmt(mc10)} ms CPU (median of ${runs})`);
console.log(`ours    100,000 services: ${fmt(m100)} ms wall, ${fmt((m100 * 1000) / 100_000, 2)} µs/allocation; ${fmt(mc100)} ms CPU (median of ${runs}; ${failed} failed)`);
console.log(`growth t(100k)/t(10k): ${fmt(m100 / m10, 2)} wall, ${fmt(mc100 / mc10, 2)} CPU (near-linear total = 10; quadratic = 100)`);
console.log(`within one 100k run: first 10k took ${fmt(big.firstTenth)} ms, last 10k took ${fmt(big.lastTenth)} ms (a walk from the start would make the last much slower)`);
console.log(`heap per allocated service: ${fmt(big.heapPerService, 0)} bytes at 100k (allocator state only; after gc)`);
const counts = big.allocator.counts('v4-big')!;
console.log(`v4-big after 100k: ${counts.inUse.ipv4} in use of ${counts.capacity.ipv4}; v6 /64 capacity ${big.allocator.counts('v6')!.capacity.ipv6}`);

const base = new Baseline(config);
const tb0 = process.hrtime.bigint();
const baseResults: string[] = [];
for (let i = 0; i < 10_000; i++) baseResults.push(base.assign(request(i))?.join('+') ?? '!');
const mb = Number(process.hrtime.bigint() - tb0) / 1e6;
// (wall time on a shared machine; the ratio below compares it with our wall-time median)
const agree = baseResults.every((r, i) => r === small.results[i]);
console.log(`metallb-style linear walk 10,000 services: ${fmt(mb)} ms total, ${fmt((mb * 1000) / 10_000, 2)} µs/allocation`);
console.log(`baseline/ours at 10k: ${fmt(mb / m10, 1)}x; same addresses as ours: ${agree ? 'yes' : 'NO'}`);
if (!agree) process.exitCode = 1;
