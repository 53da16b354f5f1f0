// A CIDR seen as a dense run of "slots": the addresses the allocator may hand out, numbered from 0.
// Without avoid-buggy-ips slot n is simply network + n. With it, IPv4 addresses ending in .0 or .255
// are not slots at all, so "lowest free slot" never lands on one and capacity is plain arithmetic:
// the allocator never enumerates or skips addresses one by one, whatever the prefix length.
import type { CIDR, Family, IP } from '../model/ip.js';
import { cidrLast, cidrSize } from '../model/ip.js';

/** SlotSpace maps one CIDR's allocatable addresses to slots 0..size-1 in address order. */
export interface SlotSpace {
  readonly cidr: CIDR;
  readonly family: Family;
  /** skipBuggy: IPv4 .0/.255 addresses are excluded (avoid-buggy-ips). */
  readonly skipBuggy: boolean;
  /** size is the number of slots (exact; 0 when every address is excluded). */
  readonly size: bigint;
  /** origin is the slot-numbering origin: the network address, or its usable index with skipBuggy. */
  readonly origin: bigint;
}

// Usable-index numbering for avoid-buggy-ips: each /24 block holds 254 usable addresses (.1-.254),
// so address (block, low) has index block*254 + low-1. It is monotonic, which keeps slot order
// equal to address order.
const PER_BLOCK = 254n;

function usableIndex(v: bigint): bigint {
  return (v >> 8n) * PER_BLOCK + (v & 0xffn) - 1n;
}

function fromUsableIndex(u: bigint): bigint {
  return ((u / PER_BLOCK) << 8n) + (u % PER_BLOCK) + 1n;
}

/** slotSpace builds the slot numbering of one pool CIDR. */
export function slotSpace(cidr: CIDR, avoidBuggyIPs: boolean): SlotSpace {
  const family = cidr.ip.family;
  const skipBuggy = avoidBuggyIPs && family === 4;
  if (!skipBuggy) return { cidr, family, skipBuggy, size: cidrSize(cidr), origin: cidr.ip.value };
  let first = cidr.ip.value;
  let last = cidrLast(cidr).value;
  // Move both ends inward onto usable addresses (.0 -> .1, .255 -> next .1; mirrored for the end).
  const lowFirst = first & 0xffn;
  if (lowFirst === 0n) first += 1n;
  else if (lowFirst === 255n) first += 2n;
  const lowLast = last & 0xffn;
  if (lowLast === 255n) last -= 1n;
  else if (lowLast === 0n) last -= 2n;
  if (first > last) return { cidr, family, skipBuggy, size: 0n, origin: 0n };
  const origin = usableIndex(first);
  return { cidr, family, skipBuggy, size: usableIndex(last) - origin + 1n, origin };
}

/** slotOf returns the slot of an address, or undefined when it is outside the CIDR or excluded. */
export function slotOf(space: SlotSpace, ip: IP): bigint | undefined {
  if (ip.family !== space.family || space.size === 0n) return undefined;
  const v = ip.value;
  if (v < space.cidr.ip.value || v > cidrLast(space.cidr).value) return undefined;
  if (!space.skipBuggy) return v - space.origin;
  const low = v & 0xffn;
  if (low === 0n || low === 255n) return undefined;
  return usableIndex(v) - space.origin;
}

/** addressOf returns the address of a slot (the caller keeps slot inside 0..size-1). */
export function addressOf(space: SlotSpace, slot: bigint): IP {
  const value = space.skipBuggy ? fromUsableIndex(space.origin + slot) : space.origin + slot;
  return { family: space.family, value };
}
