// Holding layer 2 while the store is lost (keep mode): the speaker keeps announcing what it already
// announces and takes over nothing new, because its view of the others is frozen and may be stale.
// It may still drop an IP (a Service deleted, an endpoint gone, or a peer it now sees as live
// winning it): withdrawing never creates a second owner. Pure.
import type { AnnouncementSpec } from './l2/announcer.js';
import type { L2Plan, L2ServiceOutcome } from './l2-plan.js';

/** HOLD_REASON is the outcome reason of a service won but held back while the store is lost. */
export const HOLD_REASON = 'storeLostNoTakeover';

/** holdLayer2 restricts a plan to the IPs announced now: what was won but is new is held back. */
export function holdLayer2(plan: L2Plan, current: ReadonlyMap<string, AnnouncementSpec>): L2Plan {
  const announce = new Map<string, AnnouncementSpec>();
  for (const [ip, spec] of plan.announce) if (current.has(ip)) announce.set(ip, spec);
  const services = new Map<string, L2ServiceOutcome>();
  for (const [key, s] of plan.services) {
    if (!s.announced || s.ips.some((ip) => announce.has(ip))) { services.set(key, s); continue; }
    services.set(key, { ...s, announced: false, reason: HOLD_REASON });
  }
  return { announce, services, elections: plan.elections };
}
