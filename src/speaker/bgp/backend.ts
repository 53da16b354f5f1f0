// The seam between BGP advertisement logic and the two ways of speaking BGP: our native
// TypeScript sessions (src/speaker/bgp/native*.ts) and FRR (src/speaker/frr). The speaker computes
// the desired state; a backend makes the routers see it.
import type { Peer, BFDProfile } from '../../model/index.js';
import type { PeerRoutes } from './route.js';

/** PeerSessionState is what a backend reports per peer (for metallb_bgp_session_up and logs). */
export interface PeerSessionState {
  peer: string;
  up: boolean;
  /** reason the session is not up, e.g. `connect refused`, `hold timer expired`. */
  reason?: string;
}

/** BgpBackendStats are counters a backend keeps (MetalLB: metallb_bgp_updates_total, ...). */
export interface BgpBackendStats {
  /** updatesSent is the total over every peer; updatesByPeer the same count per peer. */
  updatesSent: number;
  updatesByPeer: Map<string, number>;
  bytesSent: number;
  prefixesAnnounced: Map<string, number>;
}

/**
 * BgpBackend keeps sessions to `peers` (the ones selected for this node) and makes each one
 * announce exactly `routes.get(peer.name)`. Calls are idempotent: the backend diffs against what
 * it already sent, and re-sends the full table after a session comes back.
 */
export interface BgpBackend {
  setPeers(peers: Peer[], bfdProfiles: BFDProfile[]): void;
  setRoutes(routes: PeerRoutes): void;
  sessions(): PeerSessionState[];
  stats(): BgpBackendStats;
  /** onSessionChange is called whenever a peer's session goes up or down. */
  onSessionChange(cb: (state: PeerSessionState) => void): void;
  /** close sends Cease to every peer (native) or withdraws the config (FRR), then stops. */
  close(): Promise<void>;
}
