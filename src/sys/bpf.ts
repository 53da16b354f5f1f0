// The bpf(2) system call through koffi: hash maps (create, update, lookup, delete, walk), program
// load with the verifier's log on refusal, and tcx links (Linux >= 6.6) that attach a program to an
// interface's ingress and detach it when the link's file descriptor is closed, so a crashed speaker
// never leaves a responder behind. Needs CAP_BPF and CAP_NET_ADMIN (root in CI).
import koffi from 'koffi';
import { SysError } from './packet-libc.js';

const SYS_BPF = 321; // x86_64
const Cmd = { mapCreate: 0, mapLookup: 1, mapUpdate: 2, mapDelete: 3, mapNextKey: 4, progLoad: 5, testRun: 10, linkCreate: 28 } as const;
const ATTR_SIZE = 128;
const BPF_MAP_TYPE_HASH = 1;
/** BPF_F_NO_PREALLOC: entries are allocated as they are added, so a large max costs nothing up front. */
const BPF_F_NO_PREALLOC = 1;
const BPF_PROG_TYPE_SCHED_CLS = 3;
const BPF_TCX_INGRESS = 46;
const ENOENT = 2;
const LOG_SIZE = 1 << 20;

interface Sys {
  bpf(cmd: number, attr: Buffer): number;
  close(fd: number): number;
  errno(): number;
}

let cached: Sys | undefined;
function sys(): Sys {
  if (cached) return cached;
  const lib = koffi.load('libc.so.6');
  const syscall = lib.func('long syscall(long, ...)');
  const close = lib.func('int close(int)');
  cached = {
    bpf: (cmd, attr) => Number(syscall(SYS_BPF, 'int', cmd, 'void *', attr, 'unsigned int', attr.length)),
    close: (fd) => close(fd) as number,
    errno: () => koffi.errno(),
  };
  return cached;
}

/** ptr is the address of a Buffer as the u64 bpf_attr fields carry it. */
function ptr(b: Buffer): bigint {
  return BigInt(koffi.address(b));
}

function call(cmd: number, attr: Buffer, what: string): number {
  const r = sys().bpf(cmd, attr);
  if (r < 0) throw new SysError('bpf', sys().errno(), what);
  return r;
}

/** BpfHashMap is a kernel hash map with fixed key and value sizes. */
export class BpfHashMap {
  private closed = false;

  private constructor(
    readonly fd: number,
    readonly keySize: number,
    readonly valueSize: number,
  ) {}

  /** create makes a map; `name` shows in bpftool (15 characters at most). */
  static create(name: string, keySize: number, valueSize: number, maxEntries: number): BpfHashMap {
    const a = Buffer.alloc(ATTR_SIZE);
    a.writeUInt32LE(BPF_MAP_TYPE_HASH, 0);
    a.writeUInt32LE(keySize, 4);
    a.writeUInt32LE(valueSize, 8);
    a.writeUInt32LE(maxEntries, 12);
    a.writeUInt32LE(BPF_F_NO_PREALLOC, 16);
    a.write(name.slice(0, 15), 28, 'latin1');
    return new BpfHashMap(call(Cmd.mapCreate, a, `map create ${name}`), keySize, valueSize);
  }

  private elemAttr(key: Buffer, value: Buffer | undefined, flags: number): Buffer {
    if (key.length !== this.keySize) throw new RangeError(`bpf map key is ${key.length} bytes, want ${this.keySize}`);
    const a = Buffer.alloc(ATTR_SIZE);
    a.writeUInt32LE(this.fd, 0);
    a.writeBigUInt64LE(ptr(key), 8);
    if (value) a.writeBigUInt64LE(ptr(value), 16);
    a.writeBigUInt64LE(BigInt(flags), 24);
    return a;
  }

  /** set inserts or replaces the value under `key`. */
  set(key: Buffer, value: Buffer): void {
    if (value.length !== this.valueSize) throw new RangeError(`bpf map value is ${value.length} bytes, want ${this.valueSize}`);
    call(Cmd.mapUpdate, this.elemAttr(key, value, 0), 'map update');
  }

  /** get returns a copy of the value under `key`, or undefined. */
  get(key: Buffer): Buffer | undefined {
    const value = Buffer.alloc(this.valueSize);
    const r = sys().bpf(Cmd.mapLookup, this.elemAttr(key, value, 0));
    if (r < 0) {
      if (sys().errno() === ENOENT) return undefined;
      throw new SysError('bpf', sys().errno(), 'map lookup');
    }
    return value;
  }

  /** delete removes `key`; returns false when it was not there. */
  delete(key: Buffer): boolean {
    const r = sys().bpf(Cmd.mapDelete, this.elemAttr(key, undefined, 0));
    if (r < 0) {
      if (sys().errno() === ENOENT) return false;
      throw new SysError('bpf', sys().errno(), 'map delete');
    }
    return true;
  }

