// The metallb.io CRD format: every kind and version, how advertisements attach to pools, and the
// rules MetalLB main applies to them (timers, secrets, LOCAL_PREF, BFD echo, names and namespaces).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { onlyTransient, parseSources } from '../../../src/config/index.js';
import { errorsOf, modelOf, parseText } from './helpers.js';

const H = (kind: string, name: string, spec: string, extra = '', version = 'v1beta1'): string =>
  `---\napiVersion: metallb.io/${version}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: metallb-system\n${extra}spec:\n${spec.replace(/^/gm, '  ')}\n`;
const ipPool = (name: string, addresses: string, extra = '', labels = ''): string => H('IPAddressPool', name, `addresses: [${addresses}]\n${extra}`, labels);
const peer = (name: string, spec: string, version = 'v1beta2'): string => H('BGPPeer', name, `myASN: 64500\npeerASN: 64501\npeerAddress: 192.0.2.1\n${spec}`, '', version);
type Ad = { aggregationLength: number; aggregationLengthV6: number; localPref: number; communities: string[]; peers: string[] };
const bgpAds = (m: ReturnType<typeof modelOf>, i = 0): Ad[] => m.pools[i]!['bgpAdvertisements'] as Ad[];

const addressCases: { desc: string; addresses: string; want?: string[]; err?: RegExp }[] = [
  { desc: 'a range expands to aligned prefixes', addresses: '192.168.1.240-192.168.1.250', want: ['192.168.1.240/29', '192.168.1.248/31', '192.168.1.250/32'] },
  { desc: 'host bits are masked', addresses: '10.20.30.40/24', want: ['10.20.30.0/24'] },
  { desc: 'spaces around the dash are trimmed', addresses: '"192.168.1.240 - 192.168.1.243"', want: ['192.168.1.240/30'] },
  { desc: 'IPv6 entries are read', addresses: '"2001:db8::/64", "2001:db8:1::1-2001:db8:1::2"', want: ['2001:db8::/64', '2001:db8:1::1/128', '2001:db8:1::2/128'] },
  { desc: 'a reversed range is refused', addresses: '10.0.0.9-10.0.0.1', err: /IPAddressPool "a": spec\.addresses\[0\]: invalid IP range "10\.0\.0\.9-10\.0\.0\.1": start IP 10\.0\.0\.9 is after the end IP 10\.0\.0\.1/ },
  { desc: 'a bad CIDR is refused', addresses: '10.0.0.0/33', err: /spec\.addresses\[0\]: invalid CIDR "10\.0\.0\.0\/33"/ },
  { desc: 'an empty list is refused', addresses: '', err: /spec\.addresses: pool has no prefixes defined/ },
  { desc: 'an overlap inside the pool is refused', addresses: '10.0.0.0/24, 10.0.0.128/25', err: /CIDR "10\.0\.0\.128\/25" overlaps with CIDR "10\.0\.0\.0\/24" in the same pool \(spec\.addresses\[0\]\)/ },
];
for (const c of addressCases) {
  test(`IPAddressPool addresses: ${c.desc}`, () => {
    const text = ipPool('a', c.addresses);
    if (c.err) return assert.match(errorsOf(text).message, c.err);
    assert.equal(modelOf(text).pools[0]!['cidrs'], c.want);
  });
}

test('BGPPeer: two peers that differ only in their names are duplicates', () => {
  assert.match(errorsOf(peer('p1', '') + peer('p2', 'peerPort: 179\n')).message, /BGPPeer "p2": peer 192\.0\.2\.1 \(AS 64501\) already exists as BGPPeer "p1"/);
});

test('IPAddressPool: defaults, labels and serviceAllocation reach the model', () => {
  const m = modelOf(ipPool('a', '192.0.2.0/28', 'avoidBuggyIPs: true\nserviceAllocation:\n  priority: 5\n  namespaces: [x]\n', '  labels:\n    tier: gold\n'));
  const p = m.pools[0]!;
  assert.equal([p['autoAssign'], p['avoidBuggyIPs'], p['labels']], [true, true, { tier: 'gold' }]);
  assert.equal(p['serviceAllocation'], { priority: 5, namespaces: ['x'], namespaceSelectors: [], serviceSelectors: [] });
});

