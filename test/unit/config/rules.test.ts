// The rule helpers on their own: Go durations, communities, label syntax, and the sort-based
// overlap check against a plain pairwise check on random prefixes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { parseGoDuration } from '../../../src/config/rules/duration.js';
import { compareCommunities, parseCommunity } from '../../../src/config/rules/community.js';
import { labelKeyProblem, labelValueProblem, selectorListsMayMeet } from '../../../src/config/rules/selector.js';
import { checkOverlaps, type PoolPrefixes } from '../../../src/config/rules/addresses.js';
import { Problems } from '../../../src/config/rules/problems.js';
import { cidrsOverlap, makeCIDR, type CIDR } from '../../../src/model/ip.js';

const durations: [string, bigint | undefined][] = [
  ['90s', 90_000_000_000n], ['1m30s', 90_000_000_000n], ['3.7s', 3_700_000_000n], ['500ms', 500_000_000n], ['1h', 3_600_000_000_000n],
  ['0', 0n], ['-5s', -5_000_000_000n], ['.5s', 500_000_000n], ['1.s', 1_000_000_000n], ['2µs', 2_000n], ['3us', 3_000n], ['1ns', 1n],
  ['90', undefined], ['', undefined], ['s', undefined], ['.s', undefined], ['1d', undefined], ['1 s', undefined], ['9223372036854775808ns', undefined],
];
for (const [text, want] of durations) test(`Go duration ${JSON.stringify(text)} is ${want === undefined ? 'refused' : `${want}ns`}`, () => assert.is(parseGoDuration(text), want));

const communities: [string, boolean, string | undefined][] = [
  ['65535:65281', false, '65535:65281'], ['0100:07', false, '100:7'], ['1234', false, undefined], ['65536:1', false, undefined], ['1:65536', false, undefined],
  ['-1:1', false, undefined], ['1:2:3', false, undefined], ['large:1:2:3', true, 'large:1:2:3'], ['large:4294967295:0:1', true, 'large:4294967295:0:1'],
  ['large:4294967296:0:1', true, undefined], ['large:1:2', true, undefined], ['large:1:2:3', false, undefined],
];
for (const [text, large, want] of communities) test(`community ${JSON.stringify(text)} (large ${large ? 'allowed' : 'refused'}) reads as ${want}`, () => {
  const c = parseCommunity(text, large);
  assert.is(c.ok ? c.canonical : undefined, want);
});

test('communities sort numerically, standard before large', () => {
  assert.equal(['large:1:1:1', '10:1', '9:2', '9:10'].sort(compareCommunities), ['9:2', '9:10', '10:1', 'large:1:1:1']);
});

test('label syntax follows Kubernetes', () => {
  assert.equal(['kubernetes.io/hostname', 'a', 'a.b-c_d', 'Example.com/x', '-a', 'a/', '/a', 'x'.repeat(64)].map((k) => labelKeyProblem(k) === undefined), [true, true, true, false, false, false, false, false]);
  assert.equal(['', 'v1', 'a b', '-x'].map((v) => labelValueProblem(v) === undefined), [true, true, false, false]);
});

test('selector lists may meet unless their matchLabels conflict (without nodes)', () => {
  const s = (l: Record<string, string>) => ({ matchLabels: l, matchExpressions: [] });
  assert.ok(selectorListsMayMeet([], [s({ a: '1' })]));
  assert.not.ok(selectorListsMayMeet([s({ a: '1' })], [s({ a: '2' })]));
  assert.ok(selectorListsMayMeet([s({ a: '1' })], [s({ b: '2' })]));
  assert.not.ok(selectorListsMayMeet([s({ a: '1' })], [s({ b: '2' })], [{ a: '1' }, { b: '2' }]));
});

const prefix = fc.tuple(fc.nat(255), fc.integer({ min: 20, max: 32 })).map(([x, len]): CIDR => makeCIDR({ family: 4, value: (10n << 24n) | (BigInt(x) << 4n) }, len));
test('the sort-based overlap check finds an overlap exactly when a pairwise check does', () => {
  fc.assert(
    fc.property(fc.array(fc.array(prefix, { minLength: 1, maxLength: 4 }), { maxLength: 6 }), (pools) => {
      const input: PoolPrefixes[] = pools.map((cidrs, i) => ({ name: `p${i}`, object: `pool ${i}`, field: (k) => `addresses[${k}]`, entries: cidrs.map((c) => ({ text: '', cidrs: [c] })) }));
      const problems = new Problems();
      checkOverlaps(input, problems);
      const all = pools.flat();
      let pairwise = 0;
      // Every prefix that overlaps an earlier one is one finding in MetalLB's sequential check.
      all.forEach((c, i) => { if (all.slice(0, i).some((d) => cidrsOverlap(c, d))) pairwise++; });
      const sweep = problems.errors.length;
      return (pairwise === 0) === (sweep === 0) && sweep <= all.length;
    }),
    { numRuns: 300 },
  );
});

test.run();
