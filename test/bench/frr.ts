// FRR backend at scale: render time, frr-reload.py time, and how long until BIRD holds the routes,
// for N /32 prefixes to one eBGP peer; then one more prefix (incremental reload), removal of one,
// and withdrawal of all. With --half a second (unreachable) peer gets every prefix and BIRD's peer
// only every other one, which forces per-prefix prefix-list entries: FRR's slow path.
// Run: npx tsx test/bench/frr.ts [--half] [N ...]   (default 1000 10000; needs root, frr, bird2)
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Lab, canUseNetns, sh, waitFor } from '../support/netns.js';
import { frrLabMissing, scratchDir, startBgpd, startBird, birdRouteCount, vtysh } from '../support/frr-lab.js';
import { FrrBackend } from '../../src/speaker/frr/backend.js';
import { buildFrrDesired } from '../../src/speaker/frr/desired.js';
import { renderFrrConfig } from '../../src/speaker/frr/render.js';
import type { Peer } from '../../src/model/index.js';
import type { PeerRoutes, Route } from '../../src/speaker/bgp/route.js';

const half = process.argv.includes('--half');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const missing = canUseNetns().why ?? frrLabMissing();
if (missing) {
  console.log(`bench frr: skipped: ${missing}`);
  process.exit(0);
}

const peer: Peer = {
  name: 'ext', myASN: 64512, peerASN: 64513, peerAddress: '192.0.2.2', peerPort: 179, holdTime: 90, keepaliveTime: 30,
  keepaliveExplicit: false, ebgpMultiHop: false, nodeSelectors: [], connectTime: 1, routerID: '192.0.2.1',
};
const birdConf = `router id 192.0.2.2;
protocol device { }
protocol bgp r_ext { local 192.0.2.2 as 64513; neighbor 192.0.2.1 as 64512; passive on; error wait time 1,3;
  ipv4 { import all; export none; }; }
`;

const other: Peer = { ...peer, name: 'other', peerAddress: '192.0.2.99' };

function routes(n: number): PeerRoutes {
  const list: Route[] = [];
  for (let i = 0; i < n; i++) list.push({ prefix: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`, localPref: 0, communities: ['65000:1'] });
  if (!half) return new Map([['ext', list]]);
  return new Map([['ext', list.filter((_, i) => i % 2 === 0)], ['other', list]]);
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

async function run(n: number): Promise<void> {
  const lab = new Lab('lbfrr');
  const scratch = scratchDir('lbfrrb');
  try {
    const spk = lab.ns('spk');
    const rtr = lab.ns('rtr');
    lab.link(spk, 'lbfrr-s', rtr, 'lbfrr-r');
    spk.exec('ip', ['addr', 'add', '192.0.2.1/24', 'dev', 'lbfrr-s']);
    rtr.exec('ip', ['addr', 'add', '192.0.2.2/24', 'dev', 'lbfrr-r']);
    const bgpd = await startBgpd(lab, spk, scratch.dir);
    const sock = await startBird(lab, rtr, scratch.dir, birdConf);
    const backend = new FrrBackend({
      hostname: 'bench', zebra: false, configPath: path.join(scratch.dir, 'frr.conf'), vtyshSocketDir: bgpd.vtyDir,
      daemon: 'bgpd', debounceMs: 0, statusPollMs: 0, commandTimeoutMs: 600_000,
    });
    const table = routes(n);
    const peers = half ? [peer, other] : [peer];
    const [text, renderMs] = await timed(() => renderFrrConfig(buildFrrDesired(peers, [], table), { hostname: 'bench', zebra: false }));
    const holdMs = Number(process.env.BENCH_HOLD_MS ?? 600_000);
    const holds = (k: number) =>
      waitFor(`BIRD to hold ${k} routes`, () => (birdRouteCount(sock, 'r_ext') === k ? true : undefined), holdMs, 50).catch((err) => {
        console.error(`BIRD holds ${birdRouteCount(sock, 'r_ext')}; ${k < 50 ? sh('birdc', ['-s', sock, 'show', 'route', 'protocol', 'r_ext']) : ''}${sh('birdc', ['-s', sock, 'show', 'protocols'])}${vtysh(bgpd, 'show bgp summary')}`);
        throw err;
      });

    const atExt = table.get('ext')!.length;
    backend.setPeers(peers, []);
    backend.setRoutes(table);
    const t0 = performance.now();
    const [, applyMs] = await timed(() => backend.flush());
    await holds(atExt);
    const allMs = performance.now() - t0;

    const more = new Map(table);
    more.set('ext', [...table.get('ext')!, { prefix: '198.51.100.1/32', localPref: 0, communities: [] }]);
    backend.setRoutes(more);
    const t1 = performance.now();
    const [, incMs] = await timed(() => backend.flush());
    await holds(atExt + 1);
    const incAllMs = performance.now() - t1;

    const fewer = new Map(more);
    fewer.set('ext', more.get('ext')!.slice(1));
    backend.setRoutes(fewer);
    const t3 = performance.now();
    const [, delOneMs] = await timed(() => backend.flush());
    await holds(atExt);
    const delOneAllMs = performance.now() - t3;

    backend.setRoutes(new Map([...table.keys()].map((k) => [k, []])));
    const t2 = performance.now();
    await backend.flush();
    await holds(0);
    const wdMs = performance.now() - t2;
    console.log(JSON.stringify({
      prefixes: n, mode: half ? 'half' : 'all', toBird: atExt, configBytes: text.length, renderMs: +renderMs.toFixed(1), initialReloadMs: Math.round(applyMs),
      initialUntilBirdHoldsAllMs: Math.round(allMs), addOneReloadMs: Math.round(incMs), addOneUntilBirdMs: Math.round(incAllMs),
      removeFirstReloadMs: Math.round(delOneMs), removeFirstUntilBirdMs: Math.round(delOneAllMs), withdrawAllUntilBirdEmptyMs: Math.round(wdMs), failures: backend.counters.failures,
    }));
    await backend.close();
  } finally {
    lab.cleanup();
    scratch.remove();
  }
}

for (const n of sizes.length ? sizes : [1000, 10000]) await run(n);
