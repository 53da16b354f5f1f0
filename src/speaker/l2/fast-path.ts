// What the kernel fast path is told and what it adds to the counters, kept apart from the
// announcer: the (interface, IP) table is exactly the one the user-space responders answer from,
// so the kernel never answers where user space would not.
import type { Family } from '../../model/ip.js';
import { interfacesFor } from './eligibility.js';
import type { InterfaceSet } from './interface-set.js';
import type { L2StatsSnapshot } from './stats.js';
import type { FastPathRow } from './types.js';

/** OwnedIP is what the table needs of one announced IP. */
export interface OwnedIP {
  ip: string;
  family: Family;
  bytes: Buffer;
  interfaces?: ReadonlySet<string>;
}

/** fastPathTable lists the answering interfaces and one row per owned IP per interface it is answered on. */
export function fastPathTable(ifaces: Pick<InterfaceSet, 'names' | 'get'>, owned: Iterable<OwnedIP>): { ifindexes: number[]; rows: FastPathRow[] } {
  const ifindexes = new Set<number>();
  for (const kind of ['arp', 'ndp'] as const) for (const name of ifaces.names(kind)) ifindexes.add(ifaces.get(name)!.info.index);
  const rows: FastPathRow[] = [];
  for (const e of owned) {
    for (const name of interfacesFor(ifaces.names(e.family === 4 ? 'arp' : 'ndp'), e.interfaces)) {
      const info = ifaces.get(name)!.info;
      rows.push({ ifindex: info.index, mac: info.mac, bytes: e.bytes, ip: e.ip });
    }
  }
  return { ifindexes: [...ifindexes], rows };
}

/** withKernelReplies counts each kernel reply as one request received and one response sent. */
export function withKernelReplies(snap: L2StatsSnapshot, answered: Iterable<[string, number]>): L2StatsSnapshot {
  for (const [ip, n] of answered) {
    snap.requestsReceived[ip] = (snap.requestsReceived[ip] ?? 0) + n;
    snap.responsesSent[ip] = (snap.responsesSent[ip] ?? 0) + n;
  }
  return snap;
}
