// Fakes for the layer-2 seams: a PacketIO that records sends and lets tests inject frames, a manual
// clock, and InterfaceInfo builders.
import type { Clock, FrameKind, InterfaceInfo, PacketConn, PacketIO } from '../../../src/speaker/l2/types.js';
import { parseMAC } from '../../../src/wire/ethernet.js';

/** FakeConn records what the announcer does with one socket. */
export class FakeConn implements PacketConn {
  sent: Buffer[] = [];
  joined: string[] = [];
  left: string[] = [];
  closed = false;
  failSends = false;
  constructor(readonly ifname: string, readonly ifindex: number, readonly kind: FrameKind, readonly deliver: (f: Buffer) => void) {}
  send(frame: Buffer): void {
    if (this.failSends) throw Object.assign(new Error('sys: send failed: errno 105 (ENOBUFS)'), { code: 'sys.send' });
    this.sent.push(frame);
  }
  joinGroup(mac: Buffer): void { this.joined.push(mac.toString('hex')); }
  leaveGroup(mac: Buffer): void { this.left.push(mac.toString('hex')); }
  close(): void { this.closed = true; }
  /** groups is the current membership as the kernel would see it. */
  groups(): string[] {
    const n = new Map<string, number>();
    for (const g of this.joined) n.set(g, (n.get(g) ?? 0) + 1);
    for (const g of this.left) n.set(g, (n.get(g) ?? 0) - 1);
    return [...n].filter(([, c]) => c > 0).map(([g]) => g).sort();
  }
}

/** FakeIO opens FakeConns and keeps every one it opened. */
export class FakeIO implements PacketIO {
  conns: FakeConn[] = [];
  failOpen = new Set<string>();
  open(iface: { name: string; index: number }, kind: FrameKind, onFrame: (f: Buffer) => void): PacketConn {
    if (this.failOpen.has(iface.name)) throw new Error(`sys: socket AF_PACKET ${kind} failed: errno 1 (EPERM)`);
    const c = new FakeConn(iface.name, iface.index, kind, onFrame);
    this.conns.push(c);
    return c;
  }
  /** live returns the open connection for an interface and kind. */
  live(name: string, kind: FrameKind): FakeConn | undefined {
    return this.conns.find((c) => c.ifname === name && c.kind === kind && !c.closed);
  }
}

/** ManualClock runs timers only when advanced. */
export class ManualClock implements Clock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number { return this.t; }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(h: unknown): void { this.timers = this.timers.filter((x) => x.id !== h); }
  /** advance moves time forward, firing due timers in order (bounded). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
  pending(): number { return this.timers.length; }
}

/** iface builds an eligible Ethernet interface; override fields to make it ineligible. */
export function iface(name: string, index: number, mac: string, over: Partial<InterfaceInfo> = {}): InterfaceInfo {
  return { name, index, mac: parseMAC(mac), up: true, broadcast: true, noARP: false, linkLocalV6: true, ...over };
}
