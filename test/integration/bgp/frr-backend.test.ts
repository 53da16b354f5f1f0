// The FRR backend end to end: a real standalone bgpd (namespace `spk`, 192.0.2.1) driven by our
// BgpManager + FrrBackend through frr-reload.py, and BIRD (namespace `rtr`) as the router, with an
// eBGP session (192.0.2.2, AS 64513) and an iBGP one (192.0.2.3, AS 64512). BIRD's tables must
// equal our desired state: prefix, next hop, AS path, communities, and LOCAL_PREF over iBGP.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { Lab, canUseNetns, sh, waitFor, type Netns } from '../../support/netns.js';
import { birdRoutes, frrLabMissing, scratchDir, startBgpd, startBird, vtysh, type Bgpd } from '../../support/frr-lab.js';
import { BgpManager } from '../../../src/speaker/bgp/manager.js';
import { FrrBackend } from '../../../src/speaker/frr/backend.js';
import { compareCommunities } from '../../../src/speaker/bgp/community.js';
import type { PeerRoutes } from '../../../src/speaker/bgp/route.js';
import { ad, config, ep, node, peer, pool, svc } from '../../unit/bgp/build.js';

const missing = canUseNetns().why ?? frrLabMissing();
const lab = new Lab('lbfrr');
const scratch = scratchDir('lbfrr');
let bgpd: Bgpd;
let birdSock = '';

const birdConf = `router id 192.0.2.2;
log "${path.join(scratch.dir, 'bird.log')}" all;
protocol device { }
protocol bgp r_ext { local 192.0.2.2 as 64513; neighbor 192.0.2.1 as 64512; passive on; error wait time 1,3;
  ipv4 { import all; export none; }; ipv6 { import all; export none; }; }
protocol bgp r_v6 { local 2001:db8:1::2 as 64513; neighbor 2001:db8:1::1 as 64512; passive on; error wait time 1,3;
  ipv4 { import all; export none; }; ipv6 { import all; export none; }; }
protocol bgp r_int { local 192.0.2.3 as 64512; neighbor 192.0.2.11 as 64512; direct; passive on; error wait time 1,3;
  ipv4 { import all; export none; }; ipv6 { import all; export none; }; }
`;

// connectTime 1: FRR's traditional connect-retry is 120 s; BIRD is passive, so FRR must retry fast.
// The iBGP session leaves from 192.0.2.11 (update-source): BIRD locks sessions by neighbor address,
// so two protocols towards the same 192.0.2.1 would leave the second one Idle forever.
const ext = peer('ext', { peerAddress: '192.0.2.2', peerASN: 64513, connectTime: 1, routerID: '192.0.2.1' });
const int = peer('int', { peerAddress: '192.0.2.3', connectTime: 1, sourceAddress: '192.0.2.11' });
const v6 = peer('v6', { peerAddress: '2001:db8:1::2', peerASN: 64513, connectTime: 1 });
const cfg = config([
  pool('web', ['198.51.100.0/24'], [
    ad({ localPref: 150, communities: ['65000:1', 'large:64512:1:2'], peers: ['ext', 'int'] }),
    ad({ aggregationLength: 24, peers: ['ext'], communities: ['65000:24'] }),
  ]),
  pool('local', ['203.0.113.0/24'], [ad({ localPref: 300, peers: ['ext', 'int'] })]),
  // Measured: without zebra, bgpd finds no IPv6 next hop for an IPv4 session and never sends the
  // IPv6 prefix ("Not advertised to any peer"), so IPv6 goes over an IPv6 session here.
  pool('six', ['2001:db8:5::/64'], [ad({ aggregationLengthV6: 120, peers: ['v6'], communities: ['65000:6'] })]),
], [ext, int, v6]);
const six = svc('six', ['2001:db8:5::10'], { ipFamilies: ['IPv6'] });
const web = svc('web', ['198.51.100.10']);
// With web2, int gets 3 of the 5 prefixes (not the /24, not the IPv6 one): its route-map uses a
// deny-list, which BIRD's table then proves keeps the /24 away from int.
const web2 = svc('web2', ['198.51.100.20']);
const localUp = svc('loc', ['203.0.113.5'], { externalTrafficPolicy: 'Local' }, [ep('10.0.0.7', 'pandora')]);
const localDown = svc('loc', ['203.0.113.5'], { externalTrafficPolicy: 'Local' }, [ep('10.0.0.7', 'iris')]);

