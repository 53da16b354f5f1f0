import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toStructural, ConversionError, type JsonSchema } from '../../../src/k8s/openapi.js';
import { buildCrd } from '../../../src/k8s/crd-manifests.js';
import { CEL_RULES } from '../../../src/k8s/crd-rules.js';
import { crdInputs, diffAgainstDisk } from '../../k8s/gen-crds.js';

test('openapi: local $refs are inlined and sibling keywords win', () => {
  const s: JsonSchema = { type: 'object', properties: { a: { $ref: '#/$defs/u32', description: 'A.' } }, $defs: { u32: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'x' } } };
  assert.equal(toStructural(s).schema, { type: 'object', properties: { a: { type: 'integer', minimum: 0, maximum: 4294967295, description: 'A.' } } });
});

test('openapi: a nullable type list becomes one type plus nullable', () => {
  assert.equal(toStructural({ type: ['string', 'null'] }).schema, { type: 'string', nullable: true });
});

test('openapi: two real types cannot be structural', () => {
  assert.throws(() => toStructural({ type: ['string', 'integer'] }), (e: unknown) => e instanceof ConversionError && /not structural/.test(e.message));
});

test('openapi: a $ref outside the file is refused with its path', () => {
  assert.throws(() => toStructural({ type: 'object', properties: { a: { $ref: 'other.json#/x' } } }), (e: unknown) => e instanceof ConversionError && e.path === '/a');
});

test('openapi: additionalProperties false is left to pruning, a map schema is kept', () => {
  const out = toStructural({ type: 'object', additionalProperties: false, properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } } });
  assert.equal(out.schema, { type: 'object', properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } } });
  assert.equal(out.dropped, []);
});

test('openapi: uniqueItems on scalars becomes a set list, on objects it is reported as dropped', () => {
  assert.equal(toStructural({ type: 'array', uniqueItems: true, items: { type: 'string' } }).schema, { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' });
  const objs = toStructural({ type: 'array', uniqueItems: true, items: { type: 'object' } });
  assert.equal(objs.dropped.map((d) => d.keyword), ['uniqueItems']);
});

test('openapi: keywords a CRD cannot hold are reported, never silently lost', () => {
  const out = toStructural({ type: 'object', properties: { a: { type: 'string', format: 'ipv4' } }, oneOf: [{ required: ['a'] }] });
  assert.equal(out.dropped.map((d) => `${d.path}:${d.keyword}`).sort(), ['/a:format', ':oneOf']);
});

test('openapi: const and numeric exclusive bounds are translated', () => {
  assert.equal(toStructural({ type: 'integer', exclusiveMinimum: 0 }).schema, { type: 'integer', minimum: 0, exclusiveMinimum: true });
  assert.equal(toStructural({ type: 'string', const: 'x' }).schema, { type: 'string', enum: ['x'] });
});

test('openapi: a node without a type keeps unknown fields instead of breaking structure', () => {
  assert.equal(toStructural({ description: 'anything' }).schema, { description: 'anything', 'x-kubernetes-preserve-unknown-fields': true });
});

// Structural schema rules the API server enforces (apiextensions validation), checked here so a
// generator change fails fast, before a real API server sees the CRD.
function structuralProblems(node: JsonSchema, path: string, out: string[]): void {
  if (node.type === undefined && !node['x-kubernetes-preserve-unknown-fields'] && !node['x-kubernetes-int-or-string']) out.push(`${path}: no type`);
  for (const k of ['$ref', 'uniqueItems', 'additionalItems', 'patternProperties', 'dependencies', 'definitions', '$defs', 'if', 'then', 'else', 'const']) {
    if (k in node) out.push(`${path}: forbidden keyword ${k}`);
  }
  if (node.additionalProperties === false) out.push(`${path}: additionalProperties false`);
  if (node.properties && node.additionalProperties) out.push(`${path}: properties and additionalProperties together`);
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) structuralProblems(child, `${path}.${name}`, out);
  if (node.items) structuralProblems(node.items as JsonSchema, `${path}[]`, out);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') structuralProblems(node.additionalProperties as JsonSchema, `${path}{}`, out);
}

for (const input of crdInputs()) {
  test(`crd: ${input.kind} is structural, has one storage version and keeps the schema defaults`, () => {
    const { crd } = buildCrd(input);
    const spec = crd.spec as { versions: { name: string; storage: boolean; schema: { openAPIV3Schema: JsonSchema } }[]; names: { kind: string } };
    assert.is(spec.names.kind, input.kind);
    assert.is(spec.versions.filter((v) => v.storage).length, 1);
    for (const v of spec.versions) {
      const problems: string[] = [];
      structuralProblems(v.schema.openAPIV3Schema, `${input.kind}/${v.name}`, problems);
      assert.equal(problems, []);
      const src = input.versions.find((x) => x.name === v.name)!.spec as JsonSchema | undefined;
      const specSchema = (v.schema.openAPIV3Schema.properties as Record<string, JsonSchema>).spec!;
      for (const [field, def] of Object.entries((src?.properties ?? {}) as Record<string, JsonSchema>)) {
        if ('default' in def) assert.equal((specSchema.properties as Record<string, JsonSchema>)[field]!.default, def.default, `${field} default`);
      }
    }
  });
}

test('crd: every CEL rule lands in a generated CRD (a renamed field cannot orphan a rule)', () => {
  const kinds = new Map(crdInputs().map((i) => [i.kind, i]));
  for (const key of Object.keys(CEL_RULES)) {
    const [kind, version] = key.split('/') as [string, string];
    const input = kinds.get(kind);
    assert.ok(input, `rules for ${kind} but no CRD`);
    assert.ok(input.versions.some((v) => v.name === version), `rules for ${key} but no such version`);
    const text = JSON.stringify(buildCrd(input).crd);
    for (const r of CEL_RULES[key]!) assert.ok(text.includes(JSON.stringify(r.message)), `${key}: ${r.message}`);
  }
});

test('crd: a rule on a field the schema lacks is refused by the generator', () => {
  const input = { kind: 'Community', group: 'metallb.io', plural: 'communities', singular: 'community', versions: [{ name: 'v1beta1', served: true, storage: true, spec: { type: 'object', properties: {} } }] };
  assert.throws(() => buildCrd(input), /does not exist in the schema/);
});

test('crd: BGPPeer serves v1beta1 (deprecated) and stores v1beta2 without a conversion webhook', () => {
  const input = crdInputs().find((i) => i.kind === 'BGPPeer')!;
  const spec = buildCrd(input).crd.spec as { conversion: unknown; versions: { name: string; storage: boolean; deprecated?: boolean }[] };
  assert.equal(spec.conversion, { strategy: 'None' });
  assert.equal(spec.versions.map((v) => [v.name, v.storage, v.deprecated ?? false]).sort(), [['v1beta1', false, true], ['v1beta2', true, false]]);
});

test('crd: the committed manifests/crds match the generator (run `npx tsx test/k8s/gen-crds.ts` after a schema change)', () => {
  assert.equal(diffAgainstDisk(), []);
});

test.run();
