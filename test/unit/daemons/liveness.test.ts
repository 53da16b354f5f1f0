// Liveness on a fake clock over the in-memory state: who is live when, fencing, release, join grace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryState } from '../../../src/state/memory.js';
import { Liveness, validateLeaseTiming } from '../../../src/speaker/liveness.js';
import { computeLiveSet, selfVerdict, type SelfState } from '../../../src/speaker/lease-table.js';
import { FakeClock } from './fake-clock.js';

const R_ = 500;

const base: SelfState = { node: 'n1', durationMs: 2000, fenceMarginMs: 250, joinGraceMs: 500, released: false, onStoreLoss: 'fence' };
const verdicts = [
  { desc: 'a node that never renewed is not live', self: { ...base }, now: 0, want: 'noLease' },
  { desc: 'a node within its join grace is not live yet', self: { ...base, heldSince: 0, lastRenewStartedAt: 0 }, now: 499, want: 'joining' },
  { desc: 'a node past its join grace with a fresh renewal is live', self: { ...base, heldSince: 0, lastRenewStartedAt: 1000 }, now: 1500, want: 'leaseHeld' },
  { desc: 'a node fences itself a margin before its lease can expire for others', self: { ...base, heldSince: 0, lastRenewStartedAt: 1000 }, now: 2750, want: 'leaseNotRenewed' },
  { desc: 'a released node is never live', self: { ...base, heldSince: 0, lastRenewStartedAt: 1000, released: true }, now: 1500, want: 'released' },
];
for (const c of verdicts) test(c.desc, () => assert.is(selfVerdict(c.self, c.now).reason, c.want));

test('others are live until observation time plus duration, and the next change is the earliest expiry', () => {
  const set = computeLiveSet([
    { holder: 'n2', durationMs: 2000, observedAt: 100 },
    { holder: 'n3', durationMs: 2000, observedAt: 900 },
    { holder: 'n4', durationMs: 2000, observedAt: -5000 },
  ], { ...base, heldSince: 0, lastRenewStartedAt: 1000 }, 1000);
  assert.equal([...set.nodes].sort(), ['n1', 'n2', 'n3']);
  assert.is(set.nextChangeAt, 2100);
});

const timings = [
  { desc: 'a duration shorter than two renewals is rejected', renew: 500, duration: 900, margin: 100, want: /at least twice/ },
  { desc: 'a zero renew interval is rejected', renew: 0, duration: 900, margin: 100, want: /positive/ },
  { desc: 'a fence margin eating the whole slack is rejected', renew: 500, duration: 1000, margin: 600, want: /fence margin/ },
  { desc: 'the defaults are accepted', renew: 500, duration: 2000, margin: 250, want: undefined },
  { desc: 'keep mode needs a duration of two renewals plus the margin', renew: 500, duration: 1200, margin: 250, mode: 'keep' as const, want: /twice the renew interval plus the fence margin \(1250 ms\)/ },
  { desc: 'fence mode accepts the same timing', renew: 500, duration: 1200, margin: 250, mode: 'fence' as const, want: undefined },
  { desc: 'keep mode accepts the defaults', renew: 500, duration: 2000, margin: 250, mode: 'keep' as const, want: undefined },
];
for (const c of timings) {
  test(c.desc, () => {
    const got = validateLeaseTiming(c.renew, c.duration, c.margin, 'mode' in c ? c.mode : undefined);
    if (c.want) assert.match(got ?? '', c.want); else assert.is(got, undefined);
  });
}

function speaker(state: MemoryState, clock: FakeClock, node: string, onStoreLoss?: 'keep' | 'fence') {
  const l = new Liveness(state, { node, clock, ...(onStoreLoss ? { onStoreLoss } : {}) });
  const seen: string[][] = [];
  l.onChange((s) => seen.push([...s.nodes].sort()));
  l.start();
  return { l, seen, nodes: () => [...l.liveSet().nodes].sort() };
}

test('three speakers agree on the live set after the join grace', async () => {
  const clock = new FakeClock();
  const state = new MemoryState();
  const s = ['n1', 'n2', 'n3'].map((n) => speaker(state, clock, n));
  await clock.advance(100);
  assert.equal(s[0]!.nodes(), ['n2', 'n3'], 'others count at once; self waits for the grace');
  await clock.advance(600);
  for (const x of s) assert.equal(x.nodes(), ['n1', 'n2', 'n3']);
});

test('a crashed speaker drops out after the lease duration, not before', async () => {
  const clock = new FakeClock();
  const state = new MemoryState();
  const b = speaker(state, clock, 'n2');
  await clock.advance(1000);
  // n1 renewed once and then died (SIGKILL): its lease stays behind, never renewed again.
  await state.upsertLease({ name: 'lbctl-speaker-n1', holder: 'n1', renewTime: clock.now(), durationSeconds: 2 });
  const killedAt = clock.now();
  await clock.advance(1990);
  assert.equal(b.nodes(), ['n1', 'n2'], 'still live within the duration');
  await clock.advance(20);
  assert.equal(b.nodes(), ['n2']);
  assert.ok(clock.now() - killedAt <= 2010);
  assert.equal(b.seen.at(-1), ['n2'], 'listeners heard the expiry');
});

