import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  EXCLUDE_LB_LABEL, announcementsFor, electAll, electLeader, hashOrder, shouldAnnounce, type ElectionInput, type ElectionService,
} from '../../src/speaker/election.js';
import fc from 'fast-check';
import type { EndpointView, NodeView } from '../../src/model/cluster.js';
import type { L2Advertisement } from '../../src/model/config.js';

const names = ['node-a', 'node-b', 'node-c', 'worker-1', 'worker-2'];

// Orders computed outside Node, with coreutils:
//   for n in node-a node-b node-c worker-1 worker-2; do printf '%s#%s' $n 192.168.1.240 | sha256sum; done | sort
// so these check that we hash exactly MetalLB's bytes (node + "#" + ip.String()) and sort ascending.
const golden: { ip: string; order: string[] }[] = [
  { ip: '192.168.1.240', order: ['node-a', 'node-c', 'node-b', 'worker-2', 'worker-1'] },
  { ip: '10.0.0.1', order: ['worker-1', 'node-b', 'worker-2', 'node-a', 'node-c'] },
  { ip: '2001:db8::1', order: ['node-b', 'node-a', 'worker-2', 'worker-1', 'node-c'] },
];
for (const g of golden) {
  test(`hash order for ${g.ip} matches sha256(node#ip) sorted bytewise, as MetalLB sorts`, () => {
    assert.equal(hashOrder([...names].reverse(), g.ip), g.order);
  });
}

function node(name: string, labels: Record<string, string> = {}, networkUnavailable = false): NodeView {
  return { name, labels, networkUnavailable };
}
function ep(nodeName: string, ready = true, serving = ready): EndpointView {
  return { addresses: ['10.244.0.1'], nodeName, ready, serving };
}
function svc(key: string, endpoints: EndpointView[], policy: 'Cluster' | 'Local' = 'Cluster', labels: Record<string, string> = {}): ElectionService {
  return { key, labels, externalTrafficPolicy: policy, endpoints };
}
const everyNode: L2Advertisement = { nodeSelectors: [], interfaces: [], serviceSelectors: [] };
function input(over: Partial<ElectionInput> = {}): ElectionInput {
  return {
    ip: '192.168.1.240',
    services: [svc('default/web', [ep('worker-1')])],
    advertisements: [everyNode],
    nodes: names.map((n) => node(n)),
    liveSpeakers: names,
    ...over,
  };
}

const cases: { desc: string; in: ElectionInput; winner?: string; reason: string }[] = [
  { desc: 'Cluster policy: every live speaker is a candidate and the lowest hash wins', in: input(), winner: 'node-a', reason: 'elected' },
  { desc: 'a dead speaker is skipped: the next in hash order wins', in: input({ liveSpeakers: names.filter((n) => n !== 'node-a') }), winner: 'node-c', reason: 'elected' },
  {
    desc: 'a node labelled exclude-from-external-load-balancers is not a candidate',
    in: input({ nodes: names.map((n) => node(n, n === 'node-a' ? { [EXCLUDE_LB_LABEL]: '' } : {})) }),
    winner: 'node-c', reason: 'elected',
  },
  {
    desc: 'the exclude label is ignored with ignoreExcludeLB',
    in: input({ nodes: names.map((n) => node(n, n === 'node-a' ? { [EXCLUDE_LB_LABEL]: '' } : {})), ignoreExcludeLB: true }),
    winner: 'node-a', reason: 'elected',
  },
  { desc: 'a node with NetworkUnavailable is not a candidate', in: input({ nodes: names.map((n) => node(n, {}, n === 'node-a')) }), winner: 'node-c', reason: 'elected' },
  {
    desc: 'L2Advertisement nodeSelectors restrict candidates',
    in: input({
      nodes: names.map((n) => node(n, n.startsWith('worker') ? { role: 'edge' } : {})),
      advertisements: [{ ...everyNode, nodeSelectors: [{ matchLabels: { role: 'edge' }, matchExpressions: [] }] }],
    }),
    winner: 'worker-2', reason: 'elected',
  },
  {
    desc: 'Local policy: only nodes with a usable local endpoint are candidates',
    in: input({ services: [svc('default/web', [ep('worker-1'), ep('node-b')], 'Local')] }),
    winner: 'node-b', reason: 'elected',
  },
  {
    desc: 'Local policy: a terminating but serving endpoint still counts',
    in: input({ services: [svc('default/web', [ep('worker-1', false, true)], 'Local')] }),
    winner: 'worker-1', reason: 'elected',
  },
  {
    desc: 'Local policy: endpoints only on nodes without a live speaker leave no candidate',
    in: input({ services: [svc('default/web', [ep('worker-1')], 'Local')], liveSpeakers: ['node-a', 'node-b'] }),
    reason: 'noCandidate',
  },
  { desc: 'nobody announces a service with no usable endpoint, even with Cluster policy', in: input({ services: [svc('default/web', [ep('worker-1', false, false)])] }), reason: 'noUsableEndpoint' },
  { desc: 'nobody announces a service with no endpoints at all', in: input({ services: [svc('default/web', [])] }), reason: 'noUsableEndpoint' },
  {
    desc: 'a service not selected by any L2Advertisement serviceSelectors is not announced',
    in: input({ advertisements: [{ ...everyNode, serviceSelectors: [{ matchLabels: { expose: 'l2' }, matchExpressions: [] }] }] }),
    reason: 'noMatchingAdvertisement',
  },
  { desc: 'a pool without L2Advertisements is not announced', in: input({ advertisements: [] }), reason: 'noMatchingAdvertisement' },
  { desc: 'no live speaker at all leaves no candidate', in: input({ liveSpeakers: [] }), reason: 'noCandidate' },
];
for (const c of cases) {
  test(`electLeader: ${c.desc}`, () => {
    const e = electLeader(c.in);
    assert.is(e.reason, c.reason);
    assert.is(e.winner, c.winner);
  });
}

