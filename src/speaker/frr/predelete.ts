// Batch deletion ahead of frr-reload.py. frr-reload deletes every obsolete line with its own vtysh
// process (measured: withdrawing 1,000 prefixes took 110 s, ~3,000 vtysh runs), while additions go
// in one batch. The lines that come and go in bulk here are prefix-list entries and `network`
// statements, so we delete those in one `vtysh -f` script first; frr-reload then finds them gone
// and stays authoritative for everything else. Pure: text in, script out.

/** PreDelete is a vtysh script and how many lines it removes. */
export interface PreDelete {
  script: string;
  count: number;
}

/**
 * preDeleteScript returns the deletions of prefix-list entries and network statements that `prev`
 * has and `next` lacks, or undefined when there are none. Network deletions are only emitted for
 * `router bgp` blocks that `next` keeps: entering a missing router in vtysh would create it.
 */
export function preDeleteScript(prev: string, next: string): PreDelete | undefined {
  const before = bulkLines(prev);
  const after = bulkLines(next);
  const lists = [...before.prefixLists].filter((l) => !after.prefixLists.has(l));
  const out = lists.map((l) => `no ${l}`);
  let count = lists.length;
  for (const [router, families] of before.networks) {
    const keep = after.networks.get(router);
    if (!keep) continue;
    const block: string[] = [];
    for (const [af, nets] of families) {
      const gone = [...nets].filter((n) => !keep.get(af)?.has(n));
      if (gone.length === 0) continue;
      block.push(` ${af}`, ...gone.map((n) => `  no network ${n}`), ' exit-address-family');
      count += gone.length;
    }
    if (block.length > 0) out.push(router, ...block, 'exit');
  }
  return count === 0 ? undefined : { script: out.join('\n') + '\n', count };
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
