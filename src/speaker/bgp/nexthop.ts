// Local-address choices a session makes from the host's interfaces: the IPv6 next hop for IPv6
// routes on an IPv4 session, and a router ID when the connection gives no IPv4 address. Pure: the
// interface table is passed in (os.networkInterfaces() shape).

/** InterfaceAddr is the part of os.NetworkInterfaceInfo we read. */
export interface InterfaceAddr {
  address: string;
  family: string | number;
  internal: boolean;
}

/** InterfaceTable maps interface names to their addresses. */
export type InterfaceTable = Record<string, InterfaceAddr[] | undefined>;

const isV6 = (a: InterfaceAddr) => a.family === 'IPv6' || a.family === 6;
const isV4 = (a: InterfaceAddr) => a.family === 'IPv4' || a.family === 4;

/**
 * ipv6NextHopFor returns the first global IPv6 address on the interface that holds `ipv4`: the
 * address a router on that link can reach us at. Link-local addresses are skipped because without
 * a global one next to them routers cannot resolve the next hop (RFC 2545 §3).
 */
export function ipv6NextHopFor(ipv4: string, table: InterfaceTable): string | undefined {
  for (const addrs of Object.values(table)) {
    if (!addrs?.some((a) => isV4(a) && a.address === ipv4)) continue;
    return addrs.find((a) => isV6(a) && !/^fe[89ab]/i.test(a.address) && a.address !== '::1')?.address;
  }
  return undefined;
}

/** fallbackRouterId picks the first non-internal IPv4 address, else a stable address hashed from `seed` (FNV-1a). */
export function fallbackRouterId(table: InterfaceTable, seed: string): string {
  for (const addrs of Object.values(table)) {
    const a = addrs?.find((x) => isV4(x) && !x.internal);
    if (a) return a.address;
  }
  let h = 0x811c9dc5;
  for (const ch of Buffer.from(seed)) h = Math.imul(h ^ ch, 0x01000193) >>> 0;
  h = h || 1;
  return [h >>> 24, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff].join('.');
}