/** seenBy renders what BIRD should hold for one of our peers, in the form birdRoutes parses. */
function expected(routes: PeerRoutes, name: string, ibgp: boolean): string[] {
  const nextHop = name === 'v6' ? '2001:db8:1::1' : ibgp ? '192.0.2.11' : '192.0.2.1';
  return (routes.get(name) ?? []).map((r) => line(r.prefix, nextHop, ibgp ? '' : '64512', ibgp ? r.localPref || 100 : undefined, r.communities)).sort();
}
function line(prefix: string, nh: string, asPath: string, lp: number | undefined, comms: string[]): string {
  return `${prefix} via ${nh} path [${asPath}] lp ${lp ?? '-'} c ${[...comms].sort(compareCommunities).join(',')}`;
}
function seen(protocol: string, ibgp: boolean): string[] {
  return [...birdRoutes(birdSock, protocol).values()].map((r) => line(r.prefix, r.nextHop, r.asPath, ibgp ? r.localPref : undefined, r.communities)).sort();
}
async function birdHolds(routes: PeerRoutes): Promise<void> {
  const want = { ebgp: expected(routes, 'ext', false), ibgp: expected(routes, 'int', true), v6: expected(routes, 'v6', false) };
  let got: typeof want = { ebgp: [], ibgp: [], v6: [] };
  try {
    await waitFor('BIRD to hold the desired routes', () => {
      got = { ebgp: seen('r_ext', false), ibgp: seen('r_int', true), v6: seen('r_v6', false) };
      return JSON.stringify(got) === JSON.stringify(want) ? true : undefined;
    }, 20_000, 200);
  } catch (err) {
    // Say what the routers think, so a failure here explains itself.
    console.error(sh('birdc', ['-s', birdSock, 'show', 'protocols', 'all']));
    console.error(vtysh(bgpd, 'show bgp summary'));
    assert.equal(got, want, String(err));
  }
}

let spk: Netns;

async function setupLab(): Promise<void> {
  spk = lab.ns('spk');
  const rtr = lab.ns('rtr');
  lab.link(spk, 'lbfrr-s', rtr, 'lbfrr-r');
  spk.exec('ip', ['addr', 'add', '192.0.2.1/24', 'dev', 'lbfrr-s']);
  spk.exec('ip', ['addr', 'add', '192.0.2.11/24', 'dev', 'lbfrr-s']);
  rtr.exec('ip', ['addr', 'add', '192.0.2.2/24', 'dev', 'lbfrr-r']);
  rtr.exec('ip', ['addr', 'add', '192.0.2.3/24', 'dev', 'lbfrr-r']);
  spk.exec('ip', ['addr', 'add', '2001:db8:1::1/64', 'dev', 'lbfrr-s', 'nodad']);
  rtr.exec('ip', ['addr', 'add', '2001:db8:1::2/64', 'dev', 'lbfrr-r', 'nodad']);
  bgpd = await startBgpd(lab, spk, scratch.dir);
  birdSock = await startBird(lab, rtr, scratch.dir, birdConf);
}

function newBackend(): FrrBackend {
  return new FrrBackend({
    hostname: 'lbfrr',
    zebra: false,
    configPath: path.join(scratch.dir, 'frr.conf'),
    vtyshSocketDir: bgpd.vtyDir,
    daemon: 'bgpd',
    debounceMs: 20,
    retryMs: 500,
    statusPollMs: 0,

  });
}

