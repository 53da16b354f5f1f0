import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { IntervalSet } from '../../../src/allocator/interval-set.js';

test('adjacent members merge into one interval and split again on delete', () => {
  const s = new IntervalSet();
  for (const x of [0n, 2n, 1n, 5n, 4n]) s.add(x);
  assert.equal(s.intervals(), [[0n, 2n], [4n, 5n]]);
  s.add(3n);
  assert.equal(s.intervals(), [[0n, 5n]]);
  s.delete(2n);
  assert.equal(s.intervals(), [[0n, 1n], [3n, 5n]]);
  assert.is(s.lowestAbsent(10n), 2n);
  assert.is(s.size, 5n);
});

test('lowestAbsent respects the limit and huge values', () => {
  const s = new IntervalSet();
  assert.is(s.lowestAbsent(0n), undefined);
  s.add(0n);
  assert.is(s.lowestAbsent(1n), undefined);
  const big = 1n << 100n;
  s.add(big);
  assert.is(s.lowestAbsent(big * 2n), 1n);
  assert.ok(s.has(big));
  assert.is(s.add(big), false);
  assert.is(s.delete(7n), false);
});

test('sequential filling keeps a single interval', () => {
  const s = new IntervalSet();
  for (let i = 0n; i < 5000n; i++) s.add(s.lowestAbsent(1n << 64n)!);
  assert.is(s.intervalCount, 1);
  assert.is(s.size, 5000n);
});

test('the tree stays logarithmic with 20,000 scattered members, and after deleting half', () => {
  const s = new IntervalSet();
  let x = 7;
  for (let i = 0; i < 20000; i++) {
    // xorshift32 (exact in 32-bit integer arithmetic)
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    s.add(BigInt(x >>> 0) * 2n); // even values only: nothing merges
  }
  const n = s.intervalCount;
  assert.ok(n > 19900, `${n} intervals`);
  assert.ok(s.height() <= 4 * Math.log2(n), `height ${s.height()} for ${n} nodes`);
  for (const [start] of s.intervals().filter((_, i) => i % 2 === 0)) s.delete(start);
  assert.ok(s.height() <= 4 * Math.log2(s.intervalCount), `height ${s.height()} after deletes`);
});

test('random add/delete agrees with a plain Set (fast-check)', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 })), { maxLength: 200 }), (ops) => {
      const s = new IntervalSet();
      const ref = new Set<number>();
      for (const [add, x] of ops) {
        const want = add ? !ref.has(x) : ref.has(x);
        const got = add ? s.add(BigInt(x)) : s.delete(BigInt(x));
        if (add) ref.add(x);
        else ref.delete(x);
        if (got !== want) return false;
      }
      let low = 0;
      while (ref.has(low)) low++;
      const flat = s.intervals().flatMap(([a, b]) => Array.from({ length: Number(b - a) + 1 }, (_, i) => Number(a) + i));
      return s.lowestAbsent(100n) === BigInt(low) && flat.join() === [...ref].sort((a, b) => a - b).join() && s.size === BigInt(ref.size);
    }),
    { numRuns: 300, seed: 42 },
  );
});

test.run();
