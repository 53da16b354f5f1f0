// Property: for any legacy config (random but shaped like real ones, including names Kubernetes
// refuses, old spellings, every peer field), migrate either succeeds with a proven output whose
// rollback gives the same model again, or fails with the parser's or migrate's own typed errors.
// A failed proof would mean the emitter and the parser disagree: that must never happen.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { parseSources } from '../../../src/config/index.js';
import { diffConfigs, formatDifferences } from '../../../src/migrate/diff.js';
import { expectFromCrds, withoutPeerNames } from '../../../src/migrate/expect.js';
import { runMigrate } from '../../../src/migrate/index.js';
import { asYaml, toYaml } from '../../../src/migrate/yaml.js';
import { ConfigError, ConfigErrors } from '../../../src/model/index.js';

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const name = fc.constantFrom('default', 'web', 'My_Pool', 'my-pool', 'Public IPs', 'a.b', 'x_1', 'zeta', 'Edge--');
const address = fc.constantFrom('192.0.2.0/24', '198.51.100.0/25', '198.51.100.128/26', '203.0.113.10-203.0.113.20', '2001:db8::/120', '2001:db8:1::/64', '10.0.0.0/8', '10.1.0.0/16');
const community = fc.constantFrom('no-export', 'vpn', '64512:1', '65535:65281', '1:2');
const ad = fc.record(
  {
    'aggregation-length': opt(fc.constantFrom(8, 24, 26, 32)),
    'aggregation-length-v6': opt(fc.constantFrom(64, 120, 128)),
    localpref: opt(fc.constantFrom(0, 100)),
    communities: opt(fc.uniqueArray(community, { maxLength: 2 })),
  },
  { requiredKeys: [] },
);
const pool = fc.record(
  {
    name,
    protocol: fc.constantFrom('layer2', 'bgp', 'bgp', 'arp', 'babel'),
    addresses: fc.uniqueArray(address, { minLength: 1, maxLength: 2 }),
    'auto-assign': opt(fc.boolean()),
    'avoid-buggy-ips': opt(fc.boolean()),
    'bgp-advertisements': opt(fc.array(ad, { maxLength: 2 })),
  },
  { requiredKeys: ['name', 'protocol', 'addresses'] },
);
const selector = fc.record(
  {
    'match-labels': opt(fc.dictionary(fc.constantFrom('rack', 'zone'), fc.constantFrom('a', 'b'), { noNullPrototype: true })),
    'match-expressions': opt(fc.array(fc.record({ key: fc.constantFrom('k', 'tier'), operator: fc.constantFrom('In', 'NotIn'), values: fc.constantFrom(['x'], ['x', 'y']) }), { maxLength: 1 })),
  },
  { requiredKeys: [] },
);
const peer = fc.record(
  {
    'my-asn': fc.constantFrom(64500, 64501),
    'peer-asn': fc.constantFrom(64500, 64502),
    'peer-address': fc.constantFrom('192.0.2.1', '192.0.2.2', '2001:DB8::1'),
    'peer-port': opt(fc.constantFrom(0, 179, 1179)),
    'hold-time': opt(fc.constantFrom('90s', '3s', '0s', '1m30s', '3.7s', '500ms')),
    'keepalive-time': opt(fc.constantFrom('1s', '10s', '30s')),
    'router-id': opt(fc.constantFrom('10.0.0.1')),
    'source-address': opt(fc.constantFrom('192.0.2.100')),
    password: opt(fc.constantFrom('pw', '0123', 'a b#c')),
    'ebgp-multihop': opt(fc.boolean()),
    'node-selectors': opt(fc.array(selector, { maxLength: 2 })),
    'bfd-profile': opt(fc.constantFrom('Fast_BFD')),
  },
  { requiredKeys: ['my-asn', 'peer-asn', 'peer-address'] },
);
const legacy = fc.record(
  {
    peers: opt(fc.array(peer, { maxLength: 2 })),
    'bgp-communities': opt(fc.constantFrom({ 'no-export': '65535:65281', vpn: '1234:1' }, { vpn: '1234:1' })),
    'address-pools': opt(fc.array(pool, { maxLength: 3 })),
    'bfd-profiles': opt(fc.constantFrom([{ name: 'Fast_BFD', 'receive-interval': 100 }], [{ name: 'Fast_BFD' }])),
  },
  { requiredKeys: [] },
);

test('any legacy config converts with a proof and rolls back to the same model, or fails with a typed error', () => {
  let converted = 0;
  fc.assert(
    fc.property(legacy, fc.boolean(), (file, passwordSecrets) => {
      const text = toYaml(asYaml(file));
      let out;
      try {
        out = runMigrate({ input: { source: 'gen.yaml', text }, to: 'crds', output: 'yaml', perFile: false, passwordSecrets });
      } catch (err) {
        const errors = err instanceof ConfigErrors ? err.errors : [err];
        for (const e of errors) {
          assert.instance(e, ConfigError, String(e));
          assert.is.not((e as ConfigError).code, 'migrate.proof', `${(e as Error).message}\n--- input:\n${text}`);
          assert.is.not((e as ConfigError).code, 'config.internal', `${(e as Error).message}\n--- input:\n${text}`);
        }
        return;
      }
      converted++;
      const back = runMigrate({ input: { source: 'gen.crds.yaml', text: out.stream! }, to: 'configmap', output: 'yaml', perFile: false, passwordSecrets: false });
      const again = parseSources([{ name: 'rollback', text: back.stream! }]).config;
      assert.equal(formatDifferences(diffConfigs(expectFromCrds(out.model), withoutPeerNames(again)), 'first', 'again'), [], text);
    }),
    { numRuns: 250, seed: 7 },
  );
  assert.ok(converted > 25, `only ${converted} of 250 random configs converted: the generator is too hostile to test much`);
});

test.run();
