// Pool address entries: CIDRs and `start-end` ranges, their expansion to aligned prefixes, the overlap
// rule across every pool, and the aggregation-length rule that depends on each entry's widest prefix.
import { compareIP, formatCIDR, parseCIDR, parseIP, summarizeRange, bitsOf, type CIDR, type Family } from '../../model/ip.js';
import { quote, type Problems, type Where } from './problems.js';

/** AddressEntry is one parsed `addresses` item: its trimmed text and the prefixes it stands for. */
export interface AddressEntry {
  text: string;
  family?: Family;
  cidrs: CIDR[];
}

/**
 * parseAddressEntry reads a CIDR (`10.0.0.0/24`, host bits masked) or a range (`a-b`, split at the first
 * dash, each side trimmed). A range across families yields no prefixes, as MetalLB's summariser did.
 * Returns undefined and records an error when the entry is invalid.
 */
export function parseAddressEntry(raw: string, where: Where, problems: Problems): AddressEntry | undefined {
  const text = raw.trim();
  const dash = text.indexOf('-');
  if (dash < 0) {
    const cidr = parseCIDR(text);
    if (!cidr) {
      problems.error('config.pool.cidr', where, `invalid CIDR ${quote(raw)}: expected address/length or start-end`);
      return undefined;
    }
    return { text, family: cidr.ip.family, cidrs: [cidr] };
  }
  const startText = text.slice(0, dash).trim();
  const endText = text.slice(dash + 1).trim();
  const start = parseIP(startText);
  const end = parseIP(endText);
  if (!start || !end) {
    const bad = start ? endText : startText;
    problems.error('config.pool.range', where, `invalid IP range ${quote(raw)}: ${quote(bad)} is not an IP address`);
    return undefined;
  }
  if (start.family === end.family && compareIP(start, end) > 0) {
    problems.error('config.pool.range', where, `invalid IP range ${quote(raw)}: start IP ${startText} is after the end IP ${endText}`);
    return undefined;
  }
  if (start.family !== end.family) {
    problems.warn('config.pool.range-family', where, `IP range ${quote(raw)} mixes IPv4 and IPv6 and holds no addresses`);
    return { text, cidrs: [] };
  }
  return { text, family: start.family, cidrs: summarizeRange(start, end) };
}

/** PoolPrefixes is what the overlap check needs of one pool. */
export interface PoolPrefixes {
  name: string;
  /** object names the pool in messages; field(i) names its i-th address entry. */
  object: string;
  field: (entry: number) => string;
  entries: AddressEntry[];
}

interface Item {
  cidr: CIDR;
  last: bigint;
  pool: number;
  entry: number;
  order: number;
}

/**
 * checkOverlaps reports every prefix that is equal to or nested in another prefix of any pool (the
 * same pool included), naming the later one (in config order) and the one it collides with. Sorting by
 * start address makes this O(n log n): aligned prefixes either nest or are disjoint, so a stack of
 * the enclosing prefixes is all the sweep needs.
 */
export function checkOverlaps(pools: PoolPrefixes[], problems: Problems): void {
  const items: Item[] = [];
  pools.forEach((p, pool) =>
    p.entries.forEach((e, entry) =>
      e.cidrs.forEach((cidr) => {
        const size = 1n << BigInt(bitsOf(cidr.ip.family) - cidr.prefix);
        items.push({ cidr, last: cidr.ip.value + size - 1n, pool, entry, order: items.length });
      }),
    ),
  );
  items.sort((a, b) => compareIP(a.cidr.ip, b.cidr.ip) || a.cidr.prefix - b.cidr.prefix || a.order - b.order);
  const stack: Item[] = [];
  for (const it of items) {
    while (stack.length > 0 && (stack.at(-1)!.cidr.ip.family !== it.cidr.ip.family || stack.at(-1)!.last < it.cidr.ip.value)) stack.pop();
    const outer = stack.at(-1);
    if (outer) report(pools, outer, it, problems);
    stack.push(it);
  }
}

function report(pools: PoolPrefixes[], a: Item, b: Item, problems: Problems): void {
  const [first, later] = a.order < b.order ? [a, b] : [b, a];
  const lp = pools[later.pool]!;
  const fp = pools[first.pool]!;
  const lEntry = lp.entries[later.entry]!;
  const fEntry = fp.entries[first.entry]!;
  const from = (e: AddressEntry, c: CIDR): string => (e.text === formatCIDR(c) ? '' : ` (from ${quote(e.text)})`);
  const where = first.pool === later.pool ? `in the same pool (${fp.field(first.entry)})` : `in pool ${quote(fp.name)}`;
  problems.error(
    'config.pool.overlap',
    { object: lp.object, field: lp.field(later.entry) },
    `CIDR ${quote(formatCIDR(later.cidr))}${from(lEntry, later.cidr)} overlaps with CIDR ${quote(formatCIDR(first.cidr))}${from(fEntry, first.cidr)} ${where}`,
  );
}

/** checkAggregationLimits refuses aggregation lengths beyond the family width (32 or 128). */
export function checkAggregationLimits(ad: { aggregationLength: number; aggregationLengthV6: number }, fields: { v4: Where; v6: Where }, problems: Problems): void {
  if (ad.aggregationLength > 32) problems.error('config.bgpadv.aggregation', fields.v4, `invalid aggregation length ${ad.aggregationLength}: must be at most 32`);
  if (ad.aggregationLengthV6 > 128) problems.error('config.bgpadv.aggregation', fields.v6, `invalid aggregation length ${ad.aggregationLengthV6}: must be at most 128`);
}

/**
 * checkAggregation applies MetalLB's v0.12 rule: for each address entry, the aggregation length of its
 * family must not be shorter than the entry's widest prefix (else the aggregate would cover addresses
 * outside the pool). Without a pool name (one pool's own ads) the family limits are checked too.
 */
export function checkAggregation(
  ad: { aggregationLength: number; aggregationLengthV6: number },
  fields: { v4: Where; v6: Where },
  entries: AddressEntry[],
  problems: Problems,
  poolName?: string,
): void {
  const inPool = poolName === undefined ? 'in this pool' : `in pool ${quote(poolName)}`;
  if (poolName === undefined) checkAggregationLimits(ad, fields, problems);
  for (const e of entries) {
    if (e.cidrs.length === 0) continue;
    const widest = e.cidrs.reduce((w, c) => (c.prefix < w.prefix ? c : w));
    const v4 = widest.ip.family === 4;
    const len = v4 ? ad.aggregationLength : ad.aggregationLengthV6;
    if (len < widest.prefix) {
      problems.error(
        'config.bgpadv.aggregation',
        v4 ? fields.v4 : fields.v6,
        `invalid aggregation length ${len}: prefix ${quote(formatCIDR(widest))} ${inPool} is more specific than the aggregation length for addresses ${quote(e.text)}`,
      );
    }
  }
}