test('a lease re-delivered unchanged (a relist) does not keep a dead speaker alive', async () => {
  const clock = new FakeClock();
  const state = new MemoryState();
  const b = speaker(state, clock, 'n2');
  await clock.advance(1000);
  const lease = { name: 'lbctl-speaker-n1', holder: 'n1', renewTime: clock.now(), durationSeconds: 2 };
  await state.upsertLease(lease);
  await clock.advance(1500);
  // The same object again, with only an annotation added (as a relist or a label edit would).
  const obj = state.get('Lease', 'metallb-system', 'lbctl-speaker-n1')!;
  state.put({ ...obj, metadata: { ...obj.metadata, labels: { touched: 'yes' } } });
  await clock.advance(600);
  assert.equal(b.nodes(), ['n2'], 'expired on its renew time, not on the re-delivery');
});

test('with --on-store-loss fence, a speaker that cannot renew fences itself before the others expire it', async () => {
  const clock = new FakeClock();
  const state = new MemoryState();
  const a = speaker(state, clock, 'n1', 'fence');
  const b = speaker(state, clock, 'n2', 'fence');
  await clock.advance(1000);
  assert.equal(a.nodes(), ['n1', 'n2']);
  state.unreachable = true;
  let fencedAt = 0;
  let expiredAt = 0;
  for (let t = 0; t < 3000 && (!fencedAt || !expiredAt); t += 10) {
    await clock.advance(10);
    if (!fencedAt && !a.l.liveSet().self.live) fencedAt = clock.now();
    if (!expiredAt && !b.l.liveSet().nodes.has('n1')) expiredAt = clock.now();
  }
  assert.ok(fencedAt > 0 && expiredAt > 0, 'both happened');
  assert.ok(fencedAt < expiredAt, `fenced at ${fencedAt} before expiry seen at ${expiredAt}`);
  assert.is(a.l.liveSet().self.live ? '' : a.l.liveSet().self.reason, 'leaseNotRenewed');
});

for (const mode of ['keep', 'fence'] as const) test(`after a frozen event loop longer than the lease, a speaker re-joins with the grace (${mode}: a stall is not a store loss)`, async () => {
  const clock = new FakeClock();
  const state = new MemoryState();
  const a = speaker(state, clock, 'n1', mode);
  await clock.advance(1000);
  assert.is(a.l.liveSet().self.live, true);
  clock.jump(3000); // nothing ran for 3 s: the others have expired n1 meanwhile
  await clock.advance(1); // the overdue renewal runs first, before the overdue fence timer
  assert.is(a.l.liveSet().self.live, false, 'not live straight after the stall');
  const v = a.l.liveSet().self;
  assert.is(v.live ? '' : v.reason, 'joining');
  await clock.advance(600);
  assert.is(a.l.liveSet().self.live, true, 'live again after the grace');
});

// A store whose lease writes hang until released (a silent network: no error, no answer).
class HangingWrites extends MemoryState {
  hang = false;
  private pending: (() => void)[] = [];
  override async upsertLease(l: Parameters<MemoryState['upsertLease']>[0]): Promise<void> {
    if (this.hang) await new Promise<void>((resolve) => this.pending.push(resolve));
    return super.upsertLease(l);
  }
  release(): void { this.hang = false; for (const r of this.pending.splice(0)) r(); }
}

test('keep: a renewal that hangs freezes the view one fence margin after it started, by timer', async () => {
  const clock = new FakeClock();
  const state = new HangingWrites();
  const a = speaker(state, clock, 'n1');
  await state.upsertLease({ name: 'lbctl-speaker-n2', holder: 'n2', renewTime: clock.now(), durationSeconds: 2 });
  await clock.advance(1000);
  assert.is(a.l.liveSet().self.reason, 'leaseHeld');
  state.hang = true;
  await clock.advance(R_ + 260); // the next renewal starts within one renew interval, then hangs
  assert.is(a.l.liveSet().self.reason, 'storeLost');
  await clock.advance(5000);
  assert.equal(a.nodes(), ['n1', 'n2'], 'n2 (never renewed again) is not expired by a blind speaker');
  state.release(); // the hung write lands, but so late that the lease it wrote is already over
  await clock.advance(10);
  assert.is(a.l.liveSet().self.reason, 'storeLost', 'still frozen (and announcing): a stale write is no lease');
  await clock.advance(R_); // the next, fresh renewal and its echo thaw the view; the lease lapsed, so it re-joins
  const v = a.l.liveSet().self;
  assert.equal({ live: v.live, hold: v.hold, reason: v.reason }, { live: true, hold: true, reason: 'rejoining' });
  const thawedAt = clock.now();
  await clock.advance(R_);
  assert.is(a.l.liveSet().self.reason, 'leaseHeld');
  await clock.advance(2000 - (clock.now() - thawedAt) - 20);
  assert.equal(a.nodes(), ['n1', 'n2'], 'n2 gets one lease duration from the thaw');
  await clock.advance(40);
  assert.equal(a.nodes(), ['n1'], 'and then expires');
});

test('stop() withdraws at once and the others see the lease gone without waiting for expiry', async () => {
  const clock = new FakeClock();
  const state = new MemoryState();
  const a = speaker(state, clock, 'n1');
  const b = speaker(state, clock, 'n2');
  await clock.advance(1000);
  await a.l.stop();
  assert.is(a.l.liveSet().self.live, false);
  assert.equal(b.nodes(), ['n2']);
  assert.is(state.get('Lease', 'metallb-system', 'lbctl-speaker-n1'), undefined);
});

test('the write rate is one lease write per renew interval', async () => {
  const clock = new FakeClock();
  const state = new MemoryState();
  speaker(state, clock, 'n1');
  await clock.advance(10_000);
  const writes = state.writes.get('upsertLease') ?? 0;
  assert.ok(writes >= 20 && writes <= 21, `${writes} writes in 10 s`);
});

test.run();
