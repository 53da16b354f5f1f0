import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Allocator } from '../../../src/allocator/allocator.js';
import { decideDeleted, decideService, type DecideOptions } from '../../../src/controller/decide.js';
import { orderForPass } from '../../../src/controller/decide-order.js';
import { decidePass, relearn } from '../../../src/controller/decide-pass.js';
import { decideReload } from '../../../src/controller/decide-reload.js';
import type { ServiceDecision } from '../../../src/controller/decision.js';
import type { ServiceView } from '../../../src/model/cluster.js';
import { config, type PoolSpec } from '../allocator/helpers.js';

function svc(name: string, over: Partial<ServiceView> = {}): ServiceView {
  return {
    namespace: 'ns',
    name,
    labels: {},
    annotations: {},
    type: 'LoadBalancer',
    ipFamilies: ['IPv4'],
    ports: [{ protocol: 'TCP', port: 80 }],
    externalTrafficPolicy: 'Cluster',
    selector: { app: name },
    ingressIPs: [],
    ...over,
  };
}

const pools: PoolSpec[] = [
  { name: 'main', addresses: ['192.0.2.0/30', '2001:db8::/126'] },
  { name: 'other', addresses: ['198.51.100.0/30'] },
  { name: 'manual', addresses: ['203.0.113.0/30'], autoAssign: false },
];

function brief(d: ServiceDecision): string {
  const ev = d.events.map((e) => `${e.type}:${e.reason}`).join(',');
  return `${d.outcome}/${d.reason} [${d.ingressIPs.join(' ')}] pool=${d.poolAnnotation ?? '-'} ev=${ev}`;
}

