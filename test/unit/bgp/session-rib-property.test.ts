// Property: whatever sequence of desired tables a session is given, the UPDATEs it sends bring a
// receiver's table to exactly the desired one (prefixes and attributes), every message fits 4096
// octets, and a prefix is only sent again when something about it changed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { RibSender } from '../../../src/speaker/bgp/rib-sender.js';
import type { Route } from '../../../src/speaker/bgp/route.js';
import { FrameReader, MAX_MESSAGE_LEN, decodeMessage, formatPrefix } from '../../../src/wire/bgp/index.js';

type Table = Map<string, string>;

const universe = [
  ...Array.from({ length: 40 }, (_, i) => `198.51.100.${i}/32`),
  '203.0.113.0/24', '10.0.0.0/8',
  ...Array.from({ length: 20 }, (_, i) => `2001:db8::${(i + 1).toString(16)}/128`),
  '2001:db8:1::/48',
];
const attrSets = [
  { localPref: 0, communities: [] },
  { localPref: 200, communities: ['64512:1'] },
  { localPref: 0, communities: ['64512:2', 'large:1:2:3'] },
];

function describe(lp: number | undefined, comms: number[] | undefined, large: number[][] | undefined): string {
  return `${lp ?? ''}|${(comms ?? []).join(',')}|${(large ?? []).map((l) => l.join(':')).join(',')}`;
}

/** apply plays UPDATEs into a receiver's table: prefix -> attribute description. */
function apply(table: Table, messages: Buffer[]): void {
  for (const f of new FrameReader().push(Buffer.concat(messages))) {
    assert.ok(f.raw.length <= MAX_MESSAGE_LEN);
    const m = decodeMessage(f, { as4: true });
    if (m.kind !== 'update') throw new Error(m.kind);
    const u = m.update;
    const a = u.attributes;
    for (const p of [...u.withdrawn, ...(a.mpUnreach?.withdrawn ?? [])]) table.delete(formatPrefix(p));
    for (const p of [...u.nlri, ...(a.mpReach?.nlri ?? [])]) table.set(formatPrefix(p), describe(a.localPref, a.communities, a.largeCommunities));
  }
}

function expected(routes: Route[]): Table {
  const t: Table = new Map();
  for (const r of routes) {
    const std = r.communities.filter((c) => !c.startsWith('large:')).map((c) => c.split(':').map(Number)).map(([a, b]) => a! * 65536 + b!).sort((x, y) => x - y);
    const large = r.communities.filter((c) => c.startsWith('large:')).map((c) => c.slice(6).split(':').map(Number));
    t.set(r.prefix, describe(r.localPref || 100, std.length ? std : undefined, large.length ? large : undefined));
  }
  return t;
}

const table = fc.array(fc.tuple(fc.constantFrom(...universe), fc.constantFrom(...attrSets)), { maxLength: 60 })
  .map((rs) => [...new Map(rs.map(([prefix, a]) => [prefix, { prefix, ...a }])).values()] as Route[]);

test('a sequence of desired tables always converges the receiver to the last one, sending only changes', () => {
  fc.assert(
    fc.property(fc.array(table, { minLength: 1, maxLength: 6 }), (tables) => {
      const s = new RibSender(true);
      const receiver: Table = new Map();
      let previous: Table = new Map();
      for (const t of tables) {
        s.setDesired(t);
        const out = s.build({ myASN: 64512, as4: true, ipv4: true, ipv6: true, nextHopV4: '192.0.2.1', nextHopV6: '2001:db8::1' });
        apply(receiver, out.messages);
        const want = expected(t);
        assert.equal(receiver, want);
        const changed = [...want].filter(([p, a]) => previous.get(p) !== a).length;
        const gone = [...previous.keys()].filter((p) => !want.has(p)).length;
        assert.is(out.announced, changed);
        assert.is(out.withdrawn, gone);
        previous = want;
      }
      return true;
    }),
    { numRuns: 300 },
  );
});

test.run();
