// Layer-2 benchmark (`npm run bench:l2`), in throw-away network namespaces (prefix lbl2b):
//  (a) ARP reply latency, median and p99 over N requests, our responder (every reader) vs the Linux
//      kernel answering for an address configured on the node's interface; one prober of our own
//      times all, with requests alternating between the targets so each sees the same machine load;
//      (a') the same for IPv6 neighbor solicitation -> advertisement;
//  (b) takeover latency: from the moment the new owner learns of the liveness change (it re-runs
//      the election and announces what it won) to the first gratuitous ARP seen on the client;
//  (c) placement spread of 1,000 IPs over 10 nodes, MetalLB hash order vs balanced (max/mean), and how
//      many IPs move when one node leaves.
// Env: L2_BENCH_PROBES (default 1000), L2_BENCH_TAKEOVERS (default 10), L2_NICE (run the announcers
// at this nice value, e.g. -10, to measure the effect of scheduling priority), L2_BENCH_READERS
// (comma list, default fastpath,stream,worker: `fastpath` is the speaker's default, the in-kernel tcx fast
// path; stream/poll/worker are the user-space readers alone; `python` adds a minimal Python AF_PACKET
// responder as the floor any user-space responder can reach), L2_BENCH_NS (namespace prefix, default lbl2b),
// L2_PROBE_SPIN=1 (the prober busy-polls instead of sleeping; see docs/design/layer2.md),
// L2_BUSY_MS (each announcer's main thread blocks that long every 20 ms, as a busy daemon would).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { L2Lan, l2LabAvailable, type Runner } from '../support/l2-lab.js';
import { assemble } from '../../src/bpf/asm.js';
import { KEY_SIZE, TCX_NEXT, VALUE_SIZE, responderProgram } from '../../src/bpf/responder.js';
import { BpfHashMap, closeFd, loadSchedCls, testRun } from '../../src/sys/bpf.js';
import { ArpOperation, encodeARPFrame } from '../../src/wire/arp.js';
import { neighborSolicitation } from '../../src/wire/ndp.js';
import { placeBalanced } from '../../src/speaker/l2/balanced.js';
import { hashOrder, type ElectionInput } from '../../src/speaker/election.js';

const PROBES = Number(process.env.L2_BENCH_PROBES ?? 1000);
const TAKEOVERS = Number(process.env.L2_BENCH_TAKEOVERS ?? 10);
const VIP = '192.0.2.100';
const VIP6 = '2001:db8::100';
const prober = fileURLToPath(new URL('../support/l2-prober.ts', import.meta.url));

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN;
}
const ms = (x: number) => `${x.toFixed(4)} ms`;

/**
 * MIN_RESPONDER is the floor reference: a blocking recv()/send() loop with no decoding beyond the
 * opcode and target, in a language runtime with no event loop. Only the bench runs it.
 */
const MIN_RESPONDER = `
import socket, sys
ifname, ip, mac = sys.argv[1], socket.inet_aton(sys.argv[2]), bytes.fromhex(sys.argv[3].replace(':', ''))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
s.setsockopt(263, 23, 1)
s.bind((ifname, 0x0806))
s.settimeout(600)
print('ready', flush=True)
while True:
    f = s.recv(2048)
    if len(f) >= 42 and f[20:22] == b'\\x00\\x01' and f[38:42] == ip:
        s.send(f[6:12] + mac + b'\\x08\\x06\\x00\\x01\\x08\\x00\\x06\\x04\\x00\\x02' + mac + ip + f[22:32] + f[42:])
`;

/** READERS are the responders timed in (a): node i runs reader i and answers for 192.0.2.(100+i). */
const READERS = (process.env.L2_BENCH_READERS ?? 'fastpath,stream,worker').split(',').map((name, i) => {
  const env: Record<string, string> = name === 'fastpath' ? { L2_READER: 'stream', L2_KERNEL: 'on' } : { L2_READER: name, L2_KERNEL: 'off' };
  const label = { fastpath: 'kernel fast path (default)', stream: 'user space, stream reader', poll: 'user space, poll() reader', worker: 'user space, worker thread', python: 'floor' }[name] ?? name;
  return { name, env, label: name === 'python' ? 'minimal Python responder (floor)' : `lbctl, ${label}`, vip: `192.0.2.${100 + i}` };
});

