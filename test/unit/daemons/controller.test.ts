// The controller daemon over the in-memory cluster state: the acceptance list at unit level
// (the same cases run against the directory source and real processes in test/integration/daemons).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryState } from '../../../src/state/memory.js';
import { ingressIPsOf } from '../../../src/state/objects.js';
import { ControllerDaemon } from '../../../src/controller/daemon.js';
import { controllerMetrics, newRegistry } from '../../../src/metrics/metrics.js';
import { legacyConfig, l2Pool, service } from './objects.js';

async function started(state: MemoryState, opts: ConstructorParameters<typeof ControllerDaemon>[1] = {}) {
  const d = new ControllerDaemon(state, { metrics: controllerMetrics(newRegistry(false)), retryConfigMs: 50, ...opts });
  d.start();
  await settle(d);
  return d;
}

async function settle(d: ControllerDaemon): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 30)); // config debounce is 20 ms
    await d.idle();
  }
}

const ips = (s: MemoryState, name: string) => ingressIPsOf(s.get('Service', 'default', name)!);
const gauge = async (d: ControllerDaemon, name: string) => (await d.metrics.registry.getSingleMetric(name)!.get()).values;

test('services get addresses in their status once the config is loaded', async () => {
  const s = new MemoryState('metallb-system', [legacyConfig(l2Pool(['192.0.2.10-192.0.2.11'])), service('a'), service('b')]);
  const d = await started(s);
  assert.equal([ips(s, 'a'), ips(s, 'b')].flat().sort(), ['192.0.2.10', '192.0.2.11']);
  assert.is(s.get('Service', 'default', 'a')!.metadata.annotations?.['metallb.io/ip-allocated-from-pool'], 'lan');
  assert.ok(s.events.some((e) => e.reason === 'IPAllocated' && e.involved.name === 'a'));
  const inUse = await gauge(d, 'metallb_allocator_addresses_in_use_total');
  assert.equal(inUse.map((v) => [v.labels['pool'], v.value]), [['lan', 2]]);
  assert.equal(d.readiness(), { ready: true });
  await d.stop();
});

test('without any config nothing is written and the controller is not ready', async () => {
  const s = new MemoryState('metallb-system', [service('a', { ips: ['192.0.2.99'] })]);
  const d = await started(s);
  assert.equal(ips(s, 'a'), ['192.0.2.99'], 'existing status untouched');
  assert.is(d.readiness().ready, false);
  assert.is((await gauge(d, 'metallb_k8s_client_config_stale_bool'))[0]!.value, 1);
  await d.stop();
});

test('a valid config change is applied and re-processes every service', async () => {
  const s = new MemoryState('metallb-system', [legacyConfig(l2Pool(['192.0.2.10/32'])), service('a'), service('b')]);
  const d = await started(s);
  const waiting = ips(s, 'a').length === 0 ? 'a' : 'b';
  assert.equal(ips(s, waiting), [], 'one service waits: the pool has one address');
  s.put(legacyConfig(l2Pool(['192.0.2.10/31'])));
  await settle(d);
  assert.equal(ips(s, waiting), ['192.0.2.11']);
  assert.ok(s.events.some((e) => e.reason === 'AllocationFailed' && e.involved.name === waiting));
  await d.stop();
});

test('an invalid config keeps the old one, marks it stale and reports it', async () => {
  const s = new MemoryState('metallb-system', [legacyConfig(l2Pool(['192.0.2.10/32'])), service('a')]);
  const d = await started(s);
  s.put(legacyConfig('address-pools:\n- name: lan\n  protocol: layer2\n  addresses: [not-an-ip]\n'));
  await settle(d);
  assert.is((await gauge(d, 'metallb_k8s_client_config_stale_bool'))[0]!.value, 1);
  assert.ok(s.events.some((e) => e.reason === 'ConfigStale' && e.type === 'Warning' && /not-an-ip/.test(e.message)), 'event names the bad value');
  const record = s.get('ConfigurationState', 'metallb-system', 'controller');
  assert.is(record?.status.result, 'Invalid');
  s.put(service('late'));
  await settle(d);
  assert.equal(ips(s, 'late'), [], 'old pool (one address, in use) still in force');
  assert.equal(ips(s, 'a'), ['192.0.2.10']);
  s.put(legacyConfig(l2Pool(['192.0.2.10/31'])));
  await settle(d);
  assert.is((await gauge(d, 'metallb_k8s_client_config_stale_bool'))[0]!.value, 0);
  assert.equal(ips(s, 'late'), ['192.0.2.11']);
  await d.stop();
});

test('a config that takes an in-use address away is refused until the service is gone', async () => {
  const s = new MemoryState('metallb-system', [legacyConfig(l2Pool(['192.0.2.10/31'])), service('a'), service('b')]);
  const d = await started(s);
  const holder = ips(s, 'a')[0] === '192.0.2.11' ? 'a' : 'b';
  s.put(legacyConfig(l2Pool(['192.0.2.10/32'])));
  await settle(d);
  assert.is((await gauge(d, 'metallb_k8s_client_config_stale_bool'))[0]!.value, 1);
  assert.equal(ips(s, holder), ['192.0.2.11'], 'still holds the address');
  s.remove('Service', 'default', holder);
  await settle(d);
  assert.is((await gauge(d, 'metallb_k8s_client_config_stale_bool'))[0]!.value, 0, 'accepted once the blocker left');
  await d.stop();
});

test('deleting a service gives its address to a waiting one', async () => {
  const s = new MemoryState('metallb-system', [legacyConfig(l2Pool(['192.0.2.10/32'])), service('first', { ips: ['192.0.2.10'] }), service('second')]);
  const d = await started(s);
  assert.equal(ips(s, 'second'), []);
  s.remove('Service', 'default', 'first');
  await settle(d);
  assert.equal(ips(s, 'second'), ['192.0.2.10']);
  await d.stop();
});

