// The pure core of liveness: from the leases seen (and when they were seen) and this node's own
// renewal history, which speakers are live now and when that can next change.
//
// Safety argument (no two announcers while the store is reachable): another node counts a lease
// as live until `observedAt + duration`, where observedAt is its own clock reading when the
// renewal reached it, which is after the holder started that renewal. The holder counts itself
// live only until `renewStartedAt + duration - fenceMargin`. So the holder stops announcing at
// least `fenceMargin` before anyone else can consider it dead, with no clock synchronisation.
// A newcomer counts itself live only after `joinGrace`, so the previous owner of an IP it wins
// has seen its lease and stopped first.
//
// Store loss (`onStoreLoss: 'keep'`): once this node's own renewal fails, or has been in flight
// for `fenceMargin`, it stops trusting its clock for the others too. It freezes: it stays live
// with `hold` (announce only what it already announces), and every other lease that was live at
// that instant stays live (its silence is our blindness, not evidence of death). The freeze ends
// only when a renewal written after the loss has come back through the watch (lease-view.ts), so
// both the write path and the read path work again. See docs/design/daemons.md.

/** StoreLossMode: `keep` freezes the view and keeps announcing; `fence` stops announcing. */
export type StoreLossMode = 'keep' | 'fence';

/** STORE_LOSS_MODES lists the modes (flag values). */
export const STORE_LOSS_MODES: readonly StoreLossMode[] = ['keep', 'fence'];

/** LeaseSighting is the latest renewal of one holder's lease, as this node observed it. */
export interface LeaseSighting {
  holder: string;
  durationMs: number;
  /** observedAt: local clock when this renewal was seen (not the holder's renewTime). */
  observedAt: number;
}

/** SelfState is this node's own lease history. */
export interface SelfState {
  node: string;
  /** heldSince: start of the first successful renewal of the current continuous holding. */
  heldSince?: number;
  /** lastRenewStartedAt: when the latest successful renewal was started. */
  lastRenewStartedAt?: number;
  durationMs: number;
  fenceMarginMs: number;
  joinGraceMs: number;
  /** released: SIGTERM or stop(): never live again. */
  released: boolean;
  /** onStoreLoss: what this node does while its own renewals fail. */
  onStoreLoss: StoreLossMode;
  /** attemptStartedAt: start of the renewal in flight (undefined when none is). */
  attemptStartedAt?: number;
  /** lostAt: keep mode: when this node stopped trusting the store (undefined: it trusts it). */
  lostAt?: number;
  /** rejoining: keep mode: the lease lapsed during a store loss; hold until the join grace ends. */
  rejoining?: boolean;
}

/** SelfVerdict says whether this node may announce, and why; `hold`: nothing it does not already announce. */
export type SelfVerdict =
  | { live: true; until: number; reason: 'leaseHeld'; hold?: undefined }
  | { live: true; hold: true; reason: 'storeLost'; since: number; until?: undefined }
  | { live: true; hold: true; reason: 'rejoining'; until: number }
  | { live: false; reason: 'noLease' | 'joining' | 'leaseNotRenewed' | 'released'; retryAt?: number; hold?: undefined };

/** hungAt is when the renewal in flight counts as failed in keep mode (undefined: none in flight). */
export function hungAt(s: SelfState): number | undefined {
  return s.onStoreLoss === 'keep' && s.attemptStartedAt !== undefined ? s.attemptStartedAt + s.fenceMarginMs : undefined;
}

/** storeLostSince is the instant this node froze its view at `now` (undefined: not frozen). */
export function storeLostSince(s: SelfState, now: number): number | undefined {
  if (s.onStoreLoss !== 'keep' || s.released || s.heldSince === undefined) return undefined;
  const hung = hungAt(s);
  const byHang = hung !== undefined && now >= hung ? hung : undefined;
  if (s.lostAt === undefined) return byHang;
  return byHang === undefined ? s.lostAt : Math.min(s.lostAt, byHang);
}

/** selfVerdict decides whether this node may announce at `now`. */
export function selfVerdict(s: SelfState, now: number): SelfVerdict {
  if (s.released) return { live: false, reason: 'released' };
  if (s.heldSince === undefined || s.lastRenewStartedAt === undefined) return { live: false, reason: 'noLease' };
  const lost = storeLostSince(s, now);
  if (lost !== undefined) return { live: true, hold: true, reason: 'storeLost', since: lost };
  const fenceAt = s.lastRenewStartedAt + s.durationMs - s.fenceMarginMs;
  if (now >= fenceAt) return { live: false, reason: 'leaseNotRenewed' };
  // The instant a hanging renewal would freeze us is a change too: the caller arms a timer for it.
  const hung = hungAt(s);
  const next = (t: number) => (hung !== undefined && hung < t ? hung : t);
  const joinedAt = s.heldSince + s.joinGraceMs;
  if (now < joinedAt) {
    if (s.rejoining) return { live: true, hold: true, reason: 'rejoining', until: next(joinedAt) };
    return { live: false, reason: 'joining', retryAt: next(joinedAt) };
  }
  return { live: true, until: next(fenceAt), reason: 'leaseHeld' };
}

/** LiveSet is the agreed set of live speakers at one instant and when it next changes by itself. */
export interface LiveSet {
  nodes: Set<string>;
  self: SelfVerdict;
  /** nextChangeAt: the earliest expiry, fence or join instant after now (undefined: none pending). */
  nextChangeAt?: number;
}

/** computeLiveSet merges others' sightings with this node's own verdict. */
export function computeLiveSet(sightings: Iterable<LeaseSighting>, self: SelfState, now: number): LiveSet {
  const nodes = new Set<string>();
  let next: number | undefined;
  const soonest = (t: number | undefined) => { if (t !== undefined && t > now && (next === undefined || t < next)) next = t; };
  const v = selfVerdict(self, now);
  // Frozen: the others' clocks stop at the instant we lost the store, so nothing expires by itself.
  const frozenAt = v.reason === 'storeLost' ? v.since : undefined;
  for (const s of sightings) {
    if (s.holder === self.node) continue;
    const expires = s.observedAt + s.durationMs;
    if (frozenAt !== undefined) { if (frozenAt < expires) nodes.add(s.holder); continue; }
    if (now < expires) { nodes.add(s.holder); soonest(expires); }
  }
  if (v.live) { nodes.add(self.node); soonest(v.until); }
  else soonest(v.retryAt);
  return { nodes, self: v, nextChangeAt: next };
}

/** thawSightings restarts the clock, at `now`, of every lease that was live when the view froze. */
export function thawSightings(sightings: Iterable<LeaseSighting>, frozenAt: number, now: number): void {
  for (const s of sightings) if (frozenAt < s.observedAt + s.durationMs && s.observedAt < now) s.observedAt = now;
}

/** sameNodes compares two live sets by membership. */
export function sameNodes(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const n of a) if (!b.has(n)) return false;
  return true;
}
