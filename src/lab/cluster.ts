// LabCluster: the whole demo on one machine. It copies a fixture directory to a temporary folder
// (the repository stays clean), builds the LAN, starts BIRD in the router namespace, the
// controller in the root namespace and one speaker per node inside its namespace, all as child
// processes of this one, and tears everything down again. The lab, the integration tests and the
// failover benchmark all drive it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { DirSource } from '../state/dir/index.js';
import { ingressIPsOf } from '../state/objects.js';
import { leaseFromObject } from '../state/lease.js';
import { LabNetwork, run } from './network.js';
import { birdConfig, labMembers, type Member } from './topology.js';
import { alive, stopProc, track, waitUntil, type Proc } from './procs.js';

/** ROOT is the package root (dist/lab/ or src/lab/ → ../..). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** LabOptions configure a run. */
export interface LabOptions {
  /** prefix names the namespaces (≤ 8 chars; the pid keeps parallel runs apart). */
  prefix: string;
  fixtures: string;
  nodes?: string[];
  leaseRenewMs?: number;
  leaseDurationMs?: number;
  /** bgp: start BIRD and let speakers speak BGP (default: when `bird` is installed). */
  bgp?: boolean;
}

/** hasCommand tells whether an executable is on PATH. */
export function hasCommand(cmd: string): boolean {
  try { run('sh', ['-c', `command -v ${cmd}`]); return true; } catch { return false; }
}

/** LabCluster runs and inspects one lab. */
export class LabCluster {
  readonly dir: string;
  readonly net: LabNetwork;
  readonly members: Member[];
  readonly speakers = new Map<string, Proc>();
  controller: Proc | undefined;
  bird: Proc | undefined;
  private view: DirSource | undefined;
  readonly bgp: boolean;

