// Parsers that turn each router's RIB output (BIRD text, FRR JSON, gobgp JSON) into one shape.

/** RibRoute is a BGP route as a router holds it, normalised across daemons. */
export interface RibRoute {
  prefix: string;
  nextHop: string;
  asPath: number[];
  localPref?: number;
  communities: string[];
  largeCommunities: string[];
}

/** parseBirdRoutes reads `birdc show route all` (first path of each prefix). */
export function parseBirdRoutes(text: string): RibRoute[] {
  const out: RibRoute[] = [];
  let cur: RibRoute | undefined;
  for (const line of text.split('\n')) {
    const head = /^(\S+\/\d+)\s+unicast/.exec(line);
    if (head) {
      cur = { prefix: head[1]!, nextHop: '', asPath: [], communities: [], largeCommunities: [] };
      out.push(cur);
      continue;
    }
    if (/^\s+unicast \[/.test(line)) cur = undefined; // a second path for the same prefix
    const attr = /^\s+BGP\.(\w+): ?(.*)$/.exec(line);
    if (!cur || !attr) continue;
    const [, k, v] = attr as unknown as [string, string, string];
    if (k === 'as_path') cur.asPath = v.trim() ? v.trim().split(/\s+/).map(Number) : [];
    if (k === 'next_hop') cur.nextHop = v.trim().split(/\s+/)[0]!;
    if (k === 'local_pref') cur.localPref = Number(v);
    if (k === 'community') cur.communities = [...v.matchAll(/\((\d+),(\d+)\)/g)].map((m) => `${m[1]}:${m[2]}`);
    if (k === 'large_community') cur.largeCommunities = [...v.matchAll(/\((\d+), (\d+), (\d+)\)/g)].map((m) => `${m[1]}:${m[2]}:${m[3]}`);
  }
  return out;
}

/** FrrPath is the part of `show bgp <afi> unicast <prefix> json` we read. */
export interface FrrPath {
  aspath?: { segments?: { list: number[] }[] };
  nexthops?: { ip: string }[];
  localpref?: number;
  locPrf?: number;
  community?: { list: string[] };
  largeCommunity?: { list: string[] };
}

/** frrRoute normalises FRR's per-prefix JSON (first path). */
export function frrRoute(prefix: string, j: { paths?: FrrPath[] }): RibRoute {
  const p = j.paths?.[0] ?? {};
  return {
    prefix,
    nextHop: p.nexthops?.[0]?.ip ?? '',
    asPath: (p.aspath?.segments ?? []).flatMap((s) => s.list),
    localPref: p.localpref ?? p.locPrf,
    communities: p.community?.list ?? [],
    largeCommunities: p.largeCommunity?.list ?? [],
  };
}

/** GobgpPath is one path of `gobgp global rib -j`. */
export interface GobgpPath {
  attrs: { type: number; value?: unknown; nexthop?: string; as_paths?: { asns: number[] }[]; communities?: number[] }[];
}

/** gobgpRoute normalises one gobgp JSON path. */
export function gobgpRoute(prefix: string, p: GobgpPath): RibRoute {
  const r: RibRoute = { prefix, nextHop: '', asPath: [], communities: [], largeCommunities: [] };
  for (const a of p.attrs) {
    if (a.type === 2) r.asPath = (a.as_paths ?? []).flatMap((s) => s.asns);
    if (a.type === 3 || a.type === 14) r.nextHop = a.nexthop ?? '';
    if (a.type === 5) r.localPref = a.value as number;
    if (a.type === 8) r.communities = (a.communities ?? []).map((c) => `${c >>> 16}:${c & 0xffff}`);
    if (a.type === 32) r.largeCommunities = (a.value as { ASN: number; LocalData1: number; LocalData2: number }[]).map((l) => `${l.ASN}:${l.LocalData1}:${l.LocalData2}`);
  }
  return r;
}
