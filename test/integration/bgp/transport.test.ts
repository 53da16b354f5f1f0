// Transport variants against real routers: BGP over IPv6 (MP-BGP with the session's own IPv6 next
// hop), a configured source address (bind before connect; it becomes the next hop), and TCP MD5
// combined with both (the libc socket path binds and keys the socket itself).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '../../support/netns.js';
import { startRouter, type RibRoute, type RouterKind, type TestRouter } from '../../support/routers.js';
import { RTR, SPK, bgpLabMissing, closeBgpLab, openBgpLab, type BgpLab } from '../../support/bgp-lab.js';
import { makePeer } from '../../support/speaker-proc.js';
import type { Route } from '../../../src/speaker/bgp/route.js';

const missing = bgpLabMissing(['bird', 'frr']);
const SOURCE = '192.0.2.3';
let l: BgpLab | undefined;
let n = 0;

test.before(async () => {
  if (missing) return;
  l = await openBgpLab('lbbgp', { connectTimeoutMs: 2000 });
  l.spk.exec('ip', ['addr', 'add', `${SOURCE}/24`, 'dev', `${l.lab.id}s`]);
});
test.after(async () => closeBgpLab(l));

const routes: Route[] = [
  { prefix: '203.0.113.30/32', localPref: 0, communities: [] },
  { prefix: '2001:db8:9::/64', localPref: 0, communities: ['64512:9'] },
];

interface Case {
  name: string;
  kind: RouterKind;
  /** ours is the address the router expects us at; theirs is the router's session address. */
  ours: string;
  theirs: string;
  source?: string;
  password?: string;
  noCapabilities?: boolean;
  want: Record<string, string>;
  /** asPath expected on every route (the router decodes it with the width it negotiated). */
  asPath?: number[];
}

const cases: Case[] = [
  { name: 'an IPv6 session carries IPv6 routes with our IPv6 address as next hop', kind: 'bird', ours: SPK.v6, theirs: RTR.v6, want: { '2001:db8:9::/64': SPK.v6 } },
  { name: 'an IPv6 session carries IPv6 routes with our IPv6 address as next hop', kind: 'frr', ours: SPK.v6, theirs: RTR.v6, want: { '2001:db8:9::/64': SPK.v6 } },
  { name: 'a configured source address is used for the session and as IPv4 next hop', kind: 'bird', ours: SOURCE, theirs: RTR.v4, source: SOURCE, want: { '203.0.113.30/32': SOURCE, '2001:db8:9::/64': SPK.v6 } },
  { name: 'TCP MD5 with a source address binds the keyed socket', kind: 'frr', ours: SOURCE, theirs: RTR.v4, source: SOURCE, password: 'lbbgp-md5', want: { '203.0.113.30/32': SOURCE, '2001:db8:9::/64': SPK.v6 } },
  { name: 'TCP MD5 over IPv6 keys the IPv6 peer address', kind: 'frr', ours: SPK.v6, theirs: RTR.v6, password: 'lbbgp-md5', want: { '2001:db8:9::/64': SPK.v6 } },
  { name: 'a router without 4-octet AS support gets a 2-octet AS_PATH it can read', kind: 'bird', ours: SPK.v4, theirs: RTR.v4, noCapabilities: true, want: { '203.0.113.30/32': SPK.v4, '2001:db8:9::/64': SPK.v6 }, asPath: [64512] },
  { name: 'a router sending no capabilities at all gets IPv4 only (RFC 4760 default) with a 2-octet AS_PATH', kind: 'frr', ours: SPK.v4, theirs: RTR.v4, noCapabilities: true, want: { '203.0.113.30/32': SPK.v4 }, asPath: [64512] },
];

for (const c of cases) {
  const name = `${c.kind}: ${c.name}`;
  if (missing) {
    test.skip(name);
    continue;
  }
  test(name, async () => {
    const peer = `${c.kind}-t${++n}`;
    let router: TestRouter | undefined;
    try {
      router = await startRouter(l!.lab, {
        kind: c.kind, ns: l!.rtr, routerId: RTR.v4, asn: 64513, localAddress: c.theirs,
        neighbors: [{ address: c.ours, asn: 64512, holdTime: 9, password: c.password, noCapabilities: c.noCapabilities }],
      });
      await l!.speaker.setPeers([makePeer({ name: peer, peerAddress: c.theirs, myASN: 64512, peerASN: 64513, holdTime: 9, sourceAddress: c.source, password: c.password })]);
      await l!.speaker.setRoutes({ [peer]: routes });
      const want = Object.keys(c.want).length;
      const got = await waitFor('routes', () => {
        const rs = router!.routes();
        return rs.length >= want ? rs : undefined;
      }, 15_000, 100);
      await new Promise((r) => setTimeout(r, 300)); // nothing else may arrive
      const final = new Map(router.routes().map((r: RibRoute) => [r.prefix, r.nextHop]));
      assert.equal(Object.fromEntries(final), c.want);
      if (c.asPath) assert.equal(router.routes().map((r) => r.asPath), Object.keys(c.want).map(() => c.asPath));
      assert.ok(got.length > 0);
    } finally {
      await l!.speaker.setPeers([]);
      await router?.stop();
    }
  });
}

if (missing) console.log(`bgp transport tests skipped: ${missing}`);
test.run();
