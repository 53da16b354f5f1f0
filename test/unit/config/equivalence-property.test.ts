// Property: for generated legacy configs, the metallb.io objects that say the same thing (written by
// a small converter in this file, independent of src/migrate) parse to the same model, and a legacy
// config is refused exactly when its CRD form is (except for rules that only exist for CRDs).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { parseObjects, parseSources } from '../../../src/config/index.js';
import { ConfigErrors } from '../../../src/model/errors.js';
import { peerName, type Config } from '../../../src/model/config.js';
import { canonicalIP } from '../../../src/model/ip.js';

const RUNS = Number(process.env.LBCTL_FUZZ_RUNS ?? 100);

type LegacyAd = { 'aggregation-length'?: number; 'aggregation-length-v6'?: number; localpref?: number; communities?: string[] };
type LegacyPool = { name: string; protocol: string; addresses: string[]; 'auto-assign'?: boolean; 'avoid-buggy-ips'?: boolean; 'bgp-advertisements'?: LegacyAd[] };
type LegacyPeer = { 'my-asn': number; 'peer-asn': number; 'peer-address': string; 'peer-port'?: number; 'hold-time'?: string; 'keepalive-time'?: string; 'router-id'?: string; 'ebgp-multihop'?: boolean; password?: string; 'node-selectors'?: { 'match-labels': Record<string, string> }[] };
type Payload = { 'address-pools': LegacyPool[]; peers: LegacyPeer[]; 'bgp-communities': Record<string, string> };

const meta = (name: string) => ({ name, namespace: 'metallb-system' });
const obj = (kind: string, name: string, spec: unknown, v = 'v1beta1') => ({ apiVersion: `metallb.io/${v}`, kind, metadata: meta(name), spec });

/** toCRDs writes the metallb.io objects that mean what a legacy payload means. */
function toCRDs(p: Payload): unknown[] {
  const out: unknown[] = [obj('Community', 'aliases', { communities: Object.entries(p['bgp-communities']).map(([name, value]) => ({ name, value })) })];
  p.peers.forEach((x) => {
    const port = x['peer-port'] || 179;
    const name = peerName({ peerAddress: canonicalIP(x['peer-address']) ?? x['peer-address'], peerASN: x['peer-asn'], peerPort: port });
    out.push(obj('BGPPeer', name, {
      myASN: x['my-asn'], peerASN: x['peer-asn'], peerAddress: x['peer-address'], peerPort: port, holdTime: x['hold-time'] ?? '90s',
      ...(x['keepalive-time'] ? { keepaliveTime: x['keepalive-time'] } : {}), ...(x['router-id'] ? { routerID: x['router-id'] } : {}),
      ebgpMultiHop: x['ebgp-multihop'] ?? false, ...(x.password ? { password: x.password } : {}),
      nodeSelectors: (x['node-selectors'] ?? []).map((s) => ({ matchLabels: s['match-labels'] })),
    }, 'v1beta2'));
  });
  let n = 0;
  for (const pool of p['address-pools']) {
    out.push(obj('IPAddressPool', pool.name, { addresses: pool.addresses, autoAssign: pool['auto-assign'] ?? true, avoidBuggyIPs: pool['avoid-buggy-ips'] ?? false }));
    if (pool.protocol === 'layer2') out.push(obj('L2Advertisement', `l2-${pool.name}`, { ipAddressPools: [pool.name] }));
    const ads = pool['bgp-advertisements'] ?? [];
    if (pool.protocol === 'bgp') {
      for (const ad of ads.length > 0 ? ads : [{}]) {
        out.push(obj('BGPAdvertisement', `ad${n++}`, {
          ipAddressPools: [pool.name], aggregationLength: ad['aggregation-length'] ?? 32, aggregationLengthV6: ad['aggregation-length-v6'] ?? 128,
          localPref: ad.localpref ?? 0, communities: ad.communities ?? [],
        }));
      }
    }
  }
  return out;
}

