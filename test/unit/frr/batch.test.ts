// The vtysh batch run before frr-reload: new origination route-maps, in-place network updates,
// withdrawals and their prefix-list entries, and nothing that could disturb a kept prefix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { batchScript } from '../../../src/speaker/frr/batch.js';
import { buildFrrDesired } from '../../../src/speaker/frr/desired.js';
import { renderFrrConfig } from '../../../src/speaker/frr/render.js';
import type { Peer } from '../../../src/model/index.js';
import type { Route } from '../../../src/speaker/bgp/route.js';
import { peer } from '../bgp/build.js';

const r = (prefix: string, communities: string[] = [], localPref = 0): Route => ({ prefix, localPref, communities });
const render = (peers: Peer[], routes: Record<string, Route[]>) => renderFrrConfig(buildFrrDesired(peers, [], new Map(Object.entries(routes))), { hostname: 'n' });
const p1 = peer('p1', { peerAddress: '192.0.2.2' });
const p2 = peer('p2', { peerAddress: '192.0.2.3' });
const red = peer('red', { peerAddress: '192.0.2.5', vrf: 'red' });
// p2 always has three prefixes p1 lacks, so p1 (one or two prefixes) gets a real allow-list: a
// full set renders a bare permit and a nearly full one a deny-list.
const only2 = [r('203.0.113.97/32'), r('203.0.113.98/32'), r('203.0.113.99/32')];

const cases: { desc: string; prev: string; next: string; want: string[] | undefined }[] = [
  { desc: 'an unchanged config needs no batch', prev: render([p1, p2], { p1: [r('198.51.100.1/32')], p2: only2 }), next: render([p1, p2], { p1: [r('198.51.100.1/32')], p2: only2 }), want: undefined },
  { desc: 'an added plain prefix is left to frr-reload', prev: render([p1, p2], { p1: [], p2: only2 }), next: render([p1, p2], { p1: [r('198.51.100.1/32')], p2: only2 }), want: undefined },
  {
    desc: 'a withdrawn prefix loses its network line first, then its allow- and deny-list entries; deny-any stays',
    prev: render([p1, p2], { p1: [r('198.51.100.1/32'), r('198.51.100.2/32')], p2: only2 }),
    next: render([p1, p2], { p1: [r('198.51.100.2/32')], p2: only2 }),
    want: [
      'router bgp 64512',
      ' address-family ipv4 unicast',
      '  no network 198.51.100.1/32',
      ' exit-address-family',
      'exit',
      'no ip prefix-list 192.0.2.2-pl-ipv4 seq 1434800950 permit 198.51.100.1/32',
      'no ip prefix-list 192.0.2.3-deny-ipv4 seq 1434800950 permit 198.51.100.1/32',
    ],
  },
  {
    desc: 'new attributes create their route-map before the network line switches to it in place',
    prev: render([p1], { p1: [r('198.51.100.1/32')] }),
    next: render([p1], { p1: [r('198.51.100.1/32', ['65000:1'], 150)] }),
    want: [
      'route-map lbctl-attrs-b3bd8abf permit 10',
      ' set local-preference 150',
      ' set community 65000:1',
      'exit',
      'router bgp 64512',
      ' address-family ipv4 unicast',
      '  network 198.51.100.1/32 route-map lbctl-attrs-b3bd8abf',
      ' exit-address-family',
      'exit',
    ],
  },
  {
    desc: 'dropping attributes updates the network line in place (no withdrawal)',
    prev: render([p1], { p1: [r('198.51.100.1/32', ['65000:1'], 150)] }),
    next: render([p1], { p1: [r('198.51.100.1/32')] }),
    want: ['router bgp 64512', ' address-family ipv4 unicast', '  network 198.51.100.1/32', ' exit-address-family', 'exit'],
  },
  {
    desc: 'a prefix that moves from one peer to another is left to frr-reload (still announced)',
    prev: render([p1, p2], { p1: [r('198.51.100.1/32')], p2: only2 }),
    next: render([p1, p2], { p1: [], p2: [...only2, r('198.51.100.1/32')] }),
    want: undefined,
  },
  {
    desc: 'a router the new config drops is not entered (frr-reload removes it whole)',
    prev: render([p1, p2, red], { p1: [r('198.51.100.1/32')], p2: only2, red: [r('203.0.113.1/32')] }),
    next: render([p1, p2], { p1: [r('198.51.100.1/32')], p2: only2 }),
    want: undefined,
  },
];

for (const c of cases) {
  test(c.desc, () => {
    const got = batchScript(c.prev, c.next);
    assert.equal(got && got.script.trimEnd().split('\n'), c.want);
  });
}

test('withdrawing 1,000 prefixes is one script and no deny-any', () => {
  const many = Array.from({ length: 1000 }, (_, i) => r(`10.0.${i >> 8}.${i & 255}/32`));
  const others = Array.from({ length: 1001 }, (_, i) => r(`10.1.${i >> 8}.${i & 255}/32`));
  // p1 (1,000 of 2,001) has an allow-list; p2 (1,001 of 2,001) a deny-list holding p1's 1,000.
  const got = batchScript(render([p1, p2], { p1: many, p2: others }), render([p1, p2], { p1: [], p2: others }))!;
  assert.is(got.count, 3000, '1,000 networks, 1,000 allow-list and 1,000 deny-list entries');
  assert.is(got.script.split('\n').filter((l) => l.startsWith('  no network ')).length, 1000);
  assert.not.match(got.script, 'deny any');
});

test.run();
