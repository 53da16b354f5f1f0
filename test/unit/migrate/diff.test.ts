import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffConfigs, formatDifferences } from '../../../src/migrate/diff.js';
import { expectFromCrds, expectFromLegacy } from '../../../src/migrate/expect.js';
import { bgpAd, config, peer, pool } from './fixtures.js';

test('identical models have no difference', () => {
  const c = config({ pools: [pool('a', ['10.0.0.0/24'])], peers: [peer()] });
  assert.equal(diffConfigs(c, structuredClone(c)), []);
});

test('pool order does not matter (the order warning covers it), pool content does', () => {
  const a = config({ pools: [pool('b', ['10.0.1.0/24']), pool('a', ['10.0.0.0/24'])] });
  const b = config({ pools: [pool('a', ['10.0.0.0/24']), pool('b', ['10.0.1.0/24'])] });
  assert.equal(diffConfigs(a, b), []);
  b.pools[0]!.autoAssign = false;
  assert.equal(diffConfigs(a, b), [{ path: 'pools[a].autoAssign', left: 'true', right: 'false' }]);
});

const cases: [string, (c: ReturnType<typeof config>) => void, string][] = [
  ['a changed CIDR is printed as text', (c) => (c.pools[0]!.cidrs = [pool('x', ['10.9.0.0/24']).cidrs[0]!]), 'pools[web].cidrs[0]: in "10.0.0.0/24", out "10.9.0.0/24"'],
  ['a missing advertisement shows as absent', (c) => (c.pools[0]!.bgpAdvertisements = []), 'pools[web].bgpAdvertisements[0]: in {"aggregationLength":32,"aggregationLengthV6":128,"localPref":0,"communities":[],"nodeSelectors":[],"peers":[],"serviceSelectors":[]}, out <absent>'],
  ['a renamed pool shows as one absent and one new', (c) => (c.pools[0]!.name = 'web2'), 'pools[web]: in {'],
  ['a different password is reported without its value', (c) => (c.peers[0]!.password = 'other'), 'peers[peer-192-0-2-1-as64501].password: in <redacted>, out <redacted>'],
  ['a changed community alias is reported', (c) => (c.communities['gold'] = '1:2'), 'communities.gold: in "65000:1", out "1:2"'],
];
for (const [desc, mutate, want] of cases) {
  test(`diffConfigs: ${desc}`, () => {
    const base = config({
      pools: [pool('web', ['10.0.0.0/24'], { l2Advertisements: [], bgpAdvertisements: [bgpAd()] })],
      peers: [peer({ password: 'secret' })],
      communities: { gold: '65000:1' },
    });
    const other = structuredClone(base);
    mutate(other);
    const lines = formatDifferences(diffConfigs(base, other), 'in', 'out');
    assert.ok(lines.length >= 1, 'a difference must be found');
    assert.ok(lines[0]!.startsWith(want), `${lines[0]} should start with ${want}`);
    assert.not.match(lines.join('\n'), 'secret');
  });
}

test('expectFromLegacy applies pool and BFD renames and adds Secret references', () => {
  const legacy = config({
    pools: [pool('My_Pool', ['10.0.0.0/24'])],
    peers: [peer({ password: 'k', bfdProfile: 'Fast_One' })],
    bfdProfiles: [{ name: 'Fast_One', echoMode: false, passiveMode: false }],
  });
  const name = legacy.peers[0]!.name;
  const got = expectFromLegacy(
    legacy,
    [
      { kind: 'IPAddressPool', from: 'My_Pool', to: 'my-pool' },
      { kind: 'BFDProfile', from: 'Fast_One', to: 'fast-one' },
    ],
    new Map([[name, { name: `${name}-bgp-password`, namespace: 'metallb-system' }]]),
  );
  assert.is(got.pools[0]!.name, 'my-pool');
  assert.is(got.bfdProfiles[0]!.name, 'fast-one');
  assert.is(got.peers[0]!.bfdProfile, 'fast-one');
  assert.equal(got.peers[0]!.passwordSecret, { name: `${name}-bgp-password`, namespace: 'metallb-system' });
  assert.is(legacy.pools[0]!.name, 'My_Pool', 'the input model is not changed');
});

test('lists with repeated names compare position by position, so no entry hides behind another', () => {
  const a = config({ peers: [peer({ name: 'x', holdTime: 90 }), peer({ name: 'x', holdTime: 180 })] });
  const b = config({ peers: [peer({ name: 'x', holdTime: 90 }), peer({ name: 'x', holdTime: 90 })] });
  assert.equal(diffConfigs(a, b), [{ path: 'peers[1].holdTime', left: '180', right: '90' }]);
});

test('expectFromCrds blanks peer names and drops Secret references and pool labels', () => {
  const crds = config({
    pools: [pool('a', ['10.0.0.0/24'], { labels: { tier: 'x' } })],
    peers: [peer({ name: 'spine', password: 'k', passwordSecret: { name: 's', namespace: 'metallb-system' } })],
  });
  const got = expectFromCrds(crds);
  assert.is(got.peers[0]!.name, '');
  assert.is(got.peers[0]!.passwordSecret, undefined);
  assert.is(got.peers[0]!.password, 'k');
  assert.equal(got.pools[0]!.labels, {});
});

test.run();
