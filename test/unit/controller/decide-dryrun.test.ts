import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dryRun, flattenManifests } from '../../../src/controller/decide-dryrun.js';
import { config } from '../allocator/helpers.js';

const svc = (name: string, ns = 'default', extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns, ...((extra.metadata as object) ?? {}) },
  spec: { type: 'LoadBalancer', ports: [{ port: 80 }], ...((extra.spec as object) ?? {}) },
  ...(extra.status ? { status: extra.status } : {}),
});

test('flattenManifests expands Lists and arrays and drops scalars', () => {
  const flat = flattenManifests([{ kind: 'List', items: [svc('a'), [svc('b')]] }, 'junk', null, [svc('c')]]);
  assert.equal(flat.map((o) => (o.metadata as { name: string }).name), ['a', 'b', 'c']);
});

test('entries follow input order; invalid and duplicate manifests are reported, not fatal', () => {
  const cfg = config({ name: 'p', addresses: ['192.0.2.0/31'] });
  const entries = dryRun(cfg, [svc('b'), { kind: 'Service', metadata: {} }, svc('a'), svc('b'), { kind: 'ConfigMap', metadata: { name: 'x' } }]);
  assert.equal(
    entries.map((e) => [e.service, e.outcome, e.ips.join(',')]),
    [
      ['default/b', 'allocated', '192.0.2.0'],
      ['#2', 'invalid', ''],
      ['default/a', 'allocated', '192.0.2.1'],
      ['default/b', 'invalid', ''],
    ],
  );
  assert.match(entries[1]!.error!, /metadata\.name is missing/);
  assert.match(entries[3]!.error!, /appears more than once/);
});

test('a status address is re-learned even when an earlier service in the file wants a new one', () => {
  const cfg = config({ name: 'p', addresses: ['192.0.2.0/31'] });
  const entries = dryRun(cfg, [svc('new'), svc('old', 'default', { status: { loadBalancer: { ingress: [{ ip: '192.0.2.0' }] } } })]);
  assert.equal(entries.map((e) => `${e.service}=${e.ips.join(',')}`), ['default/new=192.0.2.1', 'default/old=192.0.2.0']);
});

test('namespace labels come from Namespace objects, and every namespace has its name label', () => {
  const cfg = config(
    { name: 'byLabel', addresses: ['192.0.2.0/32'], serviceAllocation: { priority: 1, namespaceSelectors: [{ matchLabels: { env: 'prod' }, matchExpressions: [] }] } },
    { name: 'byName', addresses: ['198.51.100.0/32'], serviceAllocation: { priority: 2, namespaceSelectors: [{ matchLabels: { 'kubernetes.io/metadata.name': 'dev' }, matchExpressions: [] }] } },
    { name: 'rest', addresses: ['203.0.113.0/32'] },
  );
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { env: 'prod' } } };
  const entries = dryRun(cfg, [ns, svc('a', 'shop'), svc('b', 'dev'), svc('c', 'other')]);
  assert.equal(entries.map((e) => `${e.service}=${e.pool}`), ['shop/a=byLabel', 'dev/b=byName', 'other/c=rest']);
});

test('an explicit lbClass handles only that class', () => {
  const cfg = config({ name: 'p', addresses: ['192.0.2.0/30'] });
  const entries = dryRun(cfg, [svc('a'), svc('b', 'default', { spec: { loadBalancerClass: 'x' } })], { lbClass: 'x' });
  assert.equal(entries.map((e) => `${e.service}:${e.outcome}`), ['default/a:ignored', 'default/b:allocated']);
});

test.run();
