// Choosing addresses. Automatic: the lowest address (CIDR order, then ascending) that is free or
// already used by a compatible sharer, which is exactly what MetalLB's walk from each CIDR's start
// finds, but read off the used-interval trees and the per-key sharer index instead of scanned.
// Explicit: requested addresses are validated (count, families, owning pool, sharing).
import type { Family } from '../model/ip.js';
import { formatIP, parseIP } from '../model/ip.js';
import type { Ledger } from './ledger.js';
import { comparePositions, type PoolState, type Position } from './pool-state.js';
import { autoCandidates, familyPlans, poolServes } from './select.js';
import { checkSharing, type SharingCandidate } from './sharing.js';
import type { AllocationRequest, FailureReason } from './types.js';

/** Failure is a refused choice with its stable reason. */
export interface Failure {
  ok: false;
  reason: FailureReason;
  message: string;
}

/** Chosen is a successful choice: the pool and one position per family, IPv4 first. */
export interface Chosen {
  ok: true;
  pool: PoolState;
  positions: Position[];
}

/** fail builds a Failure. */
export function fail(reason: FailureReason, message: string): Failure {
  return { ok: false, reason, message };
}

/** pickInPool returns the lowest acceptable address of a family in a pool, or undefined when full. */
export function pickInPool(pool: PoolState, family: Family, want: SharingCandidate): Position | undefined {
  let best = pool.firstFree(family);
  if (want.sharingKey === '') return best;
  for (const use of pool.sharers.get(want.sharingKey) ?? []) {
    if (use.pos.ip.family !== family) continue;
    if (best !== undefined && comparePositions(use.pos, best) >= 0) continue;
    if (checkSharing(use, want, use.text).ok) best = use.pos;
  }
  return best;
}

function pickFamilies(pool: PoolState, families: readonly Family[], want: SharingCandidate): Position[] | undefined {
  const out: Position[] = [];
  for (const f of [...families].sort()) {
    const pos = pickInPool(pool, f, want);
    if (pos === undefined) return undefined;
    out.push(pos);
  }
  return out;
}

function familyText(families: readonly Family[]): string {
  return families.map((f) => `IPv${f}`).join('+');
}

/** chooseFromPool allocates from one named pool (auto-assign does not matter for a named pool). */
export function chooseFromPool(ledger: Ledger, req: AllocationRequest, name: string): Chosen | Failure {
  const pool = ledger.byName.get(name);
  if (pool === undefined) return fail('unknownPool', `allocator: unknown pool "${name}"`);
  const fit = poolServes(pool.pool, req);
  if (!fit.ok) return fail('poolNotCompatible', `allocator: pool "${name}" does not serve service "${req.key}" (${fit.reason})`);
  const plans = familyPlans(req);
  for (const fams of plans) {
    const positions = pickFamilies(pool, fams, req);
    if (positions !== undefined) return { ok: true, pool, positions };
  }
  return fail('noAvailableIPs', `allocator: no available IPs in pool "${name}" for ${familyText(plans[0]!)}`);
}

/** chooseAuto allocates from the auto-assign pools that serve the request, in deterministic order. */
export function chooseAuto(ledger: Ledger, req: AllocationRequest): Chosen | Failure {
  const pools = autoCandidates(ledger.autoPools, req);
  const plans = familyPlans(req);
  for (const fams of plans) {
    for (const pool of pools) {
      const positions = pickFamilies(pool, fams, req);
      if (positions !== undefined) return { ok: true, pool, positions };
    }
  }
  return fail('noAvailableIPs', `allocator: no available IPs for ${familyText(plans[0]!)} (${triedText(pools, plans)})`);
}

/** triedText says which pools could have served the request and are full, for the failure message. */
function triedText(pools: readonly PoolState[], plans: Family[][]): string {
  if (pools.length === 0) return 'no auto-assign pool serves this service';
  const capable = pools.filter((p) => plans.some((fams) => fams.every((f) => p.hasFamily(f))));
  if (capable.length === 0) return `no auto-assign pool serving this service has ${familyText(plans[0]!)} addresses`;
  return `full: ${capable.map((p) => `"${p.name}"`).join(', ')}`;
}

/** chooseExplicit validates requested addresses: 1 or 2 of different families, one pool, shareable. */
export function chooseExplicit(ledger: Ledger, req: AllocationRequest, texts: readonly string[]): Chosen | Failure {
  if (texts.length === 0 || texts.length > 2) return fail('tooManyIPs', `allocator: service "${req.key}" asks for ${texts.length} IPs; 1 or 2 are allowed`);
  const ips = [];
  for (const t of texts) {
    const ip = parseIP(t.trim());
    if (ip === undefined) return fail('invalidIP', `allocator: "${t}" is not an IP address`);
    ips.push(ip);
  }
  if (ips.length === 2 && ips[0]!.family === ips[1]!.family) return fail('sameFamily', `allocator: "${texts[0]}" and "${texts[1]}" are both IPv${ips[0]!.family}; two IPs must be of different families`);
  const familyProblem = checkFamilies(req, ips.map((ip) => ip.family));
  if (familyProblem !== undefined) return familyProblem;
  const positions: Position[] = [];
  for (const [i, ip] of ips.entries()) {
    const where = ledger.index.locate(ip);
    if (where === undefined) return fail('notInPool', `allocator: ip "${texts[i]}" is not allowed in config (no pool holds it)`);
    if ('excludedBy' in where) return fail('notInPool', `allocator: ip "${texts[i]}" is not allowed in config (pool "${where.excludedBy.name}" avoids buggy IPs)`);
    positions.push(where.pos);
  }
  positions.sort((a, b) => a.ip.family - b.ip.family);
  const pool = positions[0]!.pool;
  if (positions.some((p) => p.pool !== pool)) return fail('ipsInDifferentPools', `allocator: ips ${texts.map((t) => `"${t}"`).join(', ')} are in different pools`);
  return finishExplicit(ledger, req, pool, positions);
}

function finishExplicit(ledger: Ledger, req: AllocationRequest, pool: PoolState, positions: Position[]): Chosen | Failure {
  if (req.requestedPool !== undefined && req.requestedPool !== pool.name) {
    return fail('poolMismatch', `allocator: requested ip is in pool "${pool.name}", not in the requested pool "${req.requestedPool}"`);
  }
  const fit = poolServes(pool.pool, req);
  if (!fit.ok) return fail('poolNotCompatible', `allocator: pool "${pool.name}" does not serve service "${req.key}" (${fit.reason})`);
  for (const pos of positions) {
    const text = formatIP(pos.ip);
    const verdict = checkSharing(ledger.useAt(text), req, text);
    if (!verdict.ok) return fail(verdict.reason, verdict.message);
  }
  return { ok: true, pool, positions };
}

/** checkFamilies refuses addresses whose families the service does not have (or too few for RequireDualStack). */
export function checkFamilies(req: Pick<AllocationRequest, 'key' | 'families' | 'policy'>, got: readonly Family[]): Failure | undefined {
  const allowed = familyPlans(req)[0]!;
  const bad = got.find((f) => !allowed.includes(f));
  if (bad !== undefined) return fail('familyMismatch', `allocator: service "${req.key}" is ${familyText(allowed)} but got an IPv${bad} address`);
  if (req.policy === 'RequireDualStack' && allowed.length === 2 && got.length < 2) {
    return fail('familyMismatch', `allocator: service "${req.key}" requires dual-stack but got only IPv${got[0]}`);
  }
  return undefined;
}
