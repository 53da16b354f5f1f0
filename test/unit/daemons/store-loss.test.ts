// Keep mode (--on-store-loss keep) on the pure core: when a speaker freezes, what its frozen view
// says about itself and the others, and when it thaws. One table per function.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { computeLiveSet, selfVerdict, thawSightings, type LeaseSighting, type SelfState } from '../../../src/speaker/lease-table.js';
import { LeaseView } from '../../../src/speaker/lease-view.js';

// Held since 0, last renewal started at 1000: fence point 2750, join grace over at 500.
const held: SelfState = { node: 'n1', durationMs: 2000, fenceMarginMs: 250, joinGraceMs: 500, released: false, onStoreLoss: 'keep', heldSince: 0, lastRenewStartedAt: 1000 };
const verdicts = [
  { desc: 'keep: a failed renewal freezes the node, which stays live but holds', self: { ...held, lostAt: 1600 }, now: 5000, want: { live: true, hold: true, reason: 'storeLost', since: 1600 } },
  { desc: 'keep: a renewal in flight past the fence margin freezes it from that instant', self: { ...held, attemptStartedAt: 1500 }, now: 1800, want: { live: true, hold: true, reason: 'storeLost', since: 1750 } },
  { desc: 'keep: a renewal in flight within the margin leaves it live, with a change due when it would hang', self: { ...held, attemptStartedAt: 1500 }, now: 1600, want: { live: true, until: 1750, reason: 'leaseHeld' } },
  { desc: 'keep: an event loop stall (no attempt failed) still fences at the fence point', self: { ...held }, now: 2750, want: { live: false, reason: 'leaseNotRenewed' } },
  { desc: 'keep: a lapse during a store loss re-joins live but holding until the grace ends', self: { ...held, heldSince: 6000, lastRenewStartedAt: 6000, rejoining: true }, now: 6100, want: { live: true, hold: true, reason: 'rejoining', until: 6500 } },
  { desc: 'keep: a first join is not a re-join: not live during the grace', self: { ...held, heldSince: 6000, lastRenewStartedAt: 6000 }, now: 6100, want: { live: false, reason: 'joining', retryAt: 6500 } },
  { desc: 'keep: a node that never held a lease does not freeze', self: { ...held, heldSince: undefined, lastRenewStartedAt: undefined, lostAt: 10 }, now: 100, want: { live: false, reason: 'noLease' } },
  { desc: 'keep: a released node is not live, frozen or not', self: { ...held, lostAt: 1600, released: true }, now: 1700, want: { live: false, reason: 'released' } },
  { desc: 'fence: a recorded loss is ignored and the node fences at the fence point', self: { ...held, onStoreLoss: 'fence' as const, lostAt: 1600, attemptStartedAt: 1500 }, now: 2750, want: { live: false, reason: 'leaseNotRenewed' } },
  { desc: 'fence: a hanging renewal does not move the next change earlier than the fence', self: { ...held, onStoreLoss: 'fence' as const, attemptStartedAt: 1500 }, now: 1800, want: { live: true, until: 2750, reason: 'leaseHeld' } },
];
for (const c of verdicts) test(c.desc, () => assert.equal(selfVerdict(c.self, c.now), c.want));

const others: LeaseSighting[] = [
  { holder: 'n2', durationMs: 2000, observedAt: 900 }, // live at the freeze (1600), would expire at 2900
  { holder: 'n3', durationMs: 2000, observedAt: -1000 }, // expired at 1000, before the freeze
];
const sets = [
  { desc: 'a frozen view keeps every lease that was live when it froze, long after it would expire', self: { ...held, lostAt: 1600 }, now: 60_000, want: ['n1', 'n2'], next: undefined },
  { desc: 'a frozen view does not resurrect a lease that expired before it froze', self: { ...held, lostAt: 1600 }, now: 1700, want: ['n1', 'n2'], next: undefined },
  { desc: 'the same view in fence mode fences itself and expires the others on time', self: { ...held, onStoreLoss: 'fence' as const, lostAt: 1600 }, now: 2800, want: ['n2'], next: 2900 },
  { desc: 'and in fence mode the others are gone once their duration is up', self: { ...held, onStoreLoss: 'fence' as const, lostAt: 1600 }, now: 2900, want: [], next: undefined },
  { desc: 'without a loss, keep mode expires the others on time', self: { ...held }, now: 1700, want: ['n1', 'n2'], next: 2750 },
];
for (const c of sets) {
  test(c.desc, () => {
    const got = computeLiveSet(others.map((o) => ({ ...o })), c.self, c.now);
    assert.equal([...got.nodes].sort(), c.want);
    assert.is(got.nextChangeAt, c.next);
  });
}

test('thawing restarts the clock of the leases live at the freeze, and only of those', () => {
  const s = others.map((o) => ({ ...o }));
  thawSightings(s, 1600, 9000);
  assert.equal(s.map((x) => x.observedAt), [9000, -1000]);
});

