import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Allocator } from '../../../src/allocator/allocator.js';
import type { Config } from '../../../src/model/config.js';
import { config, req } from './helpers.js';

// MetalLB TestConfigReload: s1 holds 1.2.3.0 and s2 holds 1000:: in pool "test".
function start(): Allocator {
  const a = new Allocator(config({ name: 'test', addresses: ['1.2.3.0/30', '1000::/126'] }));
  assert.ok(a.assign(req('ns/s1', { requestedIPs: ['1.2.3.0'] })).ok);
  assert.ok(a.assign(req('ns/s2', { families: [6], requestedIPs: ['1000::'] })).ok);
  return a;
}

const cases: { desc: string; next: Config; accepted: boolean; pools: [string, string] }[] = [
  { desc: 'the same config keeps everything', next: config({ name: 'test', addresses: ['1.2.3.0/30', '1000::/126'] }), accepted: true, pools: ['test', 'test'] },
  { desc: 'expanding the pool keeps everything', next: config({ name: 'test', addresses: ['1.2.3.0/24', '1000::/64'] }), accepted: true, pools: ['test', 'test'] },
  { desc: 'shrinking to the used addresses keeps everything', next: config({ name: 'test', addresses: ['1.2.3.0/31', '1000::/127'] }), accepted: true, pools: ['test', 'test'] },
  { desc: 'shrinking past an IPv4 address in use is refused', next: config({ name: 'test', addresses: ['1.2.3.2/31', '1000::/126'] }), accepted: false, pools: ['test', 'test'] },
  { desc: 'shrinking past an IPv6 address in use is refused', next: config({ name: 'test', addresses: ['1.2.3.0/30', '1000::2/127'] }), accepted: false, pools: ['test', 'test'] },
  { desc: 'renaming the pool keeps every IP', next: config({ name: 'test2', addresses: ['1.2.3.0/30', '1000::/126'] }), accepted: true, pools: ['test2', 'test2'] },
  {
    desc: 'splitting the pool keeps every IP',
    next: config({ name: 'test', addresses: ['1.2.3.0/31', '1000::2/127'] }, { name: 'test2', addresses: ['1.2.3.2/31', '1000::/127'] }),
    accepted: true,
    pools: ['test', 'test2'],
  },
  {
    desc: 'swapping pool names keeps every IP',
    next: config({ name: 'test2', addresses: ['1.2.3.0/31', '1000::/127'] }, { name: 'test', addresses: ['1.2.3.2/31', '1000::2/127'] }),
    accepted: true,
    pools: ['test2', 'test2'],
  },
  { desc: 'deleting the used pool is refused', next: config({ name: 'other', addresses: ['10.0.0.0/24'] }), accepted: false, pools: ['test', 'test'] },
  { desc: 'enabling avoid-buggy-ips under an in-use .0 is refused', next: config({ name: 'test', addresses: ['1.2.3.0/30', '1000::/126'], avoidBuggyIPs: true }), accepted: false, pools: ['test', 'test'] },
];

for (const c of cases) {
  test(`reload (default): ${c.desc}`, () => {
    const a = start();
    const res = a.setConfig(c.next);
    assert.is(res.accepted, c.accepted);
    assert.is(res.reason, c.accepted ? 'accepted' : 'refused');
    assert.equal([a.poolOf('ns/s1'), a.poolOf('ns/s2')], c.pools);
    assert.equal([a.ips('ns/s1'), a.ips('ns/s2')], [['1.2.3.0'], ['1000::']]);
    if (!c.accepted) {
      assert.ok(res.conflicts.length > 0);
      assert.is(a.config.pools[0]!.name, 'test', 'the old config stays active');
    }
  });
}

test('reload (reallocate): deleting an in-use range drops those allocations and re-allocation works', () => {
  const a = start();
  const res = a.setConfig(config({ name: 'test', addresses: ['1.2.3.2/31', '1000::/126'] }), { reallocate: true });
  assert.equal([res.accepted, res.reason, res.conflicts.map((c) => c.service)], [true, 'reallocated', ['ns/s1']]);
  assert.match(res.conflicts[0]!.message, /1\.2\.3\.0/);
  assert.equal(a.ips('ns/s1'), []);
  assert.equal(a.ips('ns/s2'), ['1000::']);
  const again = a.assign(req('ns/s1'));
  assert.equal(again.ok && again.ips, ['1.2.3.2']);
});

test('reload: a dual-stack allocation whose families land in different pools is a conflict', () => {
  const a = new Allocator(config({ name: 'dual', addresses: ['10.0.0.0/24', '2001:db8::/64'] }));
  a.assign(req('ns/d', { families: [4, 6], policy: 'RequireDualStack' }));
  const res = a.setConfig(config({ name: 'v4', addresses: ['10.0.0.0/24'] }, { name: 'v6', addresses: ['2001:db8::/64'] }));
  assert.equal([res.accepted, res.conflicts[0]?.reason], [false, 'ipsInDifferentPools']);
  assert.equal(a.ips('ns/d'), ['10.0.0.0', '2001:db8::']);
});

test('reload keeps sharing: a shared address keeps both users and their ports', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['10.0.0.0/30'] }));
  a.assign(req('ns/a', { sharingKey: 'k', ports: [{ protocol: 'TCP', port: 80 }] }));
  a.assign(req('ns/b', { sharingKey: 'k', ports: [{ protocol: 'TCP', port: 443 }] }));
  assert.ok(a.setConfig(config({ name: 'q', addresses: ['10.0.0.0/29'] })).accepted);
  assert.equal(a.usersOf('10.0.0.0'), ['ns/a', 'ns/b']);
  assert.is(a.assign(req('ns/c', { sharingKey: 'k', ports: [{ protocol: 'TCP', port: 80 }] })).ok && a.ips('ns/c')[0], '10.0.0.1');
  assert.equal(a.counts('q')!.inUse.total, 2n);
});

test('reload: deleting an unused pool is accepted and its addresses are gone', () => {
  const a = new Allocator(config({ name: 'test', addresses: ['1.2.3.0/30'] }, { name: 'spare', addresses: ['10.0.0.0/24'] }));
  a.assign(req('ns/s1'));
  const res = a.setConfig(config({ name: 'test', addresses: ['1.2.3.0/30'] }));
  assert.equal([res.accepted, a.pools(), a.ips('ns/s1')], [true, ['test'], ['1.2.3.0']]);
  assert.is(a.assign(req('ns/x', { requestedIPs: ['10.0.0.1'] })).ok, false);
});

test('reload reports moved services', () => {
  const a = start();
  const res = a.setConfig(config({ name: 'renamed', addresses: ['1.2.3.0/30', '1000::/126'] }));
  assert.equal(res.moved, [
    { service: 'ns/s1', from: 'test', to: 'renamed' },
    { service: 'ns/s2', from: 'test', to: 'renamed' },
  ]);
});

test.run();
