// The YAML layer: plain scalars keep their text and quoting until a field types them, YAML 1.1
// scalars resolve as yaml.v2 would, and hostile documents fail as ConfigErrors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PlainScalar, loadYAML, plainBool, plainInt, resolvePlain, toJSONValue } from '../../../src/config/yaml.js';
import { ConfigErrors } from '../../../src/model/errors.js';

test('plain scalars load as PlainScalar and quoted ones as strings', () => {
  const [doc] = loadYAML('a: yes\nb: "yes"\nc: 0123\n', 't') as [Record<string, unknown>];
  assert.instance(doc['a'], PlainScalar);
  assert.is((doc['a'] as PlainScalar).text, 'yes');
  assert.is(doc['b'], 'yes');
  assert.is((doc['c'] as PlainScalar).text, '0123');
});

const bools: [string, boolean | undefined][] = [['yes', true], ['Yes', true], ['ON', true], ['y', true], ['true', true], ['no', false], ['off', false], ['N', false], ['False', false], ['yess', undefined], ['1', undefined]];
for (const [text, want] of bools) test(`YAML 1.1 boolean ${JSON.stringify(text)} reads as ${want}`, () => assert.is(plainBool(new PlainScalar(text)), want));

const ints: [string, number | undefined][] = [['42', 42], ['+7', 7], ['-3', -3], ['0x1F', 31], ['0o17', 15], ['017', 15], ['0b101', 5], ['1_000', 1000], ['08', undefined], ['1.0', undefined], ['99999999999999999999', undefined], ['', undefined]];
for (const [text, want] of ints) test(`YAML 1.1 integer ${JSON.stringify(text)} reads as ${want}`, () => assert.is(plainInt(new PlainScalar(text)), want));

test('resolvePlain types nulls, floats and strings like YAML 1.1', () => {
  assert.equal(['~', 'null', '', '1.5', '-2e3', 'abc', '1.2.3'].map((t) => resolvePlain(new PlainScalar(t))), [null, null, null, 1.5, -2000, 'abc', '1.2.3']);
});

test('merge keys work as in yaml.v2, and a later key overrides a merged one', () => {
  const [doc] = loadYAML('base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  b: 3\n', 't') as [Record<string, Record<string, PlainScalar>>];
  assert.equal(Object.fromEntries(Object.entries(doc['x']!).map(([k, v]) => [k, v.text])), { a: '1', b: '3' });
});

test('empty documents are dropped from a stream', () => {
  assert.is(loadYAML('---\n---\na: 1\n---\n', 't').length, 1);
  assert.equal(loadYAML('', 't'), []);
});

const hostile: [string, string, RegExp][] = [
  ['a duplicate key', 'a: 1\na: 2\n', /duplicated mapping key \(line 2, column 1\)/],
  ['deep nesting', '['.repeat(100), /nesting exceeded maxDepth/],
  ['an alias bomb', `a: &a [x]\n${Array.from({ length: 1100 }, (_, i) => `k${i}: *a`).join('\n')}\n`, /aliases exceeded maxAliases/],
  ['a complex key', '? [a]\n: b\n', /mapping keys must be scalars/],
];
for (const [desc, text, re] of hostile) {
  test(`loadYAML refuses ${desc} with a ConfigError`, () => {
    try {
      loadYAML(text, 't');
      assert.unreachable();
    } catch (err) {
      assert.instance(err, ConfigErrors);
      assert.match((err as Error).message, re);
    }
  });
}

test('toJSONValue refuses alias cycles instead of looping', () => {
  const [doc] = loadYAML('a: &x {b: *x}\n', 't');
  assert.throws(() => toJSONValue(doc, 't'), (e: unknown) => e instanceof ConfigErrors && /alias cycle/.test((e as Error).message));
});

test('__proto__ keys stay own data and pollute nothing', () => {
  const [doc] = loadYAML('__proto__: {polluted: yes}\n', 't') as [Record<string, unknown>];
  assert.ok(Object.prototype.hasOwnProperty.call(doc, '__proto__'));
  assert.is(({} as Record<string, unknown>)['polluted'], undefined);
});

test.run();
