// Test doubles for BGP sessions: a manual clock, and a raw BGP peer on a real loopback TCP socket
// that records what it receives and sends whatever bytes a test wants (also malformed ones).
import net from 'node:net';
import type { Clock, TimerHandle } from '../../src/speaker/bgp/clock.js';
import { FrameReader, decodeMessage, type BgpMessage, type Frame } from '../../src/wire/bgp/index.js';

/** FakeClock runs timers only when a test calls advance(). */
export class FakeClock implements Clock {
  private t = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; cb: () => void }>();

  now(): number {
    return this.t;
  }

  setTimeout(cb: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, cb });
    return { id };
  }

  clearTimeout(h: TimerHandle): void {
    this.timers.delete((h as { id: number }).id);
  }

  /** advance moves time forward, firing due timers in order (including ones they schedule). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      const next = [...this.timers].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].cb();
    }
    this.t = end;
  }

  /** pending lists the delays of armed timers from now (for asserting backoff and keepalive). */
  pending(): number[] {
    return [...this.timers.values()].map((x) => x.at - this.t).sort((a, b) => a - b);
  }
}

/** PeerConn is one accepted connection of a RawPeer. */
export interface PeerConn {
  socket: net.Socket;
  frames: Frame[];
  messages: BgpMessage[];
  closed: boolean;
  /** decodeError records a frame the peer could not decode (with as4 decoding). */
  decodeError?: unknown;
}

/** RawPeer listens on 127.0.0.1 and records every connection. */
export class RawPeer {
  readonly conns: PeerConn[] = [];
  private server: net.Server | undefined;
  port = 0;

  constructor(private readonly onConn?: (c: PeerConn) => void) {}

  /** listen starts accepting on an ephemeral loopback port. */
  async listen(host = '127.0.0.1'): Promise<void> {
    this.server = net.createServer((socket) => {
      const c: PeerConn = { socket, frames: [], messages: [], closed: false };
      const reader = new FrameReader();
      socket.on('data', (d: Buffer) => {
        try {
          for (const f of reader.push(d)) {
            c.frames.push(f);
            c.messages.push(decodeMessage(f, { as4: true }));
          }
        } catch (e) {
          c.decodeError = e;
        }
      });
      socket.on('error', () => { /* resets are part of the tests */ });
      socket.on('close', () => (c.closed = true));
      this.conns.push(c);
      this.onConn?.(c);
    });
    await new Promise<void>((r) => this.server!.listen(0, host, r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** last is the most recent connection. */
  last(): PeerConn | undefined {
    return this.conns.at(-1);
  }

  /** close stops listening and destroys every connection. */
  async close(): Promise<void> {
    for (const c of this.conns) c.socket.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** kinds lists the message kinds a connection received, e.g. ['open', 'keepalive', 'update']. */
export function kinds(c: PeerConn): string[] {
  return c.messages.map((m) => m.kind);
}