  /** keys lists every key (a walk; entries added meanwhile may or may not show). */
  keys(): Buffer[] {
    const out: Buffer[] = [];
    let prev: Buffer | undefined;
    for (let i = 0; i < 1 << 20; i++) {
      const next = Buffer.alloc(this.keySize);
      const a = Buffer.alloc(ATTR_SIZE);
      a.writeUInt32LE(this.fd, 0);
      if (prev) a.writeBigUInt64LE(ptr(prev), 8);
      a.writeBigUInt64LE(ptr(next), 16);
      if (sys().bpf(Cmd.mapNextKey, a) < 0) {
        if (sys().errno() === ENOENT) return out;
        throw new SysError('bpf', sys().errno(), 'map next key');
      }
      out.push(next);
      prev = next;
    }
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    sys().close(this.fd);
  }
}

/** VerifierError is a program the kernel refused; `log` is the verifier's own explanation. */
export class VerifierError extends SysError {
  constructor(
    errno: number,
    readonly log: string,
  ) {
    super('bpf', errno, `prog load (verifier: ${log.trim().split('\n').slice(-3).join(' | ')})`);
  }
}

/** loadSchedCls loads a tc/tcx classifier program and returns its file descriptor. */
export function loadSchedCls(name: string, insns: Buffer, license = 'Apache-2.0'): number {
  const lic = Buffer.from(`${license}\0`, 'latin1');
  const log = Buffer.alloc(LOG_SIZE);
  const a = Buffer.alloc(ATTR_SIZE);
  a.writeUInt32LE(BPF_PROG_TYPE_SCHED_CLS, 0);
  a.writeUInt32LE(insns.length / 8, 4);
  a.writeBigUInt64LE(ptr(insns), 8);
  a.writeBigUInt64LE(ptr(lic), 16);
  a.writeUInt32LE(1, 24); // log_level 1: the log is only filled when the program is refused
  a.writeUInt32LE(LOG_SIZE, 28);
  a.writeBigUInt64LE(ptr(log), 32);
  a.write(name.slice(0, 15), 48, 'latin1');
  const r = sys().bpf(Cmd.progLoad, a);
  if (r < 0) {
    const errno = sys().errno();
    const text = log.toString('latin1', 0, Math.max(0, log.indexOf(0)));
    throw text ? new VerifierError(errno, text) : new SysError('bpf', errno, `prog load ${name}`);
  }
  return r;
}

/** attachIngress links `progFd` to the ingress of interface `ifindex` (tcx); close the result to detach. */
export function attachIngress(progFd: number, ifindex: number): number {
  const a = Buffer.alloc(ATTR_SIZE);
  a.writeUInt32LE(progFd, 0);
  a.writeUInt32LE(ifindex, 4);
  a.writeUInt32LE(BPF_TCX_INGRESS, 8);
  return call(Cmd.linkCreate, a, `tcx attach ifindex ${ifindex}`);
}

/** closeFd releases a program or link descriptor. */
export function closeFd(fd: number): void {
  sys().close(fd);
}

/** TestRunResult is one BPF_PROG_TEST_RUN: the verdict and the frame as the program left it. */
export interface TestRunResult {
  retval: number;
  frame: Buffer;
  /** nsPerRun is the kernel's own average run time over `repeat` runs (ns). */
  nsPerRun: number;
}

/**
 * testRun runs a loaded classifier once on `frame` inside the kernel (BPF_PROG_TEST_RUN) as if it
 * arrived on `ifindex` (a device of the caller's namespace; 1 is loopback). Nothing is sent: a
 * redirect only shows in the verdict. Tests use it to compare the program with the TS responders.
 */
export function testRun(progFd: number, frame: Buffer, ifindex = 1, repeat = 1): TestRunResult {
  const out = Buffer.alloc(frame.length + 256);
  const ctx = Buffer.alloc(192); // struct __sk_buff: only ifindex is set
  ctx.writeUInt32LE(ifindex, 40);
  const a = Buffer.alloc(ATTR_SIZE);
  a.writeUInt32LE(progFd, 0);
  a.writeUInt32LE(frame.length, 8);
  a.writeUInt32LE(out.length, 12);
  a.writeBigUInt64LE(ptr(frame), 16);
  a.writeBigUInt64LE(ptr(out), 24);
  a.writeUInt32LE(repeat, 32);
  a.writeUInt32LE(ctx.length, 40);
  a.writeBigUInt64LE(ptr(ctx), 48);
  call(Cmd.testRun, a, 'prog test run');
  return { retval: a.readInt32LE(4), frame: out.subarray(0, a.readUInt32LE(12)), nsPerRun: a.readUInt32LE(36) };
}
