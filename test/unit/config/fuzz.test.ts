// Property tests over the parser: random text, random objects, mutated real configs and generated
// configs never make it throw anything but ConfigErrors; whatever it accepts satisfies the model's
// invariants (no overlaps, schema-valid JSON, no password in the output). Runs are bounded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractLegacyPayload, loadYAML, modelToJSON, parseObjects, parseSources } from '../../../src/config/index.js';
import { validator } from '../../../src/config/schema/registry.js';
import { ConfigErrors } from '../../../src/model/errors.js';
import { cidrsOverlap, type Config } from '../../../src/model/index.js';

const RUNS = Number(process.env.LBCTL_FUZZ_RUNS ?? 100);
const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/config');
const corpus = ['seeds', 'valid', 'invalid'].flatMap((d) => readdirSync(path.join(dir, d)).map((f) => readFileSync(path.join(dir, d, f), 'utf8')));
const modelSchema = validator('model.schema.json');

/** outcome parses and checks the invariants; any non-ConfigErrors exception fails the property. */
function outcome(run: () => { config: Config }): 'valid' | 'invalid' {
  let config: Config;
  try {
    config = run().config;
  } catch (err) {
    if (err instanceof ConfigErrors && err.errors.length > 0) return 'invalid';
    throw err;
  }
  const cidrs = config.pools.flatMap((p) => p.cidrs);
  for (let i = 0; i < cidrs.length; i++) for (let j = i + 1; j < cidrs.length; j++) if (cidrsOverlap(cidrs[i]!, cidrs[j]!)) throw new Error('accepted overlapping prefixes');
  const json = modelToJSON(config);
  if (!modelSchema({ valid: true, config: JSON.parse(JSON.stringify(json)), warnings: [] })) throw new Error(`model JSON breaks its schema: ${JSON.stringify(modelSchema.errors)}`);
  for (const p of config.peers) if (p.password && JSON.stringify(json).includes(`"${p.password}"`) && p.password !== '<set>') throw new Error('password leaked');
  return 'valid';
}

test('fuzz: random text never throws anything but ConfigErrors', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (text) => void outcome(() => parseSources([{ name: 'f', text }]))), { numRuns: RUNS });
});

const yamlish = fc.stringMatching(/^[-a-z:\[\]{}#&*!|>'" \n0-9.\/]{0,120}$/);
test('fuzz: YAML-looking noise never throws anything but ConfigErrors', () => {
  fc.assert(fc.property(yamlish, (text) => void outcome(() => parseSources([{ name: 'f', text }]))), { numRuns: RUNS });
});

test('fuzz: random JSON objects never throw anything but ConfigErrors', () => {
  const doc = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record({ apiVersion: fc.constantFrom('metallb.io/v1beta1', 'metallb.io/v1beta2', 'v1'), kind: fc.constantFrom('IPAddressPool', 'BGPPeer', 'BGPAdvertisement', 'L2Advertisement', 'Community', 'BFDProfile', 'AddressPool', 'ConfigMap', 'List'), metadata: fc.jsonValue({ maxDepth: 2 }), spec: fc.jsonValue({ maxDepth: 3 }), data: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ['apiVersion', 'kind'] }),
  );
  fc.assert(fc.property(fc.array(doc, { maxLength: 4 }), (objs) => void outcome(() => parseObjects(objs))), { numRuns: RUNS });
});

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(':', '-', ' ', '\n', '"', '[', '{', '~', 'yes', '0', '/33', '::', '-1', '1-2', 'large:', '&a', '*a', '\t', 'null') }),
  fc.record({ op: fc.constant('dupline' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('swaplines' as const), at: fc.nat() }),
);
type Mutation = { op: 'delete'; at: number; len: number } | { op: 'insert'; at: number; text: string } | { op: 'dupline' | 'swaplines'; at: number };

function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % text.length;
  if (m.op === 'delete') return text.slice(0, at) + text.slice(at + m.len);
  if (m.op === 'insert') return text.slice(0, at) + m.text + text.slice(at);
  const lines = text.split('\n');
  const i = lines.length === 0 ? 0 : m.at % lines.length;
  if (m.op === 'dupline') lines.splice(i, 0, lines[i] ?? '');
  else if (i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
  return lines.join('\n');
}

test('fuzz: mutated real configs never throw anything but ConfigErrors', () => {
  const seen = { valid: 0, invalid: 0 };
  fc.assert(
    fc.property(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 4 }), (base, muts) => {
      seen[outcome(() => parseSources([{ name: 'm', text: muts.reduce(mutate, base) }]))]++;
    }),
    { numRuns: RUNS * 2 },
  );
  // The mutations must exercise both outcomes, or the property says little.
  assert.ok(seen.valid > 0 && seen.invalid > 0, JSON.stringify(seen));
});

