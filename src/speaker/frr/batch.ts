// A batch script run with one `vtysh -f` ahead of frr-reload.py. frr-reload deletes every obsolete
// line with its own vtysh process (measured: withdrawing 1,000 prefixes took 110 s, ~3,000 vtysh
// runs), and replacing a line means delete-then-add, which for `network P route-map X` withdraws P
// for a moment. The batch does the bulk, order-sensitive part: create new origination route-maps,
// update changed `network` lines in place (FRR accepts that), then withdraw gone prefixes and drop
// their prefix-list entries. frr-reload then finds those done and stays authoritative for the rest.
// Pure: text in, script out.

/** BatchScript is a vtysh script and how many commands it holds. */
export interface BatchScript {
  script: string;
  count: number;
}

/**
 * batchScript returns the commands that move `prev` towards `next`, or undefined when there are
 * none. Deletion is limited to prefixes `next` no longer originates (never a `deny any`, never an
 * entry of a prefix still announced: a route-map must not see a list without it). Only routers
 * that `next` keeps are entered: entering a missing router in vtysh would create it.
 */
export function batchScript(prev: string, next: string): BatchScript | undefined {
  const before = readLines(prev);
  const after = readLines(next);
  const announced = new Set<string>();
  for (const fams of after.networks.values()) for (const nets of fams.values()) nets.forEach((_, p) => announced.add(p));
  const out: string[] = [];
  let count = 0;
  for (const [name, block] of after.originMaps) {
    if (before.originMaps.get(name) === block) continue;
    out.push(...block.split('\n'));
    count++;
  }
  const withdrawn = new Set<string>();
  for (const [router, families] of before.networks) {
    const kept = after.networks.get(router);
    if (!kept) continue;
    const lines: string[] = [];
    for (const [af, nets] of families) {
      const now = kept.get(af) ?? new Map<string, string>();
      const changes: string[] = [];
      for (const [p, line] of now) if (nets.has(p) && nets.get(p) !== line) changes.push(line);
      for (const p of nets.keys()) {
        if (announced.has(p)) continue;
        withdrawn.add(p);
        changes.push(`  no network ${p}`);
      }
      if (changes.length > 0) lines.push(` ${af}`, ...changes, ' exit-address-family');
      count += changes.length;
    }
    if (lines.length > 0) out.push(router, ...lines, 'exit');
  }
  for (const l of before.prefixLists) {
    if (after.prefixLists.has(l) || !withdrawn.has(/ permit (\S+)$/.exec(l)?.[1] ?? '')) continue;
    out.push(`no ${l}`);
    count++;
  }
  return count === 0 ? undefined : { script: out.join('\n') + '\n', count };
}

interface Lines {
  prefixLists: Set<string>;
  /** networks: router line -> address-family -> prefix -> its full `network` line. */
  networks: Map<string, Map<string, Map<string, string>>>;
  /** originMaps: name -> the whole block, for the shared `lbctl-attrs-*` route-maps. */
  originMaps: Map<string, string>;
}

/** readLines reads our own rendering (one-space indents and block ends as render.ts writes them). */
function readLines(text: string): Lines {
  const res: Lines = { prefixLists: new Set(), networks: new Map(), originMaps: new Map() };
  let router: string | undefined;
  let af: string | undefined;
  let originBlock: string[] | undefined;
  for (const line of text.split('\n')) {
    if (originBlock) {
      originBlock.push(line);
      if (line === 'exit') {
        res.originMaps.set(originBlock[0]!.split(' ')[1]!, originBlock.join('\n'));
        originBlock = undefined;
      }
    } else if (line.startsWith('route-map lbctl-attrs-')) originBlock = [line];
    else if (line.startsWith('ip prefix-list ') || line.startsWith('ipv6 prefix-list ')) res.prefixLists.add(line);
    else if (line.startsWith('router bgp ')) {
      router = line;
      res.networks.set(router, new Map());
    } else if (line === 'exit') router = af = undefined;
    else if (router && line.startsWith(' address-family ')) af = line.trim();
    else if (line === ' exit-address-family') af = undefined;
    else if (router && af && line.startsWith('  network ')) {
      const fams = res.networks.get(router)!;
      if (!fams.has(af)) fams.set(af, new Map());
      fams.get(af)!.set(line.split(' ')[3]!, line);
    }
  }
  return res;
}
