// AF_PACKET sockets through koffi: the real PacketIO behind the layer-2 announcer. Three readers,
// measured in test/bench/l2.ts and compared in docs/design/layer2.md (the third, 'worker', answers on
// a worker thread end to end: packet-worker.ts):
//  - 'stream' (default): libuv watches (a dup of) the fd itself through a Pipe handle, so the main
//    thread's epoll wakes straight into a 'data' callback: no extra thread, one hop per frame, and
//    the better p99 of the two main-thread readers. It needs process.binding('pipe_wrap'); without it we fall back to poll;
//  - 'poll': one shared poll() on a koffi worker thread over every socket, then non-blocking recv()
//    on the main thread; an eventfd re-arms it when the socket set changes. Public APIs only.
// Sends are always a synchronous send() through koffi (one frame per call, never coalesced).
import net from 'node:net';
import type { FrameKind, PacketConn, PacketIO } from '../speaker/l2/types.js';
import { SysError, libc, type Libc, type SockFilter } from './packet-libc.js';
import { MldMembership, solicitedNodeGroupOf } from './packet-mld.js';
import { PacketPoller } from './packet-poller.js';
import { WorkerAnswerer } from './packet-worker.js';

const AF_PACKET = 17;
const SOCK_RAW = 3;
const SOCK_NONBLOCK = 0x800;
const SOCK_CLOEXEC = 0x80000;
const SOL_SOCKET = 1;
const SO_ATTACH_FILTER = 26;
const SO_RCVTIMEO = 20;
const SOL_PACKET = 263;
const PACKET_ADD_MEMBERSHIP = 1;
const PACKET_DROP_MEMBERSHIP = 2;
const PACKET_MR_MULTICAST = 0;
const PACKET_IGNORE_OUTGOING = 23;
const ETH_P = { arp: 0x0806, ndp: 0x86dd } as const;

/**
 * NS_ONLY_FILTER is classic BPF accepting only IPv6 frames carrying ICMPv6 type 135 directly after
 * the fixed header, so a busy node does not copy all its IPv6 traffic into the responder.
 */
const NS_ONLY_FILTER: SockFilter[] = [
  { code: 0x28, jt: 0, jf: 0, k: 12 }, // ldh [12]      EtherType
  { code: 0x15, jt: 0, jf: 5, k: 0x86dd }, // jeq IPv6
  { code: 0x30, jt: 0, jf: 0, k: 20 }, // ldb [20]      next header
  { code: 0x15, jt: 0, jf: 3, k: 58 }, // jeq ICMPv6
  { code: 0x30, jt: 0, jf: 0, k: 54 }, // ldb [54]      ICMPv6 type
  { code: 0x15, jt: 0, jf: 1, k: 135 }, // jeq NS
  { code: 0x06, jt: 0, jf: 0, k: 0x40000 }, // ret accept
  { code: 0x06, jt: 0, jf: 0, k: 0 }, // ret drop
];

/** PacketSocketOptions tune openPacketSocket for tools (probers); responders use the defaults. */
export interface PacketSocketOptions {
  /** blockingTimeoutMs makes reads block, ending after this long (SO_RCVTIMEO); default non-blocking. */
  blockingTimeoutMs?: number;
  /** allIPv6 skips the solicitation-only filter on 'ndp' sockets (a prober must see advertisements). */
  allIPv6?: boolean;
}

