// Exact address arithmetic for both families. Addresses are bigints so a /64 or a /8 is never
// enumerated and sizes never saturate; parsing is as strict as Go's net.ParseIP (MetalLB's parser),
// which ipaddr.js alone is not (it accepts `010.1.1.1`, `10.1.1`, hex octets).
import ipaddr from 'ipaddr.js';

/** Family is 4 for IPv4 and 6 for IPv6. */
export type Family = 4 | 6;

/** IP is one address: its family and its value as an unsigned integer of 32 or 128 bits. */
export interface IP {
  readonly family: Family;
  readonly value: bigint;
}

/** CIDR is an aligned prefix: `ip` is the network address (host bits zero). */
export interface CIDR {
  readonly ip: IP;
  readonly prefix: number;
}

/** bitsOf returns the address width of a family. */
export function bitsOf(family: Family): number {
  return family === 4 ? 32 : 128;
}

const decimalOctet = /^(0|[1-9][0-9]{0,2})$/;

/** parseIP parses a literal IPv4 or IPv6 address strictly, or returns undefined. */
export function parseIP(text: string): IP | undefined {
  if (text.includes('.') && !text.includes(':')) return parseIPv4(text);
  if (!text.includes(':') || text.includes('%')) return undefined;
  if (!ipaddr.IPv6.isValid(text)) return undefined;
  // ipaddr.js tolerates leading zeros beyond four hex digits in some forms; Go does not.
  if (text.split(':').some((g) => g.length > 4 && !g.includes('.'))) return undefined;
  const tail = text.slice(text.lastIndexOf(':') + 1);
  if (tail.includes('.') && parseIPv4(tail) === undefined) return undefined;
  const bytes = ipaddr.IPv6.parse(text).toByteArray();
  // Go treats ::ffff:a.b.c.d as the IPv4 address a.b.c.d.
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return { family: 4, value: bytesToBigint(bytes.slice(12)) };
  }
  return { family: 6, value: bytesToBigint(bytes) };
}

function parseIPv4(text: string): IP | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => decimalOctet.test(p) && Number(p) <= 255)) return undefined;
  return { family: 4, value: bytesToBigint(parts.map(Number)) };
}

function bytesToBigint(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** toBytes returns the 4 or 16 network-order bytes of an address. */
export function toBytes(ip: IP): Buffer {
  const n = bitsOf(ip.family) / 8;
  const out = Buffer.alloc(n);
  let v = ip.value;
  for (let i = n - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** fromBytes builds an address from 4 or 16 network-order bytes. */
export function fromBytes(bytes: Uint8Array): IP {
  if (bytes.length !== 4 && bytes.length !== 16) throw new RangeError(`ip: ${bytes.length} bytes is not an address`);
  return { family: bytes.length === 4 ? 4 : 6, value: bytesToBigint([...bytes]) };
}

/** formatIP prints an address the way Go does: dotted IPv4, RFC 5952 IPv6. */
export function formatIP(ip: IP): string {
  const bytes = [...toBytes(ip)];
  if (ip.family === 4) return bytes.join('.');
  return ipaddr.fromByteArray(bytes).toString();
}

/** canonicalIP re-prints a literal in canonical form, or returns undefined when it does not parse. */
export function canonicalIP(text: string): string | undefined {
  const ip = parseIP(text);
  return ip && formatIP(ip);
}

/** maskOf returns the netmask of a prefix length as an integer. */
export function maskOf(family: Family, prefix: number): bigint {
  const bits = BigInt(bitsOf(family));
  const host = bits - BigInt(prefix);
  return ((1n << bits) - 1n) ^ ((1n << host) - 1n);
}

/** makeCIDR masks host bits away and returns the prefix. */
export function makeCIDR(ip: IP, prefix: number): CIDR {
  return { ip: { family: ip.family, value: ip.value & maskOf(ip.family, prefix) }, prefix };
}

/** parseCIDR parses `addr/len` like Go's net.ParseCIDR (host bits masked), or returns undefined. */
export function parseCIDR(text: string): CIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (!ip || !/^[0-9]{1,3}$/.test(lenText)) return undefined;
  const prefix = Number(lenText);
  if (prefix > bitsOf(ip.family)) return undefined;
  return makeCIDR(ip, prefix);
}

/** formatCIDR prints `network/len`. */
export function formatCIDR(c: CIDR): string {
  return `${formatIP(c.ip)}/${c.prefix}`;
}

/** cidrSize is the number of addresses in a prefix. */
export function cidrSize(c: CIDR): bigint {
  return 1n << BigInt(bitsOf(c.ip.family) - c.prefix);
}

/** cidrLast is the highest address of a prefix. */
export function cidrLast(c: CIDR): IP {
  return { family: c.ip.family, value: c.ip.value + cidrSize(c) - 1n };
}

/** cidrContains tells whether an address lies inside a prefix (false across families). */
export function cidrContains(c: CIDR, ip: IP): boolean {
  return c.ip.family === ip.family && (ip.value & maskOf(ip.family, c.prefix)) === c.ip.value;
}

/** cidrsOverlap is MetalLB's overlap test: equal, or the shorter prefix holds the other's network. */
export function cidrsOverlap(a: CIDR, b: CIDR): boolean {
  if (a.ip.family !== b.ip.family) return false;
  return a.prefix <= b.prefix ? cidrContains(a, b.ip) : cidrContains(b, a.ip);
}

/** compareIP orders addresses: IPv4 before IPv6, then by value. */
export function compareIP(a: IP, b: IP): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/**
 * summarizeRange returns the minimal ascending list of aligned prefixes that covers exactly
 * [start, end] (as Python's ipaddress.summarize_address_range); empty for mixed families or start > end.
 */
export function summarizeRange(start: IP, end: IP): CIDR[] {
  if (start.family !== end.family || start.value > end.value) return [];
  const bits = bitsOf(start.family);
  const out: CIDR[] = [];
  let cur = start.value;
  while (cur <= end.value) {
    // Largest block aligned at `cur` that does not pass `end`.
    let hostBits = 0;
    while (hostBits < bits) {
      const next = hostBits + 1;
      const size = 1n << BigInt(next);
      if (cur % size !== 0n || cur + size - 1n > end.value) break;
      hostBits = next;
    }
    out.push({ ip: { family: start.family, value: cur }, prefix: bits - hostBits });
    cur += 1n << BigInt(hostBits);
  }
  return out;
}

/** isBuggyIPv4 tells whether avoid-buggy-ips skips this address (IPv4 ending in .0 or .255). */
export function isBuggyIPv4(ip: IP): boolean {
  if (ip.family !== 4) return false;
  const last = ip.value & 0xffn;
  return last === 0n || last === 255n;
}