function keepView() {
  const v = new LeaseView({ node: 'n1', durationMs: 2000, fenceMarginMs: 250, joinGraceMs: 500, released: false, onStoreLoss: 'keep' }, 'lbctl-speaker-n1');
  v.attemptStarted(0);
  v.renewed(0, 5);
  v.seen({ name: 'lbctl-speaker-n2', holder: 'n2', renewTime: 100, durationMs: 2000 }, 100);
  return v;
}
const own = (renewTime: number) => ({ name: 'lbctl-speaker-n1', holder: 'n1', renewTime, durationMs: 2000 });

test('a view thaws only once a renewal written after the loss comes back through the watch', () => {
  const v = keepView();
  v.attemptStarted(500);
  v.failed(505);
  assert.is(v.liveSet(4000).self.reason, 'storeLost');
  v.attemptStarted(5000);
  assert.is(v.renewed(5000, 5010), 'none', 'the write worked, but the watch has not shown it yet');
  assert.is(v.liveSet(6000).self.reason, 'storeLost', 'still frozen: n2 is not expired on a blind watch');
  assert.ok(v.liveSet(6000).nodes.has('n2'));
  assert.is(v.seen(own(0), 6000), 'none', 'an old renewal of ours proves nothing');
  assert.is(v.seen(own(5000), 6100), 'thawed');
  assert.equal(v.liveSet(6100).self, { live: true, until: 6750, reason: 'leaseHeld' }, 'the lease lapsed, but the join grace (from 5000) is over');
});

test('a view thawed within the join grace re-joins holding (keeps what it announces, adds nothing) until the grace ends', () => {
  const v = keepView();
  v.attemptStarted(500);
  v.failed(505);
  v.attemptStarted(5000);
  v.renewed(5000, 5010);
  assert.is(v.seen(own(5000), 5020), 'thawed');
  assert.equal(v.liveSet(5020).self, { live: true, hold: true, reason: 'rejoining', until: 5500 });
  assert.equal(v.liveSet(5500).self.reason, 'leaseHeld');
});

test('after a thaw the others get a full lease duration from the thaw to show a renewal', () => {
  const v = keepView();
  v.attemptStarted(500);
  v.failed(505);
  v.attemptStarted(5000);
  v.renewed(5000, 5010);
  v.seen(own(5000), 6100);
  assert.ok(v.liveSet(8099).nodes.has('n2'), 'n2 live until 6100 + 2000');
  assert.not.ok(v.liveSet(8100).nodes.has('n2'), 'and expired after it');
});

test('an echo delivered before the write call returned thaws at once', () => {
  const v = keepView();
  v.attemptStarted(500);
  v.failed(505);
  v.attemptStarted(3000);
  v.seen(own(3000), 3002);
  assert.is(v.renewed(3000, 3004), 'thawed');
});

test('a failure after the first good write waits for the echo of a later one', () => {
  const v = keepView();
  v.attemptStarted(500);
  v.failed(505);
  v.attemptStarted(3000);
  v.renewed(3000, 3004);
  v.attemptStarted(3500);
  v.failed(3501);
  assert.is(v.seen(own(3000), 3600), 'none');
  v.attemptStarted(4000);
  v.renewed(4000, 4002);
  assert.is(v.seen(own(4000), 4003), 'thawed');
});

test('a short loss (no lapse) thaws straight back to a held lease, with no re-join', () => {
  const v = keepView();
  v.attemptStarted(500);
  v.failed(505);
  v.attemptStarted(1000);
  v.renewed(1000, 1002);
  v.seen(own(1000), 1003);
  assert.equal(v.liveSet(1003).self.reason, 'leaseHeld');
});

test('a renewal that hangs and then succeeds late froze the view at the hang, not at the success', () => {
  const v = keepView();
  v.attemptStarted(500);
  assert.is(v.liveSet(760).self.reason, 'storeLost');
  v.renewed(500, 4000);
  assert.is(v.liveSet(4000).self.reason, 'storeLost', 'still awaiting the echo');
  assert.ok(v.liveSet(4000).nodes.has('n2'), 'n2 (seen at 100, live at the hang at 750) is not expired by the late success');
});

test('a write that lands after its own lease is over does not thaw: the next fresh one does', () => {
  const v = keepView();
  v.attemptStarted(500);
  v.renewed(500, 2400); // hung at 750 (frozen), answered at 2400: lease from 500 is over at 2250
  v.seen(own(500), 2401);
  assert.is(v.liveSet(2401).self.reason, 'storeLost');
  v.attemptStarted(2900);
  assert.is(v.renewed(2900, 2902), 'thawed', 'the watch already showed our late write: this fresh one thaws');
  assert.equal(v.liveSet(2903).self.reason, 'rejoining', 'the lease lapsed meanwhile');
});

test('fence mode never freezes: failures leave the fence point in charge', () => {
  const v = new LeaseView({ node: 'n1', durationMs: 2000, fenceMarginMs: 250, joinGraceMs: 500, released: false, onStoreLoss: 'fence' }, 'lbctl-speaker-n1');
  v.attemptStarted(0);
  v.renewed(0, 5);
  v.attemptStarted(500);
  v.failed(505);
  assert.is(v.frozen(1000), false);
  assert.is(v.liveSet(1750).self.reason, 'leaseNotRenewed');
});

test.run();
