// The arp-probe's record format and the pure analysis of a capture: who answered each round, when
// the owner changed, and whether two owners ever answered one round.
import type { ArpFrame } from '../wire/arp.js';
import { ArpOperation } from '../wire/arp.js';

/** ProbeRecord is one line of arp-probe output. */
export interface ProbeRecord {
  kind: 'ready' | 'reply' | 'garp';
  /** t is wall-clock ms. */
  t: number;
  /** seq is the number of the last request sent before this frame arrived. */
  seq: number;
  mac: string;
}

/** formatMAC renders 6 bytes as aa:bb:cc:dd:ee:ff. */
export function formatMAC(b: Buffer): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** ipBytes parses dotted IPv4 into 4 bytes. */
export function ipBytes(ip: string): Buffer {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`arp-probe: ${JSON.stringify(ip)} is not an IPv4 address`);
  return Buffer.from(parts);
}

/** probeRecord classifies an ARP frame sent by the VIP's owner: a reply, or gratuitous (spa == tpa). */
export function probeRecord(f: ArpFrame, seq: number, t: number): ProbeRecord | undefined {
  const gratuitous = f.arp.senderIP.equals(f.arp.targetIP);
  if (gratuitous) return { kind: 'garp', t, seq, mac: formatMAC(f.arp.senderMAC) };
  if (f.arp.operation === ArpOperation.Reply) return { kind: 'reply', t, seq, mac: formatMAC(f.arp.senderMAC) };
  return undefined;
}

/** CaptureAnalysis summarises a probe capture around one failover. */
export interface CaptureAnalysis {
  /** conflicts are rounds answered by more than one MAC (two owners at once). */
  conflicts: { seq: number; macs: string[] }[];
  /** firstAfter is the first reply or GARP from `newMac` at or after `since` (ms), if any. */
  firstAfter?: ProbeRecord;
  /** lastOld is the last reply from `oldMac`. */
  lastOld?: ProbeRecord;
}

/** analyseCapture finds conflicts and the takeover moment. */
export function analyseCapture(records: readonly ProbeRecord[], oldMac: string, since: number): CaptureAnalysis {
  const byRound = new Map<number, Set<string>>();
  for (const r of records) {
    if (r.kind !== 'reply') continue;
    let s = byRound.get(r.seq);
    if (!s) byRound.set(r.seq, (s = new Set()));
    s.add(r.mac);
  }
  const conflicts = [...byRound].filter(([, macs]) => macs.size > 1).map(([seq, macs]) => ({ seq, macs: [...macs].sort() }));
  const out: CaptureAnalysis = { conflicts };
  const first = records.find((r) => r.t >= since && r.kind !== 'ready' && r.mac !== oldMac);
  if (first) out.firstAfter = first;
  const old = [...records].reverse().find((r) => r.kind === 'reply' && r.mac === oldMac);
  if (old) out.lastOld = old;
  return out;
}
