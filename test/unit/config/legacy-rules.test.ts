// The legacy ConfigMap format beyond MetalLB's own corpus: the tricky cases of issue 2, strict
// decoding (YAML 1.1 booleans, quoted values, unknown and duplicate keys), deprecated spellings, and
// the three ways a payload arrives (ConfigMap, raw, Helm values).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cidrsByPool, errorsOf, modelOf, parseText } from './helpers.js';

const peer = (extra: string): string => `peers:\n- my-asn: 64500\n  peer-asn: 64501\n  peer-address: 192.0.2.1\n${extra}`;
const pool = (addresses: string, extra = ''): string => `address-pools:\n- name: p\n  protocol: layer2\n  addresses:\n${addresses.split(',').map((a) => `  - "${a}"`).join('\n')}\n${extra}`;

const cidrCases: { desc: string; addresses: string; want: string[] }[] = [
  { desc: 'a range expands to the minimal aligned prefixes', addresses: '192.168.1.240-192.168.1.250', want: ['192.168.1.240/29', '192.168.1.248/31', '192.168.1.250/32'] },
  { desc: 'host bits of a CIDR are masked', addresses: '10.20.30.40/24', want: ['10.20.30.0/24'] },
  { desc: 'spaces around the dash of a range are trimmed', addresses: '192.168.1.240 - 192.168.1.243', want: ['192.168.1.240/30'] },
  { desc: 'a range whose start equals its end is one /32', addresses: '40.0.0.250-40.0.0.250', want: ['40.0.0.250/32'] },
  { desc: 'an IPv6 range expands exactly', addresses: '2001:db8::1-2001:db8::6', want: ['2001:db8::1/128', '2001:db8::2/127', '2001:db8::4/127', '2001:db8::6/128'] },
  { desc: 'entries keep their order in the CIDR list', addresses: '10.0.2.0/24,10.0.1.0/24', want: ['10.0.2.0/24', '10.0.1.0/24'] },
  { desc: 'a range across families holds no addresses', addresses: '10.0.0.1-2001:db8::1', want: [] },
];
for (const c of cidrCases) {
  test(`legacy addresses: ${c.desc}`, () => {
    assert.equal(cidrsByPool(modelOf(pool(c.addresses)))['p'], c.want);
  });
}

const timerCases: { desc: string; extra: string; want?: [number, number, boolean]; err?: RegExp }[] = [
  { desc: 'hold time defaults to 90s and keepalive to 30s', extra: '', want: [90, 30, false] },
  { desc: 'hold-time 3.7s truncates to 3s, keepalive 1s', extra: '  hold-time: 3.7s\n', want: [3, 1, false] },
  { desc: 'hold-time 500ms truncates to 0 (no hold timer)', extra: '  hold-time: 500ms\n', want: [0, 0, false] },
  { desc: 'hold-time 1m30s is 90s', extra: '  hold-time: 1m30s\n', want: [90, 30, false] },
  { desc: 'keepalive defaults to a third of hold, rounded down', extra: '  hold-time: 100s\n', want: [100, 33, false] },
  { desc: 'an explicit keepalive is kept and marked explicit', extra: '  hold-time: 180s\n  keepalive-time: 10s\n', want: [180, 10, true] },
  { desc: 'keepalive equal to hold is allowed', extra: '  hold-time: 9s\n  keepalive-time: 9s\n', want: [9, 9, true] },
  { desc: 'hold-time without a unit is refused', extra: '  hold-time: 90\n', err: /invalid hold time "90": not a duration/ },
  { desc: 'hold-time of 2s is refused', extra: '  hold-time: 2s\n', err: /invalid hold time "2s": must be 0 or >=3s/ },
  { desc: 'a negative hold-time is refused', extra: '  hold-time: -5s\n', err: /must be 0 or >=3s/ },
  { desc: 'keepalive above hold is refused', extra: '  hold-time: 30s\n  keepalive-time: 31s\n', err: /invalid keepalive time "31s": must not be greater than the hold time \(30s\)/ },
];
for (const c of timerCases) {
  test(`legacy timers: ${c.desc}`, () => {
    if (c.err) return assert.match(errorsOf(peer(c.extra)).message, c.err);
    const p = modelOf(peer(c.extra)).peers[0]!;
    assert.equal([p['holdTime'], p['keepaliveTime'], p['keepaliveExplicit']], c.want);
  });
}

