import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { coerceName, coerceOrFail, derivedName, isValidName, MAX_NAME, NameTable } from '../../../src/migrate/names.js';
import { ConfigError } from '../../../src/model/index.js';

const coerceCases: [string, string, string | undefined][] = [
  ['a valid name is kept as it is', 'default', 'default'],
  ['a dotted valid name is kept (object names are DNS-1123 subdomains)', 'pool.v4', 'pool.v4'],
  ['capitals are lowered and underscores become dashes', 'My_Pool', 'my-pool'],
  ['a run of bad characters becomes one dash', 'web  &  api', 'web-api'],
  ['leading digits are kept (they are valid)', '01-numbered-addresspool', '01-numbered-addresspool'],
  ['leading and trailing dashes are trimmed', '-edge-', 'edge'],
  ['dashes next to dots are trimmed per part', 'a-.-b', 'a.b'],
  ['empty parts between dots are dropped', 'a..b', 'a.b'],
  ['non-ASCII letters become dashes', 'büro', 'b-ro'],
  ['a name with no letter or digit gives nothing', '___', undefined],
  ['the empty name gives nothing', '', undefined],
];
for (const [desc, input, want] of coerceCases) {
  test(`coerceName: ${desc}`, () => {
    const got = coerceName(input);
    assert.is(got, want);
    if (got !== undefined) assert.ok(isValidName(got), `${got} must be valid`);
  });
}

test('coerceName cuts long names to 253 characters and never ends on a dash', () => {
  const long = `${'a'.repeat(252)}_b`;
  const got = coerceName(long)!;
  assert.ok(got.length <= MAX_NAME);
  assert.ok(isValidName(got));
  assert.is(got, 'a'.repeat(252));
});

test('derivedName keeps the result a valid name even for the longest base', () => {
  const base = 'x'.repeat(MAX_NAME);
  const got = derivedName(base, 'bgp-12');
  assert.is(got.length, MAX_NAME);
  assert.ok(got.endsWith('-bgp-12'));
  assert.ok(isValidName(got));
  assert.is(derivedName('web', 'l2'), 'web-l2');
});

test('NameTable refuses a collision and names both originals', () => {
  const t = new NameTable();
  coerceOrFail(t, 'IPAddressPool', 'My_Pool', 'pool #1 "My_Pool"');
  try {
    coerceOrFail(t, 'IPAddressPool', 'my-pool', 'pool #2 "my-pool"');
    assert.unreachable('collision must throw');
  } catch (err) {
    assert.instance(err, ConfigError);
    const e = err as ConfigError;
    assert.is(e.code, 'migrate.name-collision');
    assert.is(e.message, 'migrate: pool #1 "My_Pool" and pool #2 "my-pool" would both become IPAddressPool "my-pool"; rename one of them in the legacy config');
  }
});

test('NameTable keeps kinds apart: a pool and an advertisement may share a name', () => {
  const t = new NameTable();
  t.claim('IPAddressPool', 'web', 'pool #1');
  assert.is(t.claim('L2Advertisement', 'web', 'pool #1'), 'web');
});

test('coerceOrFail reports whether the name changed and refuses hopeless names', () => {
  const t = new NameTable();
  assert.equal(coerceOrFail(t, 'BFDProfile', 'fast', 'bfd #1'), { name: 'fast', renamed: false });
  assert.equal(coerceOrFail(t, 'BFDProfile', 'Slow_One', 'bfd #2'), { name: 'slow-one', renamed: true });
  assert.throws(() => coerceOrFail(t, 'BFDProfile', '***', 'bfd #3'), (e: ConfigError) => e.code === 'migrate.bad-name' && /bfd #3/.test(e.message));
});

test.run();
