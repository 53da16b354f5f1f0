// The shared reader behind the default 'poll' PacketIO: one poll() on a koffi worker thread waits on
// every packet socket plus an eventfd; when it returns, the main thread drains the ready sockets with
// non-blocking recv(). The eventfd re-arms the poll when the socket set changes, and fds are closed
// only once no poll() is looking at them (fd numbers are reused by the kernel).
import { SysError, libc, type Libc } from './packet-libc.js';

const SOCK_NONBLOCK = 0x800;
const SOCK_CLOEXEC = 0x80000;
const MSG_DONTWAIT = 0x40;
const POLLIN = 1;
const MAX_FRAME = 2048;

interface Registered {
  fd: number;
  onFrame: (frame: Buffer) => void;
  closing: boolean;
}

/** PacketPoller multiplexes packet sockets over one async poll(); packetIO() creates it. */
export class PacketPoller {
  private readonly c: Libc;
  private readonly socks = new Map<number, Registered>();
  private readonly wakeFd: number;
  private readonly rxBuf = Buffer.alloc(MAX_FRAME);
  private polling = false;
  private stopped = false;

  constructor(c: Libc = libc()) {
    this.c = c;
    this.wakeFd = c.eventfd(0, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (this.wakeFd < 0) throw new SysError('eventfd', c.errno(), '');
  }

  /** add starts delivering frames from `fd`. */
  add(fd: number, onFrame: (frame: Buffer) => void): void {
    this.socks.set(fd, { fd, onFrame, closing: false });
    this.rearm();
  }

  /** remove stops delivery and closes `fd` once no poll() is looking at it (fd numbers get reused). */
  remove(fd: number): void {
    const s = this.socks.get(fd);
    if (!s || s.closing) return;
    s.closing = true;
    if (this.polling) this.wake();
    else this.reap();
  }

  /** stop closes every socket and the wake fd; pending poll() returns through the wake. */
  stop(): void {
    for (const fd of this.socks.keys()) this.remove(fd);
    this.stopped = true;
    if (this.polling) this.wake();
    else this.c.close(this.wakeFd);
  }

  private wake(): void {
    const one = Buffer.alloc(8);
    one.writeBigUInt64LE(1n);
    this.c.write(this.wakeFd, one, 8);
  }

  private reap(): void {
    for (const [fd, s] of this.socks) {
      if (!s.closing) continue;
      this.socks.delete(fd);
      this.c.close(fd);
    }
  }

  private rearm(): void {
    if (this.polling) return this.wake();
    if (this.stopped) return;
    const live = [...this.socks.values()].filter((s) => !s.closing);
    if (live.length === 0) return; // nothing to wait for: let the process exit
    const fds = Buffer.alloc(8 * (live.length + 1));
    [this.wakeFd, ...live.map((s) => s.fd)].forEach((fd, i) => {
      fds.writeInt32LE(fd, i * 8);
      fds.writeInt16LE(POLLIN, i * 8 + 4);
    });
    this.polling = true;
    this.c.pollAsync(fds, live.length + 1, -1, () => this.onPolled(fds, live));
  }

  private onPolled(fds: Buffer, live: Registered[]): void {
    this.polling = false;
    if (fds.readInt16LE(6) !== 0) this.c.read(this.wakeFd, Buffer.alloc(8), 8);
    live.forEach((s, i) => {
      if (fds.readInt16LE((i + 1) * 8 + 6) !== 0 && !s.closing) this.drain(s);
    });
    this.reap();
    if (this.stopped) this.c.close(this.wakeFd);
    else this.rearm();
  }

  /** drain reads until EAGAIN (bounded, so one flooded socket cannot starve the others). */
  private drain(s: Registered): void {
    for (let i = 0; i < 256 && !s.closing; i++) {
      const n = Number(this.c.recv(s.fd, this.rxBuf, MAX_FRAME, MSG_DONTWAIT));
      if (n <= 0) return;
      try {
        s.onFrame(Buffer.from(this.rxBuf.subarray(0, n)));
      } catch {
        // A handler bug must not stop the socket; responders count their own failures.
      }
    }
  }
}
