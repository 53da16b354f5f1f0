// Three speaker daemons when the store goes away, on a fake clock: a full outage (every speaker
// cut off for longer than the lease) and one speaker partitioned from the store but not from the
// LAN, in keep mode (the default) and fence mode. Checked every 10 ms of fake time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cluster, IPS } from './harness.js';
import { node, service, slice } from './objects.js';
import { hashOrder } from '../../../src/speaker/election.js';

const STEP = 10;
const R = 500; // default renew interval
const D = 2000; // default lease duration

type C = ReturnType<typeof cluster>;
const ownersNow = (c: C) => IPS.map((ip) => c.owners(ip));

// Steps the clock for `ms`, calling `check` after every step with the elapsed time.
async function during(c: C, ms: number, check: (elapsed: number) => void): Promise<void> {
  for (let t = STEP; t <= ms; t += STEP) { await c.clock.advance(STEP); check(t); }
}

test('keep: a full store outage longer than the lease changes no owner, leaves no gap and makes no duplicate', async () => {
  const c = cluster();
  await c.clock.advance(1000);
  const before = ownersNow(c);
  for (const o of before) assert.is(o.length, 1);
  for (const s of c.speakers) s.link.cut = true;
  await during(c, 3 * D, (t) => assert.equal(ownersNow(c), before, `owners changed ${t} ms into the outage`));
  assert.equal(c.speakers[0]!.d.readiness(), { ready: false, reason: 'lease: storeLost' }, 'not ready while holding on');
  for (const s of c.speakers) s.link.heal();
  await during(c, 2 * D, (t) => assert.equal(ownersNow(c), before, `owners changed ${t} ms after the store came back`));
  assert.equal(c.speakers.map((s) => s.d.liveness.liveSet().self.reason), ['leaseHeld', 'leaseHeld', 'leaseHeld']);
  await c.stopAll();
});

test('keep: speakers that come back at different times still never change an owner', async () => {
  const c = cluster();
  await c.clock.advance(1000);
  const before = ownersNow(c);
  for (const s of c.speakers) s.link.cut = true;
  await during(c, 2500, () => assert.equal(ownersNow(c), before));
  // The store returns for one speaker at a time, 600 ms apart (all within duration - renew of
  // the first): the first back must not expire the others, who are still frozen and announcing.
  for (const s of c.speakers) {
    s.link.heal();
    await during(c, 600, (t) => assert.equal(ownersNow(c), before, `owners changed ${t} ms after ${s.name} came back`));
  }
  await during(c, 2 * D, (t) => assert.equal(ownersNow(c), before, `owners changed ${t} ms after all came back`));
  await c.stopAll();
});

test('keep: writes working again before the watch reconnects do not thaw a view (nobody expires anybody blind)', async () => {
  const c = cluster();
  await c.clock.advance(1000);
  const before = ownersNow(c);
  for (const s of c.speakers) s.link.cut = true;
  await c.clock.advance(2500);
  // The API server is back: renewals succeed at once, but the informers wait out their backoff.
  for (const s of c.speakers) { s.link.cut = false; s.link.watchDown = true; }
  await during(c, 3 * D, (t) => assert.equal(ownersNow(c), before, `owners changed ${t} ms after writes came back`));
  assert.is(c.speakers[0]!.d.liveness.liveSet().self.reason, 'storeLost', 'still frozen: its own renewal has not come back yet');
  for (const s of c.speakers) s.link.heal();
  await during(c, 2 * D, (t) => assert.equal(ownersNow(c), before, `owners changed ${t} ms after the watches came back`));
  assert.equal(c.speakers.map((s) => s.d.liveness.liveSet().self.reason), ['leaseHeld', 'leaseHeld', 'leaseHeld']);
  await c.stopAll();
});

test('fence: a full store outage silences every layer 2 answer until the store is back (the price of fence)', async () => {
  const c = cluster([], { lease: { onStoreLoss: 'fence' } });
  await c.clock.advance(1000);
  const before = ownersNow(c);
  for (const s of c.speakers) s.link.cut = true;
  await during(c, D, (t) => { for (const o of ownersNow(c)) assert.ok(o.length <= 1, `duplicate at ${t} ms`); });
  assert.equal(ownersNow(c), [[], [], []], 'nobody answers');
  for (const s of c.speakers) s.link.heal();
  await c.clock.advance(D);
  assert.equal(ownersNow(c), before, 'the same owners once the store is back');
  await c.stopAll();
});