test('IPAddressPool: an empty namespace selector is kept (it selects every namespace, unlike no selector)', () => {
  const p = modelOf(ipPool('a', '192.0.2.0/28', 'serviceAllocation:\n  namespaces: [x]\n  namespaceSelectors: [{}]\n')).pools[0]!;
  assert.equal(p['serviceAllocation'], { priority: 0, namespaces: ['x'], namespaceSelectors: [{ matchLabels: {}, matchExpressions: [] }], serviceSelectors: [] });
});

test('IPAddressPool: pools are ordered by name, not by file order', () => {
  const m = modelOf(ipPool('zeta', '192.0.2.0/28') + ipPool('alpha', '198.51.100.0/28') + ipPool('mid', '203.0.113.0/28'));
  assert.equal(m.pools.map((p) => p['name']), ['alpha', 'mid', 'zeta']);
});

test('IPAddressPool: a pool no advertisement selects is valid, unannounced, and warned about', () => {
  const r = parseText(ipPool('a', '192.0.2.0/28'));
  assert.equal([r.config.pools[0]!.bgpAdvertisements, r.config.pools[0]!.l2Advertisements], [[], []]);
  assert.ok(r.warnings.some((w) => w.code === 'config.pool.unannounced'));
});

test('IPAddressPool: duplicate namespaces in serviceAllocation are refused', () => {
  assert.match(errorsOf(ipPool('a', '192.0.2.0/28', 'serviceAllocation:\n  namespaces: [x, x]\n')).message, /duplicate definition in namespaces field: "x"/);
});

const attachCases: { desc: string; ad: string; want: Record<string, number> }[] = [
  { desc: 'an ad naming no pools applies to every pool', ad: H('L2Advertisement', 'l2', '{}'), want: { a: 1, b: 1, c: 1 } },
  { desc: 'an ad naming one pool applies to it only', ad: H('L2Advertisement', 'l2', 'ipAddressPools: [b]'), want: { a: 0, b: 1, c: 0 } },
  { desc: 'an ad selecting by label applies to matching pools', ad: H('L2Advertisement', 'l2', 'ipAddressPoolSelectors:\n- matchLabels: {zone: east}'), want: { a: 1, b: 0, c: 1 } },
  { desc: 'names and selectors are combined', ad: H('L2Advertisement', 'l2', 'ipAddressPools: [b]\nipAddressPoolSelectors:\n- matchExpressions: [{key: zone, operator: In, values: [east]}]'), want: { a: 1, b: 1, c: 1 } },
  { desc: 'unknown pool names select nothing', ad: H('L2Advertisement', 'l2', 'ipAddressPools: [nope]'), want: { a: 0, b: 0, c: 0 } },
  { desc: 'identical ads on a pool count once', ad: H('L2Advertisement', 'l2', '{}') + H('L2Advertisement', 'l2b', 'ipAddressPools: [a]'), want: { a: 1, b: 1, c: 1 } },
  { desc: 'different ads on a pool are both kept', ad: H('L2Advertisement', 'l2', '{}') + H('L2Advertisement', 'l2b', 'ipAddressPools: [a]\ninterfaces: [eth1]'), want: { a: 2, b: 1, c: 1 } },
];
const threePools = ipPool('a', '192.0.2.0/28', '', '  labels: {zone: east}\n') + ipPool('b', '198.51.100.0/28', '', '  labels: {zone: west}\n') + ipPool('c', '203.0.113.0/28', '', '  labels: {zone: east}\n');
for (const c of attachCases) {
  test(`L2Advertisement: ${c.desc}`, () => {
    const m = modelOf(threePools + c.ad);
    assert.equal(Object.fromEntries(m.pools.map((p) => [p['name'], (p['l2Advertisements'] as unknown[]).length])), c.want);
  });
}

