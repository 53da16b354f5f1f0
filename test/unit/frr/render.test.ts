// Golden tests of the frr.conf rendering. Goldens live in fixtures/frr/<name>.conf and are compared
// byte for byte; regenerate with UPDATE_GOLDEN=1 (then read the diff before committing it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFrrDesired } from '../../../src/speaker/frr/desired.js';
import { prefixSeqs, renderFrrConfig, type FrrRenderOptions } from '../../../src/speaker/frr/render.js';
import { planAdvertisements } from '../../../src/speaker/bgp/advertise.js';
import type { BFDProfile, Peer } from '../../../src/model/index.js';
import type { PeerRoutes, Route } from '../../../src/speaker/bgp/route.js';
import { ad, config, node, peer, pool, svc } from '../bgp/build.js';

const goldenDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/frr');

interface Case {
  name: string;
  desc: string;
  peers: Peer[];
  profiles?: BFDProfile[];
  routes?: Record<string, Route[]>;
  opts?: Partial<FrrRenderOptions>;
  warnings?: string[];
}

const r = (prefix: string, localPref = 0, communities: string[] = []): Route => ({ prefix, localPref, communities });
const ebgp = (name: string, addr: string, over: Partial<Peer> = {}) => peer(name, { peerAddress: addr, myASN: 64512, peerASN: 64513, ...over });

const cases: Case[] = [
  { name: 'no-peers', desc: 'no peers renders only the header (frr-reload then removes every router bgp)', peers: [] },
  { name: 'single-ibgp-session', desc: 'one iBGP session without routes denies everything out', peers: [peer('p1', { routerID: '10.1.1.254' })] },
  {
    name: 'single-ebgp-session-one-hop',
    desc: 'one eBGP session announcing two prefixes',
    peers: [ebgp('p1', '192.0.2.2')],
    routes: { p1: [r('198.51.100.10/32'), r('198.51.100.0/24')] },
  },
  {
    name: 'session-extras',
    desc: 'multihop, password, source address, port, connect time, graceful restart and zero timers',
    peers: [ebgp('p1', '192.0.2.2', { ebgpMultiHop: true, password: 's3cret', sourceAddress: '192.0.2.1', peerPort: 1179, connectTime: 5, enableGracefulRestart: true, holdTime: 0, keepaliveTime: 0 })],
    routes: { p1: [r('198.51.100.10/32')] },
  },
  {
    name: 'ipv6-session',
    desc: 'an IPv6 peer with IPv6 and IPv4 prefixes (both families are activated)',
    peers: [ebgp('p1', '2001:db8:1::2')],
    routes: { p1: [r('2001:db8:5::/120', 300, ['65000:6']), r('198.51.100.7/32')] },
  },
  {
    name: 'two-advertisements-two-sessions',
    desc: 'local-pref and communities per prefix group, the same for two sessions',
    peers: [peer('p1', { peerAddress: '192.0.2.2' }), peer('p2', { peerAddress: '192.0.2.3' })],
    routes: {
      p1: [r('172.16.1.10/32', 0, ['1111:2222']), r('172.16.1.0/24', 2, ['1111:2222'])],
      p2: [r('172.16.1.10/32', 0, ['1111:2222']), r('172.16.1.0/24', 2, ['1111:2222'])],
    },
  },
  {
    name: 'large-communities',
    desc: 'large and standard communities together',
    peers: [peer('p1', { peerAddress: '192.0.2.2' })],
    routes: { p1: [r('198.51.100.1/32', 100, ['large:4200000000:1:2', '65000:1', 'large:1:2:3']), r('198.51.100.2/32', 100, ['large:1:2:3'])] },
  },
  {
    name: 'advertisement-limited-to-one-peer',
    desc: 'a prefix only one of two peers may receive',
    peers: [ebgp('p1', '192.0.2.2'), ebgp('p2', '192.0.2.3')],
    routes: { p1: [r('198.51.100.1/32'), r('198.51.100.2/32')], p2: [r('198.51.100.2/32')] },
  },
  {
    name: 'per-peer-attributes',
    desc: 'a prefix whose attributes differ per peer gets per-neighbor prefix-lists; uniform ones are set at origination',
    peers: [peer('p1', { peerAddress: '192.0.2.2' }), peer('p2', { peerAddress: '192.0.2.3' })],
    routes: {
      p1: [r('198.51.100.1/32', 100, ['65000:1', '65000:2']), r('198.51.100.2/32', 0, ['65000:2']), r('2001:db8::1/128', 0, ['large:1:2:3'])],
      p2: [r('198.51.100.1/32', 200, ['65000:2']), r('198.51.100.2/32', 0, ['65000:2'])],
    },
  },
  {
    name: 'nearly-all-prefixes',
    desc: 'a peer missing one prefix of many gets a short deny-list instead of a long allow-list',
    peers: [ebgp('p1', '192.0.2.2'), ebgp('p2', '192.0.2.3')],
    routes: {
      p1: [r('198.51.100.1/32'), r('198.51.100.2/32'), r('198.51.100.3/32'), r('2001:db8::1/128')],
      p2: [r('198.51.100.1/32'), r('198.51.100.2/32'), r('198.51.100.3/32')],
    },
  },
  {
    name: 'vrf',
    desc: 'a peer in a VRF gets its own router bgp and VRF-qualified filter names',
    peers: [ebgp('p1', '192.0.2.2', { routerID: '192.0.2.1' }), ebgp('p2', '192.0.2.2', { vrf: 'red', routerID: '192.0.2.9' })],
    routes: { p1: [r('198.51.100.1/32')], p2: [r('203.0.113.1/32')] },
  },
  {
    name: 'bfd-profiles',
    desc: 'BFD profiles with every field, and one with FRR defaults',
    peers: [ebgp('p1', '192.0.2.2', { bfdProfile: 'fast' })],
    profiles: [
      { name: 'fast', receiveInterval: 100, transmitInterval: 120, detectMultiplier: 4, echoInterval: 50, echoMode: true, passiveMode: true, minimumTtl: 254 },
      { name: 'defaults', echoMode: false, passiveMode: false },
    ],
  },
  {
    name: 'zebra-less',
    desc: 'a standalone bgpd (-Z) keeps bgp no-rib and drops zebra-only lines',
    peers: [ebgp('p1', '192.0.2.2')],
    routes: { p1: [r('198.51.100.1/32')] },
    opts: { zebra: false, logLevel: 'debugging' },
  },
  {
    name: 'per-peer-local-asn',
    desc: 'eBGP peers with another myASN use local-as; conflicting or duplicate peers are skipped with warnings',
    peers: [ebgp('p1', '192.0.2.2'), ebgp('p2', '192.0.2.3', { myASN: 64600 }), peer('p3', { peerAddress: '192.0.2.4', myASN: 64700, peerASN: 64700 }), ebgp('p4', '192.0.2.2')],
    routes: { p1: [r('198.51.100.1/32')], p2: [r('198.51.100.1/32')] },
    warnings: ['frr.localASNConflict', 'frr.duplicateNeighbor'],
  },
];

