// A layer-2 test LAN: a "lan" namespace holding bridge br0, N speaker-node namespaces and one
// client namespace, each attached to the bridge by a veth pair whose inside end is `eth0`. Nodes run
// the announcer through test/support/l2-runner.ts and are driven over stdio. Addresses come from
// 192.0.2.0/24 and 2001:db8::/64 only, inside these namespaces.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Lab, Netns, canUseNetns, hasCommand, sh } from './netns.js';

/** L2Node is one speaker node namespace. */
export interface L2Node {
  ns: Netns;
  mac: string;
  ipv4: string;
  ipv6: string;
}

/** L2LanOptions sizes the LAN. */
export interface L2LanOptions {
  nodes: number;
  /** secondPort gives node 1 a second interface `eth1` on the same bridge (MAC ...:21), no addresses. */
  secondPort?: boolean;
  /** clientArpAccept sets net.ipv4.conf.eth0.arp_accept on the client (lets gratuitous ARP create entries). */
  clientArpAccept?: boolean;
}

/** l2LabAvailable says whether the LAN can be built here, and why not. */
export function l2LabAvailable(tools: string[] = []): { ok: boolean; why?: string } {
  const base = canUseNetns();
  if (!base.ok) return base;
  for (const t of tools) if (!hasCommand(t)) return { ok: false, why: `${t} is not installed` };
  return { ok: true };
}

/** arpReplyMACs lists the MACs in arping's "reply from" lines, lower case, in order. */
export const arpReplyMACs = (out: string): string[] => [...out.matchAll(/reply from \S+ \[([0-9A-Fa-f:]{17})\]/g)].map((m) => m[1]!.toLowerCase());

/** ndpTargetMACs lists the MACs in ndisc6's "Target link-layer address" lines. */
export const ndpTargetMACs = (out: string): string[] => [...out.matchAll(/Target link-layer address: ([0-9A-Fa-f:]{17})/g)].map((m) => m[1]!.toLowerCase());

/** LanPair is a two-node LAN with an announcer on each node (node 1: owner, node 2: other). */
export interface LanPair {
  lan: L2Lan;
  owner: Runner;
  other: Runner;
  /** stop ends both announcers and removes the namespaces (safe twice). */
  stop(): void;
}

/** startPair builds a two-node LAN prefixed `prefix` and starts an announcer with `env` on each node. */
export async function startPair(prefix: string, env: Record<string, string>): Promise<LanPair> {
  const lan = new L2Lan(prefix, { nodes: 2 });
  process.once('exit', () => lan.cleanup());
  const [owner, other] = await Promise.all([lan.startAnnouncer(lan.nodes[0]!, env), lan.startAnnouncer(lan.nodes[1]!, env)]);
  return { lan, owner, other, stop: () => { owner.stop(); other.stop(); lan.cleanup(); } };
}

/** L2Lan is a built LAN; always call cleanup() (it is safe twice). */
export class L2Lan {
  readonly lab: Lab;
  readonly lan: Netns;
  readonly client: Netns;
  readonly clientMac = '02:00:00:00:00:c1';
  readonly nodes: L2Node[] = [];

  constructor(prefix: string, opts: L2LanOptions) {
    this.lab = new Lab(prefix);
    try {
      this.lan = this.lab.ns('lan');
      this.lan.exec('ip', ['link', 'add', 'br0', 'type', 'bridge', 'forward_delay', '0', 'mcast_snooping', '0']);
      this.lan.exec('ip', ['link', 'set', 'br0', 'up']);
      this.client = this.lab.ns('c');
      this.attach(this.client, 'pc', this.clientMac, '192.0.2.2/24', '2001:db8::2/64');
      this.client.exec('sysctl', ['-qw', `net.ipv4.conf.eth0.arp_accept=${opts.clientArpAccept ? 1 : 0}`]);
      for (let i = 1; i <= opts.nodes; i++) {
        const ns = this.lab.ns(`n${i}`);
        const mac = `02:00:00:00:00:${(0x10 + i).toString(16)}`;
        this.attach(ns, `p${i}`, mac, `192.0.2.${10 + i}/24`, `2001:db8::${10 + i}/64`);
        this.nodes.push({ ns, mac, ipv4: `192.0.2.${10 + i}`, ipv6: `2001:db8::${10 + i}` });
      }
      if (opts.secondPort) this.attachBare(this.nodes[0]!.ns, 'eth1', 'p1b', '02:00:00:00:00:21');
    } catch (e) {
      this.lab.cleanup();
      throw e;
    }
  }