test('BGPAdvertisement: defaults, aliases from Community objects and large communities', () => {
  const text = ipPool('a', '192.0.2.0/24') + H('Community', 'c', 'communities:\n- {name: noexport, value: "65535:65281"}\n- {name: big, value: "large:64500:1:2"}') +
    H('BGPAdvertisement', 'ad', 'communities: [noexport, big, "100:200"]\nlocalPref: 50\npeers: [p2, p1]');
  const m = modelOf(text);
  assert.equal(bgpAds(m), [{ aggregationLength: 32, aggregationLengthV6: 128, localPref: 50, communities: ['100:200', '65535:65281', 'large:64500:1:2'], nodeSelectors: [], peers: ['p1', 'p2'], serviceSelectors: [] }]);
  assert.equal(m.communities, { noexport: '65535:65281', big: 'large:64500:1:2' });
});

const adErrors: { desc: string; text: string; err: RegExp; transient?: boolean }[] = [
  { desc: 'an unknown alias is a transient error', text: H('BGPAdvertisement', 'ad', 'communities: [nosuch]'), err: /BGPAdvertisement "ad": spec\.communities\[0\]: invalid community "nosuch"/, transient: true },
  { desc: 'a community part out of range is a permanent error', text: H('BGPAdvertisement', 'ad', 'communities: ["70000:1"]'), err: /first part of a community must fit in 16 bits/, transient: false },
  { desc: 'a large community part out of range is refused', text: H('BGPAdvertisement', 'ad', 'communities: ["large:1:2:4294967296"]'), err: /must fit in 32 bits/, transient: false },
  { desc: 'the same community twice is refused', text: H('BGPAdvertisement', 'ad', 'communities: ["1:1", "1:1"]'), err: /duplicate definition of community "1:1"/ },
  { desc: 'duplicate peers are refused', text: H('BGPAdvertisement', 'ad', 'peers: [x, x]'), err: /duplicate definition of peers: "x"/ },
  { desc: 'aggregation wider than a pool entry names ad and pool', text: ipPool('a', '192.0.2.0/28') + H('BGPAdvertisement', 'ad', 'aggregationLength: 24'), err: /BGPAdvertisement "ad": spec\.aggregationLength: invalid aggregation length 24: prefix "192\.0\.2\.0\/28" in pool "a"/ },
  { desc: 'aggregation above 32 is refused', text: H('BGPAdvertisement', 'ad', 'aggregationLength: 33'), err: /must be at most 32/ },
  { desc: 'aggregation below the CRD minimum is a schema error', text: H('BGPAdvertisement', 'ad', 'aggregationLength: 0'), err: /spec\.aggregationLength: value 0 must be >= 1/ },
  { desc: 'serviceSelectors exclude a non-default aggregation', text: H('BGPAdvertisement', 'ad', 'aggregationLength: 24\nserviceSelectors: [{matchLabels: {a: b}}]'), err: /serviceSelectors and aggregationLength are mutually exclusive/ },
  { desc: 'duplicate expressions in a selector are refused', text: H('BGPAdvertisement', 'ad', 'nodeSelectors: [{matchExpressions: [{key: a, operator: In, values: [u, v]}, {key: a, operator: In, values: [v, u]}]}]'), err: /nodeSelectors\[0\]\.matchExpressions\[1\]: duplicate definition of match expression on "a"/ },
  { desc: 'duplicate values in an expression are refused', text: H('L2Advertisement', 'ad', 'nodeSelectors: [{matchExpressions: [{key: a, operator: In, values: [x, x]}]}]'), err: /L2Advertisement "ad": spec\.nodeSelectors\[0\]\.matchExpressions\[0\]: duplicate definition of value "x"/ },
  { desc: 'duplicate selectors are refused', text: H('BGPAdvertisement', 'ad', 'nodeSelectors: [{matchLabels: {a: b}}, {matchLabels: {a: b}}]'), err: /nodeSelectors\[1\]: duplicate definition of selector/ },
  {
    desc: 'two ads with different LOCAL_PREF to the same peers are refused',
    text: ipPool('a', '192.0.2.0/24') + H('BGPAdvertisement', 'ad1', 'localPref: 100') + H('BGPAdvertisement', 'ad2', 'localPref: 200'),
    err: /BGPAdvertisement "ad2": spec\.localPref: invalid local preference 200: BGPAdvertisement "ad1" announces pool "a" with local preference 100/,
  },
];
for (const c of adErrors) {
  test(`BGPAdvertisement: ${c.desc}`, () => {
    const err = errorsOf(c.text);
    assert.match(err.message, c.err);
    if (c.transient !== undefined) assert.is(err.errors[0]!.transient, c.transient);
  });
}

