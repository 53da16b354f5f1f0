// Three speaker daemons over one in-memory cluster on a fake clock, with recording layer 2
// announcers: one owner per IP, handover on stop (planned) and crash (unplanned), fencing when the
// store is unreachable (fence mode; keep mode is in store-loss.test.ts), Local policy, and what the speakers publish.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpeakerDaemon } from '../../../src/speaker/daemon.js';
import { newRegistry, speakerMetrics } from '../../../src/metrics/metrics.js';
import { cluster, FakeL2, IPS } from './harness.js';
import { legacyConfig, node, service, slice } from './objects.js';


test('three speakers elect exactly one owner per IP', async () => {
  const c = cluster();
  await c.clock.advance(1000);
  for (const ip of IPS) assert.is(c.owners(ip).length, 1, `${ip}: ${c.owners(ip)}`);
  for (const s of c.speakers) await s.d.stop();
});

test('stopping the owner (SIGTERM) hands its IPs over without waiting for the lease to expire', async () => {
  const c = cluster();
  await c.clock.advance(1000);
  const owner = c.speakers.find((s) => s.l2.ips.has('192.0.2.10'))!;
  await owner.d.stop();
  assert.is(owner.l2.ips.size, 0, 'withdrawn at once');
  const t0 = c.clock.now();
  for (let i = 0; i < 100 && c.owners('192.0.2.10').length === 0; i++) await c.clock.advance(5);
  const took = c.clock.now() - t0;
  assert.is(c.owners('192.0.2.10').length, 1);
  assert.ok(took <= 50, `took ${took} ms of fake time`);
  for (const s of c.speakers) await s.d.stop();
});

test('a crashed owner is replaced after the lease duration and never two own an IP', async () => {
  const c = cluster();
  await c.clock.advance(1000);
  const owner = c.speakers.find((s) => s.l2.ips.has('192.0.2.10'))!;
  const held = [...owner.l2.ips];
  owner.link.cut = true; // the process is gone: no renewals, no events
  owner.l2.dead = true;
  const crashedAt = c.clock.now();
  let movedAt = 0;
  for (let i = 0; i < 400 && !movedAt; i++) {
    await c.clock.advance(10);
    // The crashed node still "answers" until it dies for real; here it stops at once, so only
    // the survivors are counted against each other.
    const live = c.speakers.filter((s) => s !== owner);
    for (const ip of held) assert.ok(live.filter((s) => s.l2.ips.has(ip)).length <= 1);
    if (held.every((ip) => live.some((s) => s.l2.ips.has(ip)))) movedAt = c.clock.now();
  }
  assert.ok(movedAt > 0, 'moved');
  const took = movedAt - crashedAt;
  assert.ok(took >= 1500 && took <= 2100, `unplanned failover took ${took} ms of fake time (lease 2000 ms)`);
  await c.clock.advance(50);
  const records = c.state.hub.list('ServiceL2Status').filter((r) => r.status.serviceName === 'web');
  assert.equal(records.map((r) => r.status.node), [c.speakers.find((s) => s.l2.ips.has('192.0.2.10'))!.name], 'the dead node\'s record is gone, the new owner\'s is there');
  for (const s of c.speakers) await s.d.stop();
});

test('with --on-store-loss fence, an owner cut off from the store stops announcing before anyone else starts', async () => {
  const c = cluster([], { lease: { onStoreLoss: 'fence' } });
  await c.clock.advance(1000);
  const owner = c.speakers.find((s) => s.l2.ips.has('192.0.2.10'))!;
  owner.link.cut = true; // partitioned, but alive: it must fence itself
  for (let i = 0; i < 400; i++) {
    await c.clock.advance(10);
    for (const ip of IPS) assert.ok(c.owners(ip).length <= 1, `${ip} owned by ${c.owners(ip)} at +${i * 10} ms`);
  }
  assert.is(owner.l2.ips.size, 0, 'fenced');
  assert.is(c.owners('192.0.2.10').length, 1, 'taken over');
  for (const s of c.speakers) await s.d.stop();
});

test('a speaker joining late takes over the IPs it wins without ever overlapping the old owner', async () => {
  const c = cluster();
  // The newcomer sees the store at once; the others learn of its lease 20 ms later. Without the
  // join grace it would start answering while the old owner still does.
  for (const s of c.speakers.slice(0, 2)) s.link.latencyMs = 20;
  const late = c.speakers[2]!;
  await late.d.stop(); // node-c is down at first
  await c.clock.advance(1000);
  for (const ip of IPS) assert.is(c.owners(ip).length, 1);
  const before = IPS.map((ip) => c.owners(ip)[0]);
  const l2 = new FakeL2();
  const again = new SpeakerDaemon(late.link, { node: 'node-c', layer2: l2, clock: c.clock, metrics: speakerMetrics(newRegistry(false)) });
  c.speakers[2] = { ...late, l2, d: again };
  again.start();
  for (let i = 0; i < 200; i++) {
    await c.clock.advance(5);
    for (const ip of IPS) assert.ok(c.owners(ip).length <= 1, `${ip} owned by ${c.owners(ip)} at +${i * 5} ms`);
  }
  const after = IPS.map((ip) => c.owners(ip)[0]);
  assert.ok(after.includes('node-c'), `node-c won something: ${after}`);
  assert.not.equal(after, before);
  for (const s of c.speakers) await s.d.stop();
});

