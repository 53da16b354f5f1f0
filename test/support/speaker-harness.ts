// A speaker process for integration tests: runs a NativeBackend inside a network namespace and is
// driven over stdin/stdout with JSON lines. Requests: {id, op: 'peers'|'routes'|'status'|'close', ...};
// replies: {id, ...}; events: {ev: 'session', peer, up, reason, t}. Exits when stdin closes.
import readline from 'node:readline';
import { NativeBackend } from '../../src/speaker/bgp/native.js';
import { dialBgp } from '../../src/sys/bgp-dial.js';
import type { Peer } from '../../src/model/index.js';
import type { Route } from '../../src/speaker/bgp/route.js';

const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const opts = JSON.parse(process.argv[2] ?? '{}') as { nextHopV6?: string; connectTimeoutMs?: number };
const backend = new NativeBackend({ dial: dialBgp, nodeName: 'harness', ...opts });
backend.onSessionChange((s) => out({ ev: 'session', ...s, t: Date.now() }));

async function handle(req: { id: number; op: string; peers?: Peer[]; routes?: Record<string, Route[]>; peer?: string }): Promise<unknown> {
  switch (req.op) {
    case 'peers':
      backend.setPeers(req.peers ?? [], []);
      return {};
    case 'routes':
      backend.setRoutes(new Map(Object.entries(req.routes ?? {})));
      return { t: Date.now() };
    case 'status': {
      const st = backend.stats();
      return { sessions: backend.sessions(), updatesSent: st.updatesSent, bytesSent: st.bytesSent, counters: req.peer ? backend.peerCounters(req.peer) : undefined };
    }
    case 'close':
      await backend.close();
      return {};
    default:
      throw new Error(`unknown op ${req.op}`);
  }
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const req = JSON.parse(line);
  handle(req).then((r) => out({ id: req.id, ...(r as object) }), (e: Error) => out({ id: req.id, error: e.message }));
});
rl.on('close', () => void backend.close().then(() => process.exit(0)));
out({ ev: 'ready', pid: process.pid });
