// The seams of the layer-2 announcer: what it needs from packet I/O and from the interface scan.
// src/sys implements them for real (AF_PACKET through koffi, /sys/class/net); unit tests pass fakes.
import type { Clock } from '../../clock.js';

/** FrameKind selects which frames a connection receives: ARP, or ICMPv6 neighbor solicitations. */
export type FrameKind = 'arp' | 'ndp';

/** PacketConn is one packet socket bound to one interface. */
export interface PacketConn {
  readonly ifname: string;
  readonly ifindex: number;
  /** send transmits a whole Ethernet frame; it throws a typed error when the kernel refuses it. */
  send(frame: Buffer): void;
  /** joinGroup adds a link-layer multicast membership (e.g. 33:33:ff:xx:xx:xx) on this interface. */
  joinGroup(mac: Buffer): void;
  /** leaveGroup drops a membership added by joinGroup. */
  leaveGroup(mac: Buffer): void;
  /** close stops delivery and releases the socket; calling it twice is harmless. */
  close(): void;
}

/**
 * PacketIO opens packet connections; `onFrame` receives every frame of `kind` seen on the interface.
 * An IO that has `publish` answers off the main thread instead: it decides and replies itself with
 * the announced table last published and the interface `mac`, then reports each frame to `onOutcome`
 * (and never calls `onFrame`).
 */
export interface PacketIO {
  open(iface: { name: string; index: number; mac?: Buffer }, kind: FrameKind, onFrame: (frame: Buffer) => void, onOutcome?: (o: FrameOutcome) => void): PacketConn;
  /** publish replaces the announced table an off-thread answerer uses (only such IOs have it). */
  publish?(entries: readonly PublishedIP[]): void;
}

/** PublishedIP is one announced IP as an off-thread answerer needs it. */
export interface PublishedIP {
  /** ip is the canonical text form. */
  ip: string;
  /** hex is the 4 or 16 address bytes in hex (the lookup key). */
  hex: string;
  /** interfaces restricts where it is answered; absent means every eligible interface. */
  interfaces?: string[];
}

/** FrameOutcome is what an off-thread answerer did with one frame: replied (sent or not) or dropped. */
export type FrameOutcome =
  | { action: 'reply'; ip: string; sent: boolean; error?: string }
  | { action: 'drop'; reason: DropReason; detail: string };

/** FastPathRow is one (interface, IP) pair a kernel fast path should answer for. */
export interface FastPathRow {
  ifindex: number;
  /** mac is the interface's address, the one the reply carries. */
  mac: Buffer;
  /** bytes is the address in network order (4 or 16 bytes); ip its canonical text (the metrics label). */
  bytes: Buffer;
  ip: string;
}

/**
 * FastPath answers the common ARP requests and neighbor solicitations inside the kernel; frames it
 * does not answer still reach the user-space responder, which decides them with the same rules and
 * counts why it dropped them. `sync` is given the whole wanted state after every change.
 */
export interface FastPath {
  /** sync attaches to `ifindexes` (detaching elsewhere) and makes `rows` the answered table. */
  sync(ifindexes: readonly number[], rows: readonly FastPathRow[]): void;
  /** answered returns replies sent per IP since start, rows since removed included. */
  answered(): Map<string, number>;
  /** active tells whether the kernel is answering at all (false once it refused us). */
  active(): boolean;
  close(): void;
}

/** InterfaceInfo is what the scan learns about one network interface. */
export interface InterfaceInfo {
  name: string;
  index: number;
  /** mac is the interface's hardware address (6 bytes; other lengths mean a non-Ethernet link). */
  mac: Buffer;
  /** up is IFF_UP (administratively up). */
  up: boolean;
  /** broadcast is IFF_BROADCAST. */
  broadcast: boolean;
  /** noARP is IFF_NOARP. */
  noARP: boolean;
  /** master names the bond/bridge this interface is enslaved to, if any. */
  master?: string;
  /** linkLocalV6 tells whether an fe80::/10 address is configured (needed to speak NDP). */
  linkLocalV6: boolean;
}

/** DropReason says why a received frame got no answer. */
export type DropReason = 'notOurs' | 'notRequest' | 'wrongInterface' | 'malformed';

/** DROP_REASONS lists every DropReason, for zeroed counters and metrics. */
export const DROP_REASONS: readonly DropReason[] = ['notOurs', 'notRequest', 'wrongInterface', 'malformed'];

/** Clock abstracts time so the announcement schedule is tested without sleeping (src/clock.ts). */
export type { Clock };

/** systemClock is the real clock; timers are unref'd so they never keep a process alive. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
