// The handful of libc calls the packet socket needs, bound once through koffi (prebuilt FFI, no
// compiler). Sync calls are used for everything that never blocks; `poll` runs on a koffi worker
// thread through `.async` so the event loop stays free while waiting for frames.
import koffi from 'koffi';

/** SysError is a failed system call: `code` is stable (`sys.<call>`), `errno` is the C errno. */
export class SysError extends Error {
  override readonly name = 'SysError';
  readonly code: string;
  readonly errno: number;

  constructor(call: string, errno: number, detail: string) {
    super(`sys: ${call} ${detail} failed: errno ${errno}${errnoName(errno)}`);
    this.code = `sys.${call}`;
    this.errno = errno;
  }
}

function errnoName(n: number): string {
  const hit = Object.entries(koffi.os.errno).find(([, v]) => v === n);
  return hit ? ` (${hit[0]})` : '';
}

/** Libc is the typed subset of libc in use. */
export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, addr: Buffer, len: number): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, len: number): number;
  setsockoptFilter(fd: number, level: number, name: number, prog: { len: number; filter: SockFilter[] }, len: number): number;
  send(fd: number, buf: Buffer, len: number, flags: number): number;
  recv(fd: number, buf: Buffer, len: number, flags: number): number;
  close(fd: number): number;
  dup(fd: number): number;
  eventfd(initval: number, flags: number): number;
  write(fd: number, buf: Buffer, len: number): number;
  read(fd: number, buf: Buffer, len: number): number;
  pollAsync(fds: Buffer, n: number, timeoutMs: number, cb: (err: unknown, res: number) => void): void;
  errno(): number;
}

/** SockFilter is one classic BPF instruction (struct sock_filter). */
export interface SockFilter {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

let cached: Libc | undefined;

/** libc loads libc.so.6 once and returns the bound calls. */
export function libc(): Libc {
  if (cached) return cached;
  const lib = koffi.load('libc.so.6');
  const sockFilter = koffi.struct('lbctl_sock_filter', { code: 'uint16_t', jt: 'uint8_t', jf: 'uint8_t', k: 'uint32_t' });
  const sockFprog = koffi.struct('lbctl_sock_fprog', { len: 'uint16_t', filter: koffi.pointer(sockFilter) });
  const poll = lib.func('int poll(void *fds, unsigned long nfds, int timeout)');
  cached = {
    socket: lib.func('int socket(int, int, int)'),
    bind: lib.func('int bind(int, const void *, uint32_t)'),
    setsockopt: lib.func('int setsockopt(int, int, int, const void *, uint32_t)'),
    setsockoptFilter: lib.func('setsockopt', 'int', ['int', 'int', 'int', koffi.pointer(sockFprog), 'uint32_t']),
    send: lib.func('intptr_t send(int, const void *, size_t, int)'),
    recv: lib.func('intptr_t recv(int, void *, size_t, int)'),
    close: lib.func('int close(int)'),
    dup: lib.func('int dup(int)'),
    eventfd: lib.func('int eventfd(unsigned int, int)'),
    write: lib.func('intptr_t write(int, const void *, size_t)'),
    read: lib.func('intptr_t read(int, void *, size_t)'),
    pollAsync: (fds, n, timeoutMs, cb) => poll.async(fds, n, timeoutMs, cb),
    errno: () => koffi.errno(),
  };
  return cached;
}
