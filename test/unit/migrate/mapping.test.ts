import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertMapped, LEGACY_FIELDS } from '../../../src/migrate/fields.js';
import { mappingMarkdown } from '../../../src/migrate/mapping-doc.js';
import { ConfigError } from '../../../src/model/index.js';

const mappingFile = fileURLToPath(new URL('../../../migrate/MAPPING.md', import.meta.url));

test('migrate/MAPPING.md is exactly what the field table renders (UPDATE_GOLDEN=1 rewrites it)', () => {
  const want = mappingMarkdown();
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(mappingFile, want);
  assert.is(readFileSync(mappingFile, 'utf8'), want);
});

test('MAPPING.md has a row for every legacy field of every section', () => {
  const doc = readFileSync(mappingFile, 'utf8');
  for (const fields of Object.values(LEGACY_FIELDS)) {
    for (const key of Object.keys(fields)) assert.ok(doc.includes(`| \`${key}\` |`), key);
  }
});

// Every key of the legacy decoder's types must be in the table; this list mirrors
// src/config/legacy/types.ts so a new decoder field fails here before it fails a user.
const decoderKeys: Record<string, string[]> = {
  config: ['peers', 'bgp-communities', 'address-pools', 'bfd-profiles', 'communities'],
  peer: ['my-asn', 'peer-asn', 'peer-address', 'peer-port', 'source-address', 'hold-time', 'keepalive-time', 'router-id', 'node-selectors', 'password', 'bfd-profile', 'ebgp-multihop'],
  pool: ['name', 'protocol', 'addresses', 'cidr', 'arp-network', 'auto-assign', 'avoid-buggy-ips', 'bgp-advertisements', 'advertisements'],
  'bgp-advertisement': ['aggregation-length', 'aggregation-length-v6', 'localpref', 'communities'],
  'bfd-profile': ['name', 'receive-interval', 'transmit-interval', 'detect-multiplier', 'echo-interval', 'echo-mode', 'passive-mode', 'minimum-ttl'],
};
for (const [section, keys] of Object.entries(decoderKeys)) {
  test(`every decoder key of section ${section} is mapped`, () => {
    const known = Object.keys(LEGACY_FIELDS[section as keyof typeof LEGACY_FIELDS]);
    assert.equal(keys.filter((k) => !known.includes(k)), []);
  });
}

test('assertMapped refuses an unknown key, naming the object and the key', () => {
  assert.throws(
    () => assertMapped('pool', { name: 'a', 'shiny-new-thing': true }, 'pool #1 "a"'),
    (e: ConfigError) => e.code === 'migrate.unmapped-field' && e.field === 'shiny-new-thing' && e.message.includes('pool #1 "a"'),
  );
});

test('assertMapped treats undefined values as absent', () => {
  assertMapped('pool', { name: 'a', extra: undefined }, 'pool #1');
});

test.run();
