// Session state from FRR's `show bgp vrf all neighbors json`, captured from bgpd 8.4.4 with one
// Established neighbor, one that never connected, and one in a VRF that does not exist.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { FrrStatusError, parseNeighborsJson, sessionStates } from '../../../src/speaker/frr/status.js';
import { peer } from '../bgp/build.js';

const captured = readFileSync(new URL('../../../fixtures/frr/show-bgp-vrf-all-neighbors.json', import.meta.url), 'utf8');

test('the captured answer yields one entry per VRF and neighbor', () => {
  const st = parseNeighborsJson(captured);
  assert.equal([...st.keys()].sort(), ['default|192.0.2.2', 'default|192.0.2.99', 'red|192.0.2.2']);
  assert.equal(st.get('default|192.0.2.2'), { state: 'Established', lastResetDueTo: 'No AFI/SAFI activated for peer', updatesSent: 3, sentPrefixes: 1 });
});

const cases: { desc: string; peer: ReturnType<typeof peer>; want: { up: boolean; reason?: string } }[] = [
  { desc: 'an Established neighbor is up', peer: peer('ext', { peerAddress: '192.0.2.2' }), want: { up: true } },
  { desc: 'a neighbor still connecting is down with its state as the reason', peer: peer('gone', { peerAddress: '192.0.2.99' }), want: { up: false, reason: 'Active, last reset: No AFI/SAFI activated for peer' } },
  { desc: 'a VRF neighbor is looked up in its VRF', peer: peer('red', { peerAddress: '192.0.2.2', vrf: 'red' }), want: { up: false, reason: 'Idle, last reset: Waiting for VRF to be initialized' } },
  { desc: 'a neighbor FRR does not know is down', peer: peer('new', { peerAddress: '192.0.2.50' }), want: { up: false, reason: 'not configured in FRR yet' } },
];
for (const c of cases) {
  test(c.desc, () => {
    assert.equal(sessionStates([c.peer], parseNeighborsJson(captured)), [{ peer: c.peer.name, ...c.want }]);
  });
}

test('an empty answer (no router bgp) is an empty status', () => {
  assert.equal(parseNeighborsJson('{}').size, 0);
});

test('output that is not JSON is a typed error naming what was read', () => {
  try {
    parseNeighborsJson('% Unknown command');
    assert.unreachable('should throw');
  } catch (err) {
    assert.instance(err, FrrStatusError);
    assert.is((err as FrrStatusError).code, 'frr.statusUnreadable');
    assert.match((err as Error).message, 'Unknown command');
  }
});

test.run();
