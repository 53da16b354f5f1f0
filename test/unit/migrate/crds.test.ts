import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildCrds, poolOrderWarning } from '../../../src/migrate/crds.js';
import type { LegacyConfigFile } from '../../../src/config/legacy/types.js';
import { ConfigError } from '../../../src/model/index.js';
import { config, peer } from './fixtures.js';

const opts = { namespace: 'metallb-system', passwordSecrets: false };
const kinds = (legacy: LegacyConfigFile, model = config()) => buildCrds(legacy, model, opts).objects.map((o) => `${o.kind}/${o.metadata.name}`);

test('a layer2 pool becomes a pool and one L2Advertisement with no selectors', () => {
  const b = buildCrds({ 'address-pools': [{ name: 'default', protocol: 'layer2', addresses: ['192.168.1.240-192.168.1.250'] }] }, config(), opts);
  assert.equal(b.objects.map((o) => `${o.kind}/${o.metadata.name}`), ['IPAddressPool/default', 'L2Advertisement/default-l2']);
  assert.equal(b.objects[1]!.spec, { ipAddressPools: ['default'] });
  assert.equal(b.objects[0]!.spec, { addresses: ['192.168.1.240-192.168.1.250'] });
});

const protocolCases: [string, string | undefined, string[]][] = [
  ['arp (v0.3-v0.5) is layer2', 'arp', ['IPAddressPool/p', 'L2Advertisement/p-l2']],
  ['ndp (v0.4-v0.5) is layer2', 'ndp', ['IPAddressPool/p', 'L2Advertisement/p-l2']],
  ['bgp without advertisements gets one default BGPAdvertisement', 'bgp', ['IPAddressPool/p', 'BGPAdvertisement/p-bgp']],
];
for (const [desc, protocol, want] of protocolCases) {
  test(`protocol: ${desc}`, () => {
    assert.equal(kinds({ 'address-pools': [{ name: 'p', ...(protocol ? { protocol } : {}), addresses: ['10.0.0.0/24'] }] }), want);
  });
}

for (const protocol of ['babel', 'l2', undefined]) {
  test(`protocol ${JSON.stringify(protocol ?? null)} fails naming the pool instead of making a pool nobody announces`, () => {
    assert.throws(
      () => kinds({ 'address-pools': [{ name: 'p', ...(protocol ? { protocol } : {}), addresses: ['10.0.0.0/24'] }] }),
      (e: ConfigError) => e.code === 'migrate.unknown-protocol' && e.message.includes('pool #1 "p"'),
    );
  });
}

test('several BGP advertisements are numbered in legacy order and keep every field they had', () => {
  const b = buildCrds(
    {
      'address-pools': [
        { name: 'p', protocol: 'bgp', addresses: ['10.0.0.0/24'], 'bgp-advertisements': [{ 'aggregation-length': 32, localpref: 100, communities: ['no-export', '64512:1'] }, { 'aggregation-length': 24, 'aggregation-length-v6': 64 }] },
      ],
    },
    config(),
    opts,
  );
  assert.equal(b.objects.map((o) => o.metadata.name), ['p', 'p-bgp-1', 'p-bgp-2']);
  assert.equal(b.objects[1]!.spec, { aggregationLength: 32, localPref: 100, communities: ['no-export', '64512:1'], ipAddressPools: ['p'] });
  assert.equal(b.objects[2]!.spec, { aggregationLength: 24, aggregationLengthV6: 64, ipAddressPools: ['p'] });
});

test('pool names are coerced, advertisements follow the new name, and the rename is a warning', () => {
  const b = buildCrds({ 'address-pools': [{ name: 'My_Pool', protocol: 'layer2', addresses: ['10.0.0.0/24'] }] }, config(), opts);
  assert.equal(b.renames, [{ kind: 'IPAddressPool', from: 'My_Pool', to: 'my-pool' }]);
  assert.equal(b.objects[1]!.spec, { ipAddressPools: ['my-pool'] });
  assert.equal(b.warnings.map((w) => w.code), ['migrate.renamed']);
});

test('two pools that coerce to one name fail, naming both originals', () => {
  assert.throws(
    () => kinds({ 'address-pools': [{ name: 'My_Pool', protocol: 'layer2', addresses: ['10.0.0.0/24'] }, { name: 'my-pool', protocol: 'layer2', addresses: ['10.0.1.0/24'] }] }),
    (e: ConfigError) => e.code === 'migrate.name-collision' && e.message.includes('"My_Pool"') && e.message.includes('"my-pool"'),
  );
});

test('peers are named like the model names them and keep every written field in CRD spelling', () => {
  const legacy: LegacyConfigFile = {
    peers: [
      {
        'my-asn': 64500, 'peer-asn': 64501, 'peer-address': '192.0.2.1', 'peer-port': 1179, 'source-address': '192.0.2.100', 'hold-time': '180s', 'keepalive-time': '60s',
        'router-id': '10.0.0.1', 'node-selectors': [{ 'match-labels': { rack: 'a' }, 'match-expressions': [{ key: 'k', operator: 'In', values: ['x'] }] }],
        password: 'hunter2', 'bfd-profile': 'Fast_BFD', 'ebgp-multihop': true,
      },
    ],
    'bfd-profiles': [{ name: 'Fast_BFD', 'receive-interval': 50 }],
  };
  const model = config({ peers: [peer({ peerPort: 1179 })] });
  const b = buildCrds(legacy, model, opts);
  const p = b.objects.find((o) => o.kind === 'BGPPeer')!;
  assert.is(p.metadata.name, 'peer-192-0-2-1-as64501-port1179');
  assert.is(p.apiVersion, 'metallb.io/v1beta2');
  assert.equal(p.spec, {
    myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.1', peerPort: 1179, sourceAddress: '192.0.2.100', holdTime: '180s', keepaliveTime: '60s', routerID: '10.0.0.1',
    nodeSelectors: [{ matchLabels: { rack: 'a' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['x'] }] }],
    bfdProfile: 'fast-bfd', ebgpMultiHop: true, password: 'hunter2',
  });
  assert.ok(b.warnings.some((w) => w.code === 'migrate.plaintext-password'));
});

