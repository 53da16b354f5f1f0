// Session state from FRR: parses `show bgp vrf all neighbors json` into the backend's per-peer
// states. Pure; the backend runs vtysh and hands the text over.
import type { Peer } from '../../model/index.js';
import type { PeerSessionState } from '../bgp/backend.js';

/** FrrNeighborFacts is what we keep of one neighbor entry of FRR's JSON. */
export interface FrrNeighborFacts {
  state: string;
  lastResetDueTo?: string;
  updatesSent: number;
  sentPrefixes: number;
}

/** FrrStatus is the parsed answer: facts keyed by `vrf|address` (vrf `default` for the default VRF). */
export type FrrStatus = Map<string, FrrNeighborFacts>;

/** FrrStatusError reports vtysh output that is not the expected JSON. */
export class FrrStatusError extends Error {
  override readonly name = 'FrrStatusError';
  readonly code = 'frr.statusUnreadable';
}

/** parseNeighborsJson reads `show bgp vrf all neighbors json` (object of VRFs, each of neighbors). */
export function parseNeighborsJson(text: string): FrrStatus {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new FrrStatusError(`frr: neighbors status is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
  if (!isObject(doc)) throw new FrrStatusError('frr: neighbors status is not a JSON object');
  const out: FrrStatus = new Map();
  for (const [vrf, body] of Object.entries(doc)) {
    if (!isObject(body)) continue;
    for (const [addr, n] of Object.entries(body)) {
      if (!isObject(n) || typeof n.bgpState !== 'string') continue; // vrfId, vrfName and friends
      out.set(`${vrf}|${addr}`, {
        state: n.bgpState,
        lastResetDueTo: typeof n.lastResetDueTo === 'string' ? n.lastResetDueTo : undefined,
        updatesSent: num(isObject(n.messageStats) ? n.messageStats.updatesSent : undefined),
        sentPrefixes: sentPrefixes(n.addressFamilyInfo),
      });
    }
  }
  return out;
}

/** sessionStates maps FRR's facts onto our peers; a peer FRR does not know yet is down. */
export function sessionStates(peers: readonly Peer[], status: FrrStatus): PeerSessionState[] {
  return peers.map((p) => {
    const facts = status.get(`${p.vrf ?? 'default'}|${p.peerAddress}`);
    if (!facts) return { peer: p.name, up: false, reason: 'not configured in FRR yet' };
    if (facts.state === 'Established') return { peer: p.name, up: true };
    const why = facts.lastResetDueTo ? `, last reset: ${facts.lastResetDueTo}` : '';
    return { peer: p.name, up: false, reason: `${facts.state}${why}` };
  });
}

function sentPrefixes(afi: unknown): number {
  if (!isObject(afi)) return 0;
  let total = 0;
  for (const fam of Object.values(afi)) if (isObject(fam)) total += num(fam.sentPrefixCounter);
  return total;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