function golden(name: string, text: string): void {
  const file = path.join(goldenDir, `${name}.conf`);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, text);
  }
  assert.ok(existsSync(file), `golden ${file} is missing: run with UPDATE_GOLDEN=1`);
  assert.fixture(text, readFileSync(file, 'utf8'));
}

for (const c of cases) {
  test(`${c.name}: ${c.desc}`, () => {
    const routes: PeerRoutes = new Map(Object.entries(c.routes ?? {}));
    const desired = buildFrrDesired(c.peers, c.profiles ?? [], routes);
    assert.equal(desired.warnings.map((w) => w.code), c.warnings ?? []);
    golden(c.name, renderFrrConfig(desired, { hostname: 'node1', ...c.opts }));
  });
}

test('plan-to-frr: MetalLB multiple-advertisement config rendered through the whole pipeline', () => {
  const cfg = config([pool('default', ['10.20.30.0/24'], [ad({ localPref: 100, communities: ['0:1234', '0:2345'] }), ad({ aggregationLength: 24, localPref: 1000 })])], [peer('p1', { peerAddress: '192.0.2.2' }), ebgp('p2', '192.0.2.3')]);
  const plan = planAdvertisements({ config: cfg, node: node(), services: [svc('test1', ['10.20.30.1']), svc('test2', ['10.20.30.1'])] });
  golden('plan-multiple-advertisements', renderFrrConfig(buildFrrDesired(plan.peers, [], plan.routes), { hostname: 'pandora' }));
});

test('rendering does not depend on the order routes and profiles arrive in', () => {
  const peers = [ebgp('p1', '192.0.2.2')];
  const list = [r('198.51.100.3/32', 5, ['2:2']), r('2001:db8::1/128', 0, ['1:1']), r('198.51.100.1/32', 7, ['1:1', 'large:1:1:1'])];
  const profiles: BFDProfile[] = [{ name: 'b', echoMode: false, passiveMode: false }, { name: 'a', echoMode: true, passiveMode: false }];
  const one = renderFrrConfig(buildFrrDesired(peers, profiles, new Map([['p1', list]])), { hostname: 'n' });
  const two = renderFrrConfig(buildFrrDesired(peers, [...profiles].reverse(), new Map([['p1', [...list].reverse()]])), { hostname: 'n' });
  assert.fixture(two, one);
});

test('prefix-list sequence numbers do not move when another prefix comes or goes', () => {
  const many = Array.from({ length: 500 }, (_, i) => `198.51.${100 + (i >> 8)}.${i & 255}/32`);
  const before = prefixSeqs(many);
  const after = prefixSeqs(many.slice(1).concat('203.0.113.9/32'));
  for (const p of many.slice(1)) assert.is(after.get(p), before.get(p), p);
  assert.is(new Set(after.values()).size, after.size, 'unique');
  for (const seq of after.values()) assert.ok(seq >= 1 && seq < 4294967295, 'below the deny-any entry');
});

test('two prefixes whose hashes collide get distinct numbers, and the survivor takes its own when the other goes', () => {
  // Found by search: FNV-1a of these two strings is equal modulo 2^32-2.
  const both = prefixSeqs(['10.0.107.237/32', '10.2.219.40/32']);
  assert.equal([...both.values()], [2764744745, 2764744746]);
  assert.equal([...prefixSeqs(['10.2.219.40/32']).values()], [2764744745]);
});

test.run();
