import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Allocator } from '../../../src/allocator/allocator.js';
import type { AllocationRequest } from '../../../src/allocator/types.js';
import { cidrContains, isBuggyIPv4, parseIP } from '../../../src/model/ip.js';
import type { Config } from '../../../src/model/config.js';
import { config, req } from './helpers.js';
import { ModelAllocator } from './model.js';

// Small pools so that exhaustion, sharing and reload conflicts happen often.
const configs: Config[] = [
  config(
    { name: 'p1', addresses: ['10.0.0.0/31', '2001:db8::/127'] },
    { name: 'p2', addresses: ['10.0.1.254-10.0.2.1', '2001:db8:1::/127'], avoidBuggyIPs: true },
    { name: 'manual', addresses: ['10.0.3.0/31'], autoAssign: false },
  ),
  config(
    { name: 'renamed', addresses: ['10.0.0.0/31', '2001:db8::/127'] },
    { name: 'p2', addresses: ['10.0.1.254-10.0.2.1', '2001:db8:1::/127'], avoidBuggyIPs: true, serviceAllocation: { priority: 5, namespaces: ['n1'] } },
    { name: 'manual', addresses: ['10.0.3.0/31'], autoAssign: false },
  ),
  config(
    { name: 'p1', addresses: ['10.0.0.1/32', '2001:db8::/128'] },
    { name: 'split', addresses: ['10.0.0.0/32', '2001:db8::1/128'] },
    { name: 'p2', addresses: ['10.0.1.254-10.0.2.1'] },
  ),
  config({ name: 'p1', addresses: ['10.0.0.0/30', '2001:db8::/126'] }),
];

const universe = [
  '10.0.0.0', '10.0.0.1', '10.0.1.255', '10.0.2.0', '10.0.2.1', '10.0.3.0', '10.0.9.9', '2001:db8::', '2001:db8::1', '2001:db8:1::1',
  '10.0.0.1,2001:db8::1', '10.0.2.1,2001:db8:1::1', '10.0.0.0,2001:db8:1::', '10.0.0.0,10.0.0.1',
];

const requestArb = fc.record({
  svc: fc.integer({ min: 0, max: 7 }),
  fam: fc.constantFrom<Pick<AllocationRequest, 'families' | 'policy'>>(
    { families: [4], policy: 'SingleStack' },
    { families: [6], policy: 'SingleStack' },
    { families: [4, 6], policy: 'RequireDualStack' },
    { families: [6, 4], policy: 'PreferDualStack' },
  ),
  sharingKey: fc.constantFrom('', 'a', 'b'),
  local: fc.boolean(),
  selector: fc.constantFrom('app=x', 'app=y'),
  port: fc.constantFrom(53, 80, 443),
  proto: fc.constantFrom<'TCP' | 'UDP'>('TCP', 'UDP'),
  ip: fc.option(fc.constantFrom(...universe), { freq: 4 }),
  pool: fc.option(fc.constantFrom('p1', 'p2', 'manual', 'renamed', 'nope'), { freq: 5 }),
});

const opArb = fc.oneof(
  { weight: 6, arbitrary: requestArb.map((r) => ({ kind: 'assign' as const, r })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 7 }).map((svc) => ({ kind: 'release' as const, svc })) },
  { weight: 1, arbitrary: fc.record({ cfg: fc.integer({ min: 0, max: configs.length - 1 }), reallocate: fc.boolean() }).map((x) => ({ kind: 'reload' as const, ...x })) },
);

/** key spreads services over two namespaces, so the namespace-restricted pool matters. */
function key(svc: number): string {
  return `n${svc % 2}/s${svc}`;
}

type RequestGen = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

function toRequest(r: RequestGen): AllocationRequest {
  const out = req(key(r.svc), {
    ...r.fam,
    sharingKey: r.sharingKey,
    trafficPolicy: r.local ? 'Local' : 'Cluster',
    selector: r.local ? r.selector : '',
    ports: [{ protocol: r.proto, port: r.port }],
  });
  if (r.ip !== null) out.requestedIPs = r.ip.split(',');
  if (r.pool !== null) out.requestedPool = r.pool;
  return out;
}