test('with Local traffic policy only nodes with a ready endpoint may own the IP', async () => {
  const c = cluster([service('local', { ips: ['192.0.2.13'], policy: 'Local' }), slice('local', ['node-b'])]);
  await c.clock.advance(1000);
  assert.equal(c.owners('192.0.2.13'), ['node-b']);
  c.state.put(slice('local', ['node-c']));
  await c.clock.advance(50);
  assert.equal(c.owners('192.0.2.13'), ['node-c']);
  c.state.put(slice('local', []));
  await c.clock.advance(50);
  assert.equal(c.owners('192.0.2.13'), [], 'no usable endpoint: nobody announces');
  for (const s of c.speakers) await s.d.stop();
});

test('a Service of another load-balancer class is announced by nobody', async () => {
  const c = cluster([service('theirs', { ips: ['192.0.2.14'], lbClass: 'other.io/lb' }), slice('theirs', ['node-a', 'node-b', 'node-c'])]);
  await c.clock.advance(1000);
  assert.equal(c.owners('192.0.2.14'), []);
  assert.is(c.owners('192.0.2.10').length, 1, 'the others are still announced');
  for (const s of c.speakers) await s.d.stop();
});

test('a node marked NetworkUnavailable or excluded from load balancers never owns an IP', async () => {
  const c = cluster();
  await c.clock.advance(1000);
  const owner = c.owners('192.0.2.11')[0]!;
  c.state.put({ ...node(owner), status: { conditions: [{ type: 'NetworkUnavailable', status: 'True' }] } });
  await c.clock.advance(50);
  assert.ok(!c.owners('192.0.2.11').includes(owner) && c.owners('192.0.2.11').length === 1, `moved off ${owner}`);
  c.state.put(node(owner));
  const next = c.owners('192.0.2.11')[0]!;
  c.state.put(node(next, { 'node.kubernetes.io/exclude-from-external-load-balancers': '' }));
  await c.clock.advance(50);
  assert.ok(!c.owners('192.0.2.11').includes(next), `moved off the excluded ${next}`);
  for (const s of c.speakers) await s.d.stop();
});

test('the owner publishes a ServiceL2Status record, a nodeAssigned event and the announced metric', async () => {
  const c = cluster();
  await c.clock.advance(1000);
  const owner = c.speakers.find((s) => s.l2.ips.has('192.0.2.10'))!;
  const rec = c.state.get('ServiceL2Status', 'metallb-system', `l2-${owner.name}-default-web`);
  assert.equal(rec?.status, { node: owner.name, serviceName: 'web', serviceNamespace: 'default' });
  assert.ok(c.state.events.some((e) => e.reason === 'nodeAssigned' && e.involved.name === 'web' && e.message.includes(owner.name)));
  const m = await owner.d.metrics.registry.getSingleMetric('metallb_speaker_announced')!.get();
  assert.ok(m.values.some((v) => v.labels['ip'] === '192.0.2.10' && v.labels['protocol'] === 'layer2' && v.value === 1));
  await owner.d.stop();
  await c.clock.advance(50);
  assert.is(c.state.get('ServiceL2Status', 'metallb-system', `l2-${owner.name}-default-web`), undefined, 'record removed on stop');
  for (const s of c.speakers) await s.d.stop();
});

test('an invalid config leaves the announcements as they were', async () => {
  const c = cluster();
  await c.clock.advance(1000);
  const before = IPS.map((ip) => c.owners(ip).join());
  c.state.put(legacyConfig('address-pools: [{name: lan, protocol: layer2, addresses: [bad]}]'));
  await c.clock.advance(100);
  assert.equal(IPS.map((ip) => c.owners(ip).join()), before);
  const stale = await c.speakers[0]!.d.metrics.registry.getSingleMetric('metallb_k8s_client_config_stale_bool')!.get();
  assert.is(stale.values[0]!.value, 1);
  const rec = c.state.get('ConfigurationState', 'metallb-system', 'speaker-node-a');
  assert.is(rec?.status.result, 'Invalid');
  assert.match(rec?.status.errorSummary, /bad/);
  for (const s of c.speakers) await s.d.stop();
});

test.run();
