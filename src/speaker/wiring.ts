// Builds the speaker's real edges: the layer 2 announcer on AF_PACKET sockets and the BGP backend
// (native sessions or FRR). Kept apart from daemon.ts so the daemon's tests use fakes.
import os from 'node:os';
import type { Logger } from '../log.js';
import { Layer2Announcer } from './l2/announcer.js';
import { packetIO, type Reader } from '../sys/packet-socket.js';
import { scanInterfaces } from '../sys/interfaces.js';
import { KernelResponder } from '../sys/kernel-responder.js';
import type { FastPath } from './l2/types.js';
import { dialBgp } from '../sys/bgp-dial.js';
import { NativeBackend } from './bgp/native.js';
import { FrrBackend, type FrrBackendOptions } from './frr/backend.js';
import type { BgpBackend } from './bgp/backend.js';
import type { L2Announcer } from './daemon.js';

/** Layer2Wiring options. */
export interface Layer2Wiring {
  /** exclude: interfaces not to announce on (MetalLB's announcedInterfacesToExclude). */
  exclude?: RegExp;
  rescanMs?: number;
  /** reader: how frames reach the responder (stream: libuv; poll: a poller thread; worker: answered on a thread). */
  reader?: Reader;
  /** kernelResponder: answer in the kernel when it lets us (auto, the default), insist (on), or never (off). */
  kernelResponder?: KernelResponderMode;
  logger: Logger;
}

/** KernelResponderMode chooses the in-kernel fast path of layer 2 (see kernelFastPath). */
export type KernelResponderMode = 'auto' | 'on' | 'off';
export const KERNEL_RESPONDER_MODES: readonly KernelResponderMode[] = ['auto', 'on', 'off'];

/** KernelResponderError is `--l2-kernel-responder on` refused by the kernel; `cause` says how. */
export class KernelResponderError extends Error {
  override readonly name = 'KernelResponderError';
  readonly code = 'speaker.kernel-responder';
  readonly field = '--l2-kernel-responder';

  constructor(override readonly cause: unknown) {
    super(`--l2-kernel-responder on: the kernel refused the ARP/NDP fast path (${String(cause)}); it needs CAP_BPF and CAP_NET_ADMIN and Linux >= 6.6, or choose auto (fall back to user space) or off`);
  }
}

/**
 * kernelFastPath loads the tcx responder. It needs CAP_BPF and CAP_NET_ADMIN and Linux >= 6.6; in
 * 'auto' mode a refusal is logged once and user space answers everything, in 'on' mode it is fatal.
 */
export function kernelFastPath(mode: KernelResponderMode, log: Logger): FastPath | undefined {
  if (mode === 'off') return undefined;
  try {
    const fp = KernelResponder.create({
      onFailure: (err) => log.error({ error: String(err) }, 'kernel responder failed: answering from user space from now on'),
      onInterfaceRefused: (ifindex, err) => log.warn({ ifindex, error: String(err) }, 'kernel responder refused on this interface: answering there from user space'),
    });
    log.info({ kernelResponder: mode }, 'kernel responder loaded: ARP/NDP requests answered in the kernel (tcx) on every interface it attaches to, the rest in user space');
    return fp;
  } catch (e) {
    if (mode === 'on') throw new KernelResponderError(e);
    log.warn({ error: String(e) }, 'kernel responder unavailable (needs CAP_BPF and CAP_NET_ADMIN, Linux >= 6.6): answering from user space');
    return undefined;
  }
}

/** realLayer2 opens the packet-socket announcer; `stop` also ends the packet poller. */
export function realLayer2(o: Layer2Wiring): L2Announcer {
  const io = packetIO({ reader: o.reader });
  const fastPath = kernelFastPath(o.kernelResponder ?? 'auto', o.logger);
  const a = new Layer2Announcer({ io, fastPath, scan: () => scanInterfaces(), exclude: o.exclude, rescanMs: o.rescanMs, logger: o.logger });
  return {
    start: () => a.start(),
    setAnnouncements: (w) => a.setAnnouncements(w),
    counters: () => a.counters(),
    kernelAnswering: () => a.kernelAnswering(),
    close: () => { a.close(); io.stop(); },
  };
}

/** BgpWiring options. */
export interface BgpWiring {
  mode: 'native' | 'frr';
  node: string;
  logger: Logger;
  frr?: Partial<FrrBackendOptions>;
}

/** realBgp builds the backend for the chosen mode. */
export function realBgp(o: BgpWiring): BgpBackend {
  if (o.mode === 'frr') return new FrrBackend({ hostname: o.node || os.hostname(), logger: o.logger, ...o.frr });
  return new NativeBackend({ dial: dialBgp, nodeName: o.node, log: o.logger });
}
