// Advertisement plan: selectors, aggregation, merging of shared prefixes and every reason.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { peersForNode, planAdvertisements, type AnnouncedService } from '../../../src/speaker/bgp/advertise.js';
import type { Config, EndpointView, NodeView } from '../../../src/model/index.js';
import { ad, config, ep, node, peer, pool, sel, svc, tables } from './build.js';

interface Case {
  desc: string;
  config: Config;
  node?: NodeView;
  services: AnnouncedService[];
  ignoreExcludeLB?: boolean;
  want: Record<string, string[]>;
  reasons: Record<string, string>;
}

const p1 = peer('p1');
const p2 = peer('p2', { peerAddress: '192.0.2.2' });
const v4 = pool('v4', ['198.51.100.0/24']);
const one = svc('a', ['198.51.100.10']);
const terminating: EndpointView = { addresses: ['10.0.0.9'], nodeName: 'pandora', ready: false, serving: true };

const cases: Case[] = [
  {
    desc: 'an advertisement limited to one peer reaches only that peer',
    config: config([pool('v4', ['198.51.100.0/24'], [ad({ peers: ['p2'] })])], [p1, p2]),
    services: [one],
    want: { p1: [], p2: ['198.51.100.10/32 lp=0 c='] },
    reasons: { 'default/a': 'announced' },
  },
  {
    desc: 'an advertisement naming only an unknown peer leaves the service without peers',
    config: config([pool('v4', ['198.51.100.0/24'], [ad({ peers: ['nope'] })])], [p1]),
    services: [one],
    want: { p1: [] },
    reasons: { 'default/a': 'noPeers' },
  },
  {
    desc: 'a peer whose node selector does not match this node gets no session',
    config: config([v4], [p1, peer('p2', { peerAddress: '192.0.2.2', nodeSelectors: [sel({ rack: 'r2' })] })]),
    node: node({ rack: 'r1' }),
    services: [one],
    want: { p1: ['198.51.100.10/32 lp=0 c='] },
    reasons: { 'default/a': 'announced' },
  },
  {
    desc: 'an advertisement whose node selector misses this node gives noMatchingAdvertisement',
    config: config([pool('v4', ['198.51.100.0/24'], [ad({ nodeSelectors: [sel({ rack: 'r2' })] })])], [p1]),
    node: node({ rack: 'r1' }),
    services: [one],
    want: { p1: [] },
    reasons: { 'default/a': 'noMatchingAdvertisement' },
  },
  {
    desc: 'only the advertisements selecting this node contribute routes',
    config: config([pool('v4', ['198.51.100.0/24'], [ad({ nodeSelectors: [sel({ rack: 'r2' })] }), ad({ aggregationLength: 24 })])], [p1]),
    node: node({ rack: 'r1' }),
    services: [one],
    want: { p1: ['198.51.100.0/24 lp=0 c='] },
    reasons: { 'default/a': 'announced' },
  },
  {
    desc: 'a service selector limits an advertisement to matching services',
    config: config([pool('v4', ['198.51.100.0/24'], [ad({ serviceSelectors: [sel({ tier: 'web' })], communities: ['65000:1'] }), ad({ aggregationLength: 24 })])], [p1]),
    services: [svc('a', ['198.51.100.10'], { labels: { tier: 'web' } }), svc('b', ['198.51.100.20'])],
    want: { p1: ['198.51.100.0/24 lp=0 c=', '198.51.100.10/32 lp=0 c=65000:1'] },
    reasons: { 'default/a': 'announced', 'default/b': 'announced' },
  },
  {
    desc: 'no advertisement selecting the service gives noMatchingAdvertisement',
    config: config([pool('v4', ['198.51.100.0/24'], [ad({ serviceSelectors: [sel({ tier: 'web' })] })])], [p1]),
    services: [one],
    want: { p1: [] },
    reasons: { 'default/a': 'noMatchingAdvertisement' },
  },
  {
    desc: 'IPv6 addresses use aggregationLengthV6 and dual-stack services announce both families',
    config: config([pool('ds', ['198.51.100.0/24', '2001:db8:5::/64'], [ad({ aggregationLength: 28, aggregationLengthV6: 120 })])], [p1]),
    services: [svc('a', ['2001:db8:5::1:17', '198.51.100.30'], { ipFamilies: ['IPv6', 'IPv4'] })],
    want: { p1: ['198.51.100.16/28 lp=0 c=', '2001:db8:5::1:0/120 lp=0 c='] },
    reasons: { 'default/a': 'announced' },
  },
  {
    desc: 'two advertisements with the same prefix merge communities and keep the first LOCAL_PREF',
    config: config([pool('v4', ['198.51.100.0/24'], [ad({ localPref: 200, communities: ['65000:2'] }), ad({ localPref: 50, communities: ['65000:1', 'large:1:2:3'] })])], [p1]),
    services: [one],
    want: { p1: ['198.51.100.10/32 lp=200 c=large:1:2:3,65000:1,65000:2'] },
    reasons: { 'default/a': 'announced' },
  },
  {
    desc: 'services aggregated into one prefix announce it once, first service (by key) sets LOCAL_PREF',
    config: config([
      pool('a', ['198.51.100.0/25'], [ad({ aggregationLength: 24, localPref: 10, communities: ['1:1'] })]),
      pool('b', ['198.51.100.128/25'], [ad({ aggregationLength: 24, localPref: 20, communities: ['2:2'] })]),
    ], [p1]),
    services: [svc('z', ['198.51.100.200']), svc('a', ['198.51.100.10'])],
    want: { p1: ['198.51.100.0/24 lp=10 c=1:1,2:2'] },
    reasons: { 'default/a': 'announced', 'default/z': 'announced' },
  },
  {
    desc: 'a pool without BGP advertisements is notBGP',
    config: config([pool('l2', ['198.51.100.0/24'], [])], [p1]),
    services: [one],
    want: { p1: [] },
    reasons: { 'default/a': 'notBGP' },
  },
  {
    desc: 'the pool named by the service wins over address lookup, and a missing one is noPool',
    config: config([v4], [p1]),
    services: [{ ...one, pool: 'gone' }],
    want: { p1: [] },
    reasons: { 'default/a': 'noPool' },
  },
  {
    desc: 'a service without an ingress IP is noIPAllocated, one with a bad IP is invalidIP',
    config: config([v4], [p1]),
    services: [svc('a', []), svc('b', ['198.51.100.300'])],
    want: { p1: [] },
    reasons: { 'default/a': 'noIPAllocated', 'default/b': 'invalidIP' },
  },
  {
    desc: 'a node with NetworkUnavailable announces nothing',
    config: config([v4], [p1]),
    node: node({}, { networkUnavailable: true }),
    services: [one],
    want: { p1: [] },
    reasons: { 'default/a': 'nodeNetworkUnavailable' },
  },
  {
    desc: 'a node labeled exclude-from-external-load-balancers announces nothing',
    config: config([v4], [p1]),
    node: node({ 'node.kubernetes.io/exclude-from-external-load-balancers': '' }),
    services: [one],
    want: { p1: [] },
    reasons: { 'default/a': 'nodeLabeledExcludeBalancers' },
  },
  {
    desc: 'ignoreExcludeLB announces from an excluded node',
    config: config([v4], [p1]),
    node: node({ 'node.kubernetes.io/exclude-from-external-load-balancers': '' }),
    ignoreExcludeLB: true,
    services: [one],
    want: { p1: ['198.51.100.10/32 lp=0 c='] },
    reasons: { 'default/a': 'announced' },
  },
  {
    desc: 'a terminating but serving local endpoint keeps a Local service announced',
    config: config([v4], [p1]),
    services: [svc('a', ['198.51.100.10'], { externalTrafficPolicy: 'Local' }, [terminating])],
    want: { p1: ['198.51.100.10/32 lp=0 c='] },
    reasons: { 'default/a': 'announced' },
  },
  {
    desc: 'an endpoint without a node name does not count as local',
    config: config([v4], [p1]),
    services: [svc('a', ['198.51.100.10'], { externalTrafficPolicy: 'Local' }, [{ addresses: ['10.0.0.3'], ready: true, serving: true }])],
    want: { p1: [] },
    reasons: { 'default/a': 'noLocalEndpoints' },
  },
  {
    desc: 'no peers at all leaves an eligible service with reason noPeers',
    config: config([v4], []),
    services: [one],
    want: {},
    reasons: { 'default/a': 'noPeers' },
  },
];