const cases: { desc: string; view: ServiceView; opts?: DecideOptions; want: string }[] = [
  { desc: 'a new LoadBalancer service gets the first address of the first pool', view: svc('a'), want: 'allocated/auto [192.0.2.0] pool=main ev=Normal:IPAllocated' },
  { desc: 'a ClusterIP service gets nothing', view: svc('a', { type: 'ClusterIP' }), want: 'cleared/notLoadBalancer [] pool=- ev=' },
  { desc: 'a service of another class is ignored', view: svc('a', { loadBalancerClass: 'other.io/lb', ingressIPs: ['9.9.9.9'] }), want: 'ignored/otherClass [9.9.9.9] pool=- ev=' },
  { desc: 'with --lb-class a service without that class is ignored', view: svc('a'), opts: { lbClass: 'mine' }, want: 'ignored/otherClass [] pool=- ev=' },
  { desc: 'with --lb-class a service of that class is handled', view: svc('a', { loadBalancerClass: 'mine' }), opts: { lbClass: 'mine' }, want: 'allocated/auto [192.0.2.0] pool=main ev=Normal:IPAllocated' },
  { desc: 'a requested pool annotation is honoured, even auto-assign=false', view: svc('a', { annotations: { 'metallb.io/address-pool': 'manual' } }), want: 'allocated/fromPool [203.0.113.0] pool=manual ev=Normal:IPAllocated' },
  {
    desc: 'the deprecated pool annotation still works and earns a warning',
    view: svc('a', { annotations: { 'metallb.universe.tf/address-pool': 'other' } }),
    want: 'allocated/fromPool [198.51.100.0] pool=other ev=Warning:deprecatedAnnotation,Normal:IPAllocated',
  },
  { desc: 'spec.loadBalancerIP is honoured', view: svc('a', { loadBalancerIP: '198.51.100.3' }), want: 'allocated/requested [198.51.100.3] pool=other ev=Normal:IPAllocated' },
  {
    desc: 'the loadBalancerIPs annotation gives both families',
    view: svc('a', { ipFamilies: ['IPv6', 'IPv4'], ipFamilyPolicy: 'RequireDualStack', annotations: { 'metallb.io/loadBalancerIPs': '2001:db8::2, 192.0.2.2' } }),
    want: 'allocated/requested [192.0.2.2 2001:db8::2] pool=main ev=Normal:IPAllocated',
  },
  {
    desc: 'both spec.loadBalancerIP and the annotation is an invalid request',
    view: svc('a', { loadBalancerIP: '192.0.2.1', annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.1' } }),
    want: 'failed/invalidRequest [] pool=- ev=Warning:LoadBalancerFailed',
  },
  {
    desc: 'a malformed loadBalancerIPs annotation is an invalid request',
    view: svc('a', { annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.1,nope' } }),
    want: 'failed/invalidRequest [] pool=- ev=Warning:LoadBalancerFailed',
  },
  {
    desc: 'a requested IP outside every pool fails with the reason',
    view: svc('a', { loadBalancerIP: '10.1.1.1' }),
    want: 'failed/notInPool [] pool=- ev=Warning:AllocationFailed',
  },
  {
    desc: 'a requested IP in another pool than the requested one fails',
    view: svc('a', { loadBalancerIP: '192.0.2.1', annotations: { 'metallb.io/address-pool': 'other' } }),
    want: 'failed/poolMismatch [] pool=- ev=Warning:AllocationFailed',
  },
  { desc: 'an address in status is kept without events', view: svc('a', { ingressIPs: ['192.0.2.3'] }), want: 'kept/kept [192.0.2.3] pool=main ev=' },
  {
    desc: 'an address in status outside every pool is cleared and replaced',
    view: svc('a', { ingressIPs: ['10.9.9.9'] }),
    want: 'allocated/auto [192.0.2.0] pool=main ev=Normal:ClearAssignment,Normal:IPAllocated',
  },
  {
    desc: 'a pool annotation that differs from the current pool moves the service',
    view: svc('a', { ingressIPs: ['192.0.2.3'], annotations: { 'metallb.io/address-pool': 'other' } }),
    want: 'allocated/fromPool [198.51.100.0] pool=other ev=Normal:ClearAssignment,Normal:IPAllocated',
  },
  {
    desc: 'a requested IP that differs from the current one moves the service',
    view: svc('a', { ingressIPs: ['192.0.2.3'], loadBalancerIP: '192.0.2.1' }),
    want: 'allocated/requested [192.0.2.1] pool=main ev=Normal:ClearAssignment,Normal:IPAllocated',
  },
  {
    desc: 'an invalid request keeps the current address and warns',
    view: svc('a', { ingressIPs: ['192.0.2.3'], loadBalancerIP: '192.0.2.1', annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.1' } }),
    want: 'kept/kept [192.0.2.3] pool=main ev=Warning:LoadBalancerFailed',
  },
  {
    desc: 'an IPv6 address in status of an IPv4 service is cleared',
    view: svc('a', { ingressIPs: ['2001:db8::3'] }),
    want: 'allocated/auto [192.0.2.0] pool=main ev=Normal:ClearAssignment,Normal:IPAllocated',
  },
  {
    desc: 'PreferDualStack holding only IPv4 gains IPv6 from the same pool',
    view: svc('a', { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack', ingressIPs: ['192.0.2.3'] }),
    want: 'kept/kept [192.0.2.3 2001:db8::] pool=main ev=Normal:IPAllocated',
  },
  {
    desc: 'a manifest without ipFamilies but RequireDualStack gets both families',
    view: svc('a', { ipFamilies: [], ipFamilyPolicy: 'RequireDualStack' }),
    want: 'allocated/auto [192.0.2.0 2001:db8::] pool=main ev=Normal:IPAllocated',
  },
];

for (const c of cases) {
  test(c.desc, () => {
    const a = new Allocator(config(...pools));
    assert.is(brief(decideService(c.view, a, c.opts)), c.want);
  });
}

test('event messages name the service, the addresses and the reason', () => {
  const a = new Allocator(config(...pools));
  const ok = decideService(svc('a'), a);
  assert.equal(ok.events, [{ type: 'Normal', reason: 'IPAllocated', message: 'Assigned IP ["192.0.2.0"]' }]);
  const dual = decideService(svc('d', { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' }), a);
  assert.is(dual.events[0]!.message, 'Assigned IP ["192.0.2.1" "2001:db8::"]', 'the list is printed like Go %q, as MetalLB does');
  const bad = decideService(svc('b', { loadBalancerIP: '10.1.1.1' }), a);
  assert.match(bad.events[0]!.message, /^Failed to allocate IP for "ns\/b": allocator: ip "10\.1\.1\.1" is not allowed in config/);
  assert.is(bad.error, 'allocator: ip "10.1.1.1" is not allowed in config (no pool holds it)');
});

test('statusChanged and annotationChanged say whether anything must be written', () => {
  const a = new Allocator(config(...pools));
  const settled = svc('a', { ingressIPs: ['192.0.2.3'], annotations: { 'metallb.io/ip-allocated-from-pool': 'main' } });
  const d = decideService(settled, a);
  assert.equal([d.statusChanged, d.annotationChanged], [false, false]);
  const stale = decideService(svc('b', { ingressIPs: ['192.0.2.2'], annotations: { 'metallb.io/ip-allocated-from-pool': 'old' } }), a);
  assert.equal([stale.statusChanged, stale.annotationChanged, stale.poolAnnotation], [false, true, 'main']);
  const fresh = decideService(svc('c'), a);
  assert.equal([fresh.statusChanged, fresh.annotationChanged], [true, true]);
});

test('a service turned into ClusterIP releases its address for others', () => {
  const a = new Allocator(config({ name: 'one', addresses: ['192.0.2.1/32'] }));
  decideService(svc('a'), a);
  assert.is(decideService(svc('b'), a).outcome, 'failed');
  const d = decideService(svc('a', { type: 'NodePort', ingressIPs: ['192.0.2.1'] }), a);
  assert.equal([d.outcome, d.ingressIPs, d.poolAnnotation, d.statusChanged, d.reprocessAll], ['cleared', [], null, true, true]);
  assert.equal(decideService(svc('b'), a).ingressIPs, ['192.0.2.1']);
});

test('a deleted service releases its address and asks for a reprocess', () => {
  const a = new Allocator(config({ name: 'one', addresses: ['192.0.2.1/32'] }));
  decideService(svc('a'), a);
  assert.equal(decideDeleted('ns/a', a), { service: 'ns/a', outcome: 'cleared', reason: 'deleted', reprocessAll: true, released: ['192.0.2.1'] });
  assert.is(decideDeleted('ns/a', a).reprocessAll, false);
});

test('a pass orders services with more status addresses first, then by key', () => {
  const views = [svc('new1'), svc('old', { ingressIPs: ['192.0.2.0'] }), svc('new0'), svc('dual', { ingressIPs: ['192.0.2.1', '2001:db8::1'] })];
  assert.equal(orderForPass(views).map((v) => v.name), ['dual', 'old', 'new0', 'new1']);
});

test('on start, status addresses are re-learned before any new allocation, so nobody steals one', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['192.0.2.0/30'] }));
  const views = [svc('new1'), svc('old', { ingressIPs: ['192.0.2.0'] }), svc('new2'), svc('moved', { ingressIPs: ['10.9.9.9'] })];
  const got = Object.fromEntries(decidePass(views, a).map((d) => [d.service, `${d.outcome}:${d.ingressIPs.join(' ')}`]));
  assert.equal(got, { 'ns/moved': 'allocated:192.0.2.1', 'ns/old': 'kept:192.0.2.0', 'ns/new1': 'allocated:192.0.2.2', 'ns/new2': 'allocated:192.0.2.3' });
});

test('relearn ignores services that are not ours or have no status address', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['192.0.2.0/30'] }));
  assert.equal(
    [
      relearn(svc('a'), a),
      relearn(svc('b', { type: 'NodePort', ingressIPs: ['192.0.2.1'] }), a),
      relearn(svc('c', { loadBalancerClass: 'x', ingressIPs: ['192.0.2.1'] }), a),
      relearn(svc('d', { ingressIPs: ['192.0.2.1'] }), a),
      relearn(svc('e', { ingressIPs: ['192.0.2.1'] }), a),
    ].map((r) => r.reason),
    ['noStatus', 'notLoadBalancer', 'otherClass', 'kept', 'notShared'],
  );
  assert.equal(a.services(), ['ns/d']);
});

test('sharing via the metallb.io key wins over the deprecated key', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['192.0.2.0/30'] }));
  const share = { 'metallb.io/allow-shared-ip': 'k', 'metallb.universe.tf/allow-shared-ip': 'old' };
  decideService(svc('tcp', { annotations: share }), a);
  const udp = decideService(svc('udp', { annotations: { 'metallb.io/allow-shared-ip': 'k' }, ports: [{ protocol: 'UDP', port: 80 }] }), a);
  assert.equal(udp.ingressIPs, ['192.0.2.0']);
});