/** openPacketSocket creates an AF_PACKET socket bound to one interface for `kind`. */
export function openPacketSocket(c: Libc, ifindex: number, kind: FrameKind, opts: PacketSocketOptions = {}): number {
  const blockingTimeoutMs = opts.blockingTimeoutMs;
  const proto = ETH_P[kind];
  const flags = blockingTimeoutMs === undefined ? SOCK_NONBLOCK : 0;
  const fd = c.socket(AF_PACKET, SOCK_RAW | flags | SOCK_CLOEXEC, htons(proto));
  if (fd < 0) throw new SysError('socket', c.errno(), `AF_PACKET ${kind}`);
  try {
    const one = Buffer.alloc(4);
    one.writeInt32LE(1);
    // Frames this host sends (the kernel's own ARP, our replies) are not requests to us.
    c.setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, one, 4);
    if (blockingTimeoutMs !== undefined) {
      const tv = Buffer.alloc(16); // struct timeval: so a blocking read always ends
      tv.writeBigInt64LE(BigInt(Math.floor(blockingTimeoutMs / 1000)), 0);
      tv.writeBigInt64LE(BigInt((blockingTimeoutMs % 1000) * 1000), 8);
      c.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
    }
    if (kind === 'ndp' && !opts.allIPv6 && c.setsockoptFilter(fd, SOL_SOCKET, SO_ATTACH_FILTER, { len: NS_ONLY_FILTER.length, filter: NS_ONLY_FILTER }, 16) < 0) {
      throw new SysError('setsockopt', c.errno(), 'SO_ATTACH_FILTER');
    }
    const sll = Buffer.alloc(20);
    sll.writeUInt16LE(AF_PACKET, 0);
    sll.writeUInt16BE(proto, 2);
    sll.writeInt32LE(ifindex, 4);
    if (c.bind(fd, sll, 20) < 0) throw new SysError('bind', c.errno(), `ifindex ${ifindex}`);
    return fd;
  } catch (e) {
    c.close(fd);
    throw e;
  }
}

function htons(v: number): number {
  return ((v & 0xff) << 8) | (v >> 8);
}

/** membership builds struct packet_mreq for a multicast MAC on an interface. */
function membership(ifindex: number, mac: Buffer): Buffer {
  const mreq = Buffer.alloc(16);
  mreq.writeInt32LE(ifindex, 0);
  mreq.writeUInt16LE(PACKET_MR_MULTICAST, 4);
  mreq.writeUInt16LE(6, 6);
  mac.copy(mreq, 8);
  return mreq;
}

class SocketConn implements PacketConn {
  private closed = false;
  /** mld mirrors solicited-node joins at the IPv6 layer so MLD reports go out (NDP sockets only). */
  private readonly mld: MldMembership | undefined;
  constructor(private readonly c: Libc, private readonly release: () => void, private readonly fd: number, readonly ifname: string, readonly ifindex: number, kind: FrameKind) {
    this.mld = kind === 'ndp' ? new MldMembership(ifname) : undefined;
  }

  send(frame: Buffer): void {
    if (this.closed) throw new SysError('send', 9, `on closed socket for ${this.ifname}`);
    const n = Number(this.c.send(this.fd, frame, frame.length, 0));
    if (n !== frame.length) throw new SysError('send', this.c.errno(), `${frame.length} bytes on ${this.ifname}`);
  }

  joinGroup(mac: Buffer): void {
    if (this.c.setsockopt(this.fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, membership(this.ifindex, mac), 16) < 0) {
      throw new SysError('setsockopt', this.c.errno(), `PACKET_ADD_MEMBERSHIP on ${this.ifname}`);
    }
    const group = solicitedNodeGroupOf(mac);
    if (group) this.mld?.join(group);
  }

  leaveGroup(mac: Buffer): void {
    if (this.closed) return;
    this.c.setsockopt(this.fd, SOL_PACKET, PACKET_DROP_MEMBERSHIP, membership(this.ifindex, mac), 16);
    const group = solicitedNodeGroupOf(mac);
    if (group) this.mld?.leave(group);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.mld?.close();
    this.release();
  }
}

/**
 * Reader selects how readiness is detected (see the file comment); 'worker' also moves the answer
 * itself to a worker thread (packet-worker.ts).
 */
export type Reader = 'stream' | 'poll' | 'worker';

let streamOK: boolean | undefined;
/** streamSupported checks once that this Node still exposes the pipe_wrap binding (else: poll reader). */
function streamSupported(): boolean {
  if (streamOK === undefined) {
    try {
      const b = (process as unknown as { binding(name: string): any }).binding('pipe_wrap');
      streamOK = typeof b?.Pipe === 'function' && b.constants?.SOCKET !== undefined;
    } catch {
      streamOK = false;
    }
  }
  return streamOK;
}

