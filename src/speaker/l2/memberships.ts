// Reference-counted link-layer multicast memberships. Several IPv6 VIPs can share one solicited-node
// group (same low 24 bits), so the group is joined with the first user and left with the last.
import type { PacketConn } from './types.js';

/** GroupMemberships tracks joins per connection (interface) and per group MAC. */
export class GroupMemberships {
  private readonly counts = new Map<PacketConn, Map<string, number>>();

  /** join adds one user of `mac` on `conn`; only the first user touches the socket. */
  join(conn: PacketConn, mac: Buffer): void {
    const groups = this.groupsOf(conn);
    const key = mac.toString('hex');
    const n = groups.get(key) ?? 0;
    if (n === 0) conn.joinGroup(mac);
    groups.set(key, n + 1);
  }

  /** leave removes one user; the last one leaves the group. Unknown groups are ignored. */
  leave(conn: PacketConn, mac: Buffer): void {
    const groups = this.counts.get(conn);
    const key = mac.toString('hex');
    const n = groups?.get(key) ?? 0;
    if (!groups || n === 0) return;
    if (n === 1) {
      groups.delete(key);
      conn.leaveGroup(mac);
    } else {
      groups.set(key, n - 1);
    }
  }

  /** forget drops every count for a connection that is being closed (the kernel drops its groups). */
  forget(conn: PacketConn): void {
    this.counts.delete(conn);
  }

  /** users returns how many IPs hold `mac` on `conn`. */
  users(conn: PacketConn, mac: Buffer): number {
    return this.counts.get(conn)?.get(mac.toString('hex')) ?? 0;
  }

  private groupsOf(conn: PacketConn): Map<string, number> {
    let g = this.counts.get(conn);
    if (!g) {
      g = new Map();
      this.counts.set(conn, g);
    }
    return g;
  }
}