const localPrefOK: { desc: string; ads: string }[] = [
  { desc: 'ads with different aggregation for every family of the pool', ads: H('BGPAdvertisement', 'ad1', 'localPref: 100') + H('BGPAdvertisement', 'ad2', 'localPref: 200\naggregationLength: 24') },
  { desc: 'ads to disjoint peer lists', ads: H('BGPAdvertisement', 'ad1', 'localPref: 100\npeers: [p1]') + H('BGPAdvertisement', 'ad2', 'localPref: 200\npeers: [p2]') },
  { desc: 'ads from nodes that cannot meet', ads: H('BGPAdvertisement', 'ad1', 'localPref: 100\nnodeSelectors: [{matchLabels: {rack: a}}]') + H('BGPAdvertisement', 'ad2', 'localPref: 200\nnodeSelectors: [{matchLabels: {rack: b}}]') },
];
for (const c of localPrefOK) {
  test(`BGPAdvertisement: different LOCAL_PREF is fine for ${c.desc}`, () => {
    assert.is(bgpAds(modelOf(ipPool('a', '192.0.2.0/24') + c.ads)).length, 2);
  });
}

test('BGPAdvertisement: node sets from known nodes decide LOCAL_PREF conflicts', () => {
  const text = ipPool('a', '192.0.2.0/24') + H('BGPAdvertisement', 'ad1', 'localPref: 100\nnodeSelectors: [{matchLabels: {rack: a}}]') + H('BGPAdvertisement', 'ad2', 'localPref: 200\nnodeSelectors: [{matchLabels: {spine: x}}]');
  const node = (labels: Record<string, string>, i: number) => ({ name: `n${i}`, labels, networkUnavailable: false });
  // Without nodes, selectors on different keys may meet on some node: refused, to be safe.
  assert.match(errorsOf(text).message, /invalid local preference/);
  assert.is(bgpAds(modelOf(text, { nodes: [{ rack: 'a' }, { spine: 'x' }].map(node) })).length, 2);
  assert.match(errorsOf(text, { nodes: [{ rack: 'a', spine: 'x' }].map(node) }).message, /invalid local preference/);
});

const timerCases: { desc: string; spec: string; want?: [number, number, boolean]; err?: RegExp }[] = [
  { desc: 'no timers give 90s and 30s', spec: '', want: [90, 30, false] },
  { desc: 'hold only derives keepalive as a third', spec: 'holdTime: 1m\n', want: [60, 20, false] },
  { desc: 'keepalive only derives hold as three times', spec: 'keepaliveTime: 20s\n', want: [60, 20, true] },
  { desc: 'a fractional keepalive is tripled before rounding', spec: 'keepaliveTime: 1.5s\n', want: [4, 1, true] },
  { desc: 'both are kept', spec: 'holdTime: 30s\nkeepaliveTime: 10s\n', want: [30, 10, true] },
  { desc: 'hold is truncated to whole seconds', spec: 'holdTime: 3.9s\n', want: [3, 1, false] },
  { desc: 'a 2s hold is refused', spec: 'holdTime: 2s\n', err: /BGPPeer "p": spec\.holdTime: invalid hold time "2s": must be 0 or >=3s/ },
  { desc: 'keepalive above hold is refused', spec: 'holdTime: 9s\nkeepaliveTime: 10s\n', err: /spec\.keepaliveTime: invalid keepalive time "10s"/ },
  { desc: 'a duration without unit is refused', spec: 'holdTime: "90"\n', err: /invalid hold time "90": not a duration/ },
];
for (const c of timerCases) {
  test(`BGPPeer timers: ${c.desc}`, () => {
    if (c.err) return assert.match(errorsOf(peer('p', c.spec)).message, c.err);
    const p = modelOf(peer('p', c.spec)).peers[0]!;
    assert.equal([p['holdTime'], p['keepaliveTime'], p['keepaliveExplicit']], c.want);
  });
}