test('a non-canonical IPv6 key is hashed in Go\'s printed form, so it elects what MetalLB elects', () => {
  const e = electLeader(input({ ip: '2001:DB8:0:0::0001' }));
  assert.is(e.ip, '2001:db8::1');
  assert.is(e.winner, 'node-b');
});

test('excluded nodes are reported with their reasons', () => {
  const e = electLeader(input({
    nodes: [node('node-a', { [EXCLUDE_LB_LABEL]: 'true' }), node('node-b', {}, true), node('node-c'), node('worker-1')],
    liveSpeakers: ['node-a', 'node-b', 'node-c'],
  }));
  assert.equal(e.excluded, [
    { node: 'node-a', reason: 'excludedByLabel' },
    { node: 'node-b', reason: 'networkUnavailable' },
    { node: 'worker-1', reason: 'noSpeaker' },
  ]);
  assert.equal(e.candidates, ['node-c']);
});

test('services sharing an IP always land on the same node, whatever their order', () => {
  const a = svc('default/web-tcp', [ep('worker-1')]);
  const b = svc('default/web-udp', [ep('worker-2')]);
  const one = electLeader(input({ services: [a, b] }));
  const two = electLeader(input({ services: [b, a] }));
  assert.is(one.winner, two.winner);
  assert.equal(one.services.map((s) => s.announced), [true, true]);
});

test('on a shared IP a service without endpoints is reported unannounced while the others still elect', () => {
  const e = electLeader(input({ services: [svc('default/a', [ep('worker-1')]), svc('default/b', [])] }));
  assert.is(e.winner, 'node-a');
  assert.equal(e.services, [
    { key: 'default/a', announced: true, reason: 'elected' },
    { key: 'default/b', announced: false, reason: 'noUsableEndpoint' },
  ]);
});

test('shared Local services elect among the nodes that host endpoints of every one of them', () => {
  const e = electLeader(input({ services: [svc('default/a', [ep('worker-1'), ep('worker-2')], 'Local'), svc('default/b', [ep('worker-2')], 'Local')] }));
  assert.is(e.winner, 'worker-2');
});

test('the winner\'s interfaces come from its matching advertisements; any advertisement without a list means all', () => {
  const eth1: L2Advertisement = { ...everyNode, interfaces: ['eth1'] };
  const bond: L2Advertisement = { ...everyNode, interfaces: ['bond0', 'eth1'] };
  assert.equal(electLeader(input({ advertisements: [eth1, bond] })).interfaces, ['bond0', 'eth1']);
  assert.is(electLeader(input({ advertisements: [eth1, everyNode] })).interfaces, undefined);
});

test('shouldAnnounce: the winner announces, the others learn notOwner, and without a winner everyone learns the reason', () => {
  const e = electLeader(input());
  assert.equal(shouldAnnounce(e, 'node-a'), { announce: true, reason: 'elected' });
  assert.equal(shouldAnnounce(e, 'node-b'), { announce: false, reason: 'notOwner' });
  const none = electLeader(input({ services: [svc('default/web', [])] }));
  assert.equal(shouldAnnounce(none, 'node-a'), { announce: false, reason: 'noUsableEndpoint' });
});

test('every node computes the same winner: the result does not depend on input order', () => {
  const shuffled = input({ nodes: [...names].reverse().map((n) => node(n)), liveSpeakers: new Set([...names].reverse()) });
  assert.is(electLeader(shuffled).winner, electLeader(input()).winner);
});

