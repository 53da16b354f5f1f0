import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Allocator } from '../../../src/allocator/allocator.js';
import type { AllocationRequest } from '../../../src/allocator/types.js';
import { config, req, type PoolSpec } from './helpers.js';

/** fill allocates n services in a row and returns each IP (or the failure reason). */
function fill(a: Allocator, n: number, over: Partial<AllocationRequest> = {}, prefix = 'ns/s'): string[] {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) {
    const r = a.assign(req(`${prefix}${i}`, over));
    out.push(r.ok ? r.ips.join('+') : `!${r.reason}`);
  }
  return out;
}

const orderCases: { desc: string; pools: PoolSpec[]; over?: Partial<AllocationRequest>; n: number; want: string[] }[] = [
  {
    desc: 'a range then a /32 hands out .10, .11, .1 and then fails',
    pools: [{ name: 'p', addresses: ['10.0.0.10-10.0.0.11', '10.0.0.1/32'] }],
    n: 4,
    want: ['10.0.0.10', '10.0.0.11', '10.0.0.1', '!noAvailableIPs'],
  },
  {
    desc: 'network and broadcast addresses are handed out without avoid-buggy-ips',
    pools: [{ name: 'p', addresses: ['1.2.3.0/31', '1.2.3.254/31'] }],
    n: 5,
    want: ['1.2.3.0', '1.2.3.1', '1.2.3.254', '1.2.3.255', '!noAvailableIPs'],
  },
  {
    desc: 'avoid-buggy-ips skips .0 and .255 (MetalLB TestBuggyIPs)',
    pools: [
      { name: 'plain', addresses: ['1.2.3.0/31', '1.2.3.254/31'] },
      { name: 'buggy', addresses: ['1.2.4.0/31', '1.2.4.254/31'], avoidBuggyIPs: true },
    ],
    n: 7,
    want: ['1.2.3.0', '1.2.3.1', '1.2.3.254', '1.2.3.255', '1.2.4.1', '1.2.4.254', '!noAvailableIPs'],
  },
  {
    desc: 'avoid-buggy-ips crosses a /24 boundary from .254 to .1',
    pools: [{ name: 'p', addresses: ['10.1.0.253-10.1.1.2'], avoidBuggyIPs: true }],
    n: 5,
    want: ['10.1.0.253', '10.1.0.254', '10.1.1.1', '10.1.1.2', '!noAvailableIPs'],
  },
  {
    desc: 'the first allocation in 2001:db8::/64 is 2001:db8:: and then counts up',
    pools: [{ name: 'v6', addresses: ['2001:db8::/64'] }],
    over: { families: [6] },
    n: 3,
    want: ['2001:db8::', '2001:db8::1', '2001:db8::2'],
  },
  {
    desc: 'avoid-buggy-ips does not touch IPv6 addresses ending in 0 or ff',
    pools: [{ name: 'v6', addresses: ['2001:db8::ff/127'], avoidBuggyIPs: true }],
    over: { families: [6] },
    n: 3,
    want: ['2001:db8::fe', '2001:db8::ff', '!noAvailableIPs'],
  },
  {
    desc: 'CIDRs are used in pool order, not address order',
    pools: [{ name: 'p', addresses: ['10.9.0.0/31', '10.1.0.0/32'] }],
    n: 4,
    want: ['10.9.0.0', '10.9.0.1', '10.1.0.0', '!noAvailableIPs'],
  },
  {
    desc: 'auto-assign=false pools are never used automatically',
    pools: [
      { name: 'manual', addresses: ['10.0.0.0/30'], autoAssign: false },
      { name: 'auto', addresses: ['10.0.1.0/31'] },
    ],
    n: 3,
    want: ['10.0.1.0', '10.0.1.1', '!noAvailableIPs'],
  },
  {
    desc: 'pools with priority come first, lower number first, then the rest in config order',
    pools: [
      { name: 'plain', addresses: ['10.0.0.0/32'] },
      { name: 'p20', addresses: ['10.0.2.0/32'], serviceAllocation: { priority: 20 } },
      { name: 'p10', addresses: ['10.0.1.0/32'], serviceAllocation: { priority: 10 } },
      { name: 'later', addresses: ['10.0.3.0/32'] },
    ],
    n: 5,
    want: ['10.0.1.0', '10.0.2.0', '10.0.0.0', '10.0.3.0', '!noAvailableIPs'],
  },
  {
    desc: 'a single-stack IPv6 service skips IPv4-only pools',
    pools: [
      { name: 'v4', addresses: ['10.0.0.0/30'] },
      { name: 'v6', addresses: ['2001:db8::/126'] },
    ],
    over: { families: [6] },
    n: 1,
    want: ['2001:db8::'],
  },
  {
    desc: 'RequireDualStack takes both families from one pool, IPv4 first',
    pools: [
      { name: 'v4only', addresses: ['10.0.0.0/30'] },
      { name: 'dual', addresses: ['2001:db8::/127', '192.0.2.0/31'] },
    ],
    over: { families: [6, 4], policy: 'RequireDualStack' },
    n: 3,
    want: ['192.0.2.0+2001:db8::', '192.0.2.1+2001:db8::1', '!noAvailableIPs'],
  },
  {
    desc: 'a dual-stack request across two single-family pools is refused',
    pools: [
      { name: 'v4', addresses: ['10.0.0.0/30'] },
      { name: 'v6', addresses: ['2001:db8::/126'] },
    ],
    over: { families: [4, 6], policy: 'RequireDualStack' },
    n: 1,
    want: ['!noAvailableIPs'],
  },
  {
    desc: 'PreferDualStack prefers a dual pool, then falls back to the primary family',
    pools: [
      { name: 'v6', addresses: ['2001:db8::/128'] },
      { name: 'v4', addresses: ['10.0.0.0/32'] },
      { name: 'dual', addresses: ['192.0.2.0/32', '2001:db8:1::/128'] },
    ],
    over: { families: [6, 4], policy: 'PreferDualStack' },
    n: 4,
    want: ['192.0.2.0+2001:db8:1::', '2001:db8::', '10.0.0.0', '!noAvailableIPs'],
  },
  {
    desc: 'SingleStack with two families listed uses only the primary',
    pools: [{ name: 'dual', addresses: ['192.0.2.0/32', '2001:db8::/128'] }],
    over: { families: [6, 4], policy: 'SingleStack' },
    n: 2,
    want: ['2001:db8::', '!noAvailableIPs'],
  },
];