if (missing) {
  console.log(`frr-backend: skipped: ${missing}`);
  test.skip('FRR backend gets the desired routes into BIRD', () => {});
} else {
  // uvu reports nothing when a hook throws, so say it here.
  test.before(() => setupLab().catch((err) => { console.error(`frr-backend: lab setup failed: ${err}`); throw err; }));

  test('FRR backend gets the desired routes into BIRD, follows a withdrawal, and tears down on close', async () => {
    const backend = newBackend();
    const mgr = new BgpManager({ backend, debounceMs: 10 });
    mgr.setConfig(cfg);
    mgr.setNode(node());
    mgr.setService(web);
    mgr.setService(web2);
    mgr.setService(localUp);
    mgr.setService(six);
    const plan = mgr.flush()!;
    await backend.flush();
    assert.is(backend.counters.applies, 1, 'first config applied');
    // The plan itself: the /24 only to ext, LOCAL_PREF 150 and 300 on the /32s.
    assert.equal([...plan.routes.get('ext')!].map((r) => r.prefix), ['198.51.100.0/24', '198.51.100.10/32', '198.51.100.20/32', '203.0.113.5/32']);
    await birdHolds(plan.routes);
    assert.equal(plan.routes.get('v6')!.map((r) => r.prefix), ['2001:db8:5::/120']);
    const up = await waitFor('all sessions up in vtysh', async () => ((await backend.refreshStatus()).every((s) => s.up) ? true : undefined), 15_000, 200);
    assert.ok(up);

    // New attributes for the web pool (a config change): the same prefixes, new LOCAL_PREF and communities.
    const recfg = structuredClone(cfg);
    recfg.pools[0]!.bgpAdvertisements[0] = ad({ localPref: 250, communities: ['65000:9', 'large:64512:9:9'], peers: ['ext', 'int'] });
    mgr.setConfig(recfg);
    const changed = mgr.flush()!;
    await backend.flush();
    await birdHolds(changed.routes);
    assert.equal(seen('r_int', true).find((l) => l.startsWith('198.51.100.10/32')), '198.51.100.10/32 via 192.0.2.11 path [] lp 250 c large:64512:9:9,65000:9');

    // The /24 moves from ext to int: still originated, so only route-maps change, and ext must
    // still see a withdrawal (FRR re-runs route-maps after its delay timer; 0 would never).
    const moved = structuredClone(cfg);
    moved.pools[0]!.bgpAdvertisements[1] = ad({ aggregationLength: 24, peers: ['int'], communities: ['65000:24'] });
    mgr.setConfig(moved);
    const movedPlan = mgr.flush()!;
    await backend.flush();
    await birdHolds(movedPlan.routes);
    assert.ok(seen('r_int', true).some((l) => l.startsWith('198.51.100.0/24')));
    assert.not.ok(seen('r_ext', false).some((l) => l.startsWith('198.51.100.0/24')));

    mgr.setConfig(cfg);
    const restored = mgr.flush()!;
    await backend.flush();
    await birdHolds(restored.routes);
    assert.match(backend.lastAppliedConfig()!, 'route-map 192.0.2.3-out deny 10');
    assert.not.ok(seen('r_int', true).some((l) => l.startsWith('198.51.100.0/24')));

    // Withdraw the web services and let the Local service lose its last local endpoint.
    mgr.deleteService('default/web');
    mgr.deleteService('default/web2');
    mgr.setService(localDown);
    const after = mgr.flush()!;
    assert.equal(after.decisions.get('default/loc')!.reason, 'noLocalEndpoints');
    await backend.flush();
    await birdHolds(after.routes);
    assert.is(seen('r_ext', false).length, 0);

    // The Local endpoint comes back: only its prefix returns.
    mgr.setService(localUp);
    const back = mgr.flush()!;
    await backend.flush();
    await birdHolds(back.routes);
    assert.equal(seen('r_int', true), ['203.0.113.5/32 via 192.0.2.11 path [] lp 300 c ']);

    // Sessions follow node labels: int now selects rack r1 only, and the node moves to r2; BIRD
    // must lose int's routes at once.
    const racked = structuredClone(cfg);
    racked.peers[1]!.nodeSelectors = [{ matchLabels: { rack: 'r1' }, matchExpressions: [] }];
    mgr.setConfig(racked);
    mgr.setNode(node({ rack: 'r1' }));
    const inR1 = mgr.flush()!;
    await backend.flush();
    await birdHolds(inR1.routes);
    mgr.setNode(node({ rack: 'r2' }));
    const inR2 = mgr.flush()!;
    assert.equal(inR2.peers.map((p) => p.name), ['ext', 'v6']);
    await backend.flush();
    await birdHolds(inR2.routes);
    assert.equal(seen('r_int', true), []);
    assert.not.match(backend.lastAppliedConfig()!, 'neighbor 192.0.2.3 ');

    // Closing removes the last peers and with them `router bgp`, which closes TCP without a
    // NOTIFICATION; BIRD would then keep our routes as stale (graceful restart) for 120 s. The
    // backend withdraws first (measured: with withdrawTimeoutMs 0 this step fails).
    await mgr.close();
    await waitFor('FRR to drop both neighbors', () => (vtysh(bgpd, 'show running-config').includes('router bgp') ? undefined : true), 10_000, 200);
    await birdHolds(new Map());
  });

  test('after bgpd restarts with an empty config, the backend notices and re-applies', async () => {
    const backend = newBackend();
    const mgr = new BgpManager({ backend, debounceMs: 10 });
    mgr.setConfig(cfg);
    mgr.setNode(node());
    mgr.setService(web);
    const plan = mgr.flush()!;
    await backend.flush();
    await birdHolds(plan.routes);
    await bgpd.stop();
    bgpd = await startBgpd(lab, spk, scratch.dir);
    await waitFor('the backend to see the lost neighbors and re-apply', async () => {
      await backend.refreshStatus();
      return backend.counters.applies >= 2 ? true : undefined;
    }, 20_000, 200);
    await birdHolds(plan.routes);
    await mgr.close();
  });
}

test.after(() => {
  lab.cleanup();
  scratch.remove();
});

test.run();
