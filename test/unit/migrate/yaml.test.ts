import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as yaml from 'js-yaml';
import fc from 'fast-check';
import { isPlainSafe, quoteScalar, toMultiDocYaml, toYaml, type YamlValue } from '../../../src/migrate/yaml.js';

const quoteCases: [string, string, string][] = [
  ['a plain word stays plain', 'default', 'default'],
  ['an IPv4 CIDR stays plain', '10.0.0.0/24', '10.0.0.0/24'],
  ['an IPv6 CIDR stays plain', '2001:db8::/64', '2001:db8::/64'],
  ['a range without spaces stays plain', '192.168.1.240-192.168.1.250', '192.168.1.240-192.168.1.250'],
  ['a duration stays plain', '90s', '90s'],
  ['a community is quoted (YAML 1.1 reads 64512:1 as a base-60 number)', '64512:1', '"64512:1"'],
  ['yes is quoted (YAML 1.1 boolean)', 'yes', '"yes"'],
  ['on is quoted (YAML 1.1 boolean)', 'on', '"on"'],
  ['a number-looking string is quoted', '0123', '"0123"'],
  ['hex is quoted', '0x1f', '"0x1f"'],
  ['a date is quoted (YAML 1.1 timestamp)', '2001-12-14', '"2001-12-14"'],
  ['a range with spaces is quoted', '1.2.3.4 - 1.2.3.5', '"1.2.3.4 - 1.2.3.5"'],
  ['the empty string is quoted', '', '""'],
  ['null is quoted', 'null', '"null"'],
  ['a string ending in a colon is quoted', 'a:', '"a:"'],
  ['a password with a hash is quoted', 'p#ss word', '"p#ss word"'],
];
for (const [desc, input, want] of quoteCases) {
  test(`quoteScalar: ${desc}`, () => {
    assert.is(quoteScalar(input), want);
  });
}

test('toYaml writes mappings in insertion order with sequences at the key indentation', () => {
  const doc: YamlValue = {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: { name: 'web', namespace: 'metallb-system' },
    spec: { addresses: ['10.0.0.0/24'], autoAssign: false, empty: [], none: {} },
  };
  assert.is(
    toYaml(doc),
    [
      'apiVersion: metallb.io/v1beta1',
      'kind: IPAddressPool',
      'metadata:',
      '  name: web',
      '  namespace: metallb-system',
      'spec:',
      '  addresses:',
      '  - 10.0.0.0/24',
      '  autoAssign: false',
      '  empty: []',
      '  none: {}',
      '',
    ].join('\n'),
  );
});

test('toYaml writes a list of mappings with the first key on the dash line (y is a YAML 1.1 boolean, so quoted)', () => {
  const doc: YamlValue = { nodeSelectors: [{ matchLabels: { 'kubernetes.io/hostname': 'a' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['x', 'y'] }] }] };
  assert.is(
    toYaml(doc),
    ['nodeSelectors:', '- matchLabels:', '    kubernetes.io/hostname: a', '  matchExpressions:', '  - key: k', '    operator: In', '    values:', '    - x', '    - "y"', ''].join('\n'),
  );
});

test('toYaml writes multi-line strings as literal blocks', () => {
  const text = toYaml({ data: { config: 'address-pools:\n- name: a\n  protocol: layer2\n' } });
  assert.is(text, 'data:\n  config: |\n    address-pools:\n    - name: a\n      protocol: layer2\n');
  assert.equal(yaml.load(text), { data: { config: 'address-pools:\n- name: a\n  protocol: layer2\n' } });
});

test('toMultiDocYaml puts the header first and a --- before every document', () => {
  const out = toMultiDocYaml(['made by a test', ''], [{ a: 1 }, { b: 'two' }]);
  assert.is(out, '# made by a test\n#\n---\na: 1\n---\nb: two\n');
  assert.equal(yaml.loadAll(out), [{ a: 1 }, { b: 'two' }]);
});

// Any data we write must read back identically, under both YAML 1.2 and YAML 1.1 rules.
const key = fc.string({ minLength: 1, maxLength: 12 });
const scalarArb = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constantFrom('64512:1', 'yes', 'No', '1e3', '0o7', '1_000', '2001:db8::1', '.5', '~', '- a', '? x', '*a', '&b', '!t', '%p', '@x', '`y'));
const valueArb: fc.Arbitrary<YamlValue> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalarArb, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie("value"), { maxKeys: 3, noNullPrototype: true })),
})).value as fc.Arbitrary<YamlValue>;

test('toYaml output reads back to the same data under YAML 1.2 and YAML 1.1 (property)', () => {
  fc.assert(
    fc.property(fc.dictionary(key, valueArb, { maxKeys: 4, noNullPrototype: true }), (doc) => {
      const text = toYaml(doc);
      assert.equal(yaml.load(text, { schema: yaml.CORE_SCHEMA }), doc);
      assert.equal(yaml.load(text, { schema: yaml.YAML11_SCHEMA }), doc);
    }),
    { numRuns: 300, seed: 42 },
  );
});

test('isPlainSafe never lets through a string that reads back differently', () => {
  for (const s of ['true', 'False', 'Y', 'n', 'NULL', '12', '1.5', '-3', '+4', '0b101', '1:20:30', '.inf', '.NaN']) {
    assert.not.ok(isPlainSafe(s), s);
  }
});

test.run();
