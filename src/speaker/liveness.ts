// Liveness: every speaker holds a lease in the cluster state (`lbctl-speaker-<node>`), renewed every
// `renewMs` and valid for `durationMs`; the holders of unexpired leases are the live speakers the
// layer 2 election runs over. A speaker that cannot renew fences itself before anyone else may
// consider it dead (see lease-table.ts); on stop() it first stops counting itself live (so its
// announcers are withdrawn), then deletes its lease so the others take over at once.
// API writes per node: 1000/renewMs per second (defaults: 2/s), plus one delete on shutdown.
import type { ClusterState, KubeObject, Unsubscribe, WatchEvent } from '../state/types.js';
import { leaseFromObject } from '../state/lease.js';
import { createLogger, type Logger } from '../log.js';
import { realClock, type Clock } from '../state/clock.js';
import { computeLiveSet, sameNodes, type LeaseSighting, type LiveSet, type SelfState } from './lease-table.js';

/** LEASE_PREFIX names speaker leases: `lbctl-speaker-<node>`. */
export const LEASE_PREFIX = 'lbctl-speaker-';

/** DEFAULT_LEASE are the default timings: unplanned failover within ~2 s, 2 writes/s per node. */
export const DEFAULT_LEASE = { renewMs: 500, durationMs: 2000 } as const;

/** Clock is re-exported for callers that configure liveness timing. */
export type { Clock };

/** LivenessOptions configure one speaker's lease. */
export interface LivenessOptions {
  node: string;
  renewMs?: number;
  durationMs?: number;
  /** fenceMarginMs: stop this long before others may expire us (default max(100, renew/2)). */
  fenceMarginMs?: number;
  /** joinGraceMs: how long a new holder waits before counting itself live (default renewMs). */
  joinGraceMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** validateLeaseTiming rejects timings that cannot be safe; returns a message naming the values. */
export function validateLeaseTiming(renewMs: number, durationMs: number, fenceMarginMs: number): string | undefined {
  if (!(renewMs > 0)) return `lease renew interval must be positive, got ${renewMs} ms`;
  if (!(durationMs >= 2 * renewMs)) return `lease duration ${durationMs} ms must be at least twice the renew interval ${renewMs} ms`;
  if (!(fenceMarginMs > 0 && fenceMarginMs < durationMs - renewMs)) return `fence margin ${fenceMarginMs} ms must lie between 0 and duration - renew (${durationMs - renewMs} ms)`;
  return undefined;
}

/** Liveness keeps this node's lease and tracks everyone else's. */
export class Liveness {
  readonly leaseName: string;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly renewMs: number;
  private readonly self: SelfState;
  private readonly sightings = new Map<string, LeaseSighting>();
  private readonly renewTimes = new Map<string, string>();
  private readonly listeners: ((set: LiveSet) => void)[] = [];
  private current: LiveSet = { nodes: new Set(), self: { live: false, reason: 'noLease' } };
  private unwatch: Unsubscribe | undefined;
  private renewTimer: unknown;
  private changeTimer: unknown;
  private synced = false;
  private stopped = false;

  constructor(private readonly state: ClusterState, opts: LivenessOptions) {
    this.clock = opts.clock ?? realClock;
    this.log = opts.logger ?? createLogger('liveness');
    this.renewMs = opts.renewMs ?? DEFAULT_LEASE.renewMs;
    const durationMs = opts.durationMs ?? DEFAULT_LEASE.durationMs;
    const fenceMarginMs = opts.fenceMarginMs ?? Math.max(100, this.renewMs / 2);
    const bad = validateLeaseTiming(this.renewMs, durationMs, fenceMarginMs);
    if (bad) throw new Error(`liveness: ${bad}`);
    this.self = { node: opts.node, durationMs, fenceMarginMs, joinGraceMs: opts.joinGraceMs ?? this.renewMs, released: false };
    this.leaseName = `${LEASE_PREFIX}${opts.node}`;
  }

  /** start watches leases and begins renewing; `onChange` hears every change of the live set. */
  start(): void {
    this.unwatch = this.state.watch(['Lease'], (ev) => this.onLease(ev));
    void this.renew();
  }