const decodeCases: { desc: string; raw: string; err?: RegExp; check?: (m: ReturnType<typeof modelOf>) => void }[] = [
  { desc: 'YAML 1.1 "no" is false in a bool field', raw: pool('10.0.0.0/24', '  auto-assign: no\n  avoid-buggy-ips: on\n'), check: (m) => assert.equal([m.pools[0]!['autoAssign'], m.pools[0]!['avoidBuggyIPs']], [false, true]) },
  { desc: 'YAML 1.1 "Off" and "YES" work too', raw: pool('10.0.0.0/24', '  auto-assign: Off\n  avoid-buggy-ips: YES\n'), check: (m) => assert.equal([m.pools[0]!['autoAssign'], m.pools[0]!['avoidBuggyIPs']], [false, true]) },
  { desc: 'a quoted "false" in a bool field is refused', raw: pool('10.0.0.0/24', '  auto-assign: "false"\n'), err: /address-pools\[0\]\.auto-assign: cannot decode quoted string "false" as a boolean/ },
  { desc: 'a quoted number in an integer field is refused', raw: 'peers:\n- my-asn: "64500"\n', err: /peers\[0\]\.my-asn: cannot decode quoted string "64500" as an integer/ },
  { desc: 'an unknown key is refused with its path', raw: pool('10.0.0.0/24', '  auto-asign: false\n'), err: /address-pools\[0\]\.auto-asign: unknown field "auto-asign"/ },
  { desc: 'an unknown top-level key is refused', raw: 'adress-pools: []\n', err: /adress-pools: unknown field/ },
  { desc: 'a duplicate key is refused', raw: 'peers:\n- my-asn: 1\n  my-asn: 2\n', err: /duplicated mapping key/ },
  { desc: 'a peer port above 65535 is refused', raw: peer('  peer-port: 70000\n'), err: /peer-port: value 70000 must be <= 65535/ },
  { desc: 'a negative ASN is refused', raw: 'peers:\n- my-asn: -1\n', err: /my-asn: value -1 must be >= 0/ },
  { desc: 'a map where a string belongs is refused', raw: 'address-pools:\n- name: {a: b}\n', err: /name: expected a string, got a mapping/ },
  { desc: 'an unquoted numeric password stays its text', raw: peer('  password: 0123\n'), check: (m) => assert.is(m.peers[0]!['password'], '<set>') },
  { desc: 'null sections are empty', raw: 'peers:\naddress-pools:\n', check: (m) => assert.equal([m.pools, m.peers], [[], []]) },
  { desc: 'a bare IP without prefix length is refused', raw: pool('10.0.0.1'), err: /invalid CIDR "10\.0\.0\.1"/ },
  { desc: 'an IPv4 address with a leading zero is refused', raw: pool('010.0.0.0/24'), err: /invalid CIDR "010\.0\.0\.0\/24"/ },
  { desc: 'overlap inside one pool is refused', raw: pool('10.0.0.0/16,10.0.1.0/24'), err: /CIDR "10\.0\.1\.0\/24" overlaps with CIDR "10\.0\.0\.0\/16" in the same pool \(addresses\[0\]\)/ },
  { desc: 'a range overlapping a CIDR names the range', raw: pool('10.0.0.0/30,10.0.0.2-10.0.0.9'), err: /CIDR "10\.0\.0\.2\/31" \(from "10\.0\.0\.2-10\.0\.0\.9"\) overlaps with CIDR "10\.0\.0\.0\/30"/ },
  { desc: 'an invalid source address is refused', raw: peer('  source-address: 10.0.0.256\n'), err: /peer #1: source-address: invalid source IP "10\.0\.0\.256"/ },
  { desc: 'a router ID in IPv6 form is accepted and canonicalised', raw: peer('  router-id: "2001:DB8::9"\n'), check: (m) => assert.is(m.peers[0]!['routerID'], '2001:db8::9') },
  { desc: 'a node selector with an invalid label key is refused', raw: peer('  node-selectors:\n  - match-labels:\n      "bad key": x\n'), err: /peer #1: node-selectors\[0\]: invalid node selector: label key "bad key" is invalid/ },
  { desc: 'Exists with values is refused', raw: peer('  node-selectors:\n  - match-expressions:\n    - {key: a, operator: Exists, values: [x]}\n'), err: /operator Exists on "a" takes no values/ },
  { desc: 'In without values is refused', raw: peer('  node-selectors:\n  - match-expressions:\n    - {key: a, operator: In}\n'), err: /operator In on "a" needs at least one value/ },
  { desc: 'an empty node selector selects every node', raw: peer('  node-selectors:\n  - {}\n'), check: (m) => assert.equal(m.peers[0]!['nodeSelectors'], []) },
  { desc: 'a BFD echo-interval out of range names that field', raw: 'bfd-profiles:\n- name: b\n  echo-interval: 5\n', err: /bfd-profiles\[0\]\.echo-interval: value 5 must be >= 10/ },
  { desc: 'a BFD profile without a name is refused', raw: 'bfd-profiles:\n- receive-interval: 100\n', err: /bfd profile #1: name: missing bfd profile name/ },
  { desc: 'a duplicate pool name is refused', raw: 'address-pools:\n- name: a\n  protocol: layer2\n  addresses: [10.0.0.0/24]\n- name: a\n  protocol: bgp\n  addresses: [10.1.0.0/24]\n', err: /address pool "a": name: duplicate definition of pool "a"$/ },
  { desc: 'an unknown protocol is refused by name', raw: 'address-pools:\n- name: p\n  protocol: l2\n  addresses: [10.0.0.0/24]\n', err: /protocol: unknown protocol "l2"/ },
];
for (const c of decodeCases) {
  test(`legacy decoding: ${c.desc}`, () => {
    if (c.err) return assert.match(errorsOf(c.raw).message, c.err);
    c.check!(modelOf(c.raw));
  });
}

test('legacy peers: two peers that differ only in an explicit default port are duplicates', () => {
  const raw = 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 192.0.2.1\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 192.0.2.1\n  peer-port: 179\n';
  assert.match(errorsOf(raw).message, /peer #2: peer 192\.0\.2\.1 \(AS 2\) already exists as peer #1/);
});

test('legacy peers: peers that differ in hold time are not duplicates and get distinct names', () => {
  const raw = 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 192.0.2.1\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 192.0.2.1\n  hold-time: 30s\n';
  assert.equal(modelOf(raw).peers.map((p) => p['name']), ['peer-192-0-2-1-as2', 'peer-192-0-2-1-as2-2']);
});

test('legacy peers: anchors and merge keys share settings between peers', () => {
  const raw = 'peers:\n- &tor\n  my-asn: 64500\n  peer-asn: 64501\n  peer-address: 192.0.2.1\n  hold-time: 30s\n- <<: *tor\n  peer-address: 192.0.2.2\n';
  assert.equal(modelOf(raw).peers.map((p) => [p['peerAddress'], p['holdTime']]), [['192.0.2.1', 30], ['192.0.2.2', 30]]);
});

test('legacy peers: addresses are canonicalised', () => {
  const m = modelOf('peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 2001:DB8:0::1\n  source-address: 2001:db8::2\n');
  assert.equal([m.peers[0]!['peerAddress'], m.peers[0]!['sourceAddress']], ['2001:db8::1', '2001:db8::2']);
});

const deprecations: { desc: string; raw: string; code: string; check: (m: ReturnType<typeof modelOf>) => void }[] = [
  { desc: 'the pre-v0.5 cidr key is read with a warning', raw: 'address-pools:\n- name: p\n  protocol: bgp\n  cidr: [10.0.0.0/24]\n  addresses: [10.1.0.0/24]\n', code: 'config.deprecated.cidr', check: (m) => assert.equal(m.pools[0]!['cidrs'], ['10.0.0.0/24', '10.1.0.0/24']) },
  { desc: 'protocol arp means layer2 with a warning', raw: 'address-pools:\n- name: p\n  protocol: arp\n  addresses: [10.0.0.0/24]\n', code: 'config.deprecated.protocol', check: (m) => assert.is((m.pools[0]!['l2Advertisements'] as unknown[]).length, 1) },
  { desc: 'protocol ndp means layer2 with a warning', raw: 'address-pools:\n- name: p\n  protocol: ndp\n  addresses: [2001:db8::/64]\n', code: 'config.deprecated.protocol', check: (m) => assert.is((m.pools[0]!['bgpAdvertisements'] as unknown[]).length, 0) },
  { desc: 'arp-network is ignored with a warning', raw: 'address-pools:\n- name: p\n  protocol: arp\n  arp-network: 10.0.0.0/16\n  addresses: [10.0.0.0/24]\n', code: 'config.deprecated.arp-network', check: (m) => assert.is(m.pools.length, 1) },
];
for (const c of deprecations) {
  test(`legacy deprecations: ${c.desc}`, () => {
    const r = parseText(c.raw);
    assert.ok(r.warnings.some((w) => w.code === c.code), JSON.stringify(r.warnings));
    c.check(modelOf(c.raw));
  });
}

const payload = 'address-pools:\n- name: p\n  protocol: layer2\n  auto-assign: no\n  addresses: [192.0.2.0/28]\n';
const indented = payload.replace(/^/gm, '    ').trimEnd();
const wrappers: { desc: string; text: string }[] = [
  { desc: 'a raw payload', text: payload },
  { desc: 'a ConfigMap manifest', text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config\n  namespace: metallb-system\ndata:\n  config: |\n${indented}\n` },
  { desc: 'Helm values with a configInline map', text: `controller:\n  enabled: true\nconfigInline:\n${payload.replace(/^/gm, '  ').trimEnd()}\n`.replace('controller:\n  enabled: true\n', '') },
  { desc: 'Helm values with a configInline string', text: `configInline: |\n${payload.replace(/^/gm, '  ').trimEnd()}\n` },
  { desc: 'a List holding the ConfigMap', text: `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: config}\n  data:\n    config: |\n${payload.replace(/^/gm, '      ').trimEnd()}\n` },
];
for (const w of wrappers) {
  test(`legacy input forms: ${w.desc} gives the same model`, () => {
    assert.equal(modelOf(w.text), modelOf(payload));
    assert.is(modelOf(w.text).pools[0]!['autoAssign'], false);
  });
}

test('legacy input forms: a ConfigMap with an empty config is a valid empty config', () => {
  const r = parseText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config}\ndata:\n  config: ""\n');
  assert.equal(r.config, { pools: [], peers: [], bfdProfiles: [], communities: {} });
});

test('legacy input forms: a ConfigMap without a config key is ignored with a warning', () => {
  const r = parseText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata:\n  foo: bar\n');
  assert.equal([r.config.pools, r.warnings.map((w) => w.code)], [[], ['config.ignored']]);
});

test('legacy input forms: two legacy payloads in one run are refused', () => {
  assert.match(errorsOf(`${payload}---\n${payload}`).message, /only one legacy payload may be given, found 2/);
});

test('legacy input forms: a ConfigMap payload holding two documents is refused', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config}\ndata:\n  config: |\n    peers: []\n    ---\n    peers: []\n';
  assert.match(errorsOf(text).message, /holds 2 YAML documents/);
});

test('legacy communities: an alias and a literal with the same value collapse into one', () => {
  const raw = 'bgp-communities:\n  bar: 64512:1234\naddress-pools:\n- name: p\n  protocol: bgp\n  addresses: [10.0.0.0/24]\n  bgp-advertisements:\n  - communities: [bar, "64512:1234", "0100:7"]\n';
  assert.equal((modelOf(raw).pools[0]!['bgpAdvertisements'] as { communities: string[] }[])[0]!.communities, ['100:7', '64512:1234']);
});

test('legacy communities: large communities belong to the CRDs only', () => {
  const raw = 'address-pools:\n- name: p\n  protocol: bgp\n  addresses: [10.0.0.0/24]\n  bgp-advertisements:\n  - communities: ["large:1:2:3"]\n';
  assert.match(errorsOf(raw).message, /large communities are only supported in the metallb\.io CRDs/);
});

test('legacy aggregation: the IPv6 length is checked against IPv6 entries', () => {
  const base = 'address-pools:\n- name: p\n  protocol: bgp\n  addresses: [2001:db8::/64]\n  bgp-advertisements:\n  - aggregation-length-v6: ';
  assert.match(errorsOf(`${base}56\n`).message, /aggregation-length-v6: invalid aggregation length 56: prefix "2001:db8::\/64"/);
  assert.match(errorsOf(`${base}129\n`).message, /invalid aggregation length 129: must be at most 128/);
  assert.equal((modelOf(`${base}64\n`).pools[0]!['bgpAdvertisements'] as { aggregationLengthV6: number }[])[0]!.aggregationLengthV6, 64);
});

test('legacy ads: ads that differ only in an explicit default are kept once in the model', () => {
  const raw = 'address-pools:\n- name: p\n  protocol: bgp\n  addresses: [10.0.0.0/24]\n  bgp-advertisements:\n  - aggregation-length: 32\n  - {}\n';
  assert.is((modelOf(raw).pools[0]!['bgpAdvertisements'] as unknown[]).length, 1);
});

test('legacy errors: every problem is reported, not only the first', () => {
  const raw = 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: nope\naddress-pools:\n- name: a\n  protocol: bgp\n  addresses: [300.0.0.0/8]\n';
  const err = errorsOf(raw);
  assert.is(err.errors.length, 2);
  assert.equal(err.errors.map((e) => [e.object, e.field]), [['peer #1', 'peer-address'], ['address pool "a"', 'addresses[0]']]);
});

test.run();
