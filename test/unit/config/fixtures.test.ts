// fixtures/config: every config shown in ../shared/seeds (the documents this project started from)
// parses to what those documents say; the extra valid fixtures parse; every invalid fixture is
// refused with the error its `# expect:` line names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelToJSON, parseSources, type ModelJSON } from '../../../src/config/index.js';
import { ConfigErrors } from '../../../src/model/errors.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/config');
const read = (rel: string): { name: string; text: string } => ({ name: rel, text: readFileSync(path.join(dir, rel), 'utf8') });
const model = (...files: string[]): ModelJSON => modelToJSON(parseSources(files.map(read)).config);
type Ad = { aggregationLength: number; localPref: number; communities: string[] };
const ads = (m: ModelJSON, pool: string): Ad[] => m.pools.find((p) => p['name'] === pool)!['bgpAdvertisements'] as Ad[];
const pool = (m: ModelJSON, name: string): Record<string, unknown> => m.pools.find((p) => p['name'] === name)!;
const l2 = [{ nodeSelectors: [], interfaces: [], serviceSelectors: [] }];

const seeds: { file: string | string[]; says: string; check: (m: ModelJSON) => void }[] = [
  { file: 'seeds/layer2-range-configmap.yaml', says: 'layer 2 over 192.168.1.240 to .250', check: (m) => assert.equal([pool(m, 'default')['cidrs'], pool(m, 'default')['l2Advertisements']], [['192.168.1.240/29', '192.168.1.248/31', '192.168.1.250/32'], l2]) },
  {
    file: 'seeds/bgp-simple-configmap.yaml',
    says: 'one router 10.0.0.1 AS 64501, MetalLB AS 64500, 192.168.10.0/24 announced as /32s with localpref 0 and no communities',
    check: (m) => {
      assert.equal([m.peers[0]!['peerAddress'], m.peers[0]!['peerASN'], m.peers[0]!['myASN']], ['10.0.0.1', 64501, 64500]);
      assert.equal(ads(m, 'default').map((a) => [a.aggregationLength, a.localPref, a.communities]), [[32, 0, []]]);
    },
  },
  {
    file: 'seeds/bgp-advertisements-communities-configmap.yaml',
    says: 'a /32 with localpref 100 and no-advertise (65535:65282), plus the covering /24 with no attributes',
    check: (m) => {
      assert.equal(ads(m, 'default').map((a) => [a.aggregationLength, a.localPref, a.communities]), [[32, 100, ['65535:65282']], [24, 0, []]]);
      assert.equal(m.communities, { 'no-advertise': '65535:65282' });
    },
  },
  {
    file: 'seeds/peer-node-selectors-payload.yaml',
    says: 'the peer is used by rack=frontend nodes without network-speed=slow, or by hostA/hostB',
    check: (m) => assert.equal(m.peers[0]!['nodeSelectors'], [
      { matchLabels: { rack: 'frontend' }, matchExpressions: [{ key: 'network-speed', operator: 'NotIn', values: ['slow'] }] },
      { matchLabels: {}, matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['hostA', 'hostB'] }] },
    ]),
  },
  { file: 'seeds/auto-assign-false-payload.yaml', says: 'cheap is auto-assigned, expensive is not', check: (m) => assert.equal(m.pools.map((p) => [p['name'], p['autoAssign']]), [['cheap', true], ['expensive', false]]) },
  { file: 'seeds/v0.2-auto-assign-cidr-payload.yaml', says: 'the same with the old cidr key', check: (m) => assert.equal(m.pools.map((p) => [p['name'], p['autoAssign'], p['cidrs']]), [['cheap', true, ['192.168.144.0/20']], ['expensive', false, ['42.176.25.64/30']]]) },
  {
    file: 'seeds/annotated-example-configmap.yaml',
    says: 'the fully annotated example: iBGP peer with hold 120s, router ID, password, selectors; one pool with both entry kinds',
    check: (m) => {
      const p = m.peers[0]!;
      assert.equal([p['peerASN'], p['myASN'], p['peerPort'], p['holdTime'], p['keepaliveTime'], p['routerID'], p['password']], [64512, 64512, 179, 120, 40, '1.2.3.4', '<set>']);
      assert.equal(p['nodeSelectors'], [{ matchLabels: { 'kubernetes.io/hostname': 'prod-01' }, matchExpressions: [{ key: 'beta.kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm'] }] }]);
      const mine = pool(m, 'my-ip-space');
      assert.equal([mine['avoidBuggyIPs'], mine['autoAssign']], [true, false]);
      assert.equal(mine['cidrs'], ['198.51.100.0/24', '192.168.0.150/31', '192.168.0.152/29', '192.168.0.160/27', '192.168.0.192/29', '192.168.0.200/32']);
      assert.equal(ads(m, 'my-ip-space').map((a) => [a.aggregationLength, a.localPref, a.communities]), [[32, 100, ['64512:1', '65535:65281']]]);
    },
  },
  { file: 'seeds/layer2-heredoc-configmap.yaml', says: 'layer 2 over 192.168.128.0/17', check: (m) => assert.equal(pool(m, 'default')['cidrs'], ['192.168.128.0/17']) },
  { file: 'seeds/layer2-two-entries-configmap.yaml', says: 'a range and a /20 in one layer 2 pool', check: (m) => assert.equal(pool(m, 'default')['cidrs'], ['192.168.1.240/29', '192.168.1.248/31', '192.168.1.250/32', '192.168.144.0/20']) },
  { file: 'seeds/bgp-simple-configmap-2.yaml', says: 'the simple BGP example again', check: (m) => assert.equal([m.peers.length, pool(m, 'default')['cidrs']], [1, ['192.168.10.0/24']]) },
  { file: 'seeds/v0.2-bgp-cidr-configmap.yaml', says: 'v0.2 BGP example with cidr: AS 42 to AS 100', check: (m) => assert.equal([m.peers[0]!['myASN'], m.peers[0]!['peerASN'], pool(m, 'default')['cidrs']], [42, 100, ['192.168.10.0/24']]) },
  {
    file: 'seeds/v0.2-communities-payload.yaml',
    says: 'production /30 with default ads; sandbox tagged vpn-only (1234:1)',
    check: (m) => {
      assert.equal(ads(m, 'production').map((a) => a.communities), [[]]);
      assert.equal(ads(m, 'sandbox').map((a) => a.communities), [['1234:1']]);
    },
  },
  {
    file: ['seeds/crd-l2-ipaddresspool.yaml', 'seeds/crd-l2-advertisement.yaml'],
    says: 'demo-pool (v4 /24, a 5-address range, a v6 /124) announced by L2 from kind-control-plane only',
    check: (m) => {
      const p = pool(m, 'demo-pool');
      assert.equal(p['cidrs'], ['192.168.10.0/24', '192.168.9.1/32', '192.168.9.2/31', '192.168.9.4/31', 'fc00:f853:ccd:e799::/124']);
      assert.equal(p['labels'], { ipaddresspool: 'demo' });
      assert.equal(p['l2Advertisements'], [{ nodeSelectors: [{ matchLabels: { 'kubernetes.io/hostname': 'kind-control-plane' }, matchExpressions: [] }], interfaces: [], serviceSelectors: [] }]);
    },
  },
  {
    file: ['seeds/crd-bgp-ipaddresspool.yaml', 'seeds/crd-bgp-advertisement.yaml', 'seeds/crd-bgp-peer.yaml'],
    says: 'bgp-pool announced as /32s to peer test (AS 7776 to AS 7675 at 172.16.1.1, router ID 172.16.1.11)',
    check: (m) => {
      assert.equal(ads(m, 'bgp-pool').map((a) => a.aggregationLength), [32]);
      const p = m.peers[0]!;
      assert.equal([p['name'], p['myASN'], p['peerASN'], p['peerAddress'], p['routerID'], p['holdTime']], ['test', 7776, 7675, '172.16.1.1', '172.16.1.11', 90]);
    },
  },
];

