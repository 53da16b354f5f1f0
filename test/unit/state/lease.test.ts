import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { leaseFromObject, leaseToObject, formatMicroTime } from '../../../src/state/lease.js';

const cases = [
  { desc: 'a whole-second lease survives the round trip', lease: { name: 'lbctl-speaker-n1', holder: 'n1', renewTime: Date.UTC(2026, 0, 2, 3, 4, 5, 678), durationSeconds: 2 } },
  { desc: 'a sub-second lease keeps its exact duration through the annotation', lease: { name: 'l', holder: 'n2', renewTime: Date.UTC(2026, 5, 1), durationSeconds: 0.75 } },
];
for (const c of cases) {
  test(c.desc, () => {
    const obj = leaseToObject(c.lease, 'metallb-system');
    assert.is(obj.metadata.namespace, 'metallb-system');
    assert.ok(Number.isInteger(obj.spec.leaseDurationSeconds) && obj.spec.leaseDurationSeconds >= c.lease.durationSeconds);
    assert.equal(leaseFromObject(obj), c.lease);
  });
}

test('micro time has six fraction digits, as Kubernetes MicroTime', () => {
  assert.is(formatMicroTime(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), '2026-01-02T03:04:05.006000Z');
});

const bad = [
  { desc: 'a lease without holder is not a live lease', spec: { leaseDurationSeconds: 2, renewTime: '2026-01-01T00:00:00.000000Z' } },
  { desc: 'a lease without renew time is not a live lease', spec: { holderIdentity: 'n1', leaseDurationSeconds: 2 } },
  { desc: 'a lease with zero duration is not a live lease', spec: { holderIdentity: 'n1', leaseDurationSeconds: 0, renewTime: '2026-01-01T00:00:00Z' } },
];
for (const c of bad) {
  test(c.desc, () => {
    assert.is(leaseFromObject({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'x' }, spec: c.spec }), undefined);
  });
}

test('a Kubernetes lease without our annotation uses leaseDurationSeconds', () => {
  const rec = leaseFromObject({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'x' }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 15, renewTime: '2026-01-01T00:00:00.500000Z' } });
  assert.equal(rec, { name: 'x', holder: 'n1', renewTime: Date.UTC(2026, 0, 1, 0, 0, 0, 500), durationSeconds: 15 });
});

test.run();
