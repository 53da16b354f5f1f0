// Liveness: every speaker holds a lease in the cluster state (`lbctl-speaker-<node>`), renewed every
// `renewMs` and valid for `durationMs`; the holders of unexpired leases are the live speakers the
// layer 2 election runs over. The bookkeeping is the pure LeaseView (lease-view.ts); this class is
// its I/O shell: the renew loop, the lease watch, timers and logs.
// When its own renewals fail, a speaker either freezes its view and keeps announcing (`keep`, the
// default) or fences itself before anyone else may consider it dead (`fence`); see lease-table.ts.
// On stop() it first stops counting itself live (so its announcers are withdrawn), then deletes
// its lease so the others take over at once.
// API writes per node: 1000/renewMs per second (defaults: 2/s), plus one delete on shutdown.
import type { ClusterState, Unsubscribe, WatchEvent } from '../state/types.js';
import { leaseFromObject } from '../state/lease.js';
import { createLogger, type Logger } from '../log.js';
import { realClock, type Clock } from '../state/clock.js';
import { sameNodes, type LiveSet, type StoreLossMode } from './lease-table.js';
import { LeaseView } from './lease-view.js';

/** LEASE_PREFIX names speaker leases: `lbctl-speaker-<node>`. */
export const LEASE_PREFIX = 'lbctl-speaker-';

/** DEFAULT_LEASE are the default timings: unplanned failover within ~2 s, 2 writes/s per node. */
export const DEFAULT_LEASE = { renewMs: 500, durationMs: 2000, onStoreLoss: 'keep' } as const;

/** Clock is re-exported for callers that configure liveness timing. */
export type { Clock };
/** StoreLossMode is re-exported for the command and the daemon options. */
export type { StoreLossMode };

/** LivenessOptions configure one speaker's lease. */
export interface LivenessOptions {
  node: string;
  renewMs?: number;
  durationMs?: number;
  /** fenceMarginMs: stop this long before others may expire us (default max(100, renew/2)). */
  fenceMarginMs?: number;
  /** joinGraceMs: how long a new holder waits before counting itself live (default renewMs). */
  joinGraceMs?: number;
  /** onStoreLoss: keep announcing with a frozen view (default), or fence. */
  onStoreLoss?: StoreLossMode;
  clock?: Clock;
  logger?: Logger;
}

/** defaultFenceMargin is the fence margin used when none is given: max(100, renew/2). */
export function defaultFenceMargin(renewMs: number): number {
  return Math.max(100, renewMs / 2);
}

/** validateLeaseTiming rejects timings that cannot be safe; returns a message naming the values. */
export function validateLeaseTiming(renewMs: number, durationMs: number, fenceMarginMs: number, mode: StoreLossMode = 'fence'): string | undefined {
  if (!(renewMs > 0)) return `lease renew interval must be positive, got ${renewMs} ms`;
  if (!(durationMs >= 2 * renewMs)) return `lease duration ${durationMs} ms must be at least twice the renew interval ${renewMs} ms`;
  if (!(fenceMarginMs > 0 && fenceMarginMs < durationMs - renewMs)) return `fence margin ${fenceMarginMs} ms must lie between 0 and duration - renew (${durationMs - renewMs} ms)`;
  // Keep mode freezes at most renew + margin after the last good renewal; a peer's lease seen up to
  // one renew interval earlier must still be live then, or a full outage would expire it.
  if (mode === 'keep' && durationMs < 2 * renewMs + fenceMarginMs) {
    return `lease duration ${durationMs} ms must be at least twice the renew interval plus the fence margin (${2 * renewMs + fenceMarginMs} ms) with --on-store-loss keep`;
  }
  return undefined;
}

/** Liveness keeps this node's lease and tracks everyone else's. */
export class Liveness {
  readonly leaseName: string;
  /** mode is what this speaker does while its renewals fail. */
  readonly mode: StoreLossMode;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly renewMs: number;
  private readonly view: LeaseView;
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
    this.mode = opts.onStoreLoss ?? DEFAULT_LEASE.onStoreLoss;
    const durationMs = opts.durationMs ?? DEFAULT_LEASE.durationMs;
    const fenceMarginMs = opts.fenceMarginMs ?? defaultFenceMargin(this.renewMs);
    const bad = validateLeaseTiming(this.renewMs, durationMs, fenceMarginMs, this.mode);
    if (bad) throw new Error(`liveness: ${bad}`);
    this.leaseName = `${LEASE_PREFIX}${opts.node}`;
    this.view = new LeaseView({ node: opts.node, durationMs, fenceMarginMs, joinGraceMs: opts.joinGraceMs ?? this.renewMs, released: false, onStoreLoss: this.mode }, this.leaseName);
  }

  /** start watches leases and begins renewing; `onChange` hears every change of the live set. */
  start(): void {
    this.unwatch = this.state.watch(['Lease'], (ev) => this.onLease(ev));
    void this.renew();
  }

  /** onChange registers a listener for live-set changes (membership or this node's verdict). */
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
    this.view.release();
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
    this.view.attemptStarted(startedAt);
    this.recompute(); // arms the timer at which a hanging write freezes the view (keep mode)
    try {
      await this.state.upsertLease({ name: this.leaseName, holder: this.view.self.node, renewTime: startedAt, durationSeconds: this.view.self.durationMs / 1000 });
      if (this.stopped) return;
      this.noteThaw(this.view.renewed(startedAt, this.clock.now()));
    } catch (err) {
      if (this.stopped) return;
      this.view.failed(this.clock.now());
      this.log.warn({ lease: this.leaseName, err: (err as Error).message, reason: 'renewFailed', onStoreLoss: this.mode }, 'lease renewal failed');
    }
    this.recompute();
    this.renewTimer = this.clock.setTimeout(() => void this.renew(), this.renewMs);
  }

  private onLease(ev: WatchEvent): void {
    if (ev.type === 'SYNCED') { this.synced = true; this.recompute(); return; }
    const name = ev.object.metadata.name;
    if (!name.startsWith(LEASE_PREFIX)) return;
    const rec = ev.type === 'DELETED' ? undefined : leaseFromObject(ev.object);
    if (!rec) this.view.gone(name);
    else this.noteThaw(this.view.seen({ name, holder: rec.holder, renewTime: rec.renewTime, durationMs: rec.durationSeconds * 1000 }, this.clock.now()));
    if (this.synced) this.recompute();
  }

  private noteThaw(change: string): void {
    if (change === 'thawed') this.log.info({ node: this.view.self.node, reason: 'storeReachable' }, 'own renewal written and seen again: view thawed, re-electing');
  }

  // Recomputes the live set, tells listeners if membership or our own verdict changed, and arms
  // a timer for the next instant at which it changes by itself (an expiry, our fence, our join).
  private recompute(): void {
    const next = this.view.liveSet(this.clock.now());
    const changed = !sameNodes(next.nodes, this.current.nodes) || next.self.live !== this.current.self.live || next.self.reason !== this.current.self.reason;
    if (next.self.reason !== this.current.self.reason) this.log.info({ node: this.view.self.node, live: next.self.live, hold: next.self.hold === true, reason: next.self.reason }, 'own liveness changed');
    this.current = next;
    this.clock.clearTimeout(this.changeTimer);
    if (next.nextChangeAt !== undefined && !this.stopped) {
      this.changeTimer = this.clock.setTimeout(() => this.recompute(), Math.max(0, next.nextChangeAt - this.clock.now()) + 1);
    }
    if (changed && (this.synced || this.stopped)) for (const cb of this.listeners) cb(next);
  }
}
