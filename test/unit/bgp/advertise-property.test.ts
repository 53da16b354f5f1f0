// Properties of the advertisement plan against a naive reference: for random configs, nodes and
// services, each peer's table holds exactly the (prefix) pairs the rules allow, once each, with
// communities merged over every contribution and the first contribution's LOCAL_PREF.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { planAdvertisements, peersForNode, routeFor, type AnnouncedService } from '../../../src/speaker/bgp/advertise.js';
import { eligibility } from '../../../src/speaker/bgp/eligibility.js';
import { mergeCommunities } from '../../../src/speaker/bgp/community.js';
import { serviceKey, type Config, type NodeView } from '../../../src/model/index.js';
import { ad, config, ep, node, peer, pool, sel, svc } from './build.js';

const PEERS = ['p1', 'p2', 'p3'];
const COMMS = ['65000:1', '65000:2', '1:1', 'large:1:2:3'];

const adArb = fc.record({
  aggregationLength: fc.integer({ min: 28, max: 32 }),
  aggregationLengthV6: fc.integer({ min: 124, max: 128 }),
  localPref: fc.constantFrom(0, 100, 200),
  communities: fc.subarray(COMMS),
  peers: fc.subarray(PEERS),
  rack: fc.constantFrom(undefined, 'r1', 'r2'),
  tier: fc.constantFrom(undefined, 'web'),
}).map((a) => ad({
  aggregationLength: a.aggregationLength,
  aggregationLengthV6: a.aggregationLengthV6,
  localPref: a.localPref,
  communities: mergeCommunities(a.communities),
  peers: a.peers,
  nodeSelectors: a.rack ? [sel({ rack: a.rack })] : [],
  serviceSelectors: a.tier ? [sel({ tier: a.tier })] : [],
}));

const cfgArb = fc.record({
  v4Ads: fc.array(adArb, { maxLength: 3 }),
  v6Ads: fc.array(adArb, { maxLength: 3 }),
  peerRacks: fc.tuple(...PEERS.map(() => fc.constantFrom(undefined, 'r1', 'r2'))),
}).map(({ v4Ads, v6Ads, peerRacks }): Config => config(
  [pool('four', ['198.51.100.0/26'], v4Ads), pool('six', ['2001:db8:5::/122'], v6Ads)],
  PEERS.map((name, i) => peer(name, { peerAddress: `192.0.2.${i + 1}`, nodeSelectors: peerRacks[i] ? [sel({ rack: peerRacks[i]! })] : [] })),
));

const svcArb = fc.record({
  id: fc.integer({ min: 0, max: 30 }),
  v4: fc.option(fc.integer({ min: 0, max: 63 }), { nil: undefined }),
  v6: fc.option(fc.integer({ min: 0, max: 63 }), { nil: undefined }),
  local: fc.boolean(),
  tier: fc.constantFrom(undefined, 'web'),
  eps: fc.array(fc.record({ host: fc.constantFrom('pandora', 'iris'), ready: fc.boolean(), addr: fc.integer({ min: 1, max: 4 }) }), { maxLength: 3 }),
}).map((s): AnnouncedService => svc(
  `s${s.id}`,
  [...(s.v4 !== undefined ? [`198.51.100.${s.v4}`] : []), ...(s.v6 !== undefined ? [`2001:db8:5::${s.v6.toString(16)}`] : [])],
  { externalTrafficPolicy: s.local ? 'Local' : 'Cluster', labels: s.tier ? { tier: s.tier } : {} },
  s.eps.map((e) => ep(`10.0.0.${e.addr}`, e.host, e.ready)),
));

const inputArb = fc.record({
  config: cfgArb,
  node: fc.constantFrom(undefined, 'r1', 'r2').map((rack): NodeView => node(rack ? { rack } : {})),
  services: fc.uniqueArray(svcArb, { selector: (s) => s.service.name, maxLength: 6 }),
});