async function arpLatency(lan: L2Lan): Promise<void> {
  // Node i runs READERS[i]; the kernel answers for node 1's own address. One prober alternates
  // between every target, so each sees the same machine load.
  const n1 = lan.nodes[0]!;
  const nice: Record<string, string> = process.env.L2_NICE ? { L2_NICE: process.env.L2_NICE } : {};
  if (process.env.L2_NICE) console.log(`  (announcers run at nice ${process.env.L2_NICE})`);
  if (process.env.L2_BUSY_MS) console.log(`  (announcers' main threads busy ${process.env.L2_BUSY_MS} ms every 20 ms)`);
  const runners: (Runner | undefined)[] = [];
  for (const [i, r] of READERS.entries()) {
    const node = lan.nodes[i]!;
    if (r.name === 'python') {
      const py = lan.lab.track(spawn('ip', ['netns', 'exec', node.ns.name, 'python3', '-c', MIN_RESPONDER, 'eth0', r.vip, node.mac], { stdio: ['ignore', 'pipe', 'inherit'] }));
      await new Promise((res) => py.stdout!.once('data', res));
      runners.push(undefined);
      continue;
    }
    const runner = await lan.startAnnouncer(node, { ...r.env, ...nice });
    await runner.call('set', { ips: { [r.vip]: {} } });
    runners.push(runner);
  }
  await new Promise((res) => setTimeout(res, 300));
  const out = lan.client.exec(process.execPath, ['--import', 'tsx', prober, 'probe', 'eth0', '192.0.2.2', String(PROBES), ...READERS.map((r) => r.vip), n1.ipv4], 600_000);
  const res = JSON.parse(out) as Record<string, { rtts: number[]; lost: number }>;
  const kernel = res[n1.ipv4]!;
  const row = (label: string, x: { rtts: number[]; lost: number }) =>
    console.log(`  ${label.padEnd(34)} median ${ms(quantile(x.rtts, 0.5))}  p99 ${ms(quantile(x.rtts, 0.99))}  lost ${x.lost}/${PROBES}`);
  console.log(`(a) ARP reply latency over ${PROBES} requests each (client -> bridge -> node, veth; probes interleaved)`);
  for (const r of READERS) row(r.label, res[r.vip]!);
  row('Linux kernel', kernel);
  for (const r of READERS) {
    const ours = res[r.vip]!;
    console.log(`  ratio ${r.name}/kernel: median ${(quantile(ours.rtts, 0.5) / quantile(kernel.rtts, 0.5)).toFixed(2)} (target <= 2), p99 ${(quantile(ours.rtts, 0.99) / quantile(kernel.rtts, 0.99)).toFixed(2)}`);
  }
  for (const [i, r] of READERS.entries()) {
    if (!runners[i]) continue;
    const c = await runners[i]!.call('counters');
    console.log(`  ${r.name} counters: requests ${c.requestsReceived[r.vip]}, responses ${c.responsesSent[r.vip]}, dropped ${JSON.stringify(c.dropped)}${c.kernelAnswering ? ' (kernel answering)' : ''}`);
  }
  // (a') every lbctl reader also answers an IPv6 address, 2001:db8::(100+i); the kernel answers node 1's own.
  const v6 = READERS.map((r, i) => ({ ...r, vip6: `2001:db8::${100 + i}`, runner: runners[i] })).filter((r) => r.runner);
  if (!runners[0]) throw new Error('L2_BENCH_READERS: the first entry must be an lbctl reader (node 1 also answers NDP)');
  for (const r of v6) await r.runner!.call('set', { ips: { [r.vip]: {}, [r.vip6]: {} } });
  await new Promise((r) => setTimeout(r, 300));
  const out6 = lan.client.exec(process.execPath, ['--import', 'tsx', prober, 'probe', 'eth0', '2001:db8::2', String(PROBES), ...v6.map((r) => r.vip6), n1.ipv6], 600_000);
  const res6 = JSON.parse(out6) as Record<string, { rtts: number[]; lost: number }>;
  console.log(`(a') NDP solicitation -> advertisement latency over ${PROBES} solicitations each (interleaved)`);
  for (const r of v6) row(r.label, res6[r.vip6]!);
  row('Linux kernel', res6[n1.ipv6]!);
  for (const r of v6) console.log(`  ratio ${r.name}/kernel: median ${(quantile(res6[r.vip6]!.rtts, 0.5) / quantile(res6[n1.ipv6]!.rtts, 0.5)).toFixed(2)}, p99 ${(quantile(res6[r.vip6]!.rtts, 0.99) / quantile(res6[n1.ipv6]!.rtts, 0.99)).toFixed(2)}`);
  await otherTraffic(lan, READERS, runners);
  for (const r of runners) r?.stop();
}

