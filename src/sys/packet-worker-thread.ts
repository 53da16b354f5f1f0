// The body of the 'worker' reader's thread (see packet-worker.ts): it blocks in poll() on every
// packet socket plus an eventfd, decides each frame with the same pure responders as the main
// thread, sends the reply itself and only then reports what happened (in batches, for counters and
// logs). The main thread is therefore out of the reply path. Control messages (sockets added or
// removed, the announced table) arrive on a MessagePort that is read synchronously after the
// eventfd wakes the poll, because this thread never returns to its own event loop while running.
import { receiveMessageOnPort, workerData, parentPort, type MessagePort } from 'node:worker_threads';
import koffi from 'koffi';
import { decideARP, decideNDP, type Announced, type Decision, type ResponderIface } from '../speaker/l2/responders.js';
import type { FrameKind } from '../speaker/l2/types.js';
import type { ToWorker, FromWorker } from './packet-worker.js';

const POLLIN = 1;
const MSG_DONTWAIT = 0x40;
const EINTR = 4;
const MAX_FRAME = 2048;
/**
 * FLUSH_MS bounds how stale the main thread's counters may be. Outcomes are sent in batches rather
 * than one message per frame: each message wakes the main thread, which then competes for a CPU
 * with the requester right when our reply is on its way (measured: 4-12 us of median per reply).
 */
const FLUSH_MS = 10;
const FLUSH_MAX = 256;

interface Sock {
  fd: number;
  kind: FrameKind;
  iface: ResponderIface;
}

const lib = koffi.load('libc.so.6');
const poll = lib.func('int poll(void *fds, unsigned long nfds, int timeout)');
const recv = lib.func('intptr_t recv(int, void *, size_t, int)');
const send = lib.func('intptr_t send(int, const void *, size_t, int)');
const read = lib.func('intptr_t read(int, void *, size_t)');
const close = lib.func('int close(int)');

const { port, wakeFd } = workerData as { port: MessagePort; wakeFd: number };
const socks = new Map<number, Sock>();
let table = new Map<string, Announced>();
const lookup = (b: Buffer) => table.get(b.toString('hex'));
const rx = Buffer.alloc(MAX_FRAME);
let socksVersion = 0;
let pending: FromWorker[] = [];
let lastFlush = 0;

function flush(): void {
  if (pending.length) parentPort!.postMessage(pending);
  pending = [];
  lastFlush = performance.now();
}

/** apply handles one control message; returns false on stop. */
function apply(m: ToWorker): boolean {
  switch (m.op) {
    case 'add':
      socks.set(m.fd, { fd: m.fd, kind: m.kind, iface: { name: m.ifname, mac: Buffer.from(m.mac) } });
      socksVersion++;
      return true;
    case 'remove':
      // This thread closes the fd, after it left the poll set, so a reused fd number is never polled stale.
      if (socks.delete(m.fd)) close(m.fd);
      socksVersion++;
      return true;
    case 'table':
      table = new Map(m.entries.map((e) => [e.hex, e.interfaces ? { ip: e.ip, interfaces: new Set(e.interfaces) } : { ip: e.ip }]));
      return true;
    case 'stop':
      // Sockets still here at stop belong to a PacketIO that is shutting down: close them with it.
      for (const fd of socks.keys()) close(fd);
      socks.clear();
      return false;
  }
}

function answer(s: Sock, frame: Buffer): FromWorker['outcome'] {
  const d: Decision = s.kind === 'arp' ? decideARP(frame, s.iface, lookup) : decideNDP(frame, s.iface, lookup);
  if (d.action === 'drop') return { action: 'drop', reason: d.reason, detail: d.detail };
  const n = Number(send(s.fd, d.frame, d.frame.length, 0));
  return n === d.frame.length ? { action: 'reply', ip: d.ip, sent: true } : { action: 'reply', ip: d.ip, sent: false, error: `send errno ${koffi.errno()}` };
}

/** drain reads until EAGAIN or an error (bounded, so one flooded socket cannot starve the others). */
function drain(s: Sock): void {
  for (let i = 0; i < 256; i++) {
    const n = Number(recv(s.fd, rx, MAX_FRAME, MSG_DONTWAIT));
    if (n <= 0) return;
    let outcome: FromWorker['outcome'];
    try {
      outcome = answer(s, rx.subarray(0, n));
    } catch (e) {
      outcome = { action: 'drop', reason: 'malformed', detail: `responder failed: ${String(e)}` };
    }
    pending.push({ fd: s.fd, outcome });
  }
}

function loop(): void {
  const scratch = Buffer.alloc(8);
  let list: Sock[] = [];
  let fds = Buffer.alloc(0);
  let version = -1;
  for (;;) {
    if (version !== socksVersion) {
      // The pollfd array is rebuilt only when the socket set changed (revents are overwritten by poll).
      version = socksVersion;
      list = [...socks.values()];
      fds = Buffer.alloc(8 * (list.length + 1));
      [wakeFd, ...list.map((s) => s.fd)].forEach((fd, i) => {
        fds.writeInt32LE(fd, i * 8);
        fds.writeInt16LE(POLLIN, i * 8 + 4);
      });
    }
    // With outcomes pending, wake up by the flush deadline even if the links stay quiet.
    const wait = pending.length ? Math.max(0, Math.ceil(lastFlush + FLUSH_MS - performance.now())) : -1;
    const r = poll(fds, list.length + 1, wait) as number;
    if (r < 0 && koffi.errno() !== EINTR) throw new Error(`poll failed: errno ${koffi.errno()}`);
    if (pending.length >= FLUSH_MAX || (pending.length && performance.now() - lastFlush >= FLUSH_MS)) flush();
    if (r <= 0) continue;
    list.forEach((s, i) => {
      if (fds.readInt16LE((i + 1) * 8 + 6) !== 0 && socks.has(s.fd)) drain(s);
    });
    if (fds.readInt16LE(6) !== 0) {
      read(wakeFd, scratch, 8);
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
        if (!apply(m.message as ToWorker)) return flush();
      }
    }
  }
}

loop();
port.close();
