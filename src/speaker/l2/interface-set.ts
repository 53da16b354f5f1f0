// The responders' sockets, one ARP and one NDP connection per eligible interface, kept in step with
// periodic interface scans. Opening, closing and reopening (MAC or ifindex changed) happen here; what
// to do with a frame is the caller's `onFrame`.
import type { Logger } from '../../log.js';
import { arpEligibility, ndpEligibility } from './eligibility.js';
import type { FrameKind, FrameOutcome, InterfaceInfo, PacketConn, PacketIO } from './types.js';

/** Responding is one interface with its open connections. */
export interface Responding {
  info: InterfaceInfo;
  arp?: PacketConn;
  ndp?: PacketConn;
}

/** ScanChange reports what one sync did, for logs and for the caller to re-join groups. */
export interface ScanChange {
  opened: { name: string; kind: FrameKind }[];
  closed: { name: string; kind: FrameKind; why: string }[];
  failed: { name: string; kind: FrameKind; error: string }[];
}

/** InterfaceSet owns the packet connections of every eligible interface. */
export class InterfaceSet {
  private readonly byName = new Map<string, Responding>();

  constructor(
    private readonly io: PacketIO,
    private readonly onFrame: (r: Responding, kind: FrameKind, frame: Buffer) => void,
    private readonly onClose: (conn: PacketConn) => void,
    private readonly log?: Logger,
    /** onOutcome receives the reports of an IO that answers off the main thread. */
    private readonly onOutcome?: (r: Responding, kind: FrameKind, o: FrameOutcome) => void,
  ) {}

  /** sync applies one scan: opens responders on newly eligible interfaces, closes the rest. */
  sync(scan: readonly InterfaceInfo[]): ScanChange {
    const change: ScanChange = { opened: [], closed: [], failed: [] };
    const seen = new Set<string>();
    for (const info of scan) {
      seen.add(info.name);
      let r = this.byName.get(info.name);
      if (r && (r.info.index !== info.index || !r.info.mac.equals(info.mac))) {
        this.closeAll(r, 'address or index changed', change);
        r = undefined;
      }
      r ??= { info };
      r.info = info;
      this.byName.set(info.name, r);
      const arp = arpEligibility(info);
      const ndp = ndpEligibility(info);
      this.ensure(r, 'arp', arp.eligible ? undefined : arp.detail, change);
      this.ensure(r, 'ndp', ndp.eligible ? undefined : ndp.detail, change);
      if (!r.arp && !r.ndp) this.byName.delete(info.name);
    }
    for (const [name, r] of this.byName) {
      if (seen.has(name)) continue;
      this.closeAll(r, 'interface is gone', change);
      this.byName.delete(name);
    }
    return change;
  }

  /** names lists the interfaces that answer `kind`, in name order. */
  names(kind: FrameKind): string[] {
    return [...this.byName.values()].filter((r) => r[kind]).map((r) => r.info.name).sort();
  }

  /** get returns one interface's responders. */
  get(name: string): Responding | undefined {
    return this.byName.get(name);
  }

  /** closeEverything closes every connection (shutdown). */
  closeEverything(): void {
    const change: ScanChange = { opened: [], closed: [], failed: [] };
    for (const r of this.byName.values()) this.closeAll(r, 'shutdown', change);
    this.byName.clear();
  }

  private ensure(r: Responding, kind: FrameKind, ineligible: string | undefined, change: ScanChange): void {
    const conn = r[kind];
    if (ineligible !== undefined) {
      if (conn) this.closeOne(r, kind, ineligible, change);
      return;
    }
    if (conn) return;
    try {
      const info = r.info;
      r[kind] = this.io.open({ name: info.name, index: info.index, mac: info.mac }, kind, (frame) => this.onFrame(r, kind, frame), (o) => this.onOutcome?.(r, kind, o));
      change.opened.push({ name: r.info.name, kind });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      change.failed.push({ name: r.info.name, kind, error });
      this.log?.warn({ interface: r.info.name, kind, error }, 'cannot open packet socket');
    }
  }

  private closeAll(r: Responding, why: string, change: ScanChange): void {
    this.closeOne(r, 'arp', why, change);
    this.closeOne(r, 'ndp', why, change);
  }

  private closeOne(r: Responding, kind: FrameKind, why: string, change: ScanChange): void {
    const conn = r[kind];
    if (!conn) return;
    delete r[kind];
    this.onClose(conn);
    conn.close();
    change.closed.push({ name: r.info.name, kind, why });
  }
}