  /** attach links `ns` to the bridge: eth0 inside with the given MAC and addresses, `port` on br0. */
  private attach(ns: Netns, port: string, mac: string, v4: string, v6: string): void {
    sh('ip', ['link', 'add', 'eth0', 'netns', ns.name, 'address', mac, 'type', 'veth', 'peer', 'name', port, 'netns', this.lan.name]);
    // No DAD: the link-local address must be usable at once, or NDP responders start late.
    ns.exec('sysctl', ['-qw', 'net.ipv6.conf.eth0.accept_dad=0']);
    ns.exec('ip', ['addr', 'add', v4, 'dev', 'eth0']);
    ns.exec('ip', ['addr', 'add', v6, 'dev', 'eth0', 'nodad']);
    ns.exec('ip', ['link', 'set', 'eth0', 'up']);
    this.lan.exec('ip', ['link', 'set', port, 'master', 'br0']);
    this.lan.exec('ip', ['link', 'set', port, 'up']);
  }

  /** attachBare links a second interface with no addresses but a link-local one (so it speaks NDP). */
  private attachBare(ns: Netns, name: string, port: string, mac: string): void {
    sh('ip', ['link', 'add', name, 'netns', ns.name, 'address', mac, 'type', 'veth', 'peer', 'name', port, 'netns', this.lan.name]);
    ns.exec('sysctl', ['-qw', `net.ipv6.conf.${name}.accept_dad=0`]);
    ns.exec('ip', ['link', 'set', name, 'up']);
    this.lan.exec('ip', ['link', 'set', port, 'master', 'br0']);
    this.lan.exec('ip', ['link', 'set', port, 'up']);
  }

  /** neigh returns the client's neighbour entry for `ip` as {mac, state}, or undefined. */
  neigh(ip: string): { mac?: string; state: string } | undefined {
    const out = this.client.exec('ip', [ip.includes(':') ? '-6' : '-4', 'neigh', 'show', ip, 'dev', 'eth0']).trim();
    if (!out) return undefined;
    const mac = /lladdr ([0-9a-f:]{17})/.exec(out)?.[1];
    const state = out.split(/\s+/).at(-1)!;
    return mac ? { mac, state } : { state };
  }

  /** onClient runs a tool in the client namespace and returns its output whether or not it succeeded. */
  onClient(cmd: string, args: string[], timeoutMs = 15_000): string {
    try {
      return this.client.exec(cmd, args, timeoutMs);
    } catch (e) {
      return String((e as { stdout?: string }).stdout ?? '');
    }
  }

  /** startAnnouncer runs the announcer in a node namespace and waits until it is ready. */
  async startAnnouncer(node: L2Node, env: Record<string, string> = {}): Promise<Runner> {
    const script = fileURLToPath(new URL('./l2-runner.ts', import.meta.url));
    const child = spawn('ip', ['netns', 'exec', node.ns.name, process.execPath, '--import', 'tsx', script], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LBCTL_LOG_LEVEL: process.env.LBCTL_LOG_LEVEL ?? 'silent', ...env },
    });
    this.lab.track(child);
    const runner = new Runner(child);
    await runner.ready();
    return runner;
  }

  /** cleanup kills every runner and deletes every namespace. */
  cleanup(): void {
    this.lab.cleanup();
  }
}

/** Runner talks to one l2-runner child: call(op, args) resolves with its result. */
export class Runner {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly started: Promise<void>;
  stderr = '';

  constructor(readonly child: ChildProcess) {
    let ready: () => void = () => {};
    this.started = new Promise((r) => (ready = r));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let msg: { id: number; ok: boolean; result?: unknown; error?: string };
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      if (msg.id === 0) return ready();
      const w = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (msg.ok) w?.resolve(msg.result);
      else w?.reject(new Error(msg.error));
    });
    child.stderr!.on('data', (b) => (this.stderr += b));
    child.on('exit', () => {
      for (const w of this.waiting.values()) w.reject(new Error(`runner exited: ${this.stderr.slice(-500)}`));
      this.waiting.clear();
    });
  }

  /** ready resolves when the runner has started its announcer (bounded: 20 s). */
  async ready(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`runner did not start: ${this.stderr.slice(-500)}`)), 20_000)));
    try {
      await Promise.race([this.started, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** call sends one command and waits (bounded: 10 s) for its answer. */
  call<T = any>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`runner: ${op} timed out`));
      }, 10_000);
      this.waiting.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.stdin!.write(JSON.stringify({ id, op, ...args }) + '\n');
    });
  }

  /** stop closes stdin; the runner shuts down by itself. */
  stop(): void {
    this.child.stdin?.end();
  }
}