test('adding a node moves an IP only if the new node hashes first; removing a non-owner moves nothing', () => {
  const ips = Array.from({ length: 200 }, (_, i) => `192.168.${i >> 8}.${i & 255}`);
  const before = electAll(ips.map((ip) => input({ ip })));
  const added = electAll(ips.map((ip) => input({ ip, nodes: [...names, 'node-new'].map((n) => node(n)), liveSpeakers: [...names, 'node-new'] })));
  for (const ip of ips) {
    const w = added.elections.get(ip)!.winner;
    assert.ok(w === before.elections.get(ip)!.winner || w === 'node-new', `${ip} moved to ${w}`);
  }
  const gone = electAll(ips.map((ip) => input({ ip, liveSpeakers: names.filter((n) => n !== 'worker-1') })));
  for (const ip of ips) {
    const was = before.elections.get(ip)!.winner;
    if (was !== 'worker-1') assert.is(gone.elections.get(ip)!.winner, was);
  }
});

test('electAll reports per-node counts that add up to the number of announced IPs', () => {
  const ips = Array.from({ length: 50 }, (_, i) => `192.168.0.${i + 1}`);
  const p = electAll([...ips.map((ip) => input({ ip })), input({ ip: '192.168.9.9', services: [svc('x/y', [])] })]);
  assert.is(Object.values(p.counts).reduce((a, b) => a + b, 0), 50);
  assert.is(p.elections.get('192.168.9.9')!.reason, 'noUsableEndpoint');
});

test('balanced placement keeps each election\'s reasons and candidates and picks a candidate as winner', () => {
  const ips = Array.from({ length: 60 }, (_, i) => `192.168.0.${i + 1}`);
  const p = electAll(ips.map((ip) => input({ ip, services: [svc('d/w', [ep('worker-1'), ep('worker-2'), ep('node-a')], 'Local')] })), 'balanced');
  for (const e of p.elections.values()) {
    assert.is(e.reason, 'elected');
    assert.ok(e.candidates.includes(e.winner!));
  }
  assert.ok(Math.max(...Object.values(p.counts)) <= Math.ceil(60 / 3) + 1, JSON.stringify(p.counts));
});

test('announcementsFor gives the winner every address of its IPs (dual-stack) with the interface restriction; others get nothing', () => {
  const eth1: L2Advertisement = { ...everyNode, interfaces: ['eth1'] };
  const dual = electLeader(input({ ips: ['192.168.1.240', '2001:db8::240'], advertisements: [eth1] }));
  const other = electLeader(input({ ip: '10.0.0.1' }));
  assert.equal([...announcementsFor([dual, other], 'node-a')], [
    ['192.168.1.240', { interfaces: ['eth1'] }],
    ['2001:db8::240', { interfaces: ['eth1'] }],
  ]);
  assert.equal([...announcementsFor([dual, other], 'worker-1')], [['10.0.0.1', {}]]);
  assert.equal(announcementsFor([dual], 'node-b').size, 0);
});

test('property: the winner is the same whatever order nodes, speakers and endpoints come in, and it is always an allowed candidate', () => {
  const pool = ['n-a', 'n-b', 'n-c', 'n-d', 'n-e', 'n-f'];
  const arb = fc.record({
    ip: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b]) => `198.51.${a}.${b}`),
    live: fc.subarray(pool),
    excluded: fc.subarray(pool),
    unavailable: fc.subarray(pool),
    local: fc.boolean(),
    epNodes: fc.subarray(pool, { minLength: 1 }),
    seed: fc.integer(),
  });
  fc.assert(
    fc.property(arb, (x) => {
      const mk = (order: string[]): ElectionInput => ({
        ip: x.ip,
        services: [svc('d/w', order.filter((n) => x.epNodes.includes(n)).map((n) => ep(n)), x.local ? 'Local' : 'Cluster')],
        advertisements: [everyNode],
        nodes: order.map((n) => node(n, x.excluded.includes(n) ? { [EXCLUDE_LB_LABEL]: '' } : {}, x.unavailable.includes(n))),
        liveSpeakers: order.filter((n) => x.live.includes(n)),
      });
      const shuffled = [...pool].sort((a, b) => ((a.charCodeAt(2) * 31 + x.seed) % 7) - ((b.charCodeAt(2) * 31 + x.seed) % 7));
      const a = electLeader(mk(pool));
      const b = electLeader(mk(shuffled));
      assert.is(a.winner, b.winner);
      assert.is(a.reason, b.reason);
      if (a.winner) {
        assert.ok(x.live.includes(a.winner) && !x.excluded.includes(a.winner) && !x.unavailable.includes(a.winner));
        if (x.local) assert.ok(x.epNodes.includes(a.winner));
        assert.is(a.winner, hashOrder(a.candidates, x.ip)[0]);
      } else {
        assert.is(a.reason, 'noCandidate');
      }
    }),
    { numRuns: 300 },
  );
});

test.run();