test('Local services share only with identical selectors', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['192.0.2.0/30'] }));
  const share = { annotations: { 'metallb.io/allow-shared-ip': 'k' }, externalTrafficPolicy: 'Local' as const };
  decideService(svc('a', { ...share, selector: { app: 'dns' } }), a);
  const same = decideService(svc('b', { ...share, selector: { app: 'dns' }, ports: [{ protocol: 'UDP', port: 80 }] }), a);
  const diff = decideService(svc('c', { ...share, selector: { app: 'web' }, ports: [{ protocol: 'UDP', port: 81 }] }), a);
  assert.equal([same.ingressIPs, diff.ingressIPs], [['192.0.2.0'], ['192.0.2.1']]);
});

test('a refused reload keeps the old config; with the flag the service is re-allocated with events', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['192.0.2.0/30'] }));
  decideService(svc('a'), a);
  const smaller = config({ name: 'p', addresses: ['192.0.2.2/31'] });
  const refused = decideReload(a, smaller);
  assert.equal([refused.accepted, refused.reason, refused.reprocessAll], [false, 'refused', false]);
  assert.match(refused.message, /"ns\/a"/);
  assert.equal(a.ips('ns/a'), ['192.0.2.0']);
  const forced = decideReload(a, smaller, { reallocate: true });
  assert.equal([forced.accepted, forced.reason, forced.reprocessAll], [true, 'reallocated', true]);
  const d = decideService(svc('a', { ingressIPs: ['192.0.2.0'] }), a);
  assert.is(brief(d), 'allocated/auto [192.0.2.2] pool=p ev=Normal:ClearAssignment,Normal:IPAllocated');
});

