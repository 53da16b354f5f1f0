// Our native speaker against BIRD, FRR and GoBGP: eBGP with 2- and 4-octet ASNs and iBGP; routes
// must arrive with the right prefix, next hop, AS path, LOCAL_PREF and communities, IPv6 over
// MP-BGP included, and disappear when withdrawn.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '../../support/netns.js';
import { startRouter, type RibRoute, type RouterKind, type TestRouter } from '../../support/routers.js';
import { RTR, SPK, bgpLabMissing, closeBgpLab, openBgpLab, type BgpLab } from '../../support/bgp-lab.js';
import { makePeer } from '../../support/speaker-proc.js';
import type { Route } from '../../../src/speaker/bgp/route.js';

const routers: RouterKind[] = ['bird', 'frr', 'gobgp'];
const modes = [
  { name: 'eBGP with 2-octet ASNs', myASN: 64512, peerASN: 64513 },
  { name: 'eBGP with 4-octet ASNs', myASN: 4200000001, peerASN: 4200000002 },
  { name: 'iBGP', myASN: 64512, peerASN: 64512 },
];

const routes: Route[] = [
  { prefix: '203.0.113.10/32', localPref: 250, communities: ['64512:7', 'large:4200000001:1:2'] },
  { prefix: '198.51.100.0/24', localPref: 0, communities: [] },
  { prefix: '2001:db8:5::1/128', localPref: 0, communities: ['65000:1'] },
];

const missing = bgpLabMissing(routers);
let l: BgpLab | undefined;

test.before(async () => {
  if (!missing) l = await openBgpLab('lbbgp');
});
test.after(async () => closeBgpLab(l));

function byPrefix(rs: RibRoute[]): Map<string, RibRoute> {
  return new Map(rs.map((r) => [r.prefix, r]));
}

let n = 0;
for (const kind of routers) {
  for (const mode of modes) {
    const name = `${kind}: ${mode.name}: routes arrive with next hop, AS path, LOCAL_PREF and communities, and leave when withdrawn`;
    if (missing) {
      test.skip(name);
      continue;
    }
    test(name, async () => {
      const peerName = `${kind}-${++n}`;
      const ibgp = mode.myASN === mode.peerASN;
      let router: TestRouter | undefined;
      try {
        router = await startRouter(l!.lab, {
          kind, ns: l!.rtr, routerId: RTR.v4, asn: mode.peerASN, localAddress: RTR.v4, apiPort: 50500 + (process.pid % 400),
          neighbors: [{ address: SPK.v4, asn: mode.myASN, holdTime: 9 }],
        });
        await l!.speaker.setPeers([makePeer({ name: peerName, peerAddress: RTR.v4, myASN: mode.myASN, peerASN: mode.peerASN, holdTime: 9 })]);
        await l!.speaker.setRoutes({ [peerName]: routes });
        const got = await waitFor('all routes in the router', () => {
          const rs = byPrefix(router!.routes());
          return rs.size === 3 ? rs : undefined;
        }, 20_000, 100);
        const wantPath = ibgp ? [] : [mode.myASN];
        const a = got.get('203.0.113.10/32')!;
        assert.equal([a.nextHop, a.asPath, a.communities, a.largeCommunities], [SPK.v4, wantPath, ['64512:7'], ['4200000001:1:2']]);
        const b = got.get('198.51.100.0/24')!;
        assert.equal([b.nextHop, b.asPath, b.communities], [SPK.v4, wantPath, []]);
        const c = got.get('2001:db8:5::1/128')!;
        assert.equal([c.nextHop, c.asPath, c.communities], [SPK.v6, wantPath, ['65000:1']]);
        if (ibgp) {
          assert.is(a.localPref, 250, 'LOCAL_PREF reaches the iBGP peer');
          assert.is(b.localPref, 100, 'an unset LOCAL_PREF is sent as 100');
        }
        await l!.speaker.setRoutes({ [peerName]: [routes[0]!] });
        const left = await waitFor('withdrawals', () => {
          const rs = router!.routes();
          return rs.length === 1 ? rs : undefined;
        }, 10_000, 100);
        assert.equal(left.map((r) => r.prefix), ['203.0.113.10/32']);
        const st = await l!.speaker.status(peerName);
        const counters = st.counters as { updatesSent: number; prefixesWithdrawn: number; updatesReceived: number };
        assert.is(counters.prefixesWithdrawn, 2);
        // what the router sent was decoded and ignored without a reset (BIRD always sends End-of-RIB;
        // FRR and gobgpd only with graceful restart, and FRR reflects our routes about 1 s later)
        if (kind === 'bird') assert.ok(counters.updatesReceived >= 1, `received ${counters.updatesReceived} UPDATEs`);
        assert.equal(l!.speaker.events.filter((e) => e.peer === peerName).map((e) => e.up), [true], 'one session, never reset');
        // one UPDATE per attribute set (3), then one IPv4 and one IPv6 withdrawal
        assert.is(counters.updatesSent, 5);
      } finally {
        await l!.speaker.setPeers([]);
        await router?.stop();
      }
    });
  }
}

if (missing) console.log(`bgp integration skipped: ${missing}`);
test.run();
