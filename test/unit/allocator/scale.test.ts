import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Allocator } from '../../../src/allocator/allocator.js';
import { config, req } from './helpers.js';

test('requested addresses at the far end of a /64 do not slow or disturb lowest-first allocation', () => {
  const a = new Allocator(config({ name: 'v6', addresses: ['2001:db8::/64'] }));
  assert.ok(a.assign(req('n/last', { families: [6], requestedIPs: ['2001:db8::ffff:ffff:ffff:ffff'] })).ok);
  assert.ok(a.assign(req('n/mid', { families: [6], requestedIPs: ['2001:db8::8000:0:0:0'] })).ok);
  assert.ok(a.assign(req('n/two', { families: [6], requestedIPs: ['2001:db8::2'] })).ok);
  const got = [0, 1, 2].map((i) => a.assign(req(`n/auto${i}`, { families: [6] })));
  assert.equal(got.map((r) => r.ok && r.ips[0]), ['2001:db8::', '2001:db8::1', '2001:db8::3']);
  assert.is(a.counts('v6')!.inUse.ipv6, 6n);
});

test('holes punched at random are refilled lowest first (checked against a scan)', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['10.0.0.0/20'], avoidBuggyIPs: true }));
  for (let i = 0; i < 3000; i++) a.assign(req(`n/s${i}`));
  // Deterministic pseudo-random releases.
  let x = 12345;
  const freed = new Set<string>();
  for (let k = 0; k < 700; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    freed.add(a.release(`n/s${(x >>> 0) % 3000}`)[0] ?? '');
  }
  freed.delete('');
  const toInt = (ip: string) => ip.split('.').reduce((v, o) => v * 256 + Number(o), 0);
  const expected = [...freed].sort((p, q) => toInt(p) - toInt(q));
  const got: string[] = [];
  for (let k = 0; k < expected.length; k++) {
    const r = a.assign(req(`n/re${k}`));
    got.push(r.ok ? r.ips[0]! : '!');
  }
  assert.equal(got, expected);
  const next = a.assign(req('n/after'));
  // 3000 addresses at 254 usable per /24 end in block 3000/254 = 11 at .(3000 % 254) = .206.
  assert.is(next.ok && next.ips[0], `10.0.${Math.floor(3000 / 254)}.${(3000 % 254) + 1}`, 'after the holes, allocation continues where the run ended');
});

test.run();