test('PreferDualStack without a dual-stack pool falls back to the primary family, RequireDualStack fails', () => {
  const a = new Allocator(config({ name: 'v4', addresses: ['192.0.2.0/30'] }, { name: 'v6', addresses: ['2001:db8::/126'] }));
  const prefer = decideService(svc('p', { ipFamilies: ['IPv6', 'IPv4'], ipFamilyPolicy: 'PreferDualStack' }), a);
  const require = decideService(svc('r', { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' }), a);
  assert.equal([prefer.ingressIPs, prefer.pool], [['2001:db8::'], 'v6']);
  assert.equal([require.outcome, require.reason], ['failed', 'noAvailableIPs']);
  assert.match(require.error!, /IPv4\+IPv6/);
});

test('namespace labels passed in the options reach serviceAllocation.namespaceSelectors', () => {
  const a = new Allocator(
    config(
      { name: 'prod', addresses: ['192.0.2.0/30'], serviceAllocation: { priority: 1, namespaceSelectors: [{ matchLabels: { env: 'prod' }, matchExpressions: [] }] } },
      { name: 'rest', addresses: ['198.51.100.0/30'] },
    ),
  );
  assert.is(decideService(svc('a'), a, { namespaceLabels: { env: 'prod' } }).pool, 'prod');
  assert.is(decideService(svc('b'), a, { namespaceLabels: { env: 'dev' } }).pool, 'rest');
  assert.is(decideService(svc('c'), a).pool, 'rest');
});

test('a service whose ports now clash on its shared address is moved with ClearAssignment', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['192.0.2.0/30'] }));
  const share = { annotations: { 'metallb.io/allow-shared-ip': 'k' } };
  decideService(svc('a', { ...share, ports: [{ protocol: 'TCP', port: 80 }] }), a);
  decideService(svc('b', { ...share, ports: [{ protocol: 'TCP', port: 443 }] }), a);
  const d = decideService(svc('b', { ...share, ports: [{ protocol: 'TCP', port: 80 }], ingressIPs: ['192.0.2.0'] }), a);
  assert.is(brief(d), 'allocated/auto [192.0.2.1] pool=p ev=Normal:ClearAssignment,Normal:IPAllocated');
  assert.match(d.events[0]!.message, /port TCP\/80 is already in use on ip "192\.0\.2\.0" by "ns\/a"/);
});

test('no pools at all clears every service', () => {
  const a = new Allocator(config());
  assert.is(brief(decideService(svc('a', { ingressIPs: ['192.0.2.1'] }), a)), 'cleared/noPools [] pool=- ev=');
});

test.run();
