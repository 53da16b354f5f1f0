// Small daemon parts: the work queue, the source flag, the metrics endpoint, status records, the
// probe analysis and the lab topology.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WorkQueue } from '../../../src/controller/queue.js';
import { parseSourceSpec } from '../../../src/state/open.js';
import { parseListen, startMetricsServer } from '../../../src/metrics/server.js';
import { controllerMetrics, newRegistry } from '../../../src/metrics/metrics.js';
import { recordName, statusRecord } from '../../../src/speaker/publisher.js';
import { analyseCapture, type ProbeRecord } from '../../../src/lab/probe-format.js';
import { birdConfig, labMembers } from '../../../src/lab/topology.js';

test('the work queue runs each key once per add burst, in order, and retries transient failures', async () => {
  const seen: string[] = [];
  let failOnce = true;
  const q = new WorkQueue(async (k) => {
    seen.push(k);
    if (k === 'b' && failOnce) { failOnce = false; return 'retry'; }
    return 'done';
  }, { baseDelayMs: 5 });
  q.add('a', 'b', 'a', 'c');
  await q.idle();
  assert.equal(seen, ['a', 'b', 'c']);
  await new Promise((r) => setTimeout(r, 30));
  await q.idle();
  assert.equal(seen, ['a', 'b', 'c', 'b']);
  await q.stop();
});

test('with concurrency, decisions still start in order and a key never runs twice at once', async () => {
  const started: string[] = [];
  const running = new Set<string>();
  let overlap = false;
  const q = new WorkQueue(async (k) => {
    started.push(k);
    if (running.has(k)) overlap = true;
    running.add(k);
    await new Promise((r) => setTimeout(r, 5));
    running.delete(k);
    return 'done';
  }, { concurrency: 4 });
  q.add('a', 'b', 'c', 'd', 'e');
  await Promise.resolve();
  q.add('a');
  await new Promise((r) => setTimeout(r, 50));
  await q.idle();
  assert.equal(started.slice(0, 5), ['a', 'b', 'c', 'd', 'e']);
  assert.is(started.filter((k) => k === 'a').length, 2);
  assert.is(overlap, false);
  await q.stop();
});

const specs = [
  { spec: 'dir:/tmp/x', want: { kind: 'dir', path: '/tmp/x' } },
  { spec: 'dir:relative/path', want: { kind: 'dir', path: 'relative/path' } },
  { spec: 'k8s', want: { kind: 'k8s' } },
];
for (const c of specs) test(`--source ${c.spec} is understood`, () => assert.equal(parseSourceSpec(c.spec), c.want));
for (const bad of ['dir:', 'file:/x', '']) {
  test(`--source ${JSON.stringify(bad)} is rejected naming the value`, () => assert.throws(() => parseSourceSpec(bad), (e: Error) => e.message.includes(JSON.stringify(bad))));
}

const listens = [
  { in: '127.0.0.1:0', want: { host: '127.0.0.1', port: 0 } },
  { in: ':7472', want: { host: '0.0.0.0', port: 7472 } },
  { in: '[::1]:9120', want: { host: '::1', port: 9120 } },
];
for (const c of listens) test(`the listen address ${c.in} is parsed`, () => assert.equal(parseListen(c.in), c.want));
test('a listen address without a port is rejected', () => assert.throws(() => parseListen('localhost'), /host:port/));

test('the metrics endpoint serves MetalLB names and the probes report readiness with a reason', async () => {
  const m = controllerMetrics(newRegistry(false));
  m.addressesInUse.set({ pool: 'lan' }, 3);
  let ready: { ready: true } | { ready: false; reason: string } = { ready: false, reason: 'initial list not received yet' };
  const srv = await startMetricsServer('127.0.0.1:0', m.registry, () => ready);
  try {
    const text = await (await fetch(`http://${srv.address}/metrics`)).text();
    assert.match(text, /^metallb_allocator_addresses_in_use_total\{pool="lan"\} 3$/m);
    assert.match(text, /metallb_k8s_client_config_stale_bool/);
    assert.is((await fetch(`http://${srv.address}/healthz`)).status, 200);
    const nr = await fetch(`http://${srv.address}/readyz`);
    assert.is(nr.status, 503);
    assert.match(await nr.text(), /initial list/);
    ready = { ready: true };
    assert.is((await fetch(`http://${srv.address}/readyz`)).status, 200);
    assert.is((await fetch(`http://${srv.address}/nope`)).status, 404);
  } finally {
    await srv.close();
  }
});

test('status records carry MetalLB labels and a deterministic name', () => {
  const r = statusRecord({ key: 'shop/web', protocol: 'bgp', ips: ['198.51.100.1/32'], peers: ['p1'] }, 'n1', 'metallb-system');
  assert.is(r.kind, 'ServiceBGPStatus');
  assert.is(r.metadata.name, recordName('bgp', 'n1', 'shop/web'));
  assert.is(r.metadata.name, 'bgp-n1-shop-web');
  assert.equal(r.metadata.labels, { 'metallb.io/node': 'n1', 'metallb.io/service-name': 'web', 'metallb.io/service-namespace': 'shop' });
  assert.equal(r.status, { node: 'n1', serviceName: 'web', serviceNamespace: 'shop', peers: ['p1'] });
  const l2 = statusRecord({ key: 'shop/web', protocol: 'layer2', ips: ['192.0.2.1'], interfaces: ['eth1'] }, 'n1', 'metallb-system');
  assert.equal(l2.status.interfaces, [{ name: 'eth1' }]);
});

const rec = (seq: number, mac: string, t: number, kind: ProbeRecord['kind'] = 'reply'): ProbeRecord => ({ kind, seq, mac, t });
test('a capture where two MACs answer one round is a conflict', () => {
  const a = analyseCapture([rec(1, 'aa', 10), rec(2, 'aa', 20), rec(2, 'bb', 21), rec(3, 'bb', 30)], 'aa', 15);
  assert.equal(a.conflicts, [{ seq: 2, macs: ['aa', 'bb'] }]);
  assert.equal(a.firstAfter, rec(2, 'bb', 21));
});
test('a clean handover has no conflict and finds the first answer of the new owner', () => {
  const a = analyseCapture([rec(1, 'aa', 10), rec(2, 'aa', 20), rec(9, 'bb', 95, 'garp'), rec(10, 'bb', 100)], 'aa', 25);
  assert.equal(a.conflicts, []);
  assert.is(a.firstAfter?.t, 95);
  assert.is(a.lastOld?.t, 20);
});

test('the lab router gets one passive session per node, in the demo ASNs', () => {
  const conf = birdConfig(labMembers(), '/tmp/bird.log');
  assert.match(conf, /local 192\.0\.2\.254 as 64512;/);
  assert.is(conf.match(/neighbor 192\.0\.2\.1[123] as 64513;/g)?.length, 3);
  assert.match(conf, /passive on;/);
});

test.run();
