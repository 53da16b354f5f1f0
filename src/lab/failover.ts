// One measured failover, as the client sees it: the ARP probe asks for the VIP every few ms, the
// owner's speaker is killed (SIGKILL: unplanned) or stopped (SIGTERM: planned), and the time from
// the signal to the first answer from another MAC is the failover time. The capture is also
// checked for rounds answered by two MACs, and the client's kernel ARP entry for the VIP must
// follow the new owner.
import { createInterface } from 'node:readline';
import type { LabCluster } from './cluster.js';
import { analyseCapture, type ProbeRecord } from './probe-format.js';
import { alive, waitUntil } from './procs.js';

/** FailoverResult is one measurement. */
export interface FailoverResult {
  signal: 'SIGKILL' | 'SIGTERM';
  vip: string;
  from: string;
  to: string;
  /** ms from the signal to the first reply or gratuitous ARP from the new owner. */
  ms: number;
  /** conflicts: probe rounds answered by two MACs (must be empty). */
  conflicts: { seq: number; macs: string[] }[];
  /** neighbor is the client's kernel ARP entry's MAC after the move. */
  neighbor?: string;
  neighborFollowed: boolean;
  replies: number;
}

/** measureFailover kills the current owner of `vip` with `signal` and times the takeover. */
export async function measureFailover(lab: LabCluster, vip: string, signal: 'SIGKILL' | 'SIGTERM', intervalMs = 5): Promise<FailoverResult> {
  const client = lab.net.nsOf('client');
  try { lab.net.exec(client, 'ping', ['-c', '1', '-W', '1', vip], 5000); } catch { /* no echo reply expected: the VIP has no stack behind it; the ARP entry is the point */ }
  const probe = lab.probe(vip, intervalMs, 30_000);
  const records: ProbeRecord[] = [];
  createInterface({ input: probe.child.stdout! }).on('line', (l) => { try { records.push(JSON.parse(l) as ProbeRecord); } catch { /* partial line at exit */ } });
  try {
    const oldMac = await waitUntil(`a stable owner of ${vip}`, () => stableOwner(records), 15_000);
    const from = lab.memberByMac(oldMac)?.name ?? oldMac;
    const proc = lab.speakers.get(from);
    if (!proc || !alive(proc)) throw new Error(`lab: the owner of ${vip} (${from}) is not a running speaker`);
    const t0 = Date.now();
    proc.child.kill(signal);
    const first = await waitUntil(`another node to answer for ${vip}`, () => records.find((r) => r.t >= t0 && r.kind !== 'ready' && r.mac !== oldMac), 15_000, 2);
    await new Promise((r) => setTimeout(r, 300)); // keep listening: a late answer from the old owner would show here
    const a = analyseCapture(records, oldMac, t0);
    const neighbor = await waitUntil('the client ARP entry', () => neighborMac(lab, vip, first.mac), 3000, 20).catch(() => neighborMac(lab, vip));
    return {
      signal, vip, from, to: lab.memberByMac(first.mac)?.name ?? first.mac, ms: first.t - t0, conflicts: a.conflicts,
      neighbor, neighborFollowed: neighbor === first.mac, replies: records.filter((r) => r.kind === 'reply').length,
    };
  } finally {
    if (alive(probe)) probe.child.kill('SIGTERM');
    await probe.exited;
  }
}

// The owner is stable once the last 5 replies came from one MAC.
function stableOwner(records: readonly ProbeRecord[]): string | undefined {
  const replies = records.filter((r) => r.kind === 'reply').slice(-5);
  if (replies.length < 5) return undefined;
  return replies.every((r) => r.mac === replies[0]!.mac) ? replies[0]!.mac : undefined;
}

// The client's kernel neighbour entry for the VIP (with `want`, only once it equals want).
function neighborMac(lab: LabCluster, vip: string, want?: string): string | undefined {
  const out = lab.net.exec(lab.net.nsOf('client'), 'ip', ['neigh', 'show', vip, 'dev', 'eth0']);
  const mac = /lladdr ([0-9a-f:]{17})/.exec(out)?.[1];
  return want === undefined || mac === want ? mac : undefined;
}