/**
 * otherTraffic is (d): what the fast path costs traffic it does not answer. ping -4 and -6 to node 1
 * (fast path attached to its eth0) and to a node without it, alternating rounds; medians of the
 * per-packet times ping reports.
 */
async function otherTraffic(lan: L2Lan, readers: typeof READERS, runners: (Runner | undefined)[]): Promise<void> {
  const withIdx = readers.findIndex((r) => r.name === 'fastpath');
  const withoutIdx = readers.findIndex((r, i) => r.name !== 'fastpath' && r.name !== 'python' && runners[i]);
  if (withIdx < 0 || withoutIdx < 0) return;
  const times = (out: string) => [...out.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]));
  console.log(`(d) cost to other traffic: ping RTT to a node with the fast path attached vs one without (${PROBES} each, alternating rounds of 100)`);
  for (const fam of ['4', '6'] as const) {
    const target = (i: number) => (fam === '4' ? lan.nodes[i]!.ipv4 : lan.nodes[i]!.ipv6);
    const rtt: Record<'with' | 'without', number[]> = { with: [], without: [] };
    for (let round = 0; round < Math.ceil(PROBES / 100); round++) {
      for (const [k, i] of [['with', withIdx], ['without', withoutIdx]] as const) {
        rtt[k].push(...times(lan.onClient('ping', [`-${fam}`, '-n', '-c', '100', '-i', '0.002', '-W', '1', target(i)], 60_000)));
      }
    }
    const a = quantile(rtt.with, 0.5);
    const b = quantile(rtt.without, 0.5);
    console.log(`  IPv${fam} echo  with fast path median ${ms(a)} (${rtt.with.length} replies)  without ${ms(b)} (${rtt.without.length})  ratio ${(a / b).toFixed(2)}`);
  }
  programCost();
}

/**
 * programCost times the program itself inside the kernel (BPF_PROG_TEST_RUN; the kernel reports the
 * mean run time): ping's 1 us resolution cannot see a few instructions. The baseline is a
 * two-instruction program (return TCX_NEXT) timed the same way in the same run. A frame the program
 * answers is rewritten in place, so repeated runs would time the reply instead: answered frames are
 * timed one run per call (median of 20,000 calls), against the baseline timed the same way.
 */
