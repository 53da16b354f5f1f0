// Cost of one advertisement plan (what the BGP manager recomputes after every burst of changes)
// and of rendering it as frr.conf, for N services over 3 peers and two advertisements.
// Run: npx tsx test/bench/advertise.ts [N ...]   (default 1000 10000)
import { performance } from 'node:perf_hooks';
import { planAdvertisements } from '../../src/speaker/bgp/advertise.js';
import { buildFrrDesired } from '../../src/speaker/frr/desired.js';
import { renderFrrConfig } from '../../src/speaker/frr/render.js';
import { ad, config, ep, node, peer, pool, svc } from '../unit/bgp/build.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const cfg = config(
  [pool('big', ['10.0.0.0/16'], [ad({ localPref: 100, communities: ['65000:1'] }), ad({ aggregationLength: 24, peers: ['p1'] })])],
  [peer('p1', { peerAddress: '192.0.2.1' }), peer('p2', { peerAddress: '192.0.2.2' }), peer('p3', { peerAddress: '192.0.2.3', peerASN: 64513 })],
);

function best(fn: () => void, runs = 5): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

for (const n of sizes.length ? sizes : [1000, 10000]) {
  const services = Array.from({ length: n }, (_, i) =>
    svc(`s${i}`, [`10.0.${i >> 8}.${i & 255}`], { externalTrafficPolicy: i % 2 ? 'Local' : 'Cluster' }, [ep(`10.1.${i >> 8}.${i & 255}`, i % 4 === 1 ? 'pandora' : 'iris')]),
  );
  let plan = planAdvertisements({ config: cfg, node: node(), services });
  const planMs = best(() => (plan = planAdvertisements({ config: cfg, node: node(), services })));
  let text = '';
  const renderMs = best(() => (text = renderFrrConfig(buildFrrDesired(plan.peers, [], plan.routes), { hostname: 'bench' })));
  const announced = [...plan.decisions.values()].filter((d) => d.reason === 'announced').length;
  console.log(JSON.stringify({ services: n, announced, routesToP1: plan.routes.get('p1')!.length, planMs: +planMs.toFixed(1), frrRenderMs: +renderMs.toFixed(1), frrConfigBytes: text.length }));
}
