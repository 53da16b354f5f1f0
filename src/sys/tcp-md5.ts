// TCP MD5 signatures (RFC 2385) for BGP sessions. Node cannot set TCP_MD5SIG (a struct option) and
// the option must be on the socket before the SYN, so we create the socket through libc with koffi,
// set the key, connect without blocking, wait for the connection with poll() on a worker thread, and
// only then hand the file descriptor to net.Socket. Linux only.
import net from 'node:net';
import koffi from 'koffi';
import ipaddr from 'ipaddr.js';

const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const IPPROTO_TCP = 6;
const TCP_MD5SIG = 14;
const SOL_SOCKET = 1;
const SO_ERROR = 4;
const EINPROGRESS = 115;
const POLLOUT = 4;
const MD5SIG_LEN = 216;
const MAX_KEY = 80;

interface Libc {
  socket: (d: number, t: number, p: number) => number;
  setsockopt: (fd: number, level: number, name: number, val: Buffer, len: number) => number;
  getsockopt: (fd: number, level: number, name: number, val: Buffer, len: Buffer) => number;
  bind: (fd: number, addr: Buffer, len: number) => number;
  connect: (fd: number, addr: Buffer, len: number) => number;
  close: (fd: number) => number;
  strerror: (e: number) => string;
  poll: { async: (fds: Buffer, n: number, timeout: number, cb: (err: unknown, res: number) => void) => void };
}

let libc: Libc | undefined;
function lib(): Libc {
  if (libc) return libc;
  const l = koffi.load('libc.so.6');
  libc = {
    socket: l.func('int socket(int, int, int)'),
    setsockopt: l.func('int setsockopt(int, int, int, const void *, uint32_t)'),
    getsockopt: l.func('int getsockopt(int, int, int, void *, void *)'),
    bind: l.func('int bind(int, const void *, uint32_t)'),
    connect: l.func('int connect(int, const void *, uint32_t)'),
    close: l.func('int close(int)'),
    strerror: l.func('const char *strerror(int)'),
    poll: l.func('int poll(void *, uint64_t, int)'),
  } as unknown as Libc;
  return libc;
}

/** Md5Error is a failure to set up a keyed socket; `code` is stable, `errno` is the libc error when there is one. */
export class Md5Error extends Error {
  override readonly name = 'Md5Error';
  constructor(readonly code: string, message: string, readonly errno?: number) {
    super(`tcp-md5: ${message}`);
  }
}

function fail(code: string, what: string): Md5Error {
  const e = koffi.errno();
  return new Md5Error(code, `${what}: ${lib().strerror(e)}`, e);
}

/** sockaddr encodes an address and port as sockaddr_in (16 octets) or sockaddr_in6 (28 octets). */
export function sockaddr(ip: string, port: number): Buffer {
  if (net.isIPv4(ip)) {
    const b = Buffer.alloc(16);
    b.writeUInt16LE(AF_INET, 0);
    b.writeUInt16BE(port, 2);
    ip.split('.').forEach((o, i) => (b[4 + i] = Number(o)));
    return b;
  }
  if (!net.isIPv6(ip)) throw new Md5Error('tcp-md5.bad-address', `address ${JSON.stringify(ip)} is not an IP address`);
  const b = Buffer.alloc(28);
  b.writeUInt16LE(AF_INET6, 0);
  b.writeUInt16BE(port, 2);
  Buffer.from(ipaddr.IPv6.parse(ip).toByteArray()).copy(b, 8);
  return b;
}

/** md5sig builds `struct tcp_md5sig` (216 octets): peer sockaddr at 0, keylen (u16) at 130, key at 136. */
export function md5sig(peer: string, key: string): Buffer {
  const k = Buffer.from(key, 'utf8');
  if (k.length === 0 || k.length > MAX_KEY) throw new Md5Error('tcp-md5.bad-key', `key of ${k.length} octets: must be 1..${MAX_KEY}`);
  const b = Buffer.alloc(MD5SIG_LEN);
  sockaddr(peer, 0).copy(b, 0);
  b.writeUInt16LE(k.length, 130);
  k.copy(b, 136);
  return b;
}

/** setMd5 keys an existing socket (a listening one too) for `peer`. */
export function setMd5(fd: number, peer: string, key: string): void {
  const sig = md5sig(peer, key);
  if (lib().setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, sig, sig.length) !== 0) throw fail('tcp-md5.setsockopt', `TCP_MD5SIG for ${peer}`);
}

function pollWritable(fd: number, timeoutMs: number): Promise<number> {
  const fds = Buffer.alloc(8);
  fds.writeInt32LE(fd, 0);
  fds.writeInt16LE(POLLOUT, 4);
  return new Promise((resolve, reject) => lib().poll.async(fds, 1, timeoutMs, (err, res) => (err ? reject(err) : resolve(res))));
}

/** connectMd5 opens a TCP connection keyed with `key` and returns it as a net.Socket; rejects on refusal or after timeoutMs. */
export async function connectMd5(o: { host: string; port: number; key: string; localAddress?: string; timeoutMs: number }): Promise<net.Socket> {
  const c = lib();
  const fd = c.socket(net.isIPv4(o.host) ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw fail('tcp-md5.socket', 'socket');
  try {
    setMd5(fd, o.host, o.key);
    if (o.localAddress) {
      const src = sockaddr(o.localAddress, 0);
      if (c.bind(fd, src, src.length) !== 0) throw fail('tcp-md5.bind', `bind ${o.localAddress}`);
    }
    const dst = sockaddr(o.host, o.port);
    if (c.connect(fd, dst, dst.length) !== 0 && koffi.errno() !== EINPROGRESS) throw fail('tcp-md5.connect', `connect ${o.host}:${o.port}`);
    // A wrong key makes the peer drop our SYNs silently: only the timeout ends that wait.
    if ((await pollWritable(fd, o.timeoutMs)) === 0) throw new Md5Error('tcp-md5.timeout', `connect ${o.host}:${o.port} timed out after ${o.timeoutMs} ms`);
    const err = Buffer.alloc(4);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(4, 0);
    c.getsockopt(fd, SOL_SOCKET, SO_ERROR, err, len);
    const e = err.readInt32LE(0);
    if (e !== 0) throw new Md5Error('tcp-md5.connect', `connect ${o.host}:${o.port}: ${c.strerror(e)}`, e);
  } catch (e) {
    c.close(fd);
    throw e;
  }
  return new net.Socket({ fd, readable: true, writable: true });
}