const peerCases: { desc: string; text: string; err?: RegExp; check?: (m: ReturnType<typeof modelOf>) => void; transient?: boolean }[] = [
  { desc: 'a v1beta2 peer keeps its object name and gets port 179', text: peer('p1', ''), check: (m) => assert.equal([m.peers[0]!['name'], m.peers[0]!['peerPort']], ['p1', 179]) },
  { desc: 'a v1beta1 peer with port 0 gets port 179', text: peer('p1', 'peerPort: 0\n', 'v1beta1'), check: (m) => assert.is(m.peers[0]!['peerPort'], 179) },
  { desc: 'v1beta2 refuses port 0 by schema', text: peer('p1', 'peerPort: 0\n'), err: /spec\.peerPort: value 0 must be >= 1/ },
  { desc: 'myASN 0 is refused', text: H('BGPPeer', 'p', 'myASN: 0\npeerASN: 1\npeerAddress: 192.0.2.1', '', 'v1beta2'), err: /spec\.myASN: missing local ASN/ },
  { desc: 'a missing myASN is a schema error', text: H('BGPPeer', 'p', 'peerASN: 1\npeerAddress: 192.0.2.1', '', 'v1beta2'), err: /spec\.myASN: required field is missing/ },
  { desc: 'eBGP multihop on iBGP is refused', text: H('BGPPeer', 'p', 'myASN: 1\npeerASN: 1\npeerAddress: 192.0.2.1\nebgpMultiHop: true', '', 'v1beta2'), err: /spec\.ebgpMultiHop: invalid ebgp-multihop/ },
  { desc: 'a bad router ID is refused', text: peer('p', 'routerID: 1.2.3\n'), err: /spec\.routerID: invalid router ID "1\.2\.3"/ },
  { desc: 'dynamicASN is refused as unsupported', text: H('BGPPeer', 'p', 'myASN: 1\ndynamicASN: external\npeerAddress: 192.0.2.1', '', 'v1beta2'), err: /dynamicASN is not supported by lbctl/ },
  { desc: 'an unknown field is refused with its path', text: peer('p', 'holdtime: 90s\n'), err: /BGPPeer "p": spec\.holdtime: unknown field "holdtime"/ },
  { desc: 'a missing BFD profile is a transient error', text: peer('p', 'bfdProfile: nosuch\n'), err: /non existing bfd profile "nosuch"/, transient: true },
  { desc: 'password and passwordSecret together are refused', text: peer('p', 'password: x\npasswordSecret: {name: s}\n'), err: /password and passwordSecret are mutually exclusive/ },
  { desc: 'a connect time in whole seconds is kept', text: peer('p', 'connectTime: 5s\n'), check: (m) => assert.is(m.peers[0]!['connectTime'], 5) },
  { desc: 'a sub-second connect time is refused', text: peer('p', 'connectTime: 1500ms\n'), err: /invalid connect time "1500ms"/ },
  { desc: 'a v1beta1 selector expression without values is a schema error', text: peer('p', 'nodeSelectors: [{matchExpressions: [{key: a, operator: In, values: []}]}]\n', 'v1beta1'), err: /spec\.nodeSelectors\[0\]\.matchExpressions\[0\]\.values: value \[\] must NOT have fewer than 1 items/ },
  { desc: 'a v1beta2 In expression without values is refused', text: peer('p', 'nodeSelectors: [{matchExpressions: [{key: a, operator: In}]}]\n'), err: /spec\.nodeSelectors\[0\]: invalid node selector: operator In on "a" needs at least one value/ },
  { desc: 'v1beta1 peers are read with a deprecation warning', text: peer('p', '', 'v1beta1'), check: (m) => assert.is(m.peers.length, 1) },
];
for (const c of peerCases) {
  test(`BGPPeer: ${c.desc}`, () => {
    if (c.check) return c.check(modelOf(c.text));
    const err = errorsOf(c.text);
    assert.match(err.message, c.err!);
    if (c.transient !== undefined) assert.is(err.errors.find((e) => c.err!.test(e.message))!.transient, c.transient);
  });
}