function programCost(): void {
  const map = BpfHashMap.create('lbctl_bench', KEY_SIZE, VALUE_SIZE, 16);
  const prog = loadSchedCls('lbctl_bench', assemble(responderProgram(map.fd)));
  const empty = loadSchedCls('lbctl_empty', assemble([{ op: 'alu64', alu: 'mov', dst: 0, src: { imm: TCX_NEXT } }, { op: 'exit' }]));
  try {
    const mac = Buffer.from('020000000011', 'hex');
    const client = Buffer.from('0200000000c1', 'hex');
    const owned = Buffer.from([192, 0, 2, 100]);
    const owned6 = Buffer.from('20010db8000000000000000000000100', 'hex');
    for (const ip of [owned, owned6]) {
      const k = Buffer.alloc(KEY_SIZE);
      k.writeUInt32LE(1, 0);
      ip.copy(k, 4);
      const v = Buffer.alloc(VALUE_SIZE);
      mac.copy(v);
      map.set(k, v);
    }
    const arpFor = (target: Buffer) => encodeARPFrame({ ethDst: Buffer.alloc(6, 0xff), ethSrc: client, arp: { operation: ArpOperation.Request, senderMAC: client, senderIP: Buffer.from([192, 0, 2, 2]), targetMAC: Buffer.alloc(6), targetIP: target } });
    const ipv4 = Buffer.concat([mac, client, Buffer.from('0800', 'hex'), Buffer.from('4500002e000040004011000000c0000202c0000264', 'hex').subarray(0, 20), Buffer.alloc(26)]);
    const echo6 = Buffer.concat([mac, client, Buffer.from('86dd', 'hex'), Buffer.from('600000000040' + '3a40', 'hex'), Buffer.from('20010db8000000000000000000000002', 'hex'), owned6, Buffer.from('80', 'hex'), Buffer.alloc(63)]);
    const repeated = (p: number, f: Buffer) => testRun(p, f, 1, 1_000_000).nsPerRun;
    const single = (p: number, f: Buffer) => quantile(Array.from({ length: 20_000 }, () => testRun(p, f, 1, 1).nsPerRun), 0.5);
    const frames: [string, Buffer, 'pass' | 'reply'][] = [
      ['IPv4 packet', ipv4, 'pass'],
      ['IPv6 echo request', echo6, 'pass'],
      ['ARP request, IP not ours', arpFor(Buffer.from([192, 0, 2, 55])), 'pass'],
      ['ARP request, answered', arpFor(owned), 'reply'],
      ['neighbor solicitation, answered', neighborSolicitation(owned6, Buffer.from('20010db8000000000000000000000002', 'hex'), client), 'reply'],
    ];
    const base = { pass: repeated(empty, ipv4), reply: single(empty, ipv4) };
    console.log(`  the program itself, in-kernel test runs (baseline: an empty program, ${base.pass} ns repeated / ${base.reply} ns single):`);
    for (const [label, f, want] of frames) {
      const verdict = testRun(prog, f).retval === TCX_NEXT ? 'pass' : 'reply';
      if (verdict !== want) throw new Error(`programCost: ${label} got ${verdict}, want ${want}`);
      const t = want === 'pass' ? repeated(prog, f) : single(prog, f);
      console.log(`    ${`${label} (${verdict})`.padEnd(42)} ${String(t).padStart(4)} ns, ${String(t - base[want]).padStart(4)} ns over the baseline`);
    }
  } finally {
    closeFd(prog);
    closeFd(empty);
    map.close();
  }
}

