// npm run bench:failover — failover time seen by a client, and daemon memory.
//  1. In network namespaces (root): the demo cluster with three speakers; N times each, the owner
//     of one IP is killed (SIGKILL, unplanned) or stopped (SIGTERM, planned) and the time from the
//     signal to the first ARP answer from the new owner is measured by the client's probe. The
//     killed speaker is restarted between runs. Default lease settings unless LEASE_RENEW_MS /
//     LEASE_DURATION_MS are set. Prints median, min and max; checks no round had two answers.
//  2. Resident memory of an idle speaker (from that lab) and of the controller holding 10,000
//     Services (directory source, real process), with the time it took to allocate them all.
// Bounded: every wait has a timeout; everything is torn down on exit.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LabCluster } from '../../src/lab/cluster.js';
import { canBuildLab } from '../../src/lab/network.js';
import { measureFailover, type FailoverResult } from '../../src/lab/failover.js';
import { waitUntil } from '../../src/lab/procs.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = Number(process.env.RUNS ?? 5);
const SERVICES = Number(process.env.SERVICES ?? 10_000);

function rssKiB(pid: number): { rss: number; hwm: number } {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const get = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { rss: get('VmRSS'), hwm: get('VmHWM') };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

async function failoverBench(): Promise<void> {
  const lab = new LabCluster({ prefix: 'lbdbn', fixtures: path.join(ROOT, 'fixtures/demo'), bgp: false,
    leaseRenewMs: process.env.LEASE_RENEW_MS ? Number(process.env.LEASE_RENEW_MS) : undefined,
    leaseDurationMs: process.env.LEASE_DURATION_MS ? Number(process.env.LEASE_DURATION_MS) : undefined });
  const onSignal = () => { void lab.teardown().then(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  try {
    lab.setup();
    lab.startController();
    const ips = await waitUntil('addresses', () => { const m = lab.serviceIPs(); return m.size && [...m.values()].every((v) => v.length) ? m : undefined; }, 30_000);
    const [key, [vip]] = [...ips].find(([, v]) => v[0]!.startsWith('192.0.2.'))!;
    const l2keys = [...ips.keys()].filter((k) => ips.get(k)![0]!.startsWith('192.0.2.'));
    const settled = (since: number) => lab.settledOwners(l2keys, since, 30_000, 1500);
    const started = Date.now();
    for (const n of lab.nodes) lab.startSpeaker(n.name);
    await settled(started);
    const mem = lab.nodes.map((n) => rssKiB(lab.speakers.get(n.name)!.child.pid!));
    console.log(`idle speaker resident memory: ${mem.map((m) => mib(m.rss)).join(', ')} (peak ${mib(Math.max(...mem.map((m) => m.hwm)))})`);
    const results: FailoverResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
        const r = await measureFailover(lab, vip!, signal);
        results.push(r);
        console.log(`  run ${i + 1} ${signal.padEnd(7)} ${key} ${vip}: ${r.from} -> ${r.to} in ${r.ms} ms; ARP entry followed: ${r.neighborFollowed}; double answers: ${r.conflicts.length}`);
        const restarted = Date.now();
        lab.startSpeaker(r.from);
        await settled(restarted);
      }
    }
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const xs = results.filter((r) => r.signal === signal).map((r) => r.ms);
      const label = signal === 'SIGTERM' ? 'planned (SIGTERM)  ' : 'unplanned (SIGKILL)';
      console.log(`${label} failover: median ${median(xs)} ms, min ${Math.min(...xs)} ms, max ${Math.max(...xs)} ms over ${xs.length} runs`);
    }
    const bad = results.filter((r) => r.conflicts.length > 0 || !r.neighborFollowed);
    console.log(`rounds answered by two MACs: ${results.reduce((n, r) => n + r.conflicts.length, 0)}; ARP entry not following: ${results.filter((r) => !r.neighborFollowed).length}`);
    if (bad.length) process.exitCode = 1;
  } finally {
    process.off('SIGINT', onSignal);
    await lab.teardown();
  }
}

function writeServices(dir: string, n: number): void {
  fs.writeFileSync(path.join(dir, 'config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config, namespace: metallb-system}\ndata:\n  config: |\n    address-pools:\n    - name: big\n      protocol: layer2\n      addresses: [10.96.0.0/16]\n');
  for (let f = 0; f < Math.ceil(n / 1000); f++) {
    const docs: string[] = [];
    for (let i = f * 1000; i < Math.min(n, (f + 1) * 1000); i++) {
      docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}, namespace: ns-${i % 20}}\nspec: {type: LoadBalancer, ports: [{port: 80}], selector: {app: a${i}}}\n`);
    }
    fs.writeFileSync(path.join(dir, `services-${f}.yaml`), docs.join('---\n'));
  }
}

async function controllerMemory(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lbd-mem-'));
  writeServices(dir, SERVICES);
  const addr = `127.0.0.1:${await freePort()}`;
  const t0 = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/run.js'), 'controller', '--source', `dir:${dir}`, '--metrics-listen', addr, '--no-fsync'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, LBCTL_LOG_LEVEL: 'warn' } });
  try {
    const inUse = async () => {
      const text = await fetch(`http://${addr}/metrics`).then((r) => r.text(), () => '');
      return Number(/^metallb_allocator_addresses_in_use_total\{pool="big"\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    await waitUntil(`${SERVICES} services allocated`, async () => ((await inUse()) === SERVICES ? true : undefined), 600_000, 500);
    const took = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 2000));
    const m = rssKiB(child.pid!);
    const text = await fetch(`http://${addr}/metrics`).then((r) => r.text(), () => '');
    const heap = Number(/^metallb_nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? NaN) / 1024;
    console.log(`controller with ${SERVICES} services: resident ${mib(m.rss)} (peak ${mib(m.hwm)}, V8 heap in use ${mib(heap)}); all allocated and written ${(took / 1000).toFixed(1)} s after start`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as net.AddressInfo).port; srv.close(() => resolve(p)); });
    srv.on('error', reject);
  });
}

async function main(): Promise<void> {
  const can = canBuildLab();
  if (can.ok) await failoverBench();
  else console.log(`failover: skipped (${can.why})`);
  await controllerMemory();
}

void main();
