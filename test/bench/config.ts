// Benchmark: parse + validate a config of 1,000 pools and 100 peers, in the legacy ConfigMap form and
// in the CRD form, and print the median of a few runs. Usage: npx tsx test/bench/config.ts [pools] [peers] [runs]
import { performance } from 'node:perf_hooks';
import { parseSources } from '../../src/config/index.js';

const POOLS = Number(process.argv[2] ?? 1000);
const PEERS = Number(process.argv[3] ?? 100);
const RUNS = Number(process.argv[4] ?? 5);

// Pool i gets 10.(i/256).(i%256).0/24 plus a small range in 172.16/12, so nothing overlaps and the
// overlap check has real work (2 entries and ~3 prefixes per pool).
function poolAddresses(i: number): string[] {
  const hi = Math.floor(i / 256);
  const lo = i % 256;
  return [`10.${hi}.${lo}.0/24`, `172.${16 + hi}.${lo}.10-172.${16 + hi}.${lo}.20`];
}

function legacyText(): string {
  const lines: string[] = ['peers:'];
  for (let p = 0; p < PEERS; p++) lines.push(`- my-asn: 64500\n  peer-asn: ${64501 + p}\n  peer-address: 192.0.${Math.floor(p / 250)}.${(p % 250) + 1}\n  hold-time: 90s`);
  lines.push('bgp-communities:\n  noexport: 65535:65281', 'address-pools:');
  for (let i = 0; i < POOLS; i++) {
    const bgp = i % 2 === 0;
    lines.push(`- name: pool-${i}\n  protocol: ${bgp ? 'bgp' : 'layer2'}\n  addresses:\n${poolAddresses(i).map((a) => `  - ${a}`).join('\n')}`);
    if (bgp) lines.push('  bgp-advertisements:\n  - aggregation-length: 32\n    communities: [noexport]\n  - aggregation-length: 30\n    localpref: 10');
  }
  return `${lines.join('\n')}\n`;
}

function crdText(): string {
  const docs: string[] = [];
  const head = (kind: string, name: string, v = 'v1beta1') => `apiVersion: metallb.io/${v}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: metallb-system\n`;
  for (let p = 0; p < PEERS; p++) docs.push(`${head('BGPPeer', `peer-${p}`, 'v1beta2')}spec:\n  myASN: 64500\n  peerASN: ${64501 + p}\n  peerAddress: 192.0.${Math.floor(p / 250)}.${(p % 250) + 1}\n  holdTime: 90s`);
  docs.push(`${head('Community', 'communities')}spec:\n  communities:\n  - name: noexport\n    value: "65535:65281"`);
  for (let i = 0; i < POOLS; i++) {
    docs.push(`${head('IPAddressPool', `pool-${i}`)}  labels:\n    proto: ${i % 2 === 0 ? 'bgp' : 'l2'}\nspec:\n  addresses:\n${poolAddresses(i).map((a) => `  - ${a}`).join('\n')}`);
  }
  docs.push(`${head('BGPAdvertisement', 'host-routes')}spec:\n  ipAddressPoolSelectors:\n  - matchLabels: {proto: bgp}\n  communities: [noexport]`);
  docs.push(`${head('BGPAdvertisement', 'aggregate')}spec:\n  aggregationLength: 30\n  localPref: 10\n  ipAddressPoolSelectors:\n  - matchLabels: {proto: bgp}`);
  docs.push(`${head('L2Advertisement', 'l2')}spec:\n  ipAddressPoolSelectors:\n  - matchLabels: {proto: l2}`);
  return `${docs.join('\n---\n')}\n`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function bench(label: string, text: string): void {
  const times: number[] = [];
  const cpu: number[] = [];
  let pools = 0;
  for (let r = 0; r < RUNS + 1; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const { config } = parseSources([{ name: label, text }]);
    const dt = performance.now() - t0;
    const c = process.cpuUsage(c0);
    pools = config.pools.length;
    // The first run warms up the JIT and compiles the schemas; it is not counted.
    if (r > 0) {
      times.push(dt);
      cpu.push((c.user + c.system) / 1000);
    }
  }
  const kib = (Buffer.byteLength(text) / 1024).toFixed(0);
  // CPU time is printed too: on a shared machine wall time mostly measures the neighbours.
  console.log(`config ${label.padEnd(6)} ${POOLS} pools / ${PEERS} peers (${kib} KiB, ${pools} pools parsed): median ${median(times).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU, min ${Math.min(...times).toFixed(1)} ms wall over ${RUNS} runs`);
}

bench('legacy', legacyText());
bench('crd', crdText());