const addr = fc.oneof(
  fc.tuple(fc.nat(3), fc.nat(3), fc.integer({ min: 22, max: 32 })).map(([a, b, len]) => `10.0.${a}.${b * 64}/${len}`),
  fc.tuple(fc.nat(3), fc.nat(255), fc.nat(255)).map(([a, x, y]) => `10.1.${a}.${Math.min(x, y)}-10.1.${a}.${Math.max(x, y)}`),
  fc.tuple(fc.nat(3), fc.integer({ min: 56, max: 128 })).map(([a, len]) => `2001:db8:${a}::/${len}`),
);
const ad = fc.record({ 'aggregation-length': fc.integer({ min: 20, max: 32 }), 'aggregation-length-v6': fc.integer({ min: 56, max: 128 }), localpref: fc.constantFrom(0, 100), communities: fc.uniqueArray(fc.constantFrom('noexport', '1:1', '65535:65282'), { maxLength: 2 }) }, { requiredKeys: [] });
const pools = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 4 }).chain((names) =>
  fc.tuple(...names.sort().map((name) => fc.record({ name: fc.constant(name), protocol: fc.constantFrom('layer2', 'bgp'), addresses: fc.array(addr, { minLength: 1, maxLength: 2 }), 'auto-assign': fc.boolean(), 'avoid-buggy-ips': fc.boolean(), 'bgp-advertisements': fc.array(ad, { maxLength: 2 }) }, { requiredKeys: ['name', 'protocol', 'addresses'] }))),
).map((list) => list.map((p) => (p.protocol === 'layer2' ? { ...p, 'bgp-advertisements': undefined } : p)));
const peer = fc.record({
  'my-asn': fc.constantFrom(64500, 64501), 'peer-asn': fc.constantFrom(64500, 64502), 'peer-address': fc.constantFrom('192.0.2.1', '192.0.2.2', '2001:DB8::1'),
  'peer-port': fc.constantFrom(179, 1179), 'hold-time': fc.constantFrom('90s', '3.7s', '1m', '0s'), 'keepalive-time': fc.constantFrom('10s', '1s'),
  'router-id': fc.constantFrom('10.0.0.9'), 'ebgp-multihop': fc.boolean(), password: fc.constantFrom('s3cret'), 'node-selectors': fc.array(fc.record({ 'match-labels': fc.constantFrom({ rack: 'a' }, { zone: 'b' }) }), { maxLength: 1 }),
}, { requiredKeys: ['my-asn', 'peer-asn', 'peer-address'] });
const payload = fc.record({ 'address-pools': pools, peers: fc.uniqueArray(peer, { maxLength: 3, selector: (p) => `${p['peer-address']}` }), 'bgp-communities': fc.constant({ noexport: '65535:65281' }) });

function verdict(run: () => { config: Config }): { ok: true; config: Config } | { ok: false; codes: string[] } {
  try {
    const { config } = run();
    return { ok: true, config: { ...config, peers: [...config.peers].sort((a, b) => a.name.localeCompare(b.name)) } };
  } catch (err) {
    if (err instanceof ConfigErrors) return { ok: false, codes: err.errors.map((e) => e.code) };
    throw err;
  }
}

// Rules MetalLB introduced with the CRDs only (a legacy config may pass them and its CRD form not),
// and the legacy check of ads as written (identical CRD ads on a pool are simply merged).
const crdOnly = new Set(['config.bgpadv.localpref']);
const legacyOnly = new Set(['config.bgpadv.duplicate']);

test('property: a legacy config and its CRD form give the same model, or are both refused', () => {
  const seen = { same: 0, refused: 0 };
  fc.assert(
    fc.property(payload, (p) => {
      const legacy = verdict(() => parseSources([{ name: 'legacy', text: JSON.stringify(p) }]));
      const crd = verdict(() => parseObjects(toCRDs(p)));
      if (!crd.ok && crd.codes.every((c) => crdOnly.has(c))) return;
      if (!legacy.ok && legacy.codes.every((c) => legacyOnly.has(c))) return;
      assert.is(crd.ok, legacy.ok, JSON.stringify({ legacy: legacy.ok ? 'valid' : legacy.codes, crd: crd.ok ? 'valid' : crd.codes }));
      if (legacy.ok && crd.ok) {
        assert.equal(crd.config, legacy.config);
        seen.same++;
      } else seen.refused++;
    }),
    { numRuns: RUNS },
  );
  assert.ok(seen.same > 0 && seen.refused > 0, JSON.stringify(seen));
});

test.run();
