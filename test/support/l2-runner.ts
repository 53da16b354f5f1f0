// A Layer2Announcer in a child process, so a test can run one inside a network namespace
// (`ip netns exec NS node --import tsx l2-runner.ts`). It reads one JSON command per stdin line and
// answers one JSON line on stdout: {id, ok, result|error}. It exits when stdin closes, so a test
// that dies never leaves it behind. Commands: set {ips}, elect {node, inputs, mode}, reannounce {ip},
// counters, responding, rescan, close.
import os from 'node:os';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { Layer2Announcer, type AnnouncementSpec } from '../../src/speaker/l2/announcer.js';
import { packetIO } from '../../src/sys/packet-socket.js';
import { scanInterfaces } from '../../src/sys/interfaces.js';
import { kernelFastPath, type KernelResponderMode } from '../../src/speaker/wiring.js';
import { announcementsFor, electAll, type ElectionInput, type PlacementMode } from '../../src/speaker/election.js';

interface Command {
  id: number;
  op: 'set' | 'elect' | 'reannounce' | 'counters' | 'responding' | 'rescan' | 'close' | 'now';
  ips?: Record<string, AnnouncementSpec>;
  /** elect: this node's name, the election inputs (the cluster view) and the placement mode. */
  node?: string;
  inputs?: ElectionInput[];
  mode?: PlacementMode;
  ip?: string;
}

// L2_NICE lets the benchmark measure a raised scheduling priority (a deployment knob, off by default).
if (process.env.L2_NICE) os.setPriority(Number(process.env.L2_NICE));
// L2_BUSY_MS simulates a daemon whose main thread is sometimes busy (large informer lists, BGP):
// it blocks the event loop for that long every 20 ms, to show which readers depend on it.
const busyMs = Number(process.env.L2_BUSY_MS ?? 0);
if (busyMs > 0) {
  setInterval(() => {
    const end = performance.now() + busyMs;
    while (performance.now() < end);
  }, 20).unref();
}
const reader = process.env.L2_READER === 'poll' || process.env.L2_READER === 'worker' ? process.env.L2_READER : 'stream';
const io = packetIO({ reader });
// Logs go to stderr: stdout carries the JSON protocol.
const logger = pino({ level: process.env.LBCTL_LOG_LEVEL ?? 'silent' }, pino.destination(2)).child({ component: 'layer2' });
// L2_KERNEL picks the in-kernel fast path; off by default here so the reader tests see every frame
// (the speaker's own default is auto: see test/integration/l2/kernel.test.ts and the daemon tests).
const fastPath = kernelFastPath((process.env.L2_KERNEL ?? 'off') as KernelResponderMode, logger);
const announcer = new Layer2Announcer({ io, logger, fastPath, scan: () => scanInterfaces(), rescanMs: Number(process.env.L2_RESCAN_MS ?? 1000) });
announcer.start();

function handle(cmd: Command): unknown {
  switch (cmd.op) {
    case 'set': {
      // `at` is taken before the call: the moment this node learns it owns (or lost) the IPs.
      const at = performance.timeOrigin + performance.now();
      return { statuses: announcer.setAnnouncements(cmd.ips ?? {}), at };
    }
    case 'elect': {
      // What the speaker does when liveness or services change: elect, then announce what it won.
      const at = performance.timeOrigin + performance.now();
      const placement = electAll(cmd.inputs ?? [], cmd.mode ?? 'hash');
      const mine = announcementsFor(placement.elections.values(), cmd.node ?? '');
      return { statuses: announcer.setAnnouncements(mine), at, winners: Object.fromEntries([...placement.elections].map(([ip, e]) => [ip, e.winner ?? e.reason])) };
    }
    case 'reannounce':
      announcer.reannounce(cmd.ip ?? '');
      return null;
    case 'counters':
      return { ...announcer.counters(), kernelAnswering: announcer.kernelAnswering() };
    case 'responding':
      return announcer.responding();
    case 'rescan':
      announcer.rescan();
      return announcer.responding();
    case 'now':
      return performance.timeOrigin + performance.now();
    case 'close':
      shutdown();
      return null;
  }
}

function shutdown(): void {
  announcer.close();
  io.stop();
  setTimeout(() => process.exit(0), 50).unref();
}

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let cmd: Command;
  try {
    cmd = JSON.parse(line) as Command;
  } catch {
    return;
  }
  try {
    process.stdout.write(JSON.stringify({ id: cmd.id, ok: true, result: handle(cmd) }) + '\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: cmd.id, ok: false, error: String(e) }) + '\n');
  }
});
rl.on('close', shutdown);
process.stdout.write(JSON.stringify({ id: 0, ok: true, result: 'ready' }) + '\n');