for (const s of seeds) {
  const files = Array.isArray(s.file) ? s.file : [s.file];
  test(`seed ${files.join(' + ')}: ${s.says}`, () => s.check(model(...files)));
}

test('every seed fixture is covered by the table above', () => {
  const covered = new Set(seeds.flatMap((s) => (Array.isArray(s.file) ? s.file : [s.file])));
  assert.equal(readdirSync(path.join(dir, 'seeds')).map((f) => `seeds/${f}`).filter((f) => !covered.has(f)), []);
});

test('valid fixture crd-all-kinds: every kind wires together and the password stays hidden', () => {
  const r = parseSources([read('valid/crd-all-kinds.yaml')]);
  const m = modelToJSON(r.config);
  assert.equal(m.pools.map((p) => p['name']), ['a-public', 'b-lan']);
  assert.equal(ads(m, 'a-public').map((a) => a.communities), [['65535:65282', 'large:64500:1:1']]);
  assert.is((pool(m, 'b-lan')['l2Advertisements'] as unknown[]).length, 1);
  assert.is(r.config.peers[0]!.password, 'do-not-print-me');
  assert.not.match(JSON.stringify(m), /do-not-print-me/);
});

test('valid fixture helm-values-configinline parses like the ConfigMap it stands for', () => {
  assert.equal(model('valid/helm-values-configinline.yaml'), model('seeds/bgp-simple-configmap.yaml'));
});

test('valid fixture list-with-other-objects reads the List and ignores the Service', () => {
  const r = parseSources([read('valid/list-with-other-objects.yaml')]);
  assert.is(r.config.pools[0]!.l2Advertisements.length, 1);
  assert.ok(r.warnings.some((w) => w.code === 'config.ignored' && /Service "web"/.test(w.message)));
});

test('valid fixture kubectl-get-list.json: JSON output of kubectl, with server fields and status, parses', () => {
  const m = model('valid/kubectl-get-list.json');
  assert.equal(m.pools.map((p) => [p['name'], p['autoAssign'], (p['l2Advertisements'] as unknown[]).length]), [['p', false, 1]]);
});

for (const f of readdirSync(path.join(dir, 'invalid'))) {
  test(`invalid fixture ${f} is refused with the expected error`, () => {
    const src = read(`invalid/${f}`);
    const expect = /^# expect: (.*)$/m.exec(src.text)?.[1];
    assert.ok(expect, 'the fixture has an "# expect:" line');
    try {
      parseSources([src]);
      assert.unreachable('the fixture parsed');
    } catch (err) {
      if (!(err instanceof ConfigErrors)) throw err;
      assert.match(err.message, new RegExp(expect!));
    }
  });
}

test.run();
