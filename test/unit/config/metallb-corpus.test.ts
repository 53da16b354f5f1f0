// MetalLB v0.12.1's TestParse corpus (internal/config/config_test.go, 49 cases, controller mode),
// restated as one table: each OK case checks the parsed model, each ERR case checks that the config
// is refused for one of the reasons MetalLB would give.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { errorsOf, modelOf } from './helpers.js';
import type { ModelJSON } from '../../../src/config/index.js';

type Case = { desc: string; raw: string; want?: (m: ModelJSON) => void; err?: RegExp };

const defaultAd = { aggregationLength: 32, aggregationLengthV6: 128, localPref: 0, communities: [], nodeSelectors: [], peers: [], serviceSelectors: [] };
const l2Ad = { nodeSelectors: [], interfaces: [], serviceSelectors: [] };
const peerDefaults = { peerPort: 179, holdTime: 90, keepaliveTime: 30, nodeSelectors: [], sourceAddress: null, routerID: null, password: null, bfdProfile: null, ebgpMultiHop: false };

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

const cases: Case[] = [
  { desc: 'empty config', raw: '', want: (m) => assert.equal(m, { pools: [], peers: [], bfdProfiles: [], communities: {} }) },
  { desc: 'invalid yaml', raw: 'foo:<>$@$2r24j90', err: /document must be a mapping/ },
  {
    desc: 'config using all features',
    raw: `
peers:
- my-asn: 42
  peer-asn: 142
  peer-address: 1.2.3.4
  peer-port: 1179
  hold-time: 180s
  router-id: 10.20.30.40
  source-address: 10.20.30.40
  ebgp-multihop: true
- my-asn: 100
  peer-asn: 200
  peer-address: 2.3.4.5
  ebgp-multihop: false
  node-selectors:
  - match-labels:
      foo: bar
    match-expressions:
      - key: bar
        operator: In
        values: [quux]
bgp-communities:
  bar: 64512:1234
address-pools:
- name: pool1
  protocol: bgp
  addresses:
  - 10.20.0.0/16
  - 10.50.0.0/24
  avoid-buggy-ips: true
  auto-assign: false
  bgp-advertisements:
  - aggregation-length: 32
    localpref: 100
    communities: ["bar", "1234:2345"]
  - aggregation-length: 24
    aggregation-length-v6: 64
- name: pool2
  protocol: bgp
  addresses:
  - 30.0.0.0/8
- name: pool3
  protocol: layer2
  addresses:
  - 40.0.0.0/25
  - 40.0.0.150-40.0.0.200
  - 40.0.0.210 - 40.0.0.240
  - 40.0.0.250 - 40.0.0.250
- name: pool4
  protocol: layer2
  addresses:
  - 2001:db8::/64
`,
    want: (m) => {
      const [p1, p2] = m.peers;
      assert.equal(pick(p1!, ['myASN', 'peerASN', 'peerAddress', 'peerPort', 'holdTime', 'keepaliveTime', 'routerID', 'sourceAddress', 'ebgpMultiHop', 'nodeSelectors']), {
        myASN: 42, peerASN: 142, peerAddress: '1.2.3.4', peerPort: 1179, holdTime: 180, keepaliveTime: 60, routerID: '10.20.30.40', sourceAddress: '10.20.30.40', ebgpMultiHop: true, nodeSelectors: [],
      });
      assert.equal(pick(p2!, ['myASN', 'peerASN', 'peerAddress', 'peerPort', 'holdTime', 'keepaliveTime', 'ebgpMultiHop']), { myASN: 100, peerASN: 200, peerAddress: '2.3.4.5', peerPort: 179, holdTime: 90, keepaliveTime: 30, ebgpMultiHop: false });
      assert.equal(p2!['nodeSelectors'], [{ matchLabels: { foo: 'bar' }, matchExpressions: [{ key: 'bar', operator: 'In', values: ['quux'] }] }]);
      assert.equal(m.communities, { bar: '64512:1234' });
      const [pool1, pool2, pool3, pool4] = m.pools;
      assert.equal(pick(pool1!, ['name', 'cidrs', 'avoidBuggyIPs', 'autoAssign', 'l2Advertisements']), { name: 'pool1', cidrs: ['10.20.0.0/16', '10.50.0.0/24'], avoidBuggyIPs: true, autoAssign: false, l2Advertisements: [] });
      assert.equal(pool1!['bgpAdvertisements'], [
        { ...defaultAd, localPref: 100, communities: ['1234:2345', '64512:1234'] },
        { ...defaultAd, aggregationLength: 24, aggregationLengthV6: 64 },
      ]);
      assert.equal(pool2!['bgpAdvertisements'], [defaultAd]);
      assert.equal(pool3!['cidrs'], ['40.0.0.0/25', '40.0.0.150/31', '40.0.0.152/29', '40.0.0.160/27', '40.0.0.192/29', '40.0.0.200/32', '40.0.0.210/31', '40.0.0.212/30', '40.0.0.216/29', '40.0.0.224/28', '40.0.0.240/32', '40.0.0.250/32']);
      assert.equal(pool3!['l2Advertisements'], [l2Ad]);
      assert.equal(pool3!['bgpAdvertisements'], []);
      assert.equal(pick(pool4!, ['cidrs', 'l2Advertisements']), { cidrs: ['2001:db8::/64'], l2Advertisements: [l2Ad] });
      assert.equal(m.bfdProfiles, []);
    },
  },
  {
    desc: 'peer-only',
    raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n',
    want: (m) => {
      assert.equal(pick(m.peers[0]!, Object.keys(peerDefaults)), peerDefaults);
      assert.equal(m.pools, []);
    },
  },
  { desc: 'invalid peer-address', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.400\n', err: /invalid peer IP "1\.2\.3\.400"/ },
  { desc: 'invalid my-asn', raw: 'peers:\n- peer-asn: 42\n  peer-address: 1.2.3.4\n', err: /missing local ASN/ },
  { desc: 'invalid peer-asn', raw: 'peers:\n- my-asn: 42\n  peer-address: 1.2.3.4\n', err: /missing peer ASN/ },
  { desc: 'invalid ebgp-multihop', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  ebgp-multihop: true\n', err: /ebgp-multihop .*ibgp/ },
  { desc: 'invalid hold time (wrong format)', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  hold-time: foo\n', err: /invalid hold time "foo"/ },
  { desc: 'invalid hold time (too short)', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  hold-time: 1s\n', err: /must be 0 or >=3s/ },
  { desc: 'invalid router ID', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  router-id: oh god how do I BGP\n', err: /invalid router ID/ },
  {
    desc: 'empty node selector (select everything)',
    raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n',
    want: (m) => assert.equal(m.peers[0]!['nodeSelectors'], []),
  },
  { desc: 'invalid label node selector shape', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  node-selectors:\n  - match-labels:\n      foo:\n        bar: baz\n', err: /match-labels\.foo: expected a string/ },
  { desc: 'invalid expression node selector (missing key)', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  node-selectors:\n  - match-expressions:\n    - operator: In\n      values: [foo, bar]\n', err: /has no key/ },
  { desc: 'invalid expression node selector (missing operator)', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  node-selectors:\n  - match-expressions:\n    - key: foo\n      values: [foo, bar]\n', err: /has no operator/ },
  { desc: 'invalid expression node selector (invalid operator)', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  node-selectors:\n  - match-expressions:\n    - key: foo\n      operator: Surrounds\n      values: [foo, bar]\n', err: /"Surrounds" is not a valid selector operator/ },
  { desc: 'invalid router ID (second copy)', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  router-id: oh god how do I BGP\n', err: /invalid router ID/ },
  { desc: 'duplicate peers', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n', err: /peer #2: peer 1\.2\.3\.4 \(AS 42\) already exists as peer #1/ },
  { desc: 'no pool name', raw: 'address-pools:\n-\n', err: /address pool #1: name: missing pool name/ },
  { desc: 'address pool with no addresses', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n', err: /pool has no prefixes defined/ },
  { desc: 'address pool with no protocol', raw: 'address-pools:\n- name: pool1\n', err: /no prefixes defined|missing the protocol/ },
  { desc: 'address pool with unknown protocol', raw: 'address-pools:\n- name: pool1\n  protocol: babel\n', err: /no prefixes defined|unknown protocol "babel"/ },
  { desc: 'invalid pool CIDR', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  addresses:\n  - 100.200.300.400/24\n', err: /invalid CIDR "100\.200\.300\.400\/24"/ },
  { desc: 'invalid pool CIDR prefix length', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  addresses:\n  - 1.2.3.0/33\n', err: /invalid CIDR "1\.2\.3\.0\/33"/ },
  { desc: 'invalid pool CIDR, first address of the range is after the second', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  addresses:\n  - 1.2.3.10-1.2.3.1\n', err: /start IP 1\.2\.3\.10 is after the end IP 1\.2\.3\.1/ },
  {
    desc: 'simple advertisement',
    raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  addresses: [1.2.3.0/24]\n  bgp-advertisements:\n  -\n',
    want: (m) => assert.equal(m.pools[0]!['bgpAdvertisements'], [defaultAd]),
  },
  {
    desc: 'advertisement with default BGP settings',
    raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  addresses: [1.2.3.0/24]\n',
    want: (m) => assert.equal(m.pools[0]!['bgpAdvertisements'], [defaultAd]),
  },
  { desc: 'bad aggregation length (too long)', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  bgp-advertisements:\n  - aggregation-length: 33\n', err: /no prefixes defined|must be at most 32/ },
  {
    desc: 'bad aggregation length (incompatible with CIDR)',
    raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  addresses: [10.20.30.40/24, 1.2.3.0/28]\n  bgp-advertisements:\n  - aggregation-length: 26\n',
    err: /invalid aggregation length 26: prefix "1\.2\.3\.0\/28"/,
  },
  {
    desc: 'aggregation length by range',
    raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  addresses: [3.3.3.2-3.3.3.254]\n  bgp-advertisements:\n  - aggregation-length: 26\n',
    want: (m) => {
      assert.equal(m.pools[0]!['cidrs'], ['3.3.3.2/31', '3.3.3.4/30', '3.3.3.8/29', '3.3.3.16/28', '3.3.3.32/27', '3.3.3.64/26', '3.3.3.128/26', '3.3.3.192/27', '3.3.3.224/28', '3.3.3.240/29', '3.3.3.248/30', '3.3.3.252/31', '3.3.3.254/32']);
      assert.equal(m.pools[0]!['bgpAdvertisements'], [{ ...defaultAd, aggregationLength: 26 }]);
    },
  },
  { desc: 'aggregation length by range, too wide', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  addresses: [3.3.3.2-3.3.3.254]\n  bgp-advertisements:\n  - aggregation-length: 24\n', err: /invalid aggregation length 24: prefix "3\.3\.3\.64\/26"/ },
  { desc: 'bad community literal (wrong format)', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  bgp-advertisements:\n  - communities: ["1234"]\n', err: /invalid community "1234"/ },
  { desc: "bad community literal (asn part doesn't fit)", raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  bgp-advertisements:\n  - communities: ["99999999:1"]\n', err: /invalid community "99999999:1": the first part/ },
  { desc: "bad community literal (community# part doesn't fit)", raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  bgp-advertisements:\n  - communities: ["1:99999999"]\n', err: /invalid community "1:99999999": the second part/ },
  { desc: 'bad community ref (unknown ref)', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  bgp-advertisements:\n  - communities: ["flarb"]\n', err: /invalid community "flarb"/ },
  { desc: "bad community ref (ref asn doesn't fit)", raw: 'bgp-communities:\n  flarb: 99999999:1\naddress-pools:\n- name: pool1\n  protocol: bgp\n  bgp-advertisements:\n  - communities: ["flarb"]\n', err: /parsing community "flarb"/ },
  { desc: "bad community ref (ref community# doesn't fit)", raw: 'bgp-communities:\n  flarb: 1:99999999\naddress-pools:\n- name: pool1\n  protocol: bgp\n  bgp-advertisements:\n  - communities: ["flarb"]\n', err: /parsing community "flarb"/ },
  { desc: 'duplicate pool definition', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n- name: pool1\n  protocol: bgp\n- name: pool2\n  protocol: bgp\n', err: /no prefixes defined|duplicate definition of pool/ },
  { desc: 'duplicate CIDRs', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  addresses: [10.0.0.0/8]\n- name: pool2\n  protocol: bgp\n  addresses: [10.0.0.0/8]\n', err: /address pool "pool2": addresses\[0\]: CIDR "10\.0\.0\.0\/8" overlaps with CIDR "10\.0\.0\.0\/8" in pool "pool1"/ },
  { desc: 'overlapping CIDRs', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  addresses: [10.0.0.0/8]\n- name: pool2\n  protocol: bgp\n  addresses: [10.0.0.0/16]\n', err: /CIDR "10\.0\.0\.0\/16" overlaps with CIDR "10\.0\.0\.0\/8" in pool "pool1"/ },
  { desc: 'BGP advertisements in layer2 pool', raw: 'address-pools:\n- name: pool1\n  protocol: layer2\n  addresses: [10.0.0.0/16]\n  bgp-advertisements:\n  - communities: ["flarb"]\n', err: /cannot have bgp-advertisements configuration element in a layer2 address pool/ },
  {
    desc: 'Session with default BFD Profile',
    raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  bfd-profile: default\naddress-pools:\n- name: pool1\n  protocol: bgp\n  addresses: [1.2.3.0/24]\nbfd-profiles:\n- name: default\n',
    want: (m) => {
      assert.is(m.peers[0]!['bfdProfile'], 'default');
      assert.equal(m.bfdProfiles, [{ name: 'default', receiveInterval: null, transmitInterval: null, detectMultiplier: null, echoInterval: null, echoMode: false, passiveMode: false, minimumTtl: null }]);
    },
  },
  { desc: 'Peer with non existing BFD Profile', raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  bfd-profile: zzz\nbfd-profiles:\n- name: default\n', err: /non existing bfd profile "zzz"/ },
  { desc: 'Multiple BFD Profiles with the same name', raw: 'bfd-profiles:\n- name: default\n- name: foo\n- name: foo\n', err: /found duplicate bfd profile name "foo"/ },
  {
    desc: 'Session with nondefault BFD Profile',
    raw: 'peers:\n- my-asn: 42\n  peer-asn: 42\n  peer-address: 1.2.3.4\n  bfd-profile: nondefault\nbfd-profiles:\n- name: nondefault\n  receive-interval: 50\n  transmit-interval: 51\n  detect-multiplier: 52\n  echo-interval: 54\n  echo-mode: true\n  passive-mode: true\n  minimum-ttl: 55\n',
    want: (m) => assert.equal(m.bfdProfiles, [{ name: 'nondefault', receiveInterval: 50, transmitInterval: 51, detectMultiplier: 52, echoInterval: 54, echoMode: true, passiveMode: true, minimumTtl: 55 }]),
  },
  { desc: 'BFD Profile with too low receive interval', raw: 'bfd-profiles:\n- name: default\n  receive-interval: 2\n', err: /receive-interval: value 2 must be >= 10/ },
  { desc: 'BFD Profile with too high range receive interval', raw: 'bfd-profiles:\n- name: default\n  receive-interval: 90000\n', err: /receive-interval: value 90000 must be <= 60000/ },
  { desc: 'Duplicate bgp advertisment definition', raw: 'address-pools:\n- name: pool1\n  protocol: bgp\n  addresses: [10.20.0.0/16]\n  bgp-advertisements:\n  - aggregation-length: 26\n  - aggregation-length: 26\n', err: /duplicate definition of bgpadvertisements\. advertisement 0 and 1 are equal/ },
  { desc: 'Duplicate communities definition', raw: 'bgp-communities:\n  bar: 64512:1234\naddress-pools:\n- name: pool1\n  protocol: bgp\n  addresses: [10.20.0.0/16]\n  bgp-advertisements:\n  - communities: [bar, bar]\n', err: /duplicate definition of community "bar"/ },
];

test('the corpus has all 49 cases of MetalLB v0.12.1 TestParse', () => {
  assert.is(cases.length, 49);
});

for (const c of cases) {
  test(`MetalLB corpus: ${c.desc} is ${c.want ? 'accepted' : 'refused'}`, () => {
    if (c.want) return c.want(modelOf(c.raw));
    const err = errorsOf(c.raw);
    assert.ok(c.err!.test(err.message), `message ${JSON.stringify(err.message)} does not match ${c.err}`);
  });
}

test.run();
