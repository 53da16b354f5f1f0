import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Allocator } from '../../../src/allocator/allocator.js';
import { decidePass } from '../../../src/controller/decide-pass.js';
import type { ServiceView } from '../../../src/model/cluster.js';
import type { ServiceDecision } from '../../../src/controller/decision.js';
import { config } from '../allocator/helpers.js';

const cfg = config(
  { name: 'a', addresses: ['192.0.2.0/30', '2001:db8::/127'] },
  { name: 'b', addresses: ['198.51.100.0/31'], autoAssign: false },
  { name: 'c', addresses: ['203.0.113.0/31'], avoidBuggyIPs: true },
);
const addrs = ['192.0.2.0', '192.0.2.1', '192.0.2.3', '2001:db8::', '2001:db8::1', '198.51.100.1', '203.0.113.0', '203.0.113.1', '10.0.0.1'];

const viewArb = fc.record({
  lb: fc.boolean(),
  fam: fc.constantFrom<Pick<ServiceView, 'ipFamilies' | 'ipFamilyPolicy'>>(
    { ipFamilies: ['IPv4'] },
    { ipFamilies: ['IPv6'] },
    { ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' },
    { ipFamilies: ['IPv6', 'IPv4'], ipFamilyPolicy: 'PreferDualStack' },
  ),
  share: fc.constantFrom('', 'k'),
  port: fc.constantFrom(53, 80),
  udp: fc.boolean(),
  status: fc.subarray(addrs, { maxLength: 2 }),
  pool: fc.option(fc.constantFrom('a', 'b', 'c'), { freq: 4 }),
  ip: fc.option(fc.constantFrom(...addrs), { freq: 5 }),
});

type Gen = typeof viewArb extends fc.Arbitrary<infer T> ? T : never;

function toView(g: Gen, i: number): ServiceView {
  const annotations: Record<string, string> = {};
  if (g.share) annotations['metallb.io/allow-shared-ip'] = g.share;
  if (g.pool !== null) annotations['metallb.io/address-pool'] = g.pool;
  const v: ServiceView = {
    namespace: 'ns',
    name: `s${i}`,
    labels: {},
    annotations,
    type: g.lb ? 'LoadBalancer' : 'ClusterIP',
    ...g.fam,
    ports: [{ protocol: g.udp ? 'UDP' : 'TCP', port: g.port }],
    externalTrafficPolicy: 'Cluster',
    selector: {},
    ingressIPs: g.status,
  };
  if (g.ip !== null) v.loadBalancerIP = g.ip;
  return v;
}

/** write applies decisions to the views, as the controller's status writer would. */
function write(views: ServiceView[], decisions: ServiceDecision[]): ServiceView[] {
  const by = new Map(decisions.map((d) => [d.service, d]));
  return views.map((v) => {
    const d = by.get(`ns/${v.name}`)!;
    if (d.outcome === 'ignored') return v;
    const annotations = { ...v.annotations };
    if (d.poolAnnotation !== null) annotations['metallb.io/ip-allocated-from-pool'] = d.poolAnnotation;
    else delete annotations['metallb.io/ip-allocated-from-pool'];
    return { ...v, annotations, ingressIPs: d.ingressIPs };
  });
}

function checkNoDoubleBooking(a: Allocator): void {
  const holders = new Map<string, string[]>();
  for (const key of a.services()) for (const ip of a.ips(key)) holders.set(ip, [...(holders.get(ip) ?? []), key]);
  for (const [ip, keys] of holders) {
    if (keys.length < 2) continue;
    const allocs = keys.map((k) => a.allocation(k)!);
    const ports = allocs.flatMap((x) => x.ports.map((p) => `${p.protocol}/${p.port}`));
    assert.ok(allocs.every((x) => x.sharingKey === 'k'), `${ip} shared without a key by ${keys}`);
    assert.is(new Set(ports).size, ports.length, `${ip}: port clash among ${keys}`);
  }
}

test('reprocessing converges within a few passes, and a restart then changes nobody’s address (fast-check)', () => {
  fc.assert(
    fc.property(fc.array(viewArb, { minLength: 1, maxLength: 8 }), (gens) => {
      let views = gens.map(toView);
      const running = new Allocator(cfg);
      let passes = 0;
      for (let changed = true; changed; passes++) {
        assert.ok(passes < 5, 'no fixed point after 5 passes');
        const decisions = decidePass(views, running);
        changed = decisions.some((d) => d.statusChanged || d.annotationChanged);
        views = write(views, decisions);
        checkNoDoubleBooking(running);
        for (const d of decisions) if (d.outcome !== 'ignored') assert.equal(running.ips(d.service), d.ingressIPs, `allocator and decision disagree on ${d.service}`);
      }
      // Restart: a fresh allocator sees exactly the written statuses, in pass order and also with the
      // services that hold nothing decided first (events can arrive in any order).
      const waitingFirst = [...views].sort((x, y) => x.ingressIPs.length - y.ingressIPs.length);
      for (const [order, keep] of [[views, false], [waitingFirst, true]] as const) {
        const fresh = new Allocator(cfg);
        for (const d of decidePass(order, fresh, () => ({}), keep)) {
          assert.is(d.statusChanged || d.annotationChanged, false, `${d.service} changed on restart: ${d.ingressIPs}`);
        }
        checkNoDoubleBooking(fresh);
      }
    }),
    { numRuns: 300, seed: Number(process.env.LBCTL_PROPERTY_SEED ?? 7) },
  );
});

test.run();
