// Label selectors as plain data: matching, list semantics, and Kubernetes' String() form.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { everything, formatSelector, matchesAny, matchesSelector, type LabelSelector } from '../../../src/model/selector.js';

const sel: LabelSelector = { matchLabels: { foo: 'bar' }, matchExpressions: [{ key: 'bar', operator: 'In', values: ['quux', 'a'] }, { key: 'slow', operator: 'DoesNotExist', values: [] }] };
const cases: [string, Record<string, string>, boolean][] = [
  ['all terms hold', { foo: 'bar', bar: 'quux' }, true],
  ['a matchLabels value differs', { foo: 'baz', bar: 'quux' }, false],
  ['an In value is missing', { foo: 'bar' }, false],
  ['a DoesNotExist key is present', { foo: 'bar', bar: 'a', slow: '' }, false],
];
for (const [desc, labels, want] of cases) test(`matchesSelector: ${desc}`, () => assert.is(matchesSelector(sel, labels), want));

test('NotIn and Exists follow Kubernetes', () => {
  const notIn: LabelSelector = { matchLabels: {}, matchExpressions: [{ key: 'k', operator: 'NotIn', values: ['x'] }] };
  assert.equal([matchesSelector(notIn, {}), matchesSelector(notIn, { k: 'x' }), matchesSelector(notIn, { k: 'y' })], [true, false, true]);
  const exists: LabelSelector = { matchLabels: {}, matchExpressions: [{ key: 'k', operator: 'Exists', values: [] }] };
  assert.equal([matchesSelector(exists, {}), matchesSelector(exists, { k: '' })], [false, true]);
});

test('a selector list matches when empty or when any selector matches', () => {
  assert.ok(matchesAny([], { a: 'b' }));
  assert.ok(matchesAny([sel, everything()], {}));
  assert.not.ok(matchesAny([sel], {}));
});

test('formatSelector prints like Kubernetes String()', () => {
  assert.is(formatSelector(sel), '!slow,bar in (a,quux),foo=bar');
});

test.run();
