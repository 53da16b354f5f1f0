// Pure pieces of the speaker: reading Nodes and EndpointSlices, and the layer 2 plan.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeViewFromObject, sliceViewFromObject } from '../../../src/speaker/views.js';
import { planLayer2, poolOfIP, type L2Service } from '../../../src/speaker/l2-plan.js';
import { hashOrder } from '../../../src/speaker/election.js';
import { serviceViewFromObject } from '../../../src/controller/service-view.js';
import { parseObjects } from '../../../src/config/index.js';
import type { NodeView } from '../../../src/model/cluster.js';
import { legacyConfig, service, slice } from './objects.js';

const config = parseObjects([legacyConfig(`address-pools:
- {name: lan, protocol: layer2, addresses: [192.0.2.10-192.0.2.19]}
- {name: routed, protocol: bgp, addresses: [198.51.100.0/28]}
`)]).config;

const nodes: NodeView[] = ['n1', 'n2', 'n3'].map((name) => ({ name, labels: {}, networkUnavailable: false }));
const svc = (name: string, ips: string[], endpointNodes: string[], policy?: 'Local'): L2Service => ({
  view: serviceViewFromObject(service(name, { ips, policy })),
  endpoints: sliceViewFromObject(slice(name, endpointNodes)).endpoints,
});

test('a Node reads its labels and the NetworkUnavailable condition', () => {
  const v = nodeViewFromObject({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { a: 'b' } }, status: { conditions: [{ type: 'NetworkUnavailable', status: 'True' }] } });
  assert.equal(v, { name: 'n1', labels: { a: 'b' }, networkUnavailable: true });
});

const conditions = [
  { desc: 'an endpoint without conditions is ready and serving', cond: undefined, want: { ready: true, serving: true } },
  { desc: 'a terminating endpoint that still serves is not ready but serving', cond: { ready: false, serving: true, terminating: true }, want: { ready: false, serving: true } },
  { desc: 'a not-ready endpoint without a serving condition is not serving', cond: { ready: false }, want: { ready: false, serving: false } },
];
for (const c of conditions) {
  test(c.desc, () => {
    const v = sliceViewFromObject({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's', namespace: 'ns1', labels: { 'kubernetes.io/service-name': 'web' } }, endpoints: [{ addresses: ['10.0.0.1'], nodeName: 'n1', ...(c.cond ? { conditions: c.cond } : {}) }] });
    assert.is(v.service, 'ns1/web');
    assert.equal({ ready: v.endpoints[0]!.ready, serving: v.endpoints[0]!.serving }, c.want);
  });
}

test('an IP is found in its pool, and an address outside every pool in none', () => {
  assert.is(poolOfIP(config, '192.0.2.15')?.name, 'lan');
  assert.is(poolOfIP(config, '198.51.100.3')?.name, 'routed');
  assert.is(poolOfIP(config, '203.0.113.1'), undefined);
});

test('the hash winner among live nodes announces; the others say notOwner', () => {
  const services = [svc('web', ['192.0.2.10'], ['n1'])];
  const winner = hashOrder(['n1', 'n2', 'n3'], '192.0.2.10')[0]!;
  for (const n of ['n1', 'n2', 'n3']) {
    const plan = planLayer2({ config, node: n, services, nodes, live: ['n1', 'n2', 'n3'] });
    const s = plan.services.get('default/web')!;
    assert.is(s.announced, n === winner);
    assert.is(s.reason, n === winner ? 'elected' : 'notOwner');
    assert.equal([...plan.announce.keys()], n === winner ? ['192.0.2.10'] : []);
  }
});

test('a node that is not live never wins', () => {
  const services = [svc('web', ['192.0.2.10'], ['n1'])];
  const winner = hashOrder(['n1', 'n2', 'n3'], '192.0.2.10')[0]!;
  const live = ['n1', 'n2', 'n3'].filter((n) => n !== winner);
  const plan = planLayer2({ config, node: winner, services, nodes, live });
  assert.is(plan.services.get('default/web')!.announced, false);
  assert.is(plan.services.get('default/web')!.winner, hashOrder(live, '192.0.2.10')[0]);
});

const reasons = [
  { desc: 'a BGP-only pool is not announced over layer 2', s: svc('dns', ['198.51.100.1'], ['n1']), want: 'notLayer2' },
  { desc: 'an address outside every pool is not announced', s: svc('odd', ['203.0.113.7'], ['n1']), want: 'noPool' },
  { desc: 'a service without usable endpoints is announced by nobody', s: svc('idle', ['192.0.2.11'], []), want: 'noUsableEndpoint' },
  { desc: 'a Local service whose endpoints are on dead nodes has no candidate', s: svc('loc', ['192.0.2.12'], ['n9'], 'Local'), want: 'noCandidate' },
];
for (const c of reasons) {
  test(c.desc, () => {
    const plan = planLayer2({ config, node: 'n1', services: [c.s], nodes, live: ['n1', 'n2', 'n3'] });
    const key = `${c.s.view.namespace}/${c.s.view.name}`;
    assert.is(plan.services.get(key)?.reason, c.want);
    assert.is(plan.announce.size, 0);
  });
}

test('services sharing an IP are announced together from one node', () => {
  const services = [svc('a', ['192.0.2.13'], ['n1']), svc('b', ['192.0.2.13'], ['n2'])];
  const owners = ['n1', 'n2', 'n3'].filter((n) => planLayer2({ config, node: n, services, nodes, live: ['n1', 'n2', 'n3'] }).announce.has('192.0.2.13'));
  assert.is(owners.length, 1);
});

test.run();
