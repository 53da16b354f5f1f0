// Precedence of the reasons (MetalLB main's order) and the per-address endpoint rule.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eligibility, hasUsableAddress } from '../../../src/speaker/bgp/eligibility.js';
import { ad, config, ep, node, pool, sel, svc } from './build.js';

const cfg = config([pool('p', ['198.51.100.0/24'], [ad({ nodeSelectors: [sel({ bgp: 'yes' })] })]), pool('l2', ['203.0.113.0/24'], [])], []);
const broken = node({ 'node.kubernetes.io/exclude-from-external-load-balancers': 'true' }, { networkUnavailable: true });

const cases: { desc: string; n: ReturnType<typeof node>; s: ReturnType<typeof svc>; want: string }[] = [
  { desc: 'service type is checked before anything else', n: broken, s: svc('a', [], { type: 'NodePort' }, []), want: 'notLoadBalancer' },
  { desc: 'a missing IP is reported before the pool is looked up', n: broken, s: svc('a', [], {}, []), want: 'noIPAllocated' },
  { desc: 'an L2-only pool is notBGP even on a broken node', n: broken, s: svc('a', ['203.0.113.1'], {}, []), want: 'notBGP' },
  { desc: 'advertisement node selection comes before node health', n: broken, s: svc('a', ['198.51.100.1'], {}, []), want: 'noMatchingAdvertisement' },
  { desc: 'NetworkUnavailable comes before the exclusion label', n: { ...broken, labels: { ...broken.labels, bgp: 'yes' } }, s: svc('a', ['198.51.100.1'], {}, []), want: 'nodeNetworkUnavailable' },
  { desc: 'the exclusion label comes before endpoints', n: node({ bgp: 'yes', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }), s: svc('a', ['198.51.100.1'], {}, []), want: 'nodeLabeledExcludeBalancers' },
  { desc: 'Local with no endpoint at all says noLocalEndpoints (the Local check comes first)', n: node({ bgp: 'yes' }), s: svc('a', ['198.51.100.1'], { externalTrafficPolicy: 'Local' }, []), want: 'noLocalEndpoints' },
  { desc: 'a healthy node with a ready endpoint announces', n: node({ bgp: 'yes' }), s: svc('a', ['198.51.100.1'], {}, [ep('10.0.0.1', 'elsewhere')]), want: 'announced' },
];
for (const c of cases) test(c.desc, () => assert.is(eligibility(cfg, c.n, c.s).reason, c.want));

const usable: { desc: string; eps: Parameters<typeof hasUsableAddress>[0]; want: boolean }[] = [
  { desc: 'no endpoints are not usable', eps: [], want: false },
  { desc: 'a ready endpoint is usable', eps: [ep('10.0.0.1', 'a')], want: true },
  { desc: 'an address listed unready anywhere is not usable, whatever the order', eps: [ep('10.0.0.1', 'a', false), ep('10.0.0.1', 'a')], want: false },
  { desc: 'another ready address keeps the service usable', eps: [ep('10.0.0.1', 'a', false), ep('10.0.0.2', 'a')], want: true },
  { desc: 'a terminating endpoint that still serves is usable', eps: [{ addresses: ['10.0.0.3'], ready: false, serving: true }], want: true },
];
for (const c of usable) test(c.desc, () => assert.is(hasUsableAddress(c.eps), c.want));

test.run();
