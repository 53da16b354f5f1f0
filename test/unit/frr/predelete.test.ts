// Batch deletions ahead of frr-reload: only prefix-list entries and network statements, and never
// inside a router that the new config drops (vtysh would create it again).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { preDeleteScript } from '../../../src/speaker/frr/predelete.js';
import { buildFrrDesired } from '../../../src/speaker/frr/desired.js';
import { renderFrrConfig } from '../../../src/speaker/frr/render.js';
import type { Peer } from '../../../src/model/index.js';
import type { Route } from '../../../src/speaker/bgp/route.js';
import { peer } from '../bgp/build.js';

const r = (prefix: string, communities: string[] = []): Route => ({ prefix, localPref: 0, communities });
const render = (peers: Peer[], routes: Record<string, Route[]>) => renderFrrConfig(buildFrrDesired(peers, [], new Map(Object.entries(routes))), { hostname: 'n' });
const p1 = peer('p1', { peerAddress: '192.0.2.2' });
const p2 = peer('p2', { peerAddress: '192.0.2.3' });
const red = peer('red', { peerAddress: '192.0.2.5', vrf: 'red' });
// p2 always has a prefix p1 lacks, so p1 needs real prefix-lists (a full set renders none).
const only2 = r('203.0.113.99/32');

const cases: { desc: string; prev: string; next: string; want: string[] | undefined }[] = [
  { desc: 'an unchanged config deletes nothing', prev: render([p1, p2], { p1: [r('198.51.100.1/32')], p2: [only2] }), next: render([p1, p2], { p1: [r('198.51.100.1/32')], p2: [only2] }), want: undefined },
  { desc: 'an added prefix deletes nothing', prev: render([p1, p2], { p1: [], p2: [only2] }), next: render([p1, p2], { p1: [r('198.51.100.1/32')], p2: [only2] }), want: undefined },
  {
    desc: 'a withdrawn prefix loses its network line first, then its list entries; deny-any entries stay',
    prev: render([p1, p2], { p1: [r('198.51.100.1/32', ['65000:1']), r('198.51.100.2/32')], p2: [only2] }),
    next: render([p1, p2], { p1: [r('198.51.100.2/32')], p2: [only2] }),
    want: [
      'router bgp 64512',
      ' address-family ipv4 unicast',
      '  no network 198.51.100.1/32',
      ' exit-address-family',
      'exit',
      'no ip prefix-list 192.0.2.2-comm-65000:1-ipv4 seq 1434800950 permit 198.51.100.1/32',
      'no ip prefix-list 192.0.2.2-pl-ipv4 seq 1434800950 permit 198.51.100.1/32',
    ],
  },
  {
    desc: 'a prefix that moves from one peer to another is left to frr-reload (still announced)',
    prev: render([p1, p2], { p1: [r('198.51.100.1/32')], p2: [only2] }),
    next: render([p1, p2], { p1: [], p2: [only2, r('198.51.100.1/32')] }),
    want: undefined,
  },
  {
    desc: 'a router the new config drops is not entered (frr-reload removes it whole)',
    prev: render([p1, p2, red], { p1: [r('198.51.100.1/32')], p2: [only2], red: [r('203.0.113.1/32')] }),
    next: render([p1, p2], { p1: [r('198.51.100.1/32')], p2: [only2] }),
    want: undefined,
  },
];

for (const c of cases) {
  test(c.desc, () => {
    const got = preDeleteScript(c.prev, c.next);
    assert.equal(got && got.script.trimEnd().split('\n'), c.want);
  });
}

test('withdrawing 1,000 prefixes is one script of 2,000 deletions', () => {
  const many = Array.from({ length: 1000 }, (_, i) => r(`10.0.${i >> 8}.${i & 255}/32`));
  const got = preDeleteScript(render([p1, p2], { p1: many, p2: [only2] }), render([p1, p2], { p1: [], p2: [only2] }))!;
  assert.is(got.count, 2000);
  assert.is(got.script.split('\n').filter((l) => l.startsWith('  no network ')).length, 1000);
  assert.not.match(got.script, 'deny any');
});

test.run();