test('a waiting service gets one AllocationFailed event, not one per reprocess pass', async () => {
  const s = new MemoryState('metallb-system', [legacyConfig(l2Pool(['192.0.2.10/32'])), service('holder', { ips: ['192.0.2.10'] }), service('waiting'), service('x', { type: 'ClusterIP' })]);
  const d = await started(s);
  for (let i = 0; i < 3; i++) {
    // Each deletion of a service that held nothing, and each config re-apply, re-processes everyone.
    s.put(legacyConfig(l2Pool(['192.0.2.10/32']) + `# touch ${i}\n`));
    await settle(d);
  }
  const failed = s.events.filter((e) => e.reason === 'AllocationFailed' && e.involved.name === 'waiting');
  assert.is(failed.length, 1);
  assert.match(failed[0]!.message, /waiting/);
  s.remove('Service', 'default', 'holder');
  await settle(d);
  assert.equal(ips(s, 'waiting'), ['192.0.2.10']);
  assert.is(s.events.filter((e) => e.reason === 'IPAllocated' && e.involved.name === 'waiting').length, 1);
  await d.stop();
});

test('a restarted controller re-learns every address and changes none', async () => {
  const objs = [legacyConfig(l2Pool(['192.0.2.10-192.0.2.14'])), ...['e', 'd', 'c', 'b', 'a'].map((n) => service(n))];
  const s = new MemoryState('metallb-system', objs);
  const first = await started(s);
  const before = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [n, ips(s, n)]));
  await first.stop();
  // A new service arrives while no controller runs: it must not take anyone's address.
  s.put(service('new'));
  const writesBefore = s.writes.get('patchServiceStatus') ?? 0;
  const second = await started(s);
  const after = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((n) => [n, ips(s, n)]));
  assert.equal(after, before);
  assert.equal(ips(s, 'new'), [], 'the pool is full');
  assert.is(s.writes.get('patchServiceStatus') ?? 0, writesBefore, 'no status rewritten');
  await second.stop();
});

test('on start, a service with an invalid status address cannot take a running service\'s address', async () => {
  // 'a' sorts first (two status addresses, both outside every pool); its new address must not be
  // 'b''s 192.0.2.10, which 'b' re-learns in the first phase of the pass.
  const s = new MemoryState('metallb-system', [
    legacyConfig(l2Pool(['192.0.2.10-192.0.2.11'])),
    service('a', { ips: ['203.0.113.5', '203.0.113.6'] }),
    service('b', { ips: ['192.0.2.10'] }),
  ]);
  const d = await started(s);
  assert.equal(ips(s, 'b'), ['192.0.2.10'], 'the running service keeps its address');
  assert.equal(ips(s, 'a'), ['192.0.2.11']);
  assert.ok(s.events.some((e) => e.reason === 'ClearAssignment' && e.involved.name === 'a'));
  await d.stop();
});

test('services of another load-balancer class are left alone', async () => {
  const s = new MemoryState('metallb-system', [legacyConfig(l2Pool(['192.0.2.10/31'])), service('mine'), service('theirs', { lbClass: 'other.io/lb' })]);
  const d = await started(s);
  assert.equal(ips(s, 'theirs'), []);
  assert.is(ips(s, 'mine').length, 1);
  await d.stop();
  const s2 = new MemoryState('metallb-system', [legacyConfig(l2Pool(['192.0.2.10/31'])), service('mine'), service('theirs', { lbClass: 'other.io/lb' })]);
  const d2 = await started(s2, { lbClass: 'other.io/lb' });
  assert.equal(ips(s2, 'mine'), []);
  assert.is(ips(s2, 'theirs').length, 1);
  await d2.stop();
});

test('a status write that fails transiently is retried', async () => {
  const s = new MemoryState('metallb-system', [legacyConfig(l2Pool(['192.0.2.10/32']))]);
  const d = await started(s);
  s.unreachable = true;
  s.hub.put(service('a'));
  await settle(d);
  assert.equal(ips(s, 'a'), []);
  s.unreachable = false;
  for (let i = 0; i < 40 && ips(s, 'a').length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(ips(s, 'a'), ['192.0.2.10']);
  await d.stop();
});

test('a Service manifest that becomes unreadable keeps its address until it is fixed', async () => {
  const s = new MemoryState('metallb-system', [legacyConfig(l2Pool(['192.0.2.10/31'])), service('a'), service('b')]);
  const d = await started(s);
  const held = ips(s, 'a');
  const broken = s.get('Service', 'default', 'a')!;
  s.put({ ...broken, spec: { ...broken.spec, ports: [{ port: 'http', protocol: 'TCP' }] } });
  await settle(d);
  assert.equal(ips(s, 'a'), held, 'status untouched');
  assert.equal(d.allocator.ips('default/a'), held, 'allocation kept');
  s.put(service('c'));
  await settle(d);
  assert.equal(ips(s, 'c'), [], 'nobody takes the address meanwhile');
  await d.stop();
});

test('changing a service to ClusterIP frees its address', async () => {
  const s = new MemoryState('metallb-system', [legacyConfig(l2Pool(['192.0.2.10/32'])), service('a'), service('b')]);
  const d = await started(s);
  const holder = ips(s, 'a').length ? 'a' : 'b';
  const other = holder === 'a' ? 'b' : 'a';
  s.put({ ...s.get('Service', 'default', holder)!, spec: { ...s.get('Service', 'default', holder)!.spec, type: 'ClusterIP' } });
  await settle(d);
  assert.equal(ips(s, holder), []);
  assert.equal(ips(s, other), ['192.0.2.10']);
  await d.stop();
});

test.run();
