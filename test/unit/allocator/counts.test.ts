import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Allocator } from '../../../src/allocator/allocator.js';
import { slotSpace, slotOf, addressOf } from '../../../src/allocator/slots.js';
import { formatIP, parseCIDR, parseIP } from '../../../src/model/ip.js';
import { config, req, type PoolSpec } from './helpers.js';

const capacityCases: { desc: string; pool: PoolSpec; v4: bigint; v6: bigint }[] = [
  { desc: 'a /24 has 256 addresses', pool: { name: 'p', addresses: ['1.2.3.0/24'] }, v4: 256n, v6: 0n },
  { desc: 'a /24 has 254 usable with avoid-buggy-ips', pool: { name: 'p', addresses: ['1.2.3.0/24'], avoidBuggyIPs: true }, v4: 254n, v6: 0n },
  { desc: 'a /24 plus a /25 has 384', pool: { name: 'p', addresses: ['1.2.3.0/24', '2.3.4.128/25'] }, v4: 384n, v6: 0n },
  { desc: 'a /24 plus a /25 has 381 with avoid-buggy-ips', pool: { name: 'p', addresses: ['1.2.3.0/24', '2.3.4.128/25'], avoidBuggyIPs: true }, v4: 381n, v6: 0n },
  { desc: 'a /8 with avoid-buggy-ips has 65536 x 254', pool: { name: 'p', addresses: ['10.0.0.0/8'], avoidBuggyIPs: true }, v4: 65536n * 254n, v6: 0n },
  { desc: 'a /32 ending in .0 has nothing with avoid-buggy-ips', pool: { name: 'p', addresses: ['10.0.0.0/32'], avoidBuggyIPs: true }, v4: 0n, v6: 0n },
  { desc: 'a range .250-.5 across /24s drops .255 and .0', pool: { name: 'p', addresses: ['10.0.0.250-10.0.1.5'], avoidBuggyIPs: true }, v4: 10n, v6: 0n },
  { desc: 'an IPv6 /64 is counted exactly, never saturated', pool: { name: 'p', addresses: ['1.2.3.0/24', '2001:db8::/64'] }, v4: 256n, v6: 1n << 64n },
  { desc: 'IPv6 first then IPv4 does not go negative', pool: { name: 'p', addresses: ['2001:db8::/1', '1.2.3.0/24'] }, v4: 256n, v6: 1n << 127n },
];

for (const c of capacityCases) {
  test(`capacity: ${c.desc}`, () => {
    const counts = new Allocator(config(c.pool)).counts('p')!;
    assert.equal(counts.capacity, { ipv4: c.v4, ipv6: c.v6, total: c.v4 + c.v6 });
    assert.equal(counts.inUse, { ipv4: 0n, ipv6: 0n, total: 0n });
  });
}

test('slots map back to the same addresses and skip buggy ones', () => {
  const space = slotSpace(parseCIDR('10.0.0.0/22')!, true);
  const seen: string[] = [];
  for (let s = 0n; s < space.size; s++) {
    const ip = addressOf(space, s);
    assert.is(slotOf(space, ip), s);
    seen.push(formatIP(ip));
  }
  assert.is(seen.length, 4 * 254);
  assert.ok(!seen.some((t) => t.endsWith('.0') || t.endsWith('.255')));
  assert.is(slotOf(space, parseIP('10.0.1.255')!), undefined);
  assert.is(slotOf(space, parseIP('10.0.4.1')!), undefined);
});

test('in-use counts are distinct addresses per family, exact after releases', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['1.2.3.4/30', '1000::4/126'] }));
  assert.is(a.counts('p')!.capacity.total, 8n);
  for (const k of ['ns/a', 'ns/b', 'ns/c']) a.assign(req(k, { sharingKey: 'k', ports: [{ protocol: 'TCP', port: k.length + k.charCodeAt(3) }] }));
  a.assign(req('ns/d', { families: [4, 6], policy: 'RequireDualStack' }));
  let c = a.counts('p')!;
  assert.equal(c.inUse, { ipv4: 2n, ipv6: 1n, total: 3n });
  assert.is(c.services, 4);
  for (const k of ['ns/a', 'ns/b', 'ns/c', 'ns/d', 'ns/d', 'ns/nobody']) a.release(k);
  c = a.counts('p')!;
  assert.equal(c.inUse, { ipv4: 0n, ipv6: 0n, total: 0n });
  assert.is(c.services, 0);
});

test('counts of an unknown pool are undefined', () => {
  assert.is(new Allocator(config({ name: 'p', addresses: ['1.2.3.0/24'] })).counts('q'), undefined);
});

test('a /8 and a /64 fill from their first address without enumeration', () => {
  const a = new Allocator(config({ name: 'big', addresses: ['10.0.0.0/8', '2001:db8::/64'], avoidBuggyIPs: true }));
  const got: string[] = [];
  for (let i = 0; i < 300; i++) {
    const r = a.assign(req(`ns/s${i}`, { families: [4, 6], policy: 'RequireDualStack' }));
    if (r.ok) got.push(r.ips.join('+'));
  }
  assert.is(got.length, 300);
  assert.is(got[0], '10.0.0.1+2001:db8::');
  assert.is(got[254], '10.0.1.1+2001:db8::fe');
  assert.is(a.counts('big')!.inUse.total, 600n);
});

test.run();
