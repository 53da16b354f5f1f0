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
const red = peer('red', { peerAddress: '192.0.2.5', vrf: 'red' });

const cases: { desc: string; prev: string; next: string; want: string[] | undefined }[] = [
  { desc: 'an unchanged config deletes nothing', prev: render([p1], { p1: [r('198.51.100.1/32')] }), next: render([p1], { p1: [r('198.51.100.1/32')] }), want: undefined },
  { desc: 'an added prefix deletes nothing', prev: render([p1], { p1: [] }), next: render([p1], { p1: [r('198.51.100.1/32')] }), want: undefined },
  {
    desc: 'a withdrawn prefix deletes its list entries and its network line',
    prev: render([p1], { p1: [r('198.51.100.1/32', ['65000:1']), r('2001:db8::1/128')] }),
    next: render([p1], { p1: [r('2001:db8::1/128')] }),
    want: [
      'no ip prefix-list 192.0.2.2-comm-65000:1-ipv4 seq 1434800950 permit 198.51.100.1/32',
      'no ip prefix-list 192.0.2.2-pl-ipv4 seq 1434800950 permit 198.51.100.1/32',
      'router bgp 64512',
      ' address-family ipv4 unicast',
      '  no network 198.51.100.1/32',
      ' exit-address-family',
      'exit',
    ],
  },
  {
    desc: 'a router the new config drops gets no network deletions (frr-reload removes it whole)',
    prev: render([p1, red], { p1: [r('198.51.100.1/32')], red: [r('203.0.113.1/32')] }),
    next: render([p1], { p1: [r('198.51.100.1/32')] }),
    want: [
      'no ip prefix-list 192.0.2.5-red-pl-ipv4 seq 153873003 permit 203.0.113.1/32',
      'no ip prefix-list 192.0.2.5-red-pl-ipv4 seq 4294967295 deny any',
      'no ipv6 prefix-list 192.0.2.5-red-pl-ipv6 seq 4294967295 deny any',
    ],
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
  const got = preDeleteScript(render([p1], { p1: many }), render([p1], { p1: [] }))!;
  assert.is(got.count, 2000);
  assert.is(got.script.split('\n').filter((l) => l.startsWith('  no network ')).length, 1000);
});

test.run();
