import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildLegacy, formatBlockers } from '../../../src/migrate/legacy-out.js';
import { bgpAd, config, l2, peer, pool } from './fixtures.js';
import type { Config } from '../../../src/model/index.js';

const sel = { matchLabels: { rack: 'a' }, matchExpressions: [] };

const blocked: [string, Config, string[]][] = [
  ['service allocation is not expressible', config({ pools: [pool('a', ['10.0.0.0/24'], { serviceAllocation: { priority: 1, namespaces: [], namespaceSelectors: [], serviceSelectors: [] } })] }), ['spec.serviceAllocation']],
  ['a pool with both protocols is not expressible', config({ pools: [pool('a', ['10.0.0.0/24'], { bgpAdvertisements: [bgpAd()] })] }), ['advertisements']],
  ['a pool without advertisements is not expressible', config({ pools: [pool('a', ['10.0.0.0/24'], { l2Advertisements: [] })] }), ['advertisements']],
  ['per-node L2 advertisements are not expressible', config({ pools: [pool('a', ['10.0.0.0/24'], { l2Advertisements: [l2({ nodeSelectors: [sel] })] })] }), ['L2Advertisement nodeSelectors']],
  ['L2 interfaces are not expressible', config({ pools: [pool('a', ['10.0.0.0/24'], { l2Advertisements: [l2({ interfaces: ['eth0'] })] })] }), ['L2Advertisement interfaces']],
  ['L2 service selectors are not expressible', config({ pools: [pool('a', ['10.0.0.0/24'], { l2Advertisements: [l2({ serviceSelectors: [sel] })] })] }), ['L2Advertisement serviceSelectors']],
  ['per-node BGP advertisements are not expressible', config({ pools: [pool('a', ['10.0.0.0/24'], { l2Advertisements: [], bgpAdvertisements: [bgpAd({ nodeSelectors: [sel] })] })] }), ['BGPAdvertisement nodeSelectors']],
  ['advertisements to chosen peers are not expressible', config({ pools: [pool('a', ['10.0.0.0/24'], { l2Advertisements: [], bgpAdvertisements: [bgpAd({ peers: ['spine'] })] })] }), ['BGPAdvertisement peers']],
  ['large communities are not expressible', config({ pools: [pool('a', ['10.0.0.0/24'], { l2Advertisements: [], bgpAdvertisements: [bgpAd({ communities: ['large:1:2:3'] })] })] }), ['community large:1:2:3']],
  ['large community aliases are not expressible', config({ communities: { big: 'large:1:2:3' } }), ['large:1:2:3']],
  ['peer VRFs are not expressible', config({ peers: [peer({ vrf: 'red' })] }), ['spec.vrf']],
  ['peer connect time is not expressible', config({ peers: [peer({ connectTime: 5 })] }), ['spec.connectTime']],
  ['graceful restart is not expressible', config({ peers: [peer({ enableGracefulRestart: true })] }), ['spec.enableGracefulRestart']],
  ['a Secret password not in the input is not expressible', config({ peers: [peer({ passwordSecret: { name: 's', namespace: 'metallb-system' } })] }), ['spec.passwordSecret']],
];
for (const [desc, model, want] of blocked) {
  test(`buildLegacy: ${desc}`, () => {
    const { blockers } = buildLegacy(model);
    assert.equal(blockers.map((b) => b.construct), want);
    for (const line of formatBlockers(blockers)) assert.match(line, 'cannot be expressed in the legacy ConfigMap');
  });
}

test('buildLegacy collects every blocker of a config in one run', () => {
  const model = config({
    pools: [pool('a', ['10.0.0.0/24'], { serviceAllocation: { priority: 1, namespaces: [], namespaceSelectors: [], serviceSelectors: [] }, l2Advertisements: [l2({ interfaces: ['eth0'] })] })],
    peers: [peer({ vrf: 'red' })],
  });
  assert.is(buildLegacy(model).blockers.length, 3);
});

test('buildLegacy writes the shortest legacy form: defaults omitted, a lone default advertisement dropped', () => {
  const model = config({
    pools: [
      pool('l2', ['10.0.0.0/24']),
      pool('bgp', ['10.0.1.0/24'], { l2Advertisements: [], bgpAdvertisements: [bgpAd()] }),
      pool('agg', ['10.0.2.0/24', '10.0.3.0-10.0.3.9'], { autoAssign: false, avoidBuggyIPs: true, l2Advertisements: [], bgpAdvertisements: [bgpAd({ aggregationLength: 24, localPref: 100, communities: ['65535:65281'] }), bgpAd()] }),
    ],
    peers: [peer(), peer({ peerAddress: '192.0.2.2', peerPort: 1179, holdTime: 180, keepaliveTime: 10, keepaliveExplicit: true, routerID: '192.0.2.100', ebgpMultiHop: true, password: 'k', bfdProfile: 'fast', nodeSelectors: [sel] })],
    bfdProfiles: [{ name: 'fast', receiveInterval: 100, echoMode: true, passiveMode: false }],
    communities: { 'no-export': '65535:65281' },
  });
  const { payload, blockers } = buildLegacy(model);
  assert.equal(blockers, []);
  assert.equal(payload, {
    peers: [
      { 'my-asn': 64500, 'peer-asn': 64501, 'peer-address': '192.0.2.1' },
      {
        'my-asn': 64500, 'peer-asn': 64501, 'peer-address': '192.0.2.2', 'peer-port': 1179, 'hold-time': '180s', 'keepalive-time': '10s',
        'router-id': '192.0.2.100', 'node-selectors': [{ 'match-labels': { rack: 'a' } }], password: 'k', 'bfd-profile': 'fast', 'ebgp-multihop': true,
      },
    ],
    'bgp-communities': { 'no-export': '65535:65281' },
    'address-pools': [
      { name: 'l2', protocol: 'layer2', addresses: ['10.0.0.0/24'] },
      { name: 'bgp', protocol: 'bgp', addresses: ['10.0.1.0/24'] },
      {
        name: 'agg', protocol: 'bgp', addresses: ['10.0.2.0/24', '10.0.3.0-10.0.3.9'], 'auto-assign': false, 'avoid-buggy-ips': true,
        'bgp-advertisements': [{ 'aggregation-length': 24, localpref: 100, communities: ['no-export'] }, {}],
      },
    ],
    'bfd-profiles': [{ name: 'fast', 'receive-interval': 100, 'echo-mode': true }],
  });
});

test('buildLegacy writes a literal when two aliases share the value (either name would be a guess)', () => {
  const model = config({
    pools: [pool('p', ['10.0.0.0/24'], { l2Advertisements: [], bgpAdvertisements: [bgpAd({ communities: ['1:1', '2:2'] })] })],
    communities: { a: '1:1', b: '1:1', c: '2:2' },
  });
  assert.equal(buildLegacy(model).payload['address-pools']![0]!['bgp-advertisements'], [{ communities: ['1:1', 'c'] }]);
});

test.run();