/** reference computes per peer: prefix -> contributions in rule order, without any merging. */
function reference(config: Config, n: NodeView, services: AnnouncedService[]) {
  const out = new Map<string, Map<string, { localPref: number; communities: string[] }[]>>();
  const peers = peersForNode(config, n);
  for (const p of peers) out.set(p.name, new Map());
  const sorted = [...services].sort((a, b) => (serviceKey(a.service) < serviceKey(b.service) ? -1 : 1));
  for (const s of sorted) {
    const e = eligibility(config, n, s);
    if (e.reason !== 'announced') continue;
    for (const ip of e.ips) for (const a of e.ads) for (const p of peers) {
      if (a.peers.length > 0 && !a.peers.includes(p.name)) continue;
      const r = routeFor(ip, a);
      const list = out.get(p.name)!.get(r.prefix) ?? [];
      list.push({ localPref: r.localPref, communities: r.communities });
      out.get(p.name)!.set(r.prefix, list);
    }
  }
  return out;
}

test('every peer holds exactly the allowed prefixes, once, merged as MetalLB main does', () => {
  fc.assert(fc.property(inputArb, ({ config: cfg, node: n, services }) => {
    const plan = planAdvertisements({ config: cfg, node: n, services });
    const ref = reference(cfg, n, services);
    assert.equal([...plan.routes.keys()], [...ref.keys()]);
    for (const [name, table] of plan.routes) {
      const want = ref.get(name)!;
      assert.equal(new Set(table.map((r) => r.prefix)).size, table.length, 'no duplicate prefix');
      assert.equal(table.map((r) => r.prefix).sort(), [...want.keys()].sort());
      for (const r of table) {
        const contrib = want.get(r.prefix)!;
        assert.is(r.localPref, contrib[0]!.localPref);
        assert.equal(r.communities, mergeCommunities(...contrib.map((c) => c.communities)));
      }
    }
  }), { numRuns: 200 });
});

test('a service is announced exactly when some peer carries one of its prefixes', () => {
  fc.assert(fc.property(inputArb, ({ config: cfg, node: n, services }) => {
    const plan = planAdvertisements({ config: cfg, node: n, services });
    for (const d of plan.decisions.values()) {
      const carried = d.peers.filter((p) => plan.routes.get(p)!.some((r) => d.prefixes.includes(r.prefix)));
      assert.is(d.reason === 'announced', carried.length > 0, `${d.key}: ${d.reason}`);
      if (d.reason !== 'announced') assert.equal(d.peers, []);
      if (d.reason !== 'announced' && d.reason !== 'noPeers') assert.equal(d.prefixes, []);
    }
  }), { numRuns: 200 });
});

test('the plan does not depend on the order services arrive in', () => {
  fc.assert(fc.property(inputArb, fc.nat(), fc.boolean(), ({ config: cfg, node: n, services }, shift, flip) => {
    const rotated = services.map((_, i) => services[(i + shift) % services.length]!);
    const shuffled = flip ? rotated.reverse() : rotated;
    const a = planAdvertisements({ config: cfg, node: n, services });
    const b = planAdvertisements({ config: cfg, node: n, services: shuffled });
    assert.equal([...a.routes], [...b.routes]);
    assert.equal([...a.decisions], [...b.decisions]);
  }), { numRuns: 200 });
});

test('the generators reach every interesting outcome (so the properties above are not vacuous)', () => {
  const seen = new Set<string>();
  for (const { config: cfg, node: n, services } of fc.sample(inputArb, { numRuns: 300, seed: 42 })) {
    const plan = planAdvertisements({ config: cfg, node: n, services });
    for (const d of plan.decisions.values()) seen.add(d.reason);
    for (const t of plan.routes.values()) for (const r of t) if (r.communities.length > 1) seen.add('mergedCommunities');
  }
  for (const want of ['announced', 'noPeers', 'noEndpoints', 'noLocalEndpoints', 'noMatchingAdvertisement', 'notBGP', 'noIPAllocated', 'mergedCommunities']) {
    assert.ok(seen.has(want), `never saw ${want}`);
  }
});

test.run();