  constructor(private readonly o: LabOptions) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${o.prefix}-`));
    this.members = labMembers(o.nodes);
    this.net = new LabNetwork(`${o.prefix}${process.pid % 100000}`, this.members);
    this.bgp = o.bgp ?? hasCommand('bird');
  }

  /** nodes are the speaker members. */
  get nodes(): Member[] {
    return this.members.filter((m) => m.role === 'node');
  }

  /** setup copies the fixtures and builds the network. */
  setup(): void {
    fs.cpSync(this.o.fixtures, path.join(this.dir, 'cluster'), { recursive: true, filter: (src) => !src.includes(`${path.sep}.lbctl`) });
    fs.mkdirSync(path.join(this.dir, 'logs'));
    this.net.create();
  }

  /** clusterDir is the copied fixture folder the daemons run on. */
  get clusterDir(): string {
    return path.join(this.dir, 'cluster');
  }

  /** startBird runs BIRD in the foreground inside the router namespace. */
  async startBird(): Promise<void> {
    const conf = path.join(this.dir, 'bird.conf');
    fs.writeFileSync(conf, birdConfig(this.members, path.join(this.dir, 'logs', 'bird.log')));
    const child = this.net.spawn(this.net.nsOf('router'), 'bird', ['-f', '-c', conf, '-s', this.birdSocket]);
    this.bird = track('bird', child, path.join(this.dir, 'logs', 'bird.out'));
    await waitUntil('BIRD control socket', () => (fs.existsSync(this.birdSocket) ? true : undefined), 5000);
  }

  /** birdSocket is BIRD's control socket path. */
  get birdSocket(): string {
    return path.join(this.dir, 'bird.ctl');
  }

  /** birdc runs a BIRD client command. */
  birdc(...args: string[]): string {
    return run('birdc', ['-s', this.birdSocket, ...args]);
  }

  /** startController runs `lbctl controller` on the copied directory (root namespace, no metrics port). */
  startController(): Proc {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run.js'), 'controller', '--source', `dir:${this.clusterDir}`, '--metrics-listen', '', '--no-fsync'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.controller = track('controller', child, path.join(this.dir, 'logs', 'controller.log'));
    return this.controller;
  }

  /** startSpeaker runs `lbctl speaker` for one node inside its namespace. */
  startSpeaker(node: string): Proc {
    const args = [path.join(ROOT, 'bin', 'run.js'), 'speaker', '--source', `dir:${this.clusterDir}`, '--node', node, '--metrics-listen', '127.0.0.1:7472', '--no-fsync'];
    if (this.o.leaseRenewMs) args.push('--lease-renew', String(this.o.leaseRenewMs));
    if (this.o.leaseDurationMs) args.push('--lease-duration', String(this.o.leaseDurationMs));
    if (!this.bgp) args.push('--no-bgp');
    const child = this.net.spawn(this.net.nsOf(node), process.execPath, args);
    const p = track(`speaker ${node}`, child, path.join(this.dir, 'logs', `speaker-${node}.log`));
    this.speakers.set(node, p);
    return p;
  }

  /** state reads the cluster folder as the daemons see it (read-only use). */
  state(): DirSource {
    this.view ??= new DirSource(this.clusterDir, { writer: 'lab', rescanMs: 200 });
    return this.view;
  }

  /** serviceIPs maps `namespace/name` to its status IPs. */
  serviceIPs(): Map<string, string[]> {
    return new Map(this.state().list('Service').map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, ingressIPsOf(s)]));
  }

  /** l2Owner is the node whose ServiceL2Status record names this service, if exactly one does. */
  l2Owners(key: string): string[] {
    const [ns, name] = key.split('/');
    return this.state().list('ServiceL2Status').filter((r) => r.status?.serviceNamespace === ns && r.status?.serviceName === name).map((r) => String(r.status.node)).sort();
  }

  /**
   * settledOwners waits until every given service has exactly one layer 2 owner, every node has
   * renewed its lease since `since` (a restarted speaker is really back), and the owners have not
   * changed for `quietMs` (speakers join one by one, so ownership moves at start-up).
   */
  async settledOwners(keys: readonly string[], since: number, timeoutMs = 30_000, quietMs = 1000): Promise<Map<string, string>> {
    let last = '';
    let stableFrom = Date.now();
    return waitUntil('layer 2 ownership to settle', () => {
      const renewed = new Set(this.state().list('Lease').map((l) => leaseFromObject(l)).filter((l) => l && l.renewTime >= since).map((l) => l!.holder));
      const owners = keys.map((k) => [k, this.l2Owners(k)] as const);
      const sig = JSON.stringify([owners, [...renewed].sort()]);
      if (sig !== last) { last = sig; stableFrom = Date.now(); }
      const ok = this.nodes.every((n) => renewed.has(n.name)) && owners.every(([, o]) => o.length === 1) && Date.now() - stableFrom >= quietMs;
      return ok ? new Map(owners.map(([k, o]) => [k, o[0]!])) : undefined;
    }, timeoutMs, 50);
  }

  /** memberByMac finds who owns a MAC. */
  memberByMac(mac: string): Member | undefined {
    return this.members.find((m) => m.mac === mac.toLowerCase());
  }

  /** probe starts the ARP probe in the client namespace for `vip`. */
  probe(vip: string, intervalMs: number, durationMs: number): Proc {
    const script = path.join(ROOT, 'dist', 'lab', 'arp-probe.js');
    const child = this.net.spawn(this.net.nsOf('client'), process.execPath, [script, 'eth0', vip, String(intervalMs), String(durationMs)], { ...process.env, PROBE_SOURCE_IP: this.members[0]!.ip });
    return { name: 'probe', child, log: '', exited: new Promise((r) => child.once('exit', (c, s) => r(s ?? String(c)))) };
  }

  /** teardown stops every process (bounded), removes the namespaces and the temporary folder. */
  async teardown(keepDir = false): Promise<void> {
    await this.view?.close();
    const procs = [...this.speakers.values(), ...(this.controller ? [this.controller] : []), ...(this.bird ? [this.bird] : [])];
    await Promise.all(procs.filter(alive).map((p) => stopProc(p, 'SIGTERM', 3000)));
    this.net.destroy();
    if (!keepDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