for (const c of orderCases) {
  test(c.desc, () => {
    const a = new Allocator(config(...c.pools));
    assert.equal(fill(a, c.n, c.over), c.want);
  });
}

test('a released address is the next one handed out (lowest free first)', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['10.0.0.0/29'] }));
  fill(a, 6);
  assert.equal(a.release('ns/s3'), ['10.0.0.2']);
  assert.equal(a.release('ns/s2'), ['10.0.0.1']);
  assert.equal(fill(a, 3, {}, 'ns/new'), ['10.0.0.1', '10.0.0.2', '10.0.0.6']);
});

test('assign is idempotent: a service keeps what it holds', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['10.0.0.0/29'] }));
  const first = a.assign(req('ns/a'));
  a.assign(req('ns/b'));
  a.release('ns/a');
  a.assign(req('ns/a'));
  const again = a.assign(req('ns/a'));
  assert.ok(first.ok && again.ok);
  assert.equal(again.ok && again.reason, 'kept');
  assert.equal(a.ips('ns/a'), ['10.0.0.0']);
});

const explicitCases: { desc: string; pools: PoolSpec[]; r: Partial<AllocationRequest>; want: string }[] = [
  { desc: 'a requested IP inside a pool is granted', pools: [{ name: 'p', addresses: ['10.0.0.0/24'] }], r: { requestedIPs: ['10.0.0.77'] }, want: 'p:10.0.0.77' },
  { desc: 'a requested IP from an auto-assign=false pool is granted', pools: [{ name: 'm', addresses: ['10.0.0.0/24'], autoAssign: false }], r: { requestedIPs: ['10.0.0.5'] }, want: 'm:10.0.0.5' },
  { desc: 'a requested IP outside every pool is refused', pools: [{ name: 'p', addresses: ['10.0.0.0/24'] }], r: { requestedIPs: ['10.0.1.1'] }, want: '!notInPool' },
  { desc: 'a requested buggy IP in an avoid-buggy pool is refused', pools: [{ name: 'p', addresses: ['10.0.0.0/24'], avoidBuggyIPs: true }], r: { requestedIPs: ['10.0.0.255'] }, want: '!notInPool' },
  { desc: 'a requested network address is granted without avoid-buggy-ips', pools: [{ name: 'p', addresses: ['10.0.0.0/24'] }], r: { requestedIPs: ['10.0.0.0'] }, want: 'p:10.0.0.0' },
  { desc: 'a requested IP and a pool that holds it are granted', pools: [{ name: 'p', addresses: ['10.0.0.0/24'] }], r: { requestedIPs: ['10.0.0.9'], requestedPool: 'p' }, want: 'p:10.0.0.9' },
  { desc: 'a requested IP and a pool that does not hold it are refused', pools: [{ name: 'p', addresses: ['10.0.0.0/24'] }, { name: 'q', addresses: ['10.0.1.0/24'] }], r: { requestedIPs: ['10.0.0.9'], requestedPool: 'q' }, want: '!poolMismatch' },
  { desc: 'two requested IPs of one family are refused', pools: [{ name: 'p', addresses: ['10.0.0.0/24'] }], r: { requestedIPs: ['10.0.0.1', '10.0.0.2'] }, want: '!sameFamily' },
  { desc: 'three requested IPs are refused', pools: [{ name: 'p', addresses: ['10.0.0.0/24'] }], r: { requestedIPs: ['10.0.0.1', '10.0.0.2', '10.0.0.3'] }, want: '!tooManyIPs' },
  { desc: 'a malformed requested IP is refused', pools: [{ name: 'p', addresses: ['10.0.0.0/24'] }], r: { requestedIPs: ['10.0.0.300'] }, want: '!invalidIP' },
  { desc: 'a requested IPv6 address for an IPv4 service is refused', pools: [{ name: 'p', addresses: ['2001:db8::/64'] }], r: { requestedIPs: ['2001:db8::5'] }, want: '!familyMismatch' },
  {
    desc: 'a dual-stack request for two IPs in one pool is granted IPv4 first',
    pools: [{ name: 'p', addresses: ['2001:db8::/64', '10.0.0.0/24'] }],
    r: { families: [4, 6], policy: 'RequireDualStack', requestedIPs: ['2001:db8::5', '10.0.0.5'] },
    want: 'p:10.0.0.5+2001:db8::5',
  },
  {
    desc: 'a dual-stack request for two IPs in different pools is refused',
    pools: [{ name: 'p', addresses: ['10.0.0.0/24'] }, { name: 'q', addresses: ['2001:db8::/64'] }],
    r: { families: [4, 6], policy: 'RequireDualStack', requestedIPs: ['10.0.0.5', '2001:db8::5'] },
    want: '!ipsInDifferentPools',
  },
  {
    desc: 'RequireDualStack with only one requested IP is refused',
    pools: [{ name: 'p', addresses: ['10.0.0.0/24', '2001:db8::/64'] }],
    r: { families: [4, 6], policy: 'RequireDualStack', requestedIPs: ['10.0.0.5'] },
    want: '!familyMismatch',
  },
  { desc: 'a requested pool that does not exist is refused', pools: [{ name: 'p', addresses: ['10.0.0.0/24'] }], r: { requestedPool: 'nope' }, want: '!unknownPool' },
  { desc: 'a requested auto-assign=false pool is used', pools: [{ name: 'a', addresses: ['10.0.0.0/24'] }, { name: 'm', addresses: ['10.0.1.0/24'], autoAssign: false }], r: { requestedPool: 'm' }, want: 'm:10.0.1.0' },
  { desc: 'a requested pool without the family is refused', pools: [{ name: 'p', addresses: ['10.0.0.0/24'] }], r: { requestedPool: 'p', families: [6] }, want: '!noAvailableIPs' },
];

