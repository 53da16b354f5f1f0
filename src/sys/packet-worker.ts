// The 'worker' reader: one worker_threads thread answers ARP/NDP end to end (poll, recv, decide with
// the pure responders, send), so a reply never waits for the main event loop. The main thread keeps
// the announced table and pushes a copy on every change; the thread reports one outcome per frame,
// in batches at most FLUSH_MS (10 ms) old, and the announcer counts them: the counters are exact but
// lag the wire by up to that long. Gratuitous announcements are still sent from the main thread.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { DropReason, FrameKind, FrameOutcome, PublishedIP } from '../speaker/l2/types.js';
import { SysError, type Libc } from './packet-libc.js';

const EFD_NONBLOCK = 0x800;
const EFD_CLOEXEC = 0x80000;

/** ToWorker is a control message to the answering thread. */
export type ToWorker =
  | { op: 'add'; fd: number; kind: FrameKind; ifname: string; mac: number[] }
  | { op: 'remove'; fd: number }
  | { op: 'table'; entries: PublishedIP[] }
  | { op: 'stop' };

/** FromWorker is the thread's report about one frame on `fd`. */
export interface FromWorker {
  fd: number;
  outcome: { action: 'reply'; ip: string; sent: boolean; error?: string } | { action: 'drop'; reason: DropReason; detail: string };
}

/** startThread picks the thread's source file: .ts under tsx (tests, benches), .js once compiled. */
function startThread(workerData: { port: MessagePort; wakeFd: number }): Worker {
  const opts = { workerData, transferList: [workerData.port] };
  if (import.meta.url.endsWith('.js')) return new Worker(new URL('./packet-worker-thread.js', import.meta.url), opts);
  // Node 20 does not carry tsx's loader hooks into workers: register them first, then load the file.
  const tsx = import.meta.resolve('tsx/esm/api');
  const file = new URL('./packet-worker-thread.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(file)}); })`;
  return new Worker(boot, { ...opts, eval: true });
}

/** WorkerAnswerer owns the answering thread; packetIO({ reader: 'worker' }) creates one per PacketIO. */
export class WorkerAnswerer {
  private readonly wakeFd: number;
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly handlers = new Map<number, (o: FrameOutcome) => void>();
  private stopped = false;

  constructor(private readonly c: Libc, onFailure: (err: Error) => void) {
    this.wakeFd = c.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (this.wakeFd < 0) throw new SysError('eventfd', c.errno(), '');
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = startThread({ port: port2, wakeFd: this.wakeFd });
    this.worker.on('message', (batch: FromWorker[]) => {
      for (const m of batch) this.handlers.get(m.fd)?.(m.outcome);
    });
    this.worker.on('error', (e) => onFailure(e));
    this.worker.on('exit', () => c.close(this.wakeFd));
    // The thread must not keep a finished process alive; its messages still arrive while we run.
    this.worker.unref();
  }

  /** add hands `fd` to the thread; every frame on it is answered there and reported to `onOutcome`. */
  add(fd: number, kind: FrameKind, iface: { name: string; mac: Buffer }, onOutcome: (o: FrameOutcome) => void): void {
    this.handlers.set(fd, onOutcome);
    this.post({ op: 'add', fd, kind, ifname: iface.name, mac: [...iface.mac] });
  }

  /** remove stops answering on `fd`; the thread closes it once it is out of its poll set. */
  remove(fd: number): void {
    this.handlers.delete(fd);
    this.post({ op: 'remove', fd });
  }

  /** publish replaces the thread's copy of the announced table. */
  publish(entries: readonly PublishedIP[]): void {
    this.post({ op: 'table', entries: [...entries] });
  }

  /** stop ends the thread (it closes the wake fd on exit). */
  stop(): void {
    this.post({ op: 'stop' });
    this.stopped = true;
  }

  private post(m: ToWorker): void {
    if (this.stopped) return;
    this.port.postMessage(m);
    const one = Buffer.alloc(8);
    one.writeBigUInt64LE(1n);
    this.c.write(this.wakeFd, one, 8);
  }
}
