// SpeakerProc starts test/support/speaker-harness.ts inside a namespace and talks to it: the test's
// view of "our speaker running on a node".
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Peer } from '../../src/model/index.js';
import type { Route } from '../../src/speaker/bgp/route.js';
import type { Lab, Netns } from './netns.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

/** SessionEvent is what the harness reports when a session goes up or down. */
export interface SessionEv {
  ev: string;
  peer: string;
  up: boolean;
  reason?: string;
  t: number;
}

/** makePeer fills a Peer with the model's defaults. */
export function makePeer(p: Partial<Peer> & Pick<Peer, 'peerAddress' | 'myASN' | 'peerASN'>): Peer {
  const holdTime = p.holdTime ?? 90;
  return {
    name: `peer-${p.peerAddress}`, peerPort: 179, holdTime, keepaliveTime: Math.floor(holdTime / 3), keepaliveExplicit: false,
    ebgpMultiHop: false, nodeSelectors: [], ...p,
  };
}

/** SpeakerProc is one harness process. */
export class SpeakerProc {
  readonly events: SessionEv[] = [];
  private seq = 0;
  private readonly waiting = new Map<number, (v: Record<string, unknown>) => void>();
  exited = false;

  private constructor(readonly proc: ChildProcess) {}

  /** start spawns the harness in `ns` and waits until it is ready (bounded: 15 s). */
  static async start(lab: Lab, ns: Netns | undefined, opts: { nextHopV6?: string; connectTimeoutMs?: number } = {}): Promise<SpeakerProc> {
    // Without a namespace the harness runs here and may only talk to loopback peers.
    const argv = [process.execPath, '--import', 'tsx', path.join(here, 'speaker-harness.ts'), JSON.stringify(opts)];
    const [cmd, ...args] = ns ? ['ip', 'netns', 'exec', ns.name, ...argv] : argv;
    const proc = spawn(cmd!, args, {
      cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LBCTL_LOG_LEVEL: process.env.LBCTL_BGP_TEST_LOG ?? 'silent' },
    });
    lab.track(proc);
    const s = new SpeakerProc(proc);
    proc.stderr!.on('data', (d) => process.env.LBCTL_BGP_TEST_LOG && process.stderr.write(d));
    proc.on('exit', () => (s.exited = true));
    const ready = new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('speaker harness did not start within 15 s')), 15_000);
      readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
        const msg = JSON.parse(line) as Record<string, unknown>;
        if (msg.ev === 'ready') {
          clearTimeout(t);
          resolve();
        } else if (msg.ev === 'session') s.events.push(msg as unknown as SessionEv);
        else if (typeof msg.id === 'number') s.waiting.get(msg.id)?.(msg);
        else if (process.env.LBCTL_BGP_TEST_LOG) process.stderr.write(`${line}\n`); // the backend's own logs
      });
    });
    await ready;
    return s;
  }

  /** request sends one op and waits (bounded: 10 s) for its reply. */
  request(op: string, payload: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`harness did not answer ${op}`)), 10_000);
      this.waiting.set(id, (v) => {
        clearTimeout(t);
        this.waiting.delete(id);
        if (v.error) reject(new Error(String(v.error)));
        else resolve(v);
      });
      this.proc.stdin!.write(`${JSON.stringify({ id, op, ...payload })}\n`);
    });
  }

  /** setPeers replaces the peer list. */
  setPeers(peers: Peer[]): Promise<Record<string, unknown>> {
    return this.request('peers', { peers });
  }

  /** setRoutes replaces the routes per peer name; returns the harness time when they were handed over. */
  setRoutes(routes: Record<string, Route[]>): Promise<Record<string, unknown>> {
    return this.request('routes', { routes });
  }

  /** status returns sessions, totals and (with `peer`) that peer's counters. */
  status(peer?: string): Promise<Record<string, unknown>> {
    return this.request('status', { peer });
  }

  /** upCount counts 'up' events for a peer so far. */
  upCount(peer: string): number {
    return this.events.filter((e) => e.peer === peer && e.up).length;
  }

  /** stop closes the backend (Cease to every peer) and waits for the process to exit (bounded: 5 s). */
  async stop(): Promise<void> {
    if (this.exited) return;
    this.proc.stdin!.end();
    const deadline = Date.now() + 5_000;
    while (!this.exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}
