// Origination attributes: which prefixes are uniform across neighbors, and stable shared names.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planOrigin, type OriginAttrs } from '../../../src/speaker/frr/origin.js';
import type { Route } from '../../../src/speaker/bgp/route.js';

const r = (prefix: string, localPref = 0, communities: string[] = []): Route => ({ prefix, localPref, communities });

const cases: { desc: string; tables: Route[][]; uniform: string[]; mapped: string[] }[] = [
  { desc: 'a prefix with the same attributes for every neighbor is uniform and mapped', tables: [[r('10.0.0.1/32', 100, ['1:1'])], [r('10.0.0.1/32', 100, ['1:1'])]], uniform: ['10.0.0.1/32'], mapped: ['10.0.0.1/32'] },
  { desc: 'a prefix only one neighbor gets is uniform', tables: [[r('10.0.0.1/32', 0, ['1:1'])], []], uniform: ['10.0.0.1/32'], mapped: ['10.0.0.1/32'] },
  { desc: 'a different LOCAL_PREF for one neighbor makes the prefix per-neighbor', tables: [[r('10.0.0.1/32', 100)], [r('10.0.0.1/32', 200)]], uniform: [], mapped: [] },
  { desc: 'an extra community for one neighbor makes the prefix per-neighbor', tables: [[r('10.0.0.1/32', 0, ['1:1'])], [r('10.0.0.1/32', 0, ['1:1', '2:2'])]], uniform: [], mapped: [] },
  { desc: 'a prefix without attributes is uniform but needs no route-map', tables: [[r('10.0.0.1/32')], [r('10.0.0.1/32')]], uniform: ['10.0.0.1/32'], mapped: [] },
];
for (const c of cases) {
  test(c.desc, () => {
    const plan = planOrigin(c.tables, new Map());
    assert.equal([...plan.uniform], c.uniform);
    assert.equal([...plan.routeMap.keys()], c.mapped);
  });
}

test('equal attribute sets share one route-map, across routers and across renders', () => {
  const maps = new Map<string, OriginAttrs>();
  const a = planOrigin([[r('10.0.0.1/32', 100, ['1:1']), r('10.0.0.2/32', 100, ['1:1']), r('10.0.0.3/32', 0, ['large:1:2:3'])]], maps);
  const b = planOrigin([[r('2001:db8::1/128', 100, ['1:1'])]], maps);
  assert.is(maps.size, 2);
  assert.is(a.routeMap.get('10.0.0.1/32'), a.routeMap.get('10.0.0.2/32'));
  assert.is(b.routeMap.get('2001:db8::1/128'), a.routeMap.get('10.0.0.1/32'));
  const again = planOrigin([[r('10.0.0.9/32', 100, ['1:1'])]], new Map());
  assert.is(again.routeMap.get('10.0.0.9/32'), a.routeMap.get('10.0.0.1/32'));
  assert.match(a.routeMap.get('10.0.0.1/32')!, /^lbctl-attrs-[0-9a-f]{8}$/);
});

test('a name already taken by another attribute set is probed to a free one', () => {
  const maps = new Map<string, OriginAttrs>();
  const first = planOrigin([[r('10.0.0.1/32', 100, ['1:1'])]], maps).routeMap.get('10.0.0.1/32')!;
  // Simulate a hash collision: the name now holds different attributes.
  maps.set(first, { name: first, localPref: 7, communities: [] });
  const second = planOrigin([[r('10.0.0.2/32', 100, ['1:1'])]], maps).routeMap.get('10.0.0.2/32')!;
  assert.is(second, `${first}-1`);
  assert.equal(maps.get(second), { name: second, localPref: 100, communities: ['1:1'] });
});

test.run();