for (const c of explicitCases) {
  test(c.desc, () => {
    const a = new Allocator(config(...c.pools));
    const r = a.assign(req('ns/x', c.r));
    assert.is(r.ok ? `${r.pool}:${r.ips.join('+')}` : `!${r.reason}`, c.want);
    if (!r.ok) assert.match(r.message, /^allocator: /);
  });
}

test('failure messages say which pools are full, or that no pool has the family', () => {
  const a = new Allocator(config({ name: 'v4', addresses: ['10.0.0.0/32'] }, { name: 'manual', addresses: ['10.1.0.0/24'], autoAssign: false }));
  a.assign(req('ns/a'));
  const full = a.assign(req('ns/b'));
  const v6 = a.assign(req('ns/c', { families: [6] }));
  assert.equal([full.ok || full.message, v6.ok || v6.message], [
    'allocator: no available IPs for IPv4 (full: "v4")',
    'allocator: no available IPs for IPv6 (no auto-assign pool serving this service has IPv6 addresses)',
  ]);
});

test('a refused explicit request leaves the previous allocation in place', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['10.0.0.0/24'] }));
  a.assign(req('ns/x'));
  const r = a.assignIPs(req('ns/x'), ['10.9.9.9']);
  assert.is(r.ok, false);
  assert.equal(a.ips('ns/x'), ['10.0.0.0']);
});

test('a service can move to another requested IP and frees the old one', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['10.0.0.0/24'] }));
  a.assign(req('ns/x', { requestedIPs: ['10.0.0.5'] }));
  a.assign(req('ns/x', { requestedIPs: ['10.0.0.6'] }));
  assert.equal(a.usersOf('10.0.0.5'), []);
  assert.equal(a.usersOf('10.0.0.6'), ['ns/x']);
  assert.is(a.counts('p')!.inUse.ipv4, 1n);
});

test('changing the requested pool moves the service to that pool', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['10.0.0.0/24'] }, { name: 'q', addresses: ['10.0.1.0/24'] }));
  a.assign(req('ns/x'));
  const r = a.assign(req('ns/x', { requestedPool: 'q' }));
  assert.equal(r.ok && [r.pool, r.ips], ['q', ['10.0.1.0']]);
  assert.is(a.counts('p')!.inUse.total, 0n);
});

test('a PreferDualStack service holding one family gains the other from the same pool', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['10.0.0.0/24'] }));
  const dual = req('ns/x', { families: [4, 6], policy: 'PreferDualStack' });
  assert.equal(a.assign(dual).ok && a.ips('ns/x'), ['10.0.0.0']);
  a.setConfig(config({ name: 'p', addresses: ['10.0.0.0/24', '2001:db8::/64'] }));
  const r = a.assign(dual);
  assert.equal(r.ok && [r.reason, r.ips], ['kept', ['10.0.0.0', '2001:db8::']]);
});

test.run();
