import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { patchCommand, serviceRefs, servicesReport } from '../../../src/migrate/services.js';
import { ConfigError } from '../../../src/model/index.js';
import { pool } from './fixtures.js';

const svc = (name: string, annotations: Record<string, string>, ips: string[] = [], namespace = 'shop') => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, annotations },
  spec: { type: 'LoadBalancer' },
  status: { loadBalancer: { ingress: ips.map((ip) => ({ ip })) } },
});

const pools = [pool('my-pool', ['192.0.2.0/24']), pool('v6', ['2001:db8::/64'])];
const renames = new Map([['My_Pool', 'my-pool']]);

test('serviceRefs reads Service objects and the items of a List', () => {
  const refs = serviceRefs([svc('a', {}), { apiVersion: 'v1', kind: 'List', items: [svc('b', {}, ['192.0.2.5'])] }], 'svcs.yaml');
  assert.equal(refs.map((r) => `${r.namespace}/${r.name}:${r.ingressIPs.join(',')}`), ['shop/a:', 'shop/b:192.0.2.5']);
});

test('serviceRefs refuses documents that are not Services, naming the kind', () => {
  assert.throws(() => serviceRefs([{ kind: 'Pod', metadata: { name: 'x' } }], 'svcs.yaml'), (e: ConfigError) => e.code === 'migrate.bad-services' && /"Pod"/.test(e.message));
});

const cases: [string, ReturnType<typeof svc>, string[]][] = [
  ['a service on a renamed pool gets the renamed-pool finding', svc('web', { 'metallb.universe.tf/address-pool': 'My_Pool' }, ['192.0.2.10']), ['renamed-pool']],
  ['the metallb.io annotation is checked too', svc('web', { 'metallb.io/address-pool': 'My_Pool' }), ['renamed-pool']],
  ['a service naming a pool that exists is fine', svc('web', { 'metallb.io/address-pool': 'my-pool' }, ['192.0.2.10']), []],
  ['a service naming a pool nobody has is reported', svc('web', { 'metallb.io/address-pool': 'gone' }), ['unknown-pool']],
  ['an ingress IP outside every pool is reported', svc('web', {}, ['198.51.100.7']), ['uncovered-ip']],
  ['an IPv6 ingress IP inside a pool is fine', svc('web', {}, ['2001:db8::5']), []],
  ['an ingress value that is no IP is reported as uncovered', svc('web', {}, ['not-an-ip']), ['uncovered-ip']],
  ['dual-stack: only the uncovered family is reported', svc('web', {}, ['192.0.2.9', '2001:db8:1::5']), ['uncovered-ip']],
];
for (const [desc, service, want] of cases) {
  test(`servicesReport: ${desc}`, () => {
    const got = servicesReport(serviceRefs([service], 'svcs.yaml'), pools, renames);
    assert.equal(got.map((f) => f.reason), want);
    for (const f of got) assert.match(f.message, 'shop/web');
  });
}

test('the patch for a renamed pool is a kubectl merge patch setting the new name on the same annotation', () => {
  const [f] = servicesReport(serviceRefs([svc('web', { 'metallb.universe.tf/address-pool': 'My_Pool' })], 's'), pools, renames);
  assert.is(f!.patch, `kubectl -n shop patch service web --type merge -p '{"metadata":{"annotations":{"metallb.universe.tf/address-pool":"my-pool"}}}'`);
  const json = f!.patch!.slice(f!.patch!.indexOf("'") + 1, -1);
  assert.equal(JSON.parse(json), { metadata: { annotations: { 'metallb.universe.tf/address-pool': 'my-pool' } } });
});

test('patchCommand defaults nothing: it uses the service namespace as given', () => {
  assert.match(patchCommand({ namespace: 'default', name: 'x', annotations: {}, ingressIPs: [] }, 'metallb.io/address-pool', 'p'), '-n default patch service x');
});

test.run();