const partitions = [
  { desc: 'keep: a speaker cut off from the store keeps its IPs while the others take them over (the documented duplicate), and within one renew interval of the heal every IP has one owner again', exclude: false },
  { desc: 'keep: a speaker excluded from load balancers while cut off stops announcing what the others own within one renew interval of the heal', exclude: true },
];
for (const p of partitions) {
  test(p.desc, async () => {
    const c = cluster();
    await c.clock.advance(1000);
    const cutOff = c.speakers.find((s) => s.l2.ips.size > 0)!;
    const held = [...cutOff.l2.ips].sort();
    cutOff.link.cut = true;
    if (p.exclude) c.state.put(node(cutOff.name, { 'node.kubernetes.io/exclude-from-external-load-balancers': '' }));
    let duplicatedAt = 0;
    await during(c, 2 * D, (t) => {
      assert.equal([...cutOff.l2.ips].sort(), held, `the cut-off speaker keeps announcing (${t} ms)`);
      for (const [i, ip] of IPS.entries()) {
        const o = ownersNow(c)[i]!;
        if (!held.includes(ip)) assert.is(o.length, 1, `${ip} is not one of the cut-off speaker's: exactly one owner`);
        else if (o.length === 2 && !duplicatedAt) duplicatedAt = t;
      }
    });
    assert.ok(duplicatedAt > 0 && duplicatedAt <= D + 100, `the others took over after about a lease duration (${duplicatedAt} ms)`);
    for (const ip of held) assert.is(c.owners(ip).length, 2, `${ip}: cut-off owner and its replacement both answer`);
    cutOff.link.heal();
    await c.clock.advance(R);
    for (const [i, o] of ownersNow(c).entries()) assert.is(o.length, 1, `${IPS[i]}: one owner ${R} ms after the heal (${o})`);
    if (p.exclude) assert.is(cutOff.l2.ips.size, 0, 'the excluded speaker announces nothing');
    await during(c, 2 * D, (t) => { for (const [i, o] of ownersNow(c).entries()) assert.is(o.length, 1, `${IPS[i]} at ${t} ms after: ${o}`); });
    await c.stopAll();
  });
}

test('keep: while cut off, a speaker takes over nothing new even when a peer\'s lease would have expired', async () => {
  const c = cluster();
  await c.clock.advance(1000);
  const [a, b] = c.speakers as [C['speakers'][0], C['speakers'][0]];
  const aHeld = [...a.l2.ips].sort();
  a.link.cut = true;
  // b crashes while a is cut off: a cannot tell a dead b from its own blindness, so it keeps b
  // live in its frozen view and does not start answering for b's IPs.
  b.link.cut = true;
  b.l2.dead = true;
  await during(c, 2 * D, () => assert.equal([...a.l2.ips].sort(), aHeld));
  assert.ok(a.d.liveness.liveSet().nodes.has(b.name), 'b is still live in a\'s frozen view');
  await c.stopAll();
});

test('keep: after a long partition, a speaker re-joins holding: an IP it newly wins waits for the join grace, never overlapping its owner', async () => {
  const c = cluster();
  await c.clock.advance(1000);
  const p = c.speakers.find((s) => s.l2.ips.size > 0)!;
  p.link.cut = true;
  await c.clock.advance(D + R);
  // A Service created during the partition whose IP p wins once it is back: another node owns it
  // meanwhile, and learns of p's return 20 ms late, as over a real watch.
  const ip = ['13', '14', '15', '16', '17', '18', '19'].map((x) => `192.0.2.${x}`).find((x) => hashOrder(c.speakers.map((s) => s.name), x)[0] === p.name)!;
  c.state.put(service('fresh', { ips: [ip] }));
  c.state.put(slice('fresh', c.speakers.map((s) => s.name)));
  await c.clock.advance(100);
  assert.is(c.owners(ip).length, 1, 'owned by one of the others during the partition');
  assert.not.ok(p.l2.ips.has(ip));
  for (const s of c.speakers) if (s !== p) s.link.latencyMs = 20;
  p.link.heal();
  await during(c, 2 * R, (t) => assert.ok(c.owners(ip).length <= 1, `${ip} owned by ${c.owners(ip)} ${t} ms after the heal`));
  assert.equal(c.owners(ip), [p.name], 'p owns it after the grace');
  await c.stopAll();
});

test.run();