/**
 * watchStream hands a dup of the fd to libuv as a Pipe, so the event loop polls it directly; each
 * read() of a packet socket returns one whole frame, so every 'data' chunk is one frame. A read
 * error (ENETDOWN when the link flaps) ends a libuv stream, so the watch is re-armed on a fresh dup;
 * the original fd stays ours for sending. Returns the release function (the caller closes fd).
 */
function watchStream(c: Libc, fd: number, onFrame: (frame: Buffer) => void): () => void {
  const binding = (process as unknown as { binding(name: string): any }).binding('pipe_wrap');
  let released = false;
  let sock: net.Socket | undefined;
  const arm = () => {
    const dup = c.dup(fd);
    if (dup < 0) throw new SysError('dup', c.errno(), `fd ${fd}`);
    const handle = new binding.Pipe(binding.constants.SOCKET);
    const err = handle.open(dup);
    if (err) {
      c.close(dup);
      throw new SysError('uv_pipe_open', -err, `fd ${dup}`);
    }
    const s = new net.Socket({ handle, readable: true, writable: false } as net.SocketConstructorOpts);
    sock = s;
    s.on('data', (frame: Buffer) => {
      try {
        onFrame(frame);
      } catch {
        // A handler bug must not stop the socket; responders count their own failures.
      }
    });
    s.on('error', () => s.destroy());
    // Re-arm once per failure (not in a loop): the next error, if any, needs a new frame or event.
    s.on('close', () => {
      if (!released) setImmediate(() => !released && arm());
    });
  };
  arm();
  return () => {
    released = true;
    sock?.destroy();
  };
}

/** workerIO answers on one shared worker thread; `open` needs the interface MAC and `onOutcome`. */
function workerIO(c: Libc, onFailure: (err: Error) => void): PacketIO & { stop(): void } {
  let answerer: WorkerAnswerer | undefined;
  let table: Parameters<NonNullable<PacketIO['publish']>>[0] = [];
  return {
    open(iface, kind, _onFrame, onOutcome) {
      if (!iface.mac || !onOutcome) throw new TypeError(`worker reader: open(${iface.name}) needs the interface mac and onOutcome`);
      const fd = openPacketSocket(c, iface.index, kind);
      if (!answerer) {
        answerer = new WorkerAnswerer(c, onFailure);
        answerer.publish(table);
      }
      const a = answerer;
      a.add(fd, kind, { name: iface.name, mac: iface.mac }, onOutcome);
      return new SocketConn(c, () => a.remove(fd), fd, iface.name, iface.index, kind);
    },
    publish(entries) {
      table = [...entries];
      answerer?.publish(table);
    },
    stop() {
      answerer?.stop();
      answerer = undefined;
    },
  };
}

/**
 * packetIO returns the real PacketIO; with the 'poll' reader every connection shares one poller,
 * with 'worker' one answering thread. `onWorkerFailure` hears if that thread dies (default: throw).
 */
export function packetIO(opts: { reader?: Reader; libc?: Libc; onWorkerFailure?: (err: Error) => void } = {}): PacketIO & { stop(): void } {
  const c = opts.libc ?? libc();
  const reader = opts.reader ?? 'stream';
  if (reader === 'worker') return workerIO(c, opts.onWorkerFailure ?? ((e) => { throw e; }));
  let poller: PacketPoller | undefined;
  return {
    open(iface, kind, onFrame) {
      const fd = openPacketSocket(c, iface.index, kind);
      if (reader === 'stream' && streamSupported()) {
        let stopWatch: () => void;
        try {
          stopWatch = watchStream(c, fd, onFrame);
        } catch (e) {
          c.close(fd);
          throw e;
        }
        const release = () => {
          stopWatch();
          c.close(fd);
        };
        return new SocketConn(c, release, fd, iface.name, iface.index, kind);
      }
      poller ??= new PacketPoller(c);
      const p = poller;
      p.add(fd, onFrame);
      return new SocketConn(c, () => p.remove(fd), fd, iface.name, iface.index, kind);
    },
    stop() {
      poller?.stop();
      poller = undefined;
    },
  };
}
