import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Allocator } from '../../../src/allocator/allocator.js';
import { familyPlans, poolServes } from '../../../src/allocator/select.js';
import type { AllocationRequest } from '../../../src/allocator/types.js';
import type { ServiceAllocation } from '../../../src/model/config.js';
import { config, pool, req } from './helpers.js';

const sel = (matchLabels: Record<string, string>) => ({ matchLabels, matchExpressions: [] });

const fitCases: { desc: string; sa: Partial<ServiceAllocation>; r: Partial<AllocationRequest>; want: string }[] = [
  { desc: 'a namespace pool serves its namespace', sa: { namespaces: ['a'] }, r: { namespace: 'a' }, want: 'ok' },
  { desc: 'a namespace pool refuses another namespace', sa: { namespaces: ['a'] }, r: { namespace: 'b' }, want: 'namespace' },
  { desc: 'a namespaceSelector pool serves a namespace with matching labels', sa: { namespaceSelectors: [sel({ team: 'x' })] }, r: { namespace: 'b', namespaceLabels: { team: 'x' } }, want: 'ok' },
  { desc: 'a namespaceSelector pool refuses a namespace without the labels', sa: { namespaceSelectors: [sel({ team: 'x' })] }, r: { namespace: 'b', namespaceLabels: { team: 'y' } }, want: 'namespace' },
  { desc: 'a namespaceSelector pool refuses when the namespace labels are unknown', sa: { namespaceSelectors: [sel({ team: 'x' })] }, r: { namespace: 'b' }, want: 'namespace' },
  { desc: 'names and selectors are alternatives', sa: { namespaces: ['a'], namespaceSelectors: [sel({ team: 'x' })] }, r: { namespace: 'a', namespaceLabels: {} }, want: 'ok' },
  { desc: 'a serviceSelector pool serves matching services', sa: { serviceSelectors: [sel({ tier: 'web' })] }, r: { labels: { tier: 'web' } }, want: 'ok' },
  { desc: 'a serviceSelector pool refuses other services', sa: { serviceSelectors: [sel({ tier: 'web' })] }, r: { labels: { tier: 'db' } }, want: 'serviceSelector' },
  { desc: 'any one of several service selectors is enough', sa: { serviceSelectors: [sel({ tier: 'db' }), sel({ tier: 'web' })] }, r: { labels: { tier: 'web' } }, want: 'ok' },
  { desc: 'namespace and service selector must both hold (namespace fails)', sa: { namespaces: ['a'], serviceSelectors: [sel({ tier: 'web' })] }, r: { namespace: 'b', labels: { tier: 'web' } }, want: 'namespace' },
  { desc: 'namespace and service selector must both hold (selector fails)', sa: { namespaces: ['a'], serviceSelectors: [sel({ tier: 'web' })] }, r: { namespace: 'a', labels: {} }, want: 'serviceSelector' },
  { desc: 'priority alone restricts nothing', sa: { priority: 3 }, r: { namespace: 'z' }, want: 'ok' },
];

for (const c of fitCases) {
  test(`poolServes: ${c.desc}`, () => {
    const p = pool({ name: 'p', addresses: ['10.0.0.0/24'], serviceAllocation: c.sa });
    const fit = poolServes(p, req('a/x', c.r));
    assert.is(fit.ok ? 'ok' : fit.reason, c.want);
  });
}

test('a restricted pool is skipped for other services and used for its own, even at lower priority', () => {
  const a = new Allocator(
    config(
      { name: 'shared', addresses: ['10.0.0.0/24'] },
      { name: 'team', addresses: ['10.1.0.0/24'], serviceAllocation: { priority: 5, namespaces: ['team'] } },
    ),
  );
  const mine = a.assign(req('team/x', { namespace: 'team' }));
  const other = a.assign(req('else/y', { namespace: 'else' }));
  assert.equal([mine.ok && mine.pool, other.ok && other.pool], ['team', 'shared']);
});

test('explicit requests into a restricted pool from outside are refused', () => {
  const a = new Allocator(config({ name: 'team', addresses: ['10.1.0.0/24'], serviceAllocation: { namespaces: ['team'] } }));
  const byIP = a.assign(req('else/y', { requestedIPs: ['10.1.0.5'] }));
  const byPool = a.assign(req('else/z', { requestedPool: 'team' }));
  assert.equal([byIP.ok || byIP.reason, byPool.ok || byPool.reason], ['poolNotCompatible', 'poolNotCompatible']);
});

test('equal priorities keep config order', () => {
  const a = new Allocator(
    config(
      { name: 'b', addresses: ['10.2.0.0/32'], serviceAllocation: { priority: 7 } },
      { name: 'a', addresses: ['10.1.0.0/32'], serviceAllocation: { priority: 7 } },
    ),
  );
  const got = [a.assign(req('n/1')), a.assign(req('n/2'))].map((r) => r.ok && r.pool);
  assert.equal(got, ['b', 'a']);
});

const planCases: { families: (4 | 6)[]; policy: AllocationRequest['policy']; want: number[][] }[] = [
  { families: [4], policy: 'SingleStack', want: [[4]] },
  { families: [6], policy: 'PreferDualStack', want: [[6]] },
  { families: [6, 4], policy: 'SingleStack', want: [[6]] },
  { families: [6, 4], policy: 'RequireDualStack', want: [[4, 6]] },
  { families: [6, 4], policy: 'PreferDualStack', want: [[4, 6], [6], [4]] },
  { families: [], policy: 'SingleStack', want: [[4]] },
];

for (const c of planCases) {
  test(`familyPlans ${c.policy} ${JSON.stringify(c.families)} tries ${JSON.stringify(c.want)}`, () => {
    assert.equal(familyPlans(c), c.want);
  });
}

test.run();
