// Safety properties of the pre-reload batch over random before/after states: it never touches a
// prefix the new config still originates (except rewriting its network line to the new one), never
// deletes a `deny any`, never enters a router the new config drops, and only creates route-maps
// the new config has.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { batchScript } from '../../../src/speaker/frr/batch.js';
import { buildFrrDesired } from '../../../src/speaker/frr/desired.js';
import { renderFrrConfig } from '../../../src/speaker/frr/render.js';
import type { Route } from '../../../src/speaker/bgp/route.js';
import { peer } from '../bgp/build.js';

const PREFIXES = ['198.51.100.1/32', '198.51.100.2/32', '198.51.100.0/24', '203.0.113.7/32', '2001:db8::1/128', '2001:db8::/120'];
const PEERS = [peer('a', { peerAddress: '192.0.2.2' }), peer('b', { peerAddress: '192.0.2.3', peerASN: 64513 }), peer('c', { peerAddress: '192.0.2.4', vrf: 'red' })];

const routeArb = fc.record({
  prefix: fc.constantFrom(...PREFIXES),
  localPref: fc.constantFrom(0, 100),
  communities: fc.subarray(['65000:1', 'large:1:2:3']),
});
const stateArb = fc.record({
  peers: fc.subarray(PEERS, { minLength: 1 }),
  tables: fc.tuple(...PEERS.map(() => fc.uniqueArray(routeArb, { selector: (r) => r.prefix, maxLength: 5 }))),
}).map(({ peers, tables }) => {
  const routes = new Map<string, Route[]>(PEERS.map((p, i) => [p.name, tables[i]!]));
  return renderFrrConfig(buildFrrDesired(peers, [], routes), { hostname: 'n' });
});

/** originated lists the prefixes of every `network` line of a rendering. */
function originated(text: string): Set<string> {
  return new Set([...text.matchAll(/^ {2}network (\S+)/gm)].map((m) => m[1]!));
}

test('the batch only withdraws what the new config stops originating, and only enters kept routers', () => {
  fc.assert(fc.property(stateArb, stateArb, (prev, next) => {
    const batch = batchScript(prev, next);
    if (!batch) return;
    const keep = originated(next);
    const nextRouters = new Set(next.split('\n').filter((l) => l.startsWith('router bgp ')));
    for (const line of batch.script.split('\n')) {
      if (line.startsWith('router bgp ')) assert.ok(nextRouters.has(line), `entered ${line}`);
      assert.not.ok(/deny any/.test(line), line);
      const noNet = /^ {2}no network (\S+)$/.exec(line);
      if (noNet) assert.not.ok(keep.has(noNet[1]!), `withdrew kept ${noNet[1]}`);
      const noList = /^no ipv?6? prefix-list .* permit (\S+)$/.exec(line);
      if (noList) assert.not.ok(keep.has(noList[1]!), `dropped a list entry of kept ${noList[1]}`);
      const net = /^ {2}network (\S+)/.exec(line);
      if (net) assert.ok(next.includes(line), `network line not in the new config: ${line}`);
      if (line.startsWith('route-map ')) assert.ok(next.includes(line), `route-map not in the new config: ${line}`);
    }
  }), { numRuns: 300 });
});

test('the batch of a state against itself is empty', () => {
  fc.assert(fc.property(stateArb, (s) => batchScript(s, s) === undefined), { numRuns: 100 });
});

test('the generated states exercise every kind of batch command (the properties are not vacuous)', () => {
  const seen = new Set<string>();
  for (const [prev, next] of fc.sample(fc.tuple(stateArb, stateArb), { numRuns: 300, seed: 7 })) {
    for (const line of batchScript(prev, next)?.script.split('\n') ?? []) {
      if (/^ {2}no network /.test(line)) seen.add('withdraw');
      else if (/^ {2}network /.test(line)) seen.add('in-place');
      else if (/^no ipv?6? prefix-list /.test(line)) seen.add('list-entry');
      else if (line.startsWith('route-map ')) seen.add('route-map');
    }
  }
  assert.equal([...seen].sort(), ['in-place', 'list-entry', 'route-map', 'withdraw']);
});

test.run();