test('keepalive without hold keeps the legacy 90s hold explicitly (CRDs would derive 3 x keepalive)', () => {
  const b = buildCrds({ peers: [{ 'my-asn': 1, 'peer-asn': 2, 'peer-address': '192.0.2.1', 'keepalive-time': '10s' }] }, config({ peers: [peer()] }), opts);
  const spec = b.objects[0]!.spec as Record<string, unknown>;
  assert.is(spec.holdTime, '90s');
  assert.is(spec.keepaliveTime, '10s');
});

test('peer-port 0 means 179 and is left out', () => {
  const b = buildCrds({ peers: [{ 'my-asn': 1, 'peer-asn': 2, 'peer-address': '192.0.2.1', 'peer-port': 0 }] }, config({ peers: [peer()] }), opts);
  assert.not.ok('peerPort' in (b.objects[0]!.spec as object));
});

test('--password-secrets puts the key in a basic-auth Secret and never in the peer spec', () => {
  const b = buildCrds({ peers: [{ 'my-asn': 1, 'peer-asn': 2, 'peer-address': '192.0.2.1', password: 'hunter2' }] }, config({ peers: [peer()] }), { ...opts, passwordSecrets: true });
  assert.equal(b.objects.map((o) => o.kind), ['Secret', 'BGPPeer']);
  const [secret, p] = b.objects;
  assert.is(secret!.type, 'kubernetes.io/basic-auth');
  assert.equal(secret!.stringData, { password: 'hunter2' });
  assert.equal((p!.spec as Record<string, unknown>).passwordSecret, { name: secret!.metadata.name, namespace: 'metallb-system' });
  assert.not.match(JSON.stringify(p), 'hunter2');
  assert.equal(b.warnings, []);
});

test('two legacy peers that get the same model name fail, naming both', () => {
  const legacy: LegacyConfigFile = { peers: [{ 'my-asn': 1, 'peer-asn': 2, 'peer-address': '192.0.2.1' }, { 'my-asn': 3, 'peer-asn': 2, 'peer-address': '192.0.2.1' }] };
  assert.throws(() => buildCrds(legacy, config({ peers: [peer(), peer()] }), opts), (e: ConfigError) => e.code === 'migrate.name-collision' && /peer #1/.test(e.message) && /peer #2/.test(e.message));
});

test('communities become one Community sorted by alias; BFD profiles keep only the fields written', () => {
  const b = buildCrds({ 'bgp-communities': { 'no-export': '65535:65281', 'my-community': '1234:5678' }, 'bfd-profiles': [{ name: 'slow', 'echo-mode': false }] }, config(), opts);
  assert.equal(b.objects.map((o) => `${o.kind}/${o.metadata.name}`), ['BFDProfile/slow', 'Community/bgp-communities']);
  assert.equal(b.objects[1]!.spec, { communities: [{ name: 'my-community', value: '1234:5678' }, { name: 'no-export', value: '65535:65281' }] });
  assert.equal(b.objects[0]!.spec, { echoMode: false });
});

test('arp-network is dropped with a warning that names the pool', () => {
  const b = buildCrds({ 'address-pools': [{ name: 'p', protocol: 'arp', cidr: ['10.0.0.0/24'], 'arp-network': '10.0.0.0/16' }] }, config(), opts);
  assert.equal(b.objects[0]!.spec, { addresses: ['10.0.0.0/24'] });
  assert.equal(b.warnings.map((w) => `${w.code} ${w.object}`), ['migrate.dropped-arp-network pool #1 "p"']);
});

const orderCases: [string, { name: string; autoAssign: boolean }[], boolean][] = [
  ['legacy order equal to name order needs nothing', [{ name: 'a', autoAssign: true }, { name: 'b', autoAssign: true }], false],
  ['one auto-assign pool has no order to lose', [{ name: 'b', autoAssign: true }, { name: 'a', autoAssign: false }], false],
  ['several auto-assign pools out of name order warn', [{ name: 'cheap', autoAssign: true }, { name: 'backup', autoAssign: true }], true],
];
for (const [desc, pools, want] of orderCases) {
  test(`poolOrderWarning: ${desc}`, () => {
    const w = poolOrderWarning(pools);
    assert.is(w !== undefined, want);
    if (w) assert.match(w.message, 'serviceAllocation.priority');
  });
}

test('poolOrderWarning keeps its message short for a thousand pools', () => {
  const pools = Array.from({ length: 1000 }, (_, i) => ({ name: `p${i}`, autoAssign: true }));
  const w = poolOrderWarning(pools)!;
  assert.ok(w.message.length < 600, `${w.message.length} characters`);
  assert.match(w.message, '(992 more)');
  assert.match(w.message, 'p0: 1, p1: 2');
});

test.run();
