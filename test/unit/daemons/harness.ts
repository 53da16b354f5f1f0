// Speaker daemons over one in-memory cluster on a fake clock, with recording layer 2 announcers
// and a per-speaker link to the store that can be cut (writes fail, watch silent) and healed
// (the watch relists, as an informer does after reconnecting).
import { MemoryState } from '../../../src/state/memory.js';
import type { ClusterState, KubeObject, ObjectKind, WatchEvent } from '../../../src/state/types.js';
import { StateError } from '../../../src/state/errors.js';
import { SpeakerDaemon, type L2Announcer, type SpeakerOptions } from '../../../src/speaker/daemon.js';
import { newRegistry, speakerMetrics } from '../../../src/metrics/metrics.js';
import type { AnnouncementSpec } from '../../../src/speaker/l2/announcer.js';
import { FakeClock } from './fake-clock.js';
import { legacyConfig, l2Pool, node, service, slice } from './objects.js';

/** FakeL2 records what a speaker announces; `dead` freezes it (a crashed process keeps nothing). */
export class FakeL2 implements L2Announcer {
  ips = new Set<string>();
  dead = false;
  start(): void {}
  setAnnouncements(want: ReadonlyMap<string, AnnouncementSpec>) {
    if (!this.dead) this.ips = new Set(want.keys());
    return [...want.keys()].map((ip) => ({ ip, status: 'announced' as const, interfaces: ['eth0'] }));
  }
  counters() { return { requestsReceived: {}, responsesSent: {}, gratuitousSent: {}, dropped: { notOurs: 0, notRequest: 0, wrongInterface: 0, malformed: 0 }, sendErrors: 0 }; }
  close(): void { this.ips.clear(); }
}

interface Sub { kinds: readonly ObjectKind[]; cb: (ev: WatchEvent) => void; unsub: () => void; seen: Set<string> }

/**
 * Partition is one speaker's link to the store. `cut`: writes fail and the watch is silent.
 * heal() ends the cut and relists every watch (ADDED/MODIFIED for what exists, DELETED for what went).
 * `watchDown` keeps the watch silent while writes work (an informer still waiting out its backoff).
 * `latencyMs` delays every watch event on the fake clock, as a real notification path does.
 */
export class Partition implements ClusterState {
  cut = false;
  watchDown = false;
  latencyMs = 0;
  private readonly subs = new Set<Sub>();
  constructor(private readonly inner: ClusterState, private readonly clock?: FakeClock) {}
  watch(kinds: readonly ObjectKind[], cb: (ev: WatchEvent) => void) {
    const sub: Sub = { kinds, cb, unsub: () => undefined, seen: new Set() };
    this.subscribe(sub);
    this.subs.add(sub);
    return () => { sub.unsub(); this.subs.delete(sub); };
  }
  heal(): void {
    this.cut = false;
    this.watchDown = false;
    for (const sub of this.subs) {
      sub.unsub();
      const before = new Set(sub.seen);
      sub.seen.clear();
      this.subscribe(sub, before);
    }
  }
  private subscribe(sub: Sub, before?: Set<string>): void {
    sub.unsub = this.inner.watch(sub.kinds, (ev) => {
      if (this.cut || this.watchDown) return;
      const id = ev.type === 'SYNCED' ? '' : `${ev.object.kind}/${ev.object.metadata.namespace ?? ''}/${ev.object.metadata.name}`;
      if (ev.type === 'SYNCED' && before) for (const gone of before) if (!sub.seen.has(gone)) this.deliver(sub, deleted(gone));
      if (ev.type === 'DELETED') sub.seen.delete(id); else if (id) sub.seen.add(id);
      this.deliver(sub, ev);
    });
  }
  private deliver(sub: Sub, ev: WatchEvent): void {
    if (this.latencyMs > 0 && this.clock && ev.type !== 'SYNCED') this.clock.setTimeout(() => { if (!this.cut && !this.watchDown) sub.cb(ev); }, this.latencyMs);
    else sub.cb(ev);
  }
  private gate<T>(f: () => Promise<T>): Promise<T> { return this.cut ? Promise.reject(new StateError('state.write-failed', 'cut', { transient: true })) : f(); }
  patchServiceStatus(ns: string, n: string, ips: string[]) { return this.gate(() => this.inner.patchServiceStatus(ns, n, ips)); }
  patchServiceAnnotations(ns: string, n: string, a: Record<string, string | null>) { return this.gate(() => this.inner.patchServiceAnnotations(ns, n, a)); }
  recordEvent(e: Parameters<ClusterState['recordEvent']>[0]) { return this.gate(() => this.inner.recordEvent(e)); }
  upsertLease(l: Parameters<ClusterState['upsertLease']>[0]) { return this.gate(() => this.inner.upsertLease(l)); }
  deleteLease(n: string) { return this.gate(() => this.inner.deleteLease(n)); }
  upsertObject(o: KubeObject) { return this.gate(() => this.inner.upsertObject(o)); }
  deleteObject(k: string, ns: string, n: string) { return this.gate(() => this.inner.deleteObject(k, ns, n)); }
  close() { return Promise.resolve(); }
}

function deleted(id: string): WatchEvent {
  const [kind, namespace, name] = id.split('/') as [string, string, string];
  return { type: 'DELETED', object: { apiVersion: 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) } } } as WatchEvent;
}

/** NODES are the three speakers' node names. */
export const NODES = ['node-a', 'node-b', 'node-c'];
/** IPS are the three Service IPs every cluster starts with. */
export const IPS = ['192.0.2.10', '192.0.2.11', '192.0.2.12'];

/** cluster starts three speaker daemons (extra objects and speaker options optional). */
export function cluster(extra: KubeObject[] = [], opts: Partial<SpeakerOptions> = {}) {
  const clock = new FakeClock();
  const state = new MemoryState('metallb-system', [
    legacyConfig(l2Pool(['192.0.2.10-192.0.2.19'])), ...NODES.map((n) => node(n)),
    service('web', { ips: ['192.0.2.10'] }), slice('web', ['node-a']),
    service('api', { ips: ['192.0.2.11'] }), slice('api', ['node-b', 'node-c']),
    service('dns', { ips: ['192.0.2.12'] }), slice('dns', ['node-c']),
    ...extra,
  ]);
  const speakers = NODES.map((name) => {
    const l2 = new FakeL2();
    const link = new Partition(state, clock);
    const d = new SpeakerDaemon(link, { node: name, layer2: l2, clock, metrics: speakerMetrics(newRegistry(false)), ...opts });
    d.start();
    return { name, l2, link, d };
  });
  const owners = (ip: string) => speakers.filter((s) => s.l2.ips.has(ip)).map((s) => s.name);
  const stopAll = async () => { for (const s of speakers) { s.link.cut = false; await s.d.stop(); } };
  return { clock, state, speakers, owners, stopAll };
}
