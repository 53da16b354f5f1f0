// IPv6-level joins of solicited-node groups, so the kernel sends MLD reports for them. The AF_PACKET
// membership alone only opens the NIC's multicast filter; a switch doing MLD snooping would not
// forward solicitations to us without a report. A UDP6 socket's IPV6_JOIN_GROUP does both.
import dgram from 'node:dgram';

/** solicitedNodeGroupOf maps 33:33:ff:aa:bb:cc back to ff02::1:ffaa:bbcc; undefined for other MACs. */
export function solicitedNodeGroupOf(mac: Buffer): string | undefined {
  if (mac.length !== 6 || mac[0] !== 0x33 || mac[1] !== 0x33 || mac[2] !== 0xff) return undefined;
  const h = (b: number) => b.toString(16).padStart(2, '0');
  return `ff02::1:ff${h(mac[3]!)}:${((mac[4]! << 8) | mac[5]!).toString(16)}`;
}

/** MldMembership holds IPv6 group joins on one interface through one lazily bound UDP6 socket. */
export class MldMembership {
  private sock: dgram.Socket | undefined;
  private ready = false;
  private readonly pending: ((s: dgram.Socket) => void)[] = [];

  /** onError receives failures (best effort: the link-layer membership still works without MLD). */
  constructor(private readonly ifname: string, private readonly onError: (e: Error) => void = () => {}) {}

  /** join adds `group` (an ff02:: address) on this interface. */
  join(group: string): void {
    this.run((s) => s.addMembership(group, `::%${this.ifname}`));
  }

  /** leave drops a group added by join. */
  leave(group: string): void {
    this.run((s) => s.dropMembership(group, `::%${this.ifname}`));
  }

  /** close releases the socket; the kernel drops its groups with it. */
  close(): void {
    this.pending.length = 0;
    try {
      this.sock?.close();
    } catch {
      // already closed
    }
    this.sock = undefined;
  }

  private run(op: (s: dgram.Socket) => void): void {
    const s = this.open();
    if (!this.ready) {
      this.pending.push(op);
      return;
    }
    this.apply(s, op);
  }

  private apply(s: dgram.Socket, op: (s: dgram.Socket) => void): void {
    try {
      op(s);
    } catch (e) {
      this.onError(e as Error);
    }
  }

  private open(): dgram.Socket {
    if (this.sock) return this.sock;
    const s = dgram.createSocket({ type: 'udp6', reuseAddr: true });
    this.sock = s;
    s.on('error', (e) => this.onError(e));
    s.bind(0, '::', () => {
      if (this.sock !== s) return;
      this.ready = true;
      for (const op of this.pending.splice(0)) this.apply(s, op);
    });
    s.unref();
    return s;
  }
}