for (const c of cases) {
  test(c.desc, () => {
    const plan = planAdvertisements({ config: c.config, node: c.node ?? node(), services: c.services, ignoreExcludeLB: c.ignoreExcludeLB });
    assert.equal(tables(plan.routes), c.want);
    assert.equal(Object.fromEntries([...plan.decisions].map(([k, d]) => [k, d.reason])), c.reasons);
  });
}

test('a decision lists its prefixes and the peers reached, and names the deciding value', () => {
  const cfg = config([pool('v4', ['198.51.100.0/24'], [ad({ peers: ['p2'] }), ad({ aggregationLength: 24 })])], [p1, p2]);
  const plan = planAdvertisements({ config: cfg, node: node(), services: [one, svc('b', ['203.0.113.1'])] });
  assert.equal(plan.decisions.get('default/a'), {
    key: 'default/a',
    reason: 'announced',
    detail: 'announcing from node "pandora"',
    prefixes: ['198.51.100.0/24', '198.51.100.10/32'],
    peers: ['p1', 'p2'],
  });
  assert.match(plan.decisions.get('default/b')!.detail, '203.0.113.1');
});

const selectorCases: { desc: string; labels: Record<string, string>; want: string[] }[] = [
  { desc: 'peersForNode keeps peers without selectors on every node', labels: {}, want: ['all'] },
  { desc: 'peersForNode adds a peer when one of its selectors matches', labels: { rack: 'r1' }, want: ['all', 'r1-or-r2'] },
  { desc: 'peersForNode follows a label change to another rack', labels: { rack: 'r2', zone: 'z' }, want: ['all', 'r1-or-r2', 'r2-zone'] },
];
const selCfg = config([], [
  peer('all'),
  peer('r1-or-r2', { nodeSelectors: [sel({ rack: 'r1' }), sel({ rack: 'r2' })] }),
  peer('r2-zone', { nodeSelectors: [{ matchLabels: { rack: 'r2' }, matchExpressions: [{ key: 'zone', operator: 'Exists', values: [] }] }] }),
]);
for (const c of selectorCases) {
  test(c.desc, () => {
    assert.equal(peersForNode(selCfg, node(c.labels)).map((p) => p.name), c.want);
  });
}

test('the same state in another service order gives the same plan', () => {
  const cfg = config([pool('v4', ['198.51.100.0/24'], [ad({ aggregationLength: 24, localPref: 7 })]), pool('w', ['203.0.113.0/24'], [ad({ localPref: 9 })])], [p1]);
  const list = [svc('a', ['198.51.100.1']), svc('b', ['198.51.100.2']), svc('c', ['203.0.113.5']), svc('d', ['198.51.100.3'], {}, [ep('1.1.1.1', 'x', false)])];
  const forward = planAdvertisements({ config: cfg, node: node(), services: list });
  const backward = planAdvertisements({ config: cfg, node: node(), services: [...list].reverse() });
  assert.equal(tables(forward.routes), tables(backward.routes));
  assert.equal([...forward.decisions.entries()], [...backward.decisions.entries()]);
});

test.run();
