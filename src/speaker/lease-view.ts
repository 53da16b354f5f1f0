// LeaseView: one speaker's lease bookkeeping as a pure state machine. Liveness (liveness.ts) feeds
// it what happened (a renewal started, succeeded or failed; a lease was seen or deleted) with the
// local clock reading, and asks it for the live set. Tests drive the same machine for many
// speakers over a simulated store, so what they prove is what the daemon runs.
import { computeLiveSet, storeLostSince, thawSightings, type LeaseSighting, type LiveSet, type SelfState } from './lease-table.js';

/** SeenLease is a lease as delivered by the watch, reduced to what the view needs. */
export interface SeenLease {
  name: string;
  holder: string;
  /** renewTime: the holder's clock (ms) when it started that renewal; only compared for change. */
  renewTime: number;
  durationMs: number;
}

/** ViewChange says what a transition did, for logs: `thawed` when a store loss just ended. */
export type ViewChange = 'none' | 'thawed';

/** LeaseView holds this node's SelfState and its sightings of the other leases. */
export class LeaseView {
  private readonly sightings = new Map<string, LeaseSighting & { stamp: string }>();
  /** ownSeen: the newest renew time of our own lease delivered by the watch. */
  private ownSeen = -Infinity;
  /** thawFrom: keep mode: renew time of the first successful write after a loss (awaiting its echo). */
  private thawFrom: number | undefined;

  constructor(readonly self: SelfState, readonly ownLease: string) {}

  /** attemptStarted records the start of a renewal (a hang past the fence margin freezes keep mode). */
  attemptStarted(t: number): void {
    this.self.attemptStartedAt = t;
  }

  /** renewed records a successful renewal started at `startedAt`, completed at `now`. */
  renewed(startedAt: number, now: number): ViewChange {
    this.settle(now);
    const s = this.self;
    // By time, not by the last verdict: after a stalled event loop the fence timer may not have
    // fired yet, but the others may already have expired us, so we must re-join (grace) first.
    const prev = s.lastRenewStartedAt;
    const lapsed = prev === undefined || startedAt >= prev + s.durationMs - s.fenceMarginMs;
    if (lapsed) { s.heldSince = startedAt; s.rejoining = s.lostAt !== undefined; }
    s.lastRenewStartedAt = startedAt;
    if (s.lostAt === undefined) return 'none';
    this.thawFrom ??= Math.floor(startedAt);
    // The watch may have delivered our write before the write call returned.
    return this.ownSeen >= this.thawFrom ? this.thaw(now) : 'none';
  }

  /** failed records a renewal that did not succeed; keep mode freezes from now (or from the hang). */
  failed(now: number): void {
    this.settle(now);
    const s = this.self;
    if (s.onStoreLoss === 'keep' && s.heldSince !== undefined && !s.released) s.lostAt ??= now;
    // A write that failed after a success is not yet proof of anything: keep waiting for an echo
    // of a later success, so the thaw always follows a write that did work end to end.
    this.thawFrom = undefined;
  }

  /** seen records a lease delivered by the watch at `now`. */
  seen(lease: SeenLease, now: number): ViewChange {
    if (lease.name === this.ownLease) {
      if (lease.holder === this.self.node) this.ownSeen = Math.max(this.ownSeen, lease.renewTime);
      if (this.thawFrom !== undefined && this.ownSeen >= this.thawFrom) return this.thaw(now);
      return 'none';
    }
    // Only a real renewal (new holder or renew time) restarts the clock: a relist that re-delivers
    // an unchanged lease must not keep a dead speaker alive.
    const stamp = `${lease.holder}@${lease.renewTime}`;
    const prev = this.sightings.get(lease.name);
    const observedAt = prev && prev.stamp === stamp ? prev.observedAt : now;
    this.sightings.set(lease.name, { holder: lease.holder, durationMs: lease.durationMs, observedAt, stamp });
    return 'none';
  }

  /** gone records a deleted (or unreadable) lease. */
  gone(name: string): void {
    this.sightings.delete(name);
  }

  /** release marks this node as stopped: never live again. */
  release(): void {
    this.self.released = true;
  }

  /** liveSet computes the live set at `now`. */
  liveSet(now: number): LiveSet {
    return computeLiveSet(this.sightings.values(), this.self, now);
  }

  /** frozen tells whether keep mode holds the view frozen at `now`. */
  frozen(now: number): boolean {
    return storeLostSince(this.self, now) !== undefined;
  }

  // A renewal in flight past the fence margin froze the view; remember that instant before the
  // attempt's own record goes, so the others' clocks never jump forward over the frozen time.
  private settle(now: number): void {
    const lost = storeLostSince(this.self, now);
    if (lost !== undefined) this.self.lostAt = lost;
    this.self.attemptStartedAt = undefined;
  }

  // Both paths work again: every lease live when we froze gets a full duration from now to show a
  // renewal (our stale view of it is not evidence of death), and we re-elect normally.
  // A write that landed so late that its own lease is already over (a hung request answered at
  // last) proves the path works but gives no lease to stand on: stay frozen until a fresh one.
  private thaw(now: number): ViewChange {
    const frozenAt = this.self.lostAt;
    const last = this.self.lastRenewStartedAt;
    if (frozenAt === undefined || last === undefined) return 'none';
    if (now >= last + this.self.durationMs - this.self.fenceMarginMs) return 'none';
    thawSightings(this.sightings.values(), frozenAt, now);
    this.self.lostAt = undefined;
    this.thawFrom = undefined;
    return 'thawed';
  }
}