/** watchGarp starts a watcher in the client namespace and resolves its report once a GARP arrives. */
async function watchGarp(lan: L2Lan): Promise<{ result: Promise<{ at?: number; mac?: number[]; timeout?: boolean }> }> {
  const child = lan.lab.track(spawn('ip', ['netns', 'exec', lan.client.name, process.execPath, '--import', 'tsx', prober, 'watch', 'eth0', VIP, '5000'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (!JSON.parse(String(first.value)).ready) throw new Error('watcher did not start');
  return { result: lines.next().then((n) => JSON.parse(String(n.value ?? '{"timeout":true}'))) };
}

/** clusterView is the election input both speakers see: one Cluster-policy service on VIP. */
function clusterView(live: string[]): ElectionInput {
  return {
    ip: VIP,
    services: [{ key: 'bench/web', labels: {}, externalTrafficPolicy: 'Cluster', endpoints: [{ addresses: ['10.244.0.9'], nodeName: 'node-1', ready: true, serving: true }] }],
    advertisements: [{ nodeSelectors: [], interfaces: [], serviceSelectors: [] }],
    nodes: ['node-1', 'node-2'].map((name) => ({ name, labels: {}, networkUnavailable: false })),
    liveSpeakers: live,
  };
}

async function takeover(lan: L2Lan): Promise<void> {
  // Each move: the owner's liveness is withdrawn (the cluster view now lists only the other node);
  // both speakers re-run the election on that view; the survivor wins and announces.
  const runners = [await lan.startAnnouncer(lan.nodes[0]!, { L2_KERNEL: 'auto' }), await lan.startAnnouncer(lan.nodes[1]!, { L2_KERNEL: 'auto' })];
  const names = ['node-1', 'node-2'];
  await runners[0]!.call('elect', { node: names[0], inputs: [clusterView([names[0]!])] });
  const fromCommand: number[] = [];
  const fromRequest: number[] = [];
  for (let i = 0; i < TAKEOVERS; i++) {
    const [oldI, newI] = i % 2 === 0 ? [0, 1] : [1, 0];
    const view = [clusterView([names[newI]!])];
    await runners[oldI]!.call('elect', { node: names[oldI], inputs: view }); // it lost the IP: burst stops
    const w = await watchGarp(lan);
    const sentAt = performance.timeOrigin + performance.now();
    const told = await runners[newI]!.call('elect', { node: names[newI], inputs: view });
    const seen = await w.result;
    if (seen.at === undefined) {
      console.log(`  takeover ${i + 1}: no gratuitous ARP within 5 s`);
      continue;
    }
    fromCommand.push(seen.at - told.at);
    fromRequest.push(seen.at - sentAt);
  }
  console.log(`(b) takeover latency over ${fromCommand.length}/${TAKEOVERS} moves (liveness change reaches the new owner -> election -> first gratuitous ARP on the client)`);
  console.log(`  from the liveness change  median ${ms(quantile(fromCommand, 0.5))}  max ${ms(Math.max(...fromCommand))}  (target < 100 ms)`);
  console.log(`  incl. IPC to the runner   median ${ms(quantile(fromRequest, 0.5))}  max ${ms(Math.max(...fromRequest))}`);
  for (const r of runners) r.stop();
}

function spread(): void {
  const nodes = Array.from({ length: 10 }, (_, i) => `node-${i}`);
  const ips = Array.from({ length: 1000 }, (_, i) => `10.20.${i >> 8}.${i & 255}`);
  const hashCounts: Record<string, number> = {};
  for (const ip of ips) {
    const w = hashOrder(nodes, ip)[0]!;
    hashCounts[w] = (hashCounts[w] ?? 0) + 1;
  }
  const t0 = performance.now();
  const bal = placeBalanced(ips.map((ip) => ({ ip, candidates: nodes })));
  const balMs = performance.now() - t0;
  const mean = ips.length / nodes.length;
  const maxOf = (c: Record<string, number>) => Math.max(...Object.values(c));
  const minOf = (c: Record<string, number>) => Math.min(...nodes.map((n) => c[n] ?? 0));
  console.log('(c) placement of 1000 IPs over 10 nodes');
  console.log(`  hash (MetalLB order)   max/mean ${(maxOf(hashCounts) / mean).toFixed(2)}  min ${minOf(hashCounts)}  max ${maxOf(hashCounts)}`);
  console.log(`  balanced (CH + bound)  max/mean ${(maxOf(bal.counts) / mean).toFixed(2)}  min ${minOf(bal.counts)}  max ${maxOf(bal.counts)}  cap ${bal.cap}  (${balMs.toFixed(1)} ms)`);
  const without = nodes.filter((n) => n !== 'node-3');
  const after = placeBalanced(ips.map((ip) => ({ ip, candidates: without })));
  let movedOthers = 0;
  for (const ip of ips) if (bal.owners.get(ip) !== 'node-3' && after.owners.get(ip) !== bal.owners.get(ip)) movedOthers++;
  console.log(`  node-3 leaves: hash moves only its ${hashCounts['node-3']} IPs; balanced moves its ${bal.counts['node-3']} plus ${movedOthers} others`);
}

async function main(): Promise<void> {
  spread();
  const can = l2LabAvailable();
  if (!can.ok) {
    console.log(`(a),(b) skipped: ${can.why}`);
    return;
  }
  const lan = new L2Lan(process.env.L2_BENCH_NS ?? 'lbl2b', { nodes: Math.max(2, READERS.length), clientArpAccept: true });
  const stop = () => lan.cleanup();
  process.once('SIGINT', stop);
  try {
    await arpLatency(lan);
    await takeover(lan);
  } finally {
    lan.cleanup();
  }
}

await main();