  /** onChange registers a listener for live-set changes. */
  onChange(cb: (set: LiveSet) => void): void {
    this.listeners.push(cb);
  }

  /** liveSet is the current view (`synced` tells whether the initial lease list has arrived). */
  liveSet(): LiveSet & { synced: boolean } {
    return { ...this.current, synced: this.synced };
  }

  /** stop fences this node at once (listeners hear it), then deletes the lease (best effort). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.self.released = true;
    this.clock.clearTimeout(this.renewTimer);
    this.clock.clearTimeout(this.changeTimer);
    this.recompute();
    this.unwatch?.();
    try {
      await this.state.deleteLease(this.leaseName);
      this.log.info({ lease: this.leaseName, reason: 'released' }, 'lease released');
    } catch (err) {
      this.log.warn({ lease: this.leaseName, err: (err as Error).message }, 'lease release failed; it will expire');
    }
  }

  private async renew(): Promise<void> {
    if (this.stopped) return;
    const startedAt = this.clock.now();
    try {
      await this.state.upsertLease({ name: this.leaseName, holder: this.self.node, renewTime: startedAt, durationSeconds: this.self.durationMs / 1000 });
      if (this.stopped) return;
      // By time, not by the last verdict: after a stalled event loop the fence timer may not have
      // fired yet, but the others may already have expired us, so we must re-join (grace) first.
      const prev = this.self.lastRenewStartedAt;
      const lapsed = prev === undefined || startedAt >= prev + this.self.durationMs - this.self.fenceMarginMs;
      if (lapsed) this.self.heldSince = startedAt;
      this.self.lastRenewStartedAt = startedAt;
    } catch (err) {
      this.log.warn({ lease: this.leaseName, err: (err as Error).message, reason: 'renewFailed' }, 'lease renewal failed');
    }
    if (this.stopped) return;
    this.recompute();
    this.renewTimer = this.clock.setTimeout(() => void this.renew(), this.renewMs);
  }

  private onLease(ev: WatchEvent): void {
    if (ev.type === 'SYNCED') { this.synced = true; this.recompute(); return; }
    if (!ev.object.metadata.name.startsWith(LEASE_PREFIX)) return;
    if (ev.type === 'DELETED') { this.sightings.delete(ev.object.metadata.name); this.renewTimes.delete(ev.object.metadata.name); }
    else this.sight(ev.object);
    if (this.synced) this.recompute();
  }

  // Only a real renewal (new holder or renew time) restarts the clock: a relist that re-delivers
  // an unchanged lease must not keep a dead speaker alive.
  private sight(obj: KubeObject): void {
    const rec = leaseFromObject(obj);
    if (!rec) { this.sightings.delete(obj.metadata.name); this.renewTimes.delete(obj.metadata.name); return; }
    const stamp = `${rec.holder}@${rec.renewTime}`;
    const prev = this.sightings.get(obj.metadata.name);
    const observedAt = prev && this.renewTimes.get(obj.metadata.name) === stamp ? prev.observedAt : this.clock.now();
    this.renewTimes.set(obj.metadata.name, stamp);
    this.sightings.set(obj.metadata.name, { holder: rec.holder, durationMs: rec.durationSeconds * 1000, observedAt });
  }

  // Recomputes the live set, tells listeners if membership or our own verdict changed, and arms
  // a timer for the next instant at which it changes by itself (an expiry, our fence, our join).
  private recompute(): void {
    const next = computeLiveSet(this.sightings.values(), this.self, this.clock.now());
    const changed = !sameNodes(next.nodes, this.current.nodes) || next.self.live !== this.current.self.live;
    if (next.self.reason !== this.current.self.reason) this.log.info({ node: this.self.node, live: next.self.live, reason: next.self.reason }, 'own liveness changed');
    this.current = next;
    this.clock.clearTimeout(this.changeTimer);
    if (next.nextChangeAt !== undefined && !this.stopped) {
      this.changeTimer = this.clock.setTimeout(() => this.recompute(), Math.max(0, next.nextChangeAt - this.clock.now()) + 1);
    }
    if (changed && (this.synced || this.stopped)) for (const cb of this.listeners) cb(next);
  }
}