const secret = (type: string, data: string): string => `---\napiVersion: v1\nkind: Secret\nmetadata: {name: bgp, namespace: metallb-system}\ntype: ${type}\n${data}\n`;
test('BGPPeer: a passwordSecret is resolved from a Secret in the input', () => {
  const r = parseText(peer('p', 'passwordSecret: {name: bgp, namespace: metallb-system}\n') + secret('kubernetes.io/basic-auth', 'stringData: {password: s3cret}'));
  assert.equal([r.config.peers[0]!.password, r.config.peers[0]!.passwordSecret], ['s3cret', { name: 'bgp', namespace: 'metallb-system' }]);
});

test('BGPPeer: a Secret of the same name in another namespace is not used', () => {
  const other = secret('kubernetes.io/basic-auth', 'stringData: {password: s3cret}').replace('namespace: metallb-system', 'namespace: default');
  const r = parseText(peer('p', 'passwordSecret: {name: bgp}\n') + other);
  assert.is(r.config.peers[0]!.password, undefined);
  assert.ok(r.warnings.some((w) => w.code === 'config.peer.secret-unresolved'));
  assert.match(errorsOf(peer('p', 'passwordSecret: {name: bgp}\n') + other, { secrets: {} }).message, /secret "metallb-system\/bgp" not found/);
});

test('BGPPeer: a passwordSecret of the wrong type is refused', () => {
  assert.match(errorsOf(peer('p', 'passwordSecret: {name: bgp}\n') + secret('Opaque', 'data: {password: czNjcmV0}')).message, /has type "Opaque", expected "kubernetes.io\/basic-auth"/);
});

test('BGPPeer: a missing Secret is transient when secrets are known, and only a warning when not', () => {
  const text = peer('p', 'passwordSecret: {name: bgp}\n');
  const err = errorsOf(text, { secrets: {} });
  assert.equal([err.errors[0]!.code, err.errors[0]!.transient], ['config.peer.secret', true]);
  assert.ok(parseText(text).warnings.some((w) => w.code === 'config.peer.secret-unresolved'));
});