/** checkInvariants: addresses inside their pool (not buggy), exact in-use counts, every pair of users compatible. */
function checkInvariants(a: Allocator): string | undefined {
  const byIP = new Map<string, string[]>();
  for (const key of a.services()) {
    const alloc = a.allocation(key)!;
    const pool = a.config.pools.find((p) => p.name === alloc.pool);
    for (const text of alloc.ips) {
      const ip = parseIP(text)!;
      if (!pool || !pool.cidrs.some((c) => cidrContains(c, ip))) return `${key} holds ${text} outside pool ${alloc.pool}`;
      if (pool.avoidBuggyIPs && isBuggyIPv4(ip)) return `${key} holds buggy ${text}`;
      byIP.set(text, [...(byIP.get(text) ?? []), key]);
    }
  }
  for (const name of a.pools()) {
    const c = a.counts(name)!;
    const mine = [...byIP.keys()].filter((ip) => a.allocation(byIP.get(ip)![0]!)!.pool === name);
    const v4 = BigInt(mine.filter((ip) => !ip.includes(':')).length);
    const v6 = BigInt(mine.length) - v4;
    if (c.inUse.ipv4 !== v4 || c.inUse.ipv6 !== v6 || c.inUse.total !== v4 + v6) return `pool ${name}: counts ${c.inUse.ipv4}/${c.inUse.ipv6}, held ${v4}/${v6}`;
    if (c.inUse.total > c.capacity.total) return `pool ${name}: more in use than capacity`;
    const services = a.services().filter((k) => a.poolOf(k) === name).length;
    if (c.services !== services) return `pool ${name}: counts ${c.services} services, ${services} hold addresses`;
  }
  for (const [ip, users] of byIP) {
    if (users.length < 2) continue;
    const allocs = users.map((k) => a.allocation(k)!);
    const first = allocs[0]!;
    const ports = allocs.flatMap((x) => x.ports.map((p) => `${p.protocol}/${p.port}`));
    if (new Set(ports).size !== ports.length) return `${ip}: a port is held twice by ${users.join(', ')}`;
    for (const x of allocs) {
      if (x.sharingKey === '' || x.sharingKey !== first.sharingKey || x.trafficPolicy !== first.trafficPolicy) return `${ip}: ${users.join(', ')} may not share`;
      if (x.trafficPolicy === 'Local' && x.selector !== first.selector) return `${ip}: Local selectors differ among ${users.join(', ')}`;
    }
  }
  return undefined;
}

test('random allocate/release/share/reload sequences agree with the reference model and keep the invariants', () => {
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
      const real = new Allocator(configs[0]);
      const model = new ModelAllocator(configs[0]!);
      for (const [i, op] of ops.entries()) {
        let got: unknown;
        let want: unknown;
        if (op.kind === 'assign') {
          const r = toRequest(op.r);
          const res = real.assign(r);
          got = res.ok ? { ok: true, ips: res.ips, pool: res.pool } : { ok: false };
          want = model.assign(r);
        } else if (op.kind === 'release') {
          real.release(key(op.svc));
          model.release(key(op.svc));
        } else {
          got = real.setConfig(configs[op.cfg]!, { reallocate: op.reallocate }).accepted;
          want = model.setConfig(configs[op.cfg]!, op.reallocate);
        }
        assert.equal(got, want, `step ${i}: ${JSON.stringify(op)}`);
        const broken = checkInvariants(real);
        if (broken !== undefined) assert.unreachable(`step ${i}: ${broken}`);
        for (const key of real.services()) assert.equal(real.ips(key), model.allocs.get(key)?.ips, `step ${i}: ips of ${key}`);
        assert.is(real.services().length, model.allocs.size, `step ${i}: number of allocations`);
      }
    }),
    { numRuns: 250, seed: Number(process.env.LBCTL_PROPERTY_SEED ?? 20261121) },
  );
});

test.run();
