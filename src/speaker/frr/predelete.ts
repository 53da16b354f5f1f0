// Batch deletion ahead of frr-reload.py. frr-reload deletes every obsolete line with its own vtysh
// process (measured: withdrawing 1,000 prefixes took 110 s, ~3,000 vtysh runs), while additions go
// in one batch. What goes in bulk here is withdrawn prefixes (their `network` statements and
// prefix-list entries), so we delete those in one `vtysh -f` script first; frr-reload then finds
// them gone and stays authoritative for everything else. Pure: text in, script out.

/** PreDelete is a vtysh script and how many lines it removes. */
export interface PreDelete {
  script: string;
  count: number;
}

/**
 * preDeleteScript returns the deletions for prefixes that `next` stops originating: first their
 * `network` lines (the withdrawal itself), then their prefix-list `permit` entries, which no
 * longer matter once the prefix is gone. Nothing else is touched: deleting the entries of a prefix
 * still announced (or a `deny any`) would let a route-map briefly see a list without them, and
 * withdraw or re-advertise a prefix it should keep. Only routers that `next` keeps are entered:
 * entering a missing router in vtysh would create it. Undefined when there is nothing to delete.
 */
export function preDeleteScript(prev: string, next: string): PreDelete | undefined {
  const before = bulkLines(prev);
  const after = bulkLines(next);
  const stillAnnounced = new Set<string>();
  for (const fams of after.networks.values()) for (const nets of fams.values()) nets.forEach((n) => stillAnnounced.add(n));
  const withdrawn = new Set<string>();
  const out: string[] = [];
  for (const [router, families] of before.networks) {
    if (!after.networks.has(router)) continue;
    const block: string[] = [];
    for (const [af, nets] of families) {
      const gone = [...nets].filter((n) => !stillAnnounced.has(n));
      if (gone.length === 0) continue;
      gone.forEach((n) => withdrawn.add(n));
      block.push(` ${af}`, ...gone.map((n) => `  no network ${n}`), ' exit-address-family');
    }
    if (block.length > 0) out.push(router, ...block, 'exit');
  }
  const lists = [...before.prefixLists].filter((l) => !after.prefixLists.has(l) && withdrawn.has(permitted(l) ?? ''));
  out.push(...lists.map((l) => `no ${l}`));
  const count = withdrawn.size === 0 ? 0 : out.filter((l) => l.startsWith('no ') || l.startsWith('  no ')).length;
  return count === 0 ? undefined : { script: out.join('\n') + '\n', count };
}

/** permitted returns the prefix of a `... permit P` prefix-list line. */
function permitted(line: string): string | undefined {
  return / permit (\S+)$/.exec(line)?.[1];
}

interface BulkLines {
  prefixLists: Set<string>;
  /** networks: router line -> address-family line -> prefixes. */
  networks: Map<string, Map<string, Set<string>>>;
}

/** bulkLines reads our own rendering (one-space indents, as render.ts writes it). */
function bulkLines(text: string): BulkLines {
  const res: BulkLines = { prefixLists: new Set(), networks: new Map() };
  let router: string | undefined;
  let af: string | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('ip prefix-list ') || line.startsWith('ipv6 prefix-list ')) res.prefixLists.add(line);
    else if (line.startsWith('router bgp ')) {
      router = line;
      res.networks.set(router, new Map());
    } else if (line === 'exit') router = af = undefined;
    else if (router && line.startsWith(' address-family ')) af = line.trim();
    else if (line === ' exit-address-family') af = undefined;
    else if (router && af && line.startsWith('  network ')) {
      const fams = res.networks.get(router)!;
      if (!fams.has(af)) fams.set(af, new Set());
      fams.get(af)!.add(line.slice('  network '.length));
    }
  }
  return res;
}
