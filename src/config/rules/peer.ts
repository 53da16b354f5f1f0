// BGP peer rules shared by both formats: ASNs, addresses, timers, references and duplicates.
import { canonicalIP } from '../../model/ip.js';
import type { Peer } from '../../model/config.js';
import { parseGoDuration, wholeSeconds } from './duration.js';
import { quote, type Problems, type Where } from './problems.js';
import { stableKey } from './util.js';

/** DEFAULT_HOLD_SECONDS is BGP's customary hold time, MetalLB's default. */
export const DEFAULT_HOLD_SECONDS = 90;

/** TimerInput is what was written for the two timers (undefined or '' = not written). */
export interface TimerInput {
  hold?: string;
  keepalive?: string;
  /** legacy: an absent hold means 90s. crd: an absent hold is derived from keepalive when given. */
  style: 'legacy' | 'crd';
}

/** Timers are whole seconds, with whether keepalive was configured. */
export interface Timers {
  holdTime: number;
  keepaliveTime: number;
  keepaliveExplicit: boolean;
}

function nanos(text: string, where: Where, what: string, problems: Problems): bigint | undefined {
  const ns = parseGoDuration(text);
  if (ns === undefined) problems.error('config.peer.timer', where, `invalid ${what} ${quote(text)}: not a duration (write e.g. 90s or 1m30s)`);
  return ns;
}

/**
 * peerTimers applies MetalLB's timer rules: values truncated to whole seconds; hold must be 0 (no hold
 * timer) or at least 3s; keepalive must not exceed hold; keepalive defaults to hold/3.
 */
export function peerTimers(input: TimerInput, where: { hold: Where; keepalive: Where }, problems: Problems): Timers | undefined {
  const holdText = input.hold || undefined;
  const kaText = input.keepalive || undefined;
  const holdNs = holdText === undefined ? undefined : nanos(holdText, where.hold, 'hold time', problems);
  const kaNs = kaText === undefined ? undefined : nanos(kaText, where.keepalive, 'keepalive time', problems);
  if ((holdText !== undefined && holdNs === undefined) || (kaText !== undefined && kaNs === undefined)) return undefined;
  const keepalive = kaNs === undefined ? undefined : wholeSeconds(kaNs);
  // A CRD peer with only a keepalive gets three times it as hold time (computed before rounding).
  let hold = holdNs === undefined ? undefined : wholeSeconds(holdNs);
  if (hold === undefined) hold = input.style === 'crd' && kaNs !== undefined ? wholeSeconds(kaNs * 3n) : DEFAULT_HOLD_SECONDS;
  if (hold !== 0 && hold < 3) {
    problems.error('config.peer.timer', where.hold, `invalid hold time ${quote(holdText ?? `${hold}s`)}: must be 0 or >=3s`);
    return undefined;
  }
  if (keepalive !== undefined && keepalive < 0) {
    problems.error('config.peer.timer', where.keepalive, `invalid keepalive time ${quote(kaText)}: must not be negative`);
    return undefined;
  }
  if (keepalive !== undefined && keepalive > hold) {
    problems.error('config.peer.timer', where.keepalive, `invalid keepalive time ${quote(kaText)}: must not be greater than the hold time (${hold}s)`);
    return undefined;
  }
  return { holdTime: hold, keepaliveTime: keepalive ?? Math.floor(hold / 3), keepaliveExplicit: keepalive !== undefined };
}

/** requireASN records an error when an ASN is missing or zero. */
export function requireASN(asn: number | undefined, where: Where, which: 'local' | 'peer', problems: Problems): number | undefined {
  if (!asn) {
    problems.error('config.peer.asn', where, `missing ${which} ASN`);
    return undefined;
  }
  return asn;
}

/** optionalIP canonicalises an optional address field, recording an error when it does not parse. */
export function optionalIP(text: string | undefined, where: Where, what: string, problems: Problems): string | undefined | null {
  if (text === undefined || text === '') return undefined;
  const ip = canonicalIP(text);
  if (ip === undefined) {
    problems.error('config.peer.ip', where, `invalid ${what} ${quote(text)}: not an IPv4 or IPv6 address`);
    return null;
  }
  return ip;
}

/** checkMultiHop refuses ebgp-multihop on an iBGP session (same ASN on both ends). */
export function checkMultiHop(p: Pick<Peer, 'myASN' | 'peerASN' | 'ebgpMultiHop'>, where: Where, problems: Problems): void {
  if (p.ebgpMultiHop && p.myASN === p.peerASN) {
    problems.error('config.peer.multihop', where, `invalid ebgp-multihop parameter set for an ibgp peer (my ASN ${p.myASN} equals peer ASN ${p.peerASN})`);
  }
}

/**
 * checkDuplicatePeers refuses a peer that equals an earlier one once defaults are filled in (so an
 * explicit `peer-port: 179` duplicates an omitted port). withName: whether names take part.
 */
export function checkDuplicatePeers(peers: { peer: Peer; where: Where }[], withName: boolean, problems: Problems): void {
  const seen = new Map<string, number>();
  peers.forEach(({ peer, where }, i) => {
    const key = stableKey(withName ? peer : { ...peer, name: '' });
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else problems.error('config.peer.duplicate', where, `peer ${peer.peerAddress} (AS ${peer.peerASN}) already exists as ${peers[first]!.where.object}`);
  });
}
