// Property: while the store delivers renewals within a bounded delay, a speaker that counts itself
// live is counted live by every other speaker (so nobody else can win its IPs), whatever the
// pattern of failed renewals, write latencies and delivery delays. Checked on the pure core.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { computeLiveSet, selfVerdict, type SelfState } from '../../../src/speaker/lease-table.js';

const R = 500;
const D = 2000;
const M = 250;
const GRACE = R;

interface Renewal { ok: boolean; startJitter: number; writeMs: number; deliverMs: number }

// Delivery delays stay under the join grace minus the write time, which is also below D - R - M:
// the "store reachable" assumption of docs/design/daemons.md.
const renewal = fc.record({ ok: fc.boolean(), startJitter: fc.integer({ min: 0, max: 40 }), writeMs: fc.integer({ min: 0, max: 100 }), deliverMs: fc.integer({ min: 0, max: 390 }) });

function check(renewals: Renewal[]): void {
  // When each renewal started, completed (holder learns), and reached the observer.
  const events = renewals.map((r, k) => {
    const start = k * R + r.startJitter;
    return { ok: r.ok, start, done: start + r.writeMs, seen: start + r.writeMs + r.deliverMs };
  });
  const end = renewals.length * R + D;
  for (let t = 0; t <= end; t += 7) {
    const done = events.filter((e) => e.ok && e.done <= t);
    // The holder re-joins (new heldSince) after a gap in which it was fenced.
    let heldSince: number | undefined;
    let last: number | undefined;
    for (const e of done) {
      if (last === undefined || e.done >= last + D - M) heldSince = e.start;
      last = e.start;
    }
    const self: SelfState = { node: 'a', durationMs: D, fenceMarginMs: M, joinGraceMs: GRACE, released: false, heldSince, lastRenewStartedAt: last };
    if (!selfVerdict(self, t).live) continue;
    const seen = events.filter((e) => e.ok && e.seen <= t).map((e) => e.seen);
    const observedAt = seen.length ? Math.max(...seen) : undefined;
    const other: SelfState = { node: 'b', durationMs: D, fenceMarginMs: M, joinGraceMs: GRACE, released: false };
    const live = computeLiveSet(observedAt === undefined ? [] : [{ holder: 'a', durationMs: D, observedAt }], other, t).nodes;
    // A plain Error (not an assertion) so the negative test below can catch it with assert.throws.
    if (!live.has('a')) throw new Error(`at ${t} ms node a counts itself live but b does not (renewals ${JSON.stringify(events)})`);
  }
}

test('a speaker that counts itself live is live for the others, for any renewal pattern', () => {
  fc.assert(fc.property(fc.array(renewal, { minLength: 1, maxLength: 16 }), (rs) => { check(rs); }), { numRuns: 300 });
});

test('the property does fail when delivery is slower than the fence allows (the check can fail)', () => {
  // One renewal at 0 seen at once, the next at 500 seen only after 1900 ms: b expires a at 2000,
  // while a (renewed at 500) counts itself live until 2250.
  assert.throws(() => check([
    { ok: true, startJitter: 0, writeMs: 0, deliverMs: 0 },
    { ok: true, startJitter: 0, writeMs: 0, deliverMs: 1900 },
  ]), /counts itself live but b does not/);
});

test.run();
