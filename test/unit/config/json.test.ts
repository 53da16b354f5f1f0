// The MODEL contract and the payload helpers the migration tool builds on: redaction, JSON safety,
// and payload extraction/re-emission from every wrapper.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseObjects, decodeLegacy, emitYAML, extractLegacyPayload, loadYAML, modelToJSON, redactConfig, PASSWORD_SET } from '../../../src/config/index.js';
import { parseText } from './helpers.js';
import { ConfigErrors } from '../../../src/model/errors.js';

const withPassword = 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 192.0.2.1\n  password: "s3cr3t!"\n';

test('redactConfig hides passwords without touching the original', () => {
  const { config } = parseText(withPassword);
  const red = redactConfig(config);
  assert.is(red.peers[0]!.password, PASSWORD_SET);
  assert.is(config.peers[0]!.password, 's3cr3t!');
});

test('modelToJSON is JSON-safe, password-free, and names unset optionals null', () => {
  const json = modelToJSON(parseText(withPassword).config);
  const text = JSON.stringify(json);
  assert.not.match(text, /s3cr3t/);
  assert.equal(JSON.parse(text), json);
  assert.equal([json.peers[0]!['password'], json.peers[0]!['routerID'], json.peers[0]!['bfdProfile']], ['<set>', null, null]);
});

test('modelToJSON copies: changing its output leaves the model alone', () => {
  const { config } = parseText('address-pools:\n- name: p\n  protocol: layer2\n  addresses: [10.0.0.0/24]\n');
  (modelToJSON(config).pools[0]!['addresses'] as string[]).push('x');
  assert.equal(config.pools[0]!.addresses, ['10.0.0.0/24']);
});

const wrappers: [string, unknown, string | undefined][] = [
  ['a ConfigMap gives its data.config text', { apiVersion: 'v1', kind: 'ConfigMap', data: { config: 'peers: []\n' } }, 'peers: []\n'],
  ['a ConfigMap without config gives nothing', { apiVersion: 'v1', kind: 'ConfigMap', data: { other: 'x' } }, undefined],
  ['Helm values with a string configInline give the string', { configInline: 'address-pools: []\n' }, 'address-pools: []\n'],
  ['a Service gives nothing', { apiVersion: 'v1', kind: 'Service' }, undefined],
  ['a map with unrelated keys gives nothing', { foo: 1 }, undefined],
];
for (const [desc, doc, want] of wrappers) test(`extractLegacyPayload: ${desc}`, () => assert.is(extractLegacyPayload(doc), want));

test('extractLegacyPayload re-emits maps so strict decoding gives the same file', () => {
  const [doc] = loadYAML('configInline:\n  address-pools:\n  - name: "a: b # c"\n    auto-assign: no\n    addresses: ["10.0.0.0/24"]\n  peers: []\n', 'h');
  const text = extractLegacyPayload(doc)!;
  assert.equal(decodeLegacy(text), { 'address-pools': [{ name: 'a: b # c', 'auto-assign': false, addresses: ['10.0.0.0/24'] }], peers: [] });
});

test('extractLegacyPayload works on plain JSON objects too (booleans and numbers keep their types)', () => {
  const text = extractLegacyPayload({ 'address-pools': [{ name: 'p', protocol: 'bgp', 'auto-assign': false, addresses: ['10.0.0.0/24'], 'bgp-advertisements': [{ localpref: 100 }] }] })!;
  assert.equal(decodeLegacy(text)['address-pools']![0], { name: 'p', protocol: 'bgp', 'auto-assign': false, addresses: ['10.0.0.0/24'], 'bgp-advertisements': [{ localpref: 100 }] });
});

test('emitYAML writes empty collections and nulls so they read back', () => {
  assert.is(emitYAML({ a: [], b: {}, c: null, d: [[]] }), '"a": []\n"b": {}\n"c": null\n"d":\n  - []\n');
});

test('decodeLegacy refuses a payload of several documents', () => {
  assert.throws(() => decodeLegacy('peers: []\n---\npeers: []\n'), /holds 2 YAML documents/);
});

test('a bug inside the parser still leaves as one ConfigError (config.internal), never a crash', () => {
  const hostile = { apiVersion: 'metallb.io/v1beta1', get kind(): string { throw new Error('boom'); } };
  try {
    parseObjects([hostile]);
    assert.unreachable();
  } catch (err) {
    assert.instance(err, ConfigErrors);
    assert.equal((err as ConfigErrors).errors.map((e) => [e.code, e.message]), [['config.internal', 'config: internal error while parsing: boom']]);
  }
});

test.run();
