// schemas/ is the shape truth: every schema compiles under ajv strict mode, CRD spec schemas stay
// within what a structural OpenAPI v3 schema can express, the index names each kind once with one
// storage version, and the legacy schema works on its own (as users' CI would run it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { crdIndex, loadSchema, schemaPath, validator } from '../../../src/config/schema/registry.js';
import { loadYAML, toJSONValue } from '../../../src/config/yaml.js';
import { extractLegacyPayload } from '../../../src/config/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const allowed = new Set(['$schema', '$id', '$defs', '$ref', 'title', 'description', 'type', 'properties', 'additionalProperties', 'items', 'required', 'enum', 'minimum', 'maximum', 'minItems', 'pattern', 'default']);

function walk(node: unknown, at: string, visit: (n: Record<string, unknown>, at: string) => void): void {
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  visit(n, at);
  for (const [k, v] of Object.entries(n.properties ?? {})) walk(v, `${at}.${k}`, visit);
  for (const [k, v] of Object.entries(n.$defs ?? {})) walk(v, `${at}.$defs.${k}`, visit);
  if (n.items) walk(n.items, `${at}[]`, visit);
  if (n.additionalProperties && typeof n.additionalProperties === 'object') walk(n.additionalProperties, `${at}.*`, visit);
}

const files = ['legacy-config.schema.json', 'model.schema.json', ...readdirSync(path.join(root, 'schemas/crd')).map((f) => `crd/${f}`)];
for (const f of files) test(`schema ${f} compiles under ajv strict mode`, () => void validator(f));

test('crds.json names each kind once, in group metallb.io, with one storage version and existing schema files', () => {
  const kinds = crdIndex();
  assert.equal(kinds.map((k) => k.kind).sort(), ['AddressPool', 'BFDProfile', 'BGPAdvertisement', 'BGPPeer', 'Community', 'IPAddressPool', 'L2Advertisement']);
  for (const k of kinds) {
    assert.is(k.group, 'metallb.io');
    assert.is(k.versions.filter((v) => v.storage).length, 1, k.kind);
    for (const v of k.versions) assert.ok(existsSync(schemaPath(v.schema)), v.schema);
  }
});

for (const k of crdIndex()) {
  for (const v of k.versions) {
    test(`CRD schema ${k.kind} ${v.name} uses only structural constructs`, () => {
      const s = loadSchema(v.schema);
      assert.is(s.type, 'object');
      walk(s, k.kind, (n, at) => {
        for (const key of Object.keys(n)) assert.ok(allowed.has(key), `${at}: keyword ${key} does not translate to a structural schema`);
        if (n.$ref === undefined) assert.ok(typeof n.type === 'string', `${at}: every node needs one type`);
        else assert.match(String(n.$ref), /^#\/\$defs\/[A-Za-z]+$/, `${at}: only local, non-recursive refs`);
      });
      for (const [name, def] of Object.entries((s.$defs ?? {}) as Record<string, unknown>)) assert.not.match(JSON.stringify(def), new RegExp(`#/\\$defs/${name}"`), `${name} refers to itself`);
    });
  }
}

test('the legacy schema works with a plain ajv on its own (as a user CI would run it)', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const check = ajv.compile(JSON.parse(readFileSync(path.join(root, 'schemas/legacy-config.schema.json'), 'utf8')));
  const text = readFileSync(path.join(root, 'fixtures/config/seeds/annotated-example-configmap.yaml'), 'utf8');
  const payload = extractLegacyPayload(toJSONValue(loadYAML(text, 'f')[0], 'f'))!;
  const json = toJSONValue(loadYAML(payload, 'p')[0], 'p');
  assert.ok(check(json), JSON.stringify(check.errors));
  assert.not.ok(check({ 'address-pools': [{ name: 'a', 'auto-asign': true }] }));
});

test('the legacy schema admits YAML 1.1 boolean spellings that YAML 1.2 tools read as strings', () => {
  const check = new Ajv2020({ strict: true }).compile(loadSchema('legacy-config.schema.json'));
  assert.ok(check({ 'address-pools': [{ name: 'a', 'auto-assign': 'no', 'avoid-buggy-ips': true }] }));
  assert.not.ok(check({ 'address-pools': [{ name: 'a', 'auto-assign': 'maybe' }] }));
});

test.run();
