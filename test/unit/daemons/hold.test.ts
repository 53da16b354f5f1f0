// holdLayer2: while holding (store lost, or re-joining after it) a speaker keeps what it announces,
// drops what it no longer wins, and takes nothing new. One table over a hand-made plan.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { holdLayer2, HOLD_REASON } from '../../../src/speaker/hold.js';
import type { L2Plan, L2ServiceOutcome } from '../../../src/speaker/l2-plan.js';
import type { AnnouncementSpec } from '../../../src/speaker/l2/announcer.js';

const won = (key: string, ips: string[]): L2ServiceOutcome => ({ key, ips, announced: true, reason: 'elected', winner: 'n1' });
const lost = (key: string, ips: string[]): L2ServiceOutcome => ({ key, ips, announced: false, reason: 'notOwner', winner: 'n2' });
function plan(services: L2ServiceOutcome[]): L2Plan {
  const announce = new Map<string, AnnouncementSpec>();
  for (const s of services) if (s.announced) for (const ip of s.ips) announce.set(ip, { interfaces: ['eth0'] });
  return { announce, services: new Map(services.map((s) => [s.key, s])), elections: [] };
}
const current = (...ips: string[]) => new Map<string, AnnouncementSpec>(ips.map((ip) => [ip, {}]));

const cases = [
  { desc: 'an IP won and already announced stays announced, with the new plan\'s interfaces', plan: plan([won('d/a', ['192.0.2.10'])]), current: current('192.0.2.10'), announce: ['192.0.2.10'], reasons: { 'd/a': 'elected' } },
  { desc: 'an IP won but not announced before is held back, with the reason', plan: plan([won('d/b', ['192.0.2.11'])]), current: current(), announce: [], reasons: { 'd/b': HOLD_REASON } },
  { desc: 'an IP announced before but now won by another node is dropped', plan: plan([lost('d/a', ['192.0.2.10'])]), current: current('192.0.2.10'), announce: [], reasons: { 'd/a': 'notOwner' } },
  { desc: 'an IP announced before whose Service is gone is dropped', plan: plan([]), current: current('192.0.2.10'), announce: [], reasons: {} },
  { desc: 'a dual-stack Service keeps the family it announced and holds back the new one', plan: plan([won('d/dual', ['192.0.2.20', '2001:db8::20'])]), current: current('192.0.2.20'), announce: ['192.0.2.20'], reasons: { 'd/dual': 'elected' } },
];
for (const c of cases) {
  test(c.desc, () => {
    const got = holdLayer2(c.plan, c.current);
    assert.equal([...got.announce.keys()].sort(), c.announce);
    for (const ip of got.announce.keys()) assert.equal(got.announce.get(ip), { interfaces: ['eth0'] });
    assert.equal(Object.fromEntries([...got.services].map(([k, s]) => [k, s.reason])), c.reasons);
    for (const s of got.services.values()) assert.is(s.announced, s.ips.some((ip) => got.announce.has(ip)) && s.reason === 'elected');
  });
}

test.run();