const octet = fc.integer({ min: 0, max: 3 });
const address = fc.oneof(
  fc.tuple(octet, octet, fc.integer({ min: 20, max: 32 })).map(([a, b, len]) => `10.0.${a}.${b * 64}/${len}`),
  fc.tuple(octet, fc.nat(255), fc.nat(255)).map(([a, x, y]) => `10.0.${a}.${Math.min(x, y)}-10.0.${a}.${Math.max(x, y)}`),
  fc.tuple(octet, fc.integer({ min: 60, max: 128 })).map(([a, len]) => `2001:db8:${a}::/${len}`),
);
const legacyPool = fc.record({
  name: fc.constantFrom('a', 'b', 'c', 'd'),
  protocol: fc.constantFrom('layer2', 'bgp', 'arp'),
  addresses: fc.array(address, { minLength: 1, maxLength: 3 }),
  'auto-assign': fc.boolean(),
  'bgp-advertisements': fc.array(fc.record({ 'aggregation-length': fc.integer({ min: 16, max: 33 }), localpref: fc.nat(200), communities: fc.array(fc.constantFrom('1:1', 'no', '65535:65281', 'large:1:2:3'), { maxLength: 2 }) }, { requiredKeys: [] }), { maxLength: 2 }),
}, { requiredKeys: ['name', 'protocol', 'addresses'] });
const legacyPeer = fc.record({ 'my-asn': fc.integer({ min: 0, max: 3 }), 'peer-asn': fc.integer({ min: 1, max: 3 }), 'peer-address': fc.constantFrom('192.0.2.1', '192.0.2.2', '2001:db8::1', 'bogus'), 'hold-time': fc.constantFrom('90s', '1s', '3.7s', '0', '500ms', '9'), 'keepalive-time': fc.constantFrom('10s', '100s', '1m'), 'ebgp-multihop': fc.boolean() }, { requiredKeys: ['peer-address'] });

test('fuzz: generated legacy configs are accepted or refused, and accepted ones never overlap', () => {
  const seen = { valid: 0, invalid: 0 };
  const gen = fc.record({ 'address-pools': fc.array(legacyPool, { maxLength: 4 }), peers: fc.array(legacyPeer, { maxLength: 3 }), 'bgp-communities': fc.constant({ no: '65535:65282' }) });
  fc.assert(
    fc.property(gen, fc.constantFrom('controller', 'native', 'frr') as fc.Arbitrary<'controller' | 'native' | 'frr'>, (payload, mode) => {
      seen[outcome(() => parseSources([{ name: 'gen', text: JSON.stringify(payload) }], { mode }))]++;
    }),
    { numRuns: RUNS * 2 },
  );
  assert.ok(seen.valid > 0 && seen.invalid > 0, JSON.stringify(seen));
});

function verdict(text: string): unknown {
  try {
    return modelToJSON(parseSources([{ name: 'p', text }]).config);
  } catch (err) {
    if (err instanceof ConfigErrors) return err.errors.map((e) => e.message);
    throw err;
  }
}

test('fuzz: a payload re-emitted by extractLegacyPayload parses to the same verdict', () => {
  const gen = fc.record({ 'address-pools': fc.array(legacyPool, { maxLength: 3 }), peers: fc.array(legacyPeer, { maxLength: 2 }) });
  fc.assert(
    fc.property(gen, (payload) => {
      const text = JSON.stringify(payload);
      const emitted = extractLegacyPayload(loadYAML(text, 'p')[0]);
      assert.equal(verdict(emitted!), verdict(text));
    }),
    { numRuns: RUNS },
  );
});

test('fuzz: generated CRD sets are accepted or refused without crashing', () => {
  const meta = (name: string) => ({ name, namespace: 'metallb-system' });
  const pool = fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.array(address, { minLength: 1, maxLength: 2 })).map(([n, addresses]) => ({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: meta(n), spec: { addresses } }));
  const ad = fc.tuple(fc.constantFrom('x', 'y'), fc.integer({ min: 1, max: 33 }), fc.nat(3), fc.array(fc.constantFrom('a', 'b', 'zz'), { maxLength: 2 })).map(([n, agg, lp, pools]) => ({ apiVersion: 'metallb.io/v1beta1', kind: 'BGPAdvertisement', metadata: meta(n), spec: { aggregationLength: agg, localPref: lp, ipAddressPools: pools } }));
  const peer = fc.tuple(fc.constantFrom('p', 'q'), fc.constantFrom('90s', '2s', undefined), fc.constantFrom('30s', undefined)).map(([n, holdTime, keepaliveTime]) => ({ apiVersion: 'metallb.io/v1beta2', kind: 'BGPPeer', metadata: meta(n), spec: { myASN: 1, peerASN: 2, peerAddress: '192.0.2.1', holdTime, keepaliveTime } }));
  fc.assert(fc.property(fc.array(fc.oneof(pool, ad, peer), { maxLength: 6 }), (objs) => void outcome(() => parseObjects(JSON.parse(JSON.stringify(objs))))), { numRuns: RUNS });
});

test.run();
