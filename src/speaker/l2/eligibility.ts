// Which interfaces may answer ARP and NDP (MetalLB's announcer rules): up, not enslaved to a bond or
// bridge (the master answers instead), NOARP clear, Ethernet-sized MAC; ARP also needs BROADCAST,
// NDP needs an IPv6 link-local address. Pure: the scan that fills InterfaceInfo is in src/sys.
import type { InterfaceInfo } from './types.js';

/** IneligibleReason says why an interface gets no responder. */
export type IneligibleReason = 'down' | 'enslaved' | 'noARP' | 'notEthernet' | 'noBroadcast' | 'noLinkLocal';

/** Eligibility is the decision for one interface and one protocol. */
export type Eligibility = { eligible: true } | { eligible: false; reason: IneligibleReason; detail: string };

/** arpEligibility decides whether `i` gets an ARP responder. */
export function arpEligibility(i: InterfaceInfo): Eligibility {
  const common = commonEligibility(i);
  if (!common.eligible) return common;
  if (!i.broadcast) return no('noBroadcast', `${i.name} has no BROADCAST flag`);
  return { eligible: true };
}

/** ndpEligibility decides whether `i` gets an NDP responder. */
export function ndpEligibility(i: InterfaceInfo): Eligibility {
  const common = commonEligibility(i);
  if (!common.eligible) return common;
  if (!i.linkLocalV6) return no('noLinkLocal', `${i.name} has no IPv6 link-local address`);
  return { eligible: true };
}

function commonEligibility(i: InterfaceInfo): Eligibility {
  if (!i.up) return no('down', `${i.name} is down`);
  if (i.master) return no('enslaved', `${i.name} is enslaved to ${i.master}`);
  if (i.noARP) return no('noARP', `${i.name} has the NOARP flag`);
  if (i.mac.length !== 6) return no('notEthernet', `${i.name} has a ${i.mac.length}-byte hardware address`);
  return { eligible: true };
}

function no(reason: IneligibleReason, detail: string): Eligibility {
  return { eligible: false, reason, detail };
}

/**
 * interfacesFor lists the interface names an IP is announced on: the eligible ones, narrowed to the
 * L2Advertisement `interfaces` list when there is one (undefined means every eligible interface).
 */
export function interfacesFor(eligible: readonly string[], allowed: ReadonlySet<string> | undefined): string[] {
  return allowed ? eligible.filter((n) => allowed.has(n)) : [...eligible];
}