const objectCases: { desc: string; text: string; err?: RegExp; warn?: string }[] = [
  { desc: 'an object in another namespace is refused', text: ipPool('a', '192.0.2.0/28').replace('namespace: metallb-system', 'namespace: default'), err: /resource must be created in the "metallb-system" namespace, not "default"/ },
  { desc: 'two objects of one kind with one name are refused', text: ipPool('a', '192.0.2.0/28') + ipPool('a', '198.51.100.0/28'), err: /IPAddressPool "a" is defined more than once/ },
  { desc: 'an unknown metallb.io kind is refused', text: H('IPPool', 'a', '{}'), err: /unknown metallb\.io kind "IPPool"/ },
  { desc: 'an unserved version is refused', text: H('IPAddressPool', 'a', 'addresses: [192.0.2.0/28]', '', 'v1'), err: /IPAddressPool is not served as "metallb.io\/v1"/ },
  { desc: 'an invalid object name is refused', text: ipPool('A_b', '192.0.2.0/28'), err: /invalid object name "A_b"/ },
  { desc: 'a label key with a slash keeps its name in the error path', text: H('L2Advertisement', 'l2', 'nodeSelectors: [{matchLabels: {kubernetes.io/hostname: [a]}}]'), err: /spec\.nodeSelectors\[0\]\.matchLabels\.kubernetes\.io\/hostname: value \["a"\] must be string/ },
  { desc: 'non-string labels are refused', text: ipPool('a', '192.0.2.0/28', '', '  labels: {tier: 1}\n'), err: /IPAddressPool "a": metadata\.labels: labels must map strings to strings/ },
  { desc: 'status-only kinds are ignored with a warning', text: H('ServiceL2Status', 'x', '{}'), warn: 'config.ignored' },
  { desc: 'other Kubernetes objects are ignored with a warning', text: '---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {}\n', warn: 'config.ignored' },
  { desc: 'BFD profile ranges are checked', text: H('BFDProfile', 'b', 'detectMultiplier: 1'), err: /BFDProfile "b": spec\.detectMultiplier: value 1 must be >= 2/ },
  { desc: 'a Community alias defined twice is refused', text: H('Community', 'c1', 'communities: [{name: x, value: "1:1"}]') + H('Community', 'c2', 'communities: [{name: x, value: "1:2"}]'), err: /Community "c2": spec\.communities\[0\]: duplicate definition of community "x"/ },
  { desc: 'an IPAddressPool and an AddressPool with one name are refused', text: ipPool('a', '192.0.2.0/28') + H('AddressPool', 'a', 'protocol: layer2\naddresses: [198.51.100.0/28]'), err: /duplicate definition of pool "a"/ },
  { desc: 'overlaps across pools are refused', text: ipPool('a', '192.0.2.0/24') + ipPool('b', '192.0.2.128-192.0.2.130'), err: /IPAddressPool "b": spec\.addresses\[0\]: CIDR "192\.0\.2\.128\/31" \(from "192\.0\.2\.128-192\.0\.2\.130"\) overlaps with CIDR "192\.0\.2\.0\/24" in pool "a"/ },
  {
    desc: 'an IPv6 pool announced to a peer with an echo-mode BFD profile is refused',
    text: ipPool('a', '2001:db8::/64') + H('BGPAdvertisement', 'ad', '{}') + H('BFDProfile', 'echo', 'echoMode: true') + peer('p', 'bfdProfile: echo\n'),
    err: /IPAddressPool "a": pool has IPv6 addresses announced to peer "p" whose BFD profile "echo" uses echo mode/,
  },
];
for (const c of objectCases) {
  test(`CRD objects: ${c.desc}`, () => {
    if (c.err) return assert.match(errorsOf(c.text).message, c.err);
    assert.ok(parseText(c.text).warnings.some((w) => w.code === c.warn));
  });
}

test('onlyTransient: a config waiting for a Community is retried, a broken one is not', () => {
  assert.ok(onlyTransient(errorsOf(H('BGPAdvertisement', 'ad', 'communities: [later]'))));
  assert.not.ok(onlyTransient(errorsOf(H('BGPAdvertisement', 'ad', 'communities: [later, "1:99999"]'))));
});

test('AddressPool v1beta1: protocol and inline ads work like the ConfigMap', () => {
  const m = modelOf(H('AddressPool', 'old', 'protocol: bgp\naddresses: [192.0.2.0/24]\nbgpAdvertisements:\n- aggregationLength: 24\n  communities: ["1:1"]'));
  assert.equal(bgpAds(m).map((a) => [a.aggregationLength, a.communities]), [[24, ['1:1']]]);
});

test('CRDs: objects spread over several files parse as one config', () => {
  const r = parseSources([
    { name: 'pools.yaml', text: ipPool('a', '192.0.2.0/28') },
    { name: 'ads.yaml', text: H('L2Advertisement', 'l2', '{}') },
  ]);
  assert.is(r.config.pools[0]!.l2Advertisements.length, 1);
});

test('CRDs: objects without a namespace are taken to be in the MetalLB namespace', () => {
  assert.is(modelOf(ipPool('a', '192.0.2.0/28').replace('  namespace: metallb-system\n', '')).pools.length, 1);
});

test('CRDs: a custom namespace is honoured', () => {
  const text = ipPool('a', '192.0.2.0/28').replace('namespace: metallb-system', 'namespace: lb');
  assert.is(modelOf(text, { namespace: 'lb' }).pools.length, 1);
  assert.match(errorsOf(text).message, /must be created in the "metallb-system" namespace/);
});

test.run();
