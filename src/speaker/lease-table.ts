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
}

/** SelfVerdict says whether this node may announce, and why. */
export type SelfVerdict =
  | { live: true; until: number; reason: 'leaseHeld' }
  | { live: false; reason: 'noLease' | 'joining' | 'leaseNotRenewed' | 'released'; retryAt?: number };

/** selfVerdict decides whether this node may announce at `now`. */
export function selfVerdict(s: SelfState, now: number): SelfVerdict {
  if (s.released) return { live: false, reason: 'released' };
  if (s.heldSince === undefined || s.lastRenewStartedAt === undefined) return { live: false, reason: 'noLease' };
  const fenceAt = s.lastRenewStartedAt + s.durationMs - s.fenceMarginMs;
  if (now >= fenceAt) return { live: false, reason: 'leaseNotRenewed' };
  const joinedAt = s.heldSince + s.joinGraceMs;
  if (now < joinedAt) return { live: false, reason: 'joining', retryAt: joinedAt };
  return { live: true, until: fenceAt, reason: 'leaseHeld' };
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
  for (const s of sightings) {
    if (s.holder === self.node) continue;
    const expires = s.observedAt + s.durationMs;
    if (now < expires) { nodes.add(s.holder); soonest(expires); }
  }
  const v = selfVerdict(self, now);
  if (v.live) { nodes.add(self.node); soonest(v.until); }
  else soonest(v.retryAt);
  return { nodes, self: v, nextChangeAt: next };
}

/** sameNodes compares two live sets by membership. */
export function sameNodes(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const n of a) if (!b.has(n)) return false;
  return true;
}
