// MetalLB's TestBGPSpeaker (v0.12.1 speaker/bgp_controller_test.go) as one table: each step is the
// whole state after an event, and wants the per-peer tables and the per-service reasons.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planAdvertisements, type AnnouncedService } from '../../../src/speaker/bgp/advertise.js';
import type { Config } from '../../../src/model/index.js';
import { ad, config, ep, node, peer, pool, svc, tables } from './build.js';

const p1 = peer('p1');
const p2 = peer('p2', { peerAddress: '192.0.2.2' });
const single = pool('default', ['10.20.30.0/24']);
const multi = pool('default', ['10.20.30.0/24'], [
  ad({ localPref: 100, communities: ['0:1234', '0:2345'] }),
  ad({ aggregationLength: 24, localPref: 1000 }),
]);
const lb = (over: Parameters<typeof svc>[2] = {}, endpoints?: Parameters<typeof svc>[3]) => svc('test1', ['10.20.30.1'], over, endpoints);

interface Step {
  desc: string;
  config: Config;
  services: AnnouncedService[];
  /** routes per peer, one `prefix lp=N c=...` string per route. */
  want: Record<string, string[]>;
  reasons: Record<string, string>;
}

const steps: Step[] = [
  { desc: 'Service ignored, no config', config: config([], []), services: [lb()], want: {}, reasons: { 'default/test1': 'noPool' } },
  { desc: 'One peer, no services', config: config([single], [p1]), services: [], want: { p1: [] }, reasons: {} },
  { desc: 'Add service, not an LB', config: config([single], [p1]), services: [lb({ type: 'ClusterIP' })], want: { p1: [] }, reasons: { 'default/test1': 'notLoadBalancer' } },
  { desc: "Add service, it's an LB!", config: config([single], [p1]), services: [lb()], want: { p1: ['10.20.30.1/32 lp=0 c='] }, reasons: { 'default/test1': 'announced' } },
  {
    desc: "LB switches to local traffic policy, endpoint isn't on our node",
    config: config([single], [p1]),
    services: [lb({ externalTrafficPolicy: 'Local' }, [ep('2.3.4.5', 'iris')])],
    want: { p1: [] },
    reasons: { 'default/test1': 'noLocalEndpoints' },
  },
  {
    desc: 'New endpoint, on our node',
    config: config([single], [p1]),
    services: [lb({ externalTrafficPolicy: 'Local' }, [ep('2.3.4.5', 'iris'), ep('2.3.4.15', 'pandora')])],
    want: { p1: ['10.20.30.1/32 lp=0 c='] },
    reasons: { 'default/test1': 'announced' },
  },
  {
    desc: 'Endpoint on our node has some unready ports',
    config: config([single], [p1]),
    services: [lb({ externalTrafficPolicy: 'Local' }, [ep('2.3.4.5', 'iris'), ep('2.3.4.15', 'pandora'), ep('2.3.4.15', 'pandora', false)])],
    want: { p1: [] },
    reasons: { 'default/test1': 'noLocalEndpoints' },
  },
  { desc: 'Endpoint list is empty', config: config([single], [p1]), services: [lb({}, [])], want: { p1: [] }, reasons: { 'default/test1': 'noEndpoints' } },
  {
    desc: 'Endpoint list contains only unhealthy endpoints',
    config: config([single], [p1]),
    services: [lb({}, [ep('2.3.4.5', 'iris', false), ep('2.3.4.15', 'pandora', false)])],
    want: { p1: [] },
    reasons: { 'default/test1': 'noEndpoints' },
  },
  {
    desc: 'Endpoint list contains some unhealthy endpoints',
    config: config([single], [p1]),
    services: [lb({}, [ep('2.3.4.5', 'iris', false), ep('2.3.4.15', 'pandora')])],
    want: { p1: ['10.20.30.1/32 lp=0 c='] },
    reasons: { 'default/test1': 'announced' },
  },
  {
    desc: 'Multiple advertisement config',
    config: config([multi], [p1]),
    services: [lb()],
    want: { p1: ['10.20.30.0/24 lp=1000 c=', '10.20.30.1/32 lp=100 c=0:1234,0:2345'] },
    reasons: { 'default/test1': 'announced' },
  },
  {
    desc: 'Multiple peers',
    config: config([multi], [p1, p2]),
    services: [lb()],
    want: { p1: ['10.20.30.0/24 lp=1000 c=', '10.20.30.1/32 lp=100 c=0:1234,0:2345'], p2: ['10.20.30.0/24 lp=1000 c=', '10.20.30.1/32 lp=100 c=0:1234,0:2345'] },
    reasons: { 'default/test1': 'announced' },
  },
  {
    desc: 'Second balancer on the same IP is announced once',
    config: config([multi], [p1, p2]),
    services: [lb(), svc('test2', ['10.20.30.1'])],
    want: { p1: ['10.20.30.0/24 lp=1000 c=', '10.20.30.1/32 lp=100 c=0:1234,0:2345'], p2: ['10.20.30.0/24 lp=1000 c=', '10.20.30.1/32 lp=100 c=0:1234,0:2345'] },
    reasons: { 'default/test1': 'announced', 'default/test2': 'announced' },
  },
  {
    desc: 'Delete svc keeps the prefix the other service still needs',
    config: config([multi], [p1, p2]),
    services: [svc('test2', ['10.20.30.1'])],
    want: { p1: ['10.20.30.0/24 lp=1000 c=', '10.20.30.1/32 lp=100 c=0:1234,0:2345'], p2: ['10.20.30.0/24 lp=1000 c=', '10.20.30.1/32 lp=100 c=0:1234,0:2345'] },
    reasons: { 'default/test2': 'announced' },
  },
  {
    desc: 'Delete peer drops its table',
    config: config([multi], [p1]),
    services: [svc('test2', ['10.20.30.1'])],
    want: { p1: ['10.20.30.0/24 lp=1000 c=', '10.20.30.1/32 lp=100 c=0:1234,0:2345'] },
    reasons: { 'default/test2': 'announced' },
  },
  { desc: 'Delete the last service empties the table', config: config([multi], [p1]), services: [], want: { p1: [] }, reasons: {} },
];

for (const step of steps) {
  test(step.desc, () => {
    const plan = planAdvertisements({ config: step.config, node: node(), services: step.services });
    assert.equal(tables(plan.routes), step.want);
    const reasons = Object.fromEntries([...plan.decisions].map(([k, d]) => [k, d.reason]));
    assert.equal(reasons, step.reasons);
  });
}

test.run();
