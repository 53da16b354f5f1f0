import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KINDS, collectionPath, objectPath, createPath, kindInfo, apiVersionOf } from '../../../src/k8s/kinds.js';
import { classifyFailure, toStateError } from '../../../src/k8s/errors.js';
import { backoffDelay, DEFAULT_BACKOFF } from '../../../src/k8s/backoff.js';
import { ingressPatch, applyBodies } from '../../../src/k8s/writes.js';
import { chooseOrigin } from '../../../src/k8s/kubeconfig.js';

const pathCases: { desc: string; got: () => string; want: string }[] = [
  { desc: 'services are listed across all namespaces', got: () => collectionPath(KINDS.Service, 'metallb-system'), want: '/api/v1/services' },
  { desc: 'endpointslices come from discovery.k8s.io/v1 across all namespaces', got: () => collectionPath(KINDS.EndpointSlice, 'x'), want: '/apis/discovery.k8s.io/v1/endpointslices' },
  { desc: 'nodes are cluster-scoped', got: () => collectionPath(KINDS.Node, 'x'), want: '/api/v1/nodes' },
  { desc: 'the legacy ConfigMap is read from lbctl\'s own namespace only', got: () => collectionPath(KINDS.ConfigMap, 'metallb-system'), want: '/api/v1/namespaces/metallb-system/configmaps' },
  { desc: 'metallb.io pools are read from lbctl\'s own namespace', got: () => collectionPath(KINDS.IPAddressPool, 'lb'), want: '/apis/metallb.io/v1beta1/namespaces/lb/ipaddresspools' },
  { desc: 'BGPPeer is read at its storage version v1beta2', got: () => collectionPath(KINDS.BGPPeer, 'lb'), want: '/apis/metallb.io/v1beta2/namespaces/lb/bgppeers' },
  { desc: 'a service status path ends in /status', got: () => objectPath(KINDS.Service, 'default', 'web', 'status'), want: '/api/v1/namespaces/default/services/web/status' },
  { desc: 'a lease path is in coordination.k8s.io/v1', got: () => objectPath(KINDS.Lease, 'metallb-system', 'lbctl-speaker-n1'), want: '/apis/coordination.k8s.io/v1/namespaces/metallb-system/leases/lbctl-speaker-n1' },
  { desc: 'a node path has no namespace even when one is given', got: () => objectPath(KINDS.Node, 'default', 'n1'), want: '/api/v1/nodes/n1' },
  { desc: 'names are URL-encoded', got: () => objectPath(KINDS.Service, 'default', 'a b'), want: '/api/v1/namespaces/default/services/a%20b' },
  { desc: 'status records are created in their namespace', got: () => createPath(KINDS.ServiceL2Status, 'metallb-system'), want: '/apis/metallb.io/v1beta1/namespaces/metallb-system/servicel2statuses' },
  { desc: 'the core group renders as a bare version', got: () => apiVersionOf(KINDS.Service), want: 'v1' },
  { desc: 'a named group renders as group/version', got: () => apiVersionOf(KINDS.Lease), want: 'coordination.k8s.io/v1' },
];
for (const c of pathCases) test(`kinds: ${c.desc}`, () => assert.is(c.got(), c.want));

test('kinds: an unknown kind or an inherited property name is not a kind', () => {
  assert.is(kindInfo('Pod'), undefined);
  assert.is(kindInfo('toString'), undefined);
  assert.ok(kindInfo('ServiceBGPStatus'));
});

test('kinds: every kind has a plural that is lowercase and distinct', () => {
  const plurals = Object.values(KINDS).map((k) => k.plural);
  assert.is(new Set(plurals).size, plurals.length);
  for (const p of plurals) assert.is(p, p.toLowerCase());
});

const failureCases: { desc: string; status?: number; write: boolean; code: string; transient: boolean }[] = [
  { desc: 'no response (API server restarting) is transient', write: true, code: 'state.write-failed', transient: true },
  { desc: 'a missing object is not-found and final', status: 404, write: true, code: 'state.not-found', transient: false },
  { desc: 'a conflict is retried', status: 409, write: true, code: 'state.write-failed', transient: true },
  { desc: 'throttling is retried', status: 429, write: false, code: 'state.read-failed', transient: true },
  { desc: 'a server error is retried', status: 503, write: true, code: 'state.write-failed', transient: true },
  { desc: 'forbidden is retried (a restarting API server refuses until its RBAC cache is loaded)', status: 403, write: true, code: 'state.write-failed', transient: true },
  { desc: 'unauthorized is retried (credentials may be rotated)', status: 401, write: false, code: 'state.read-failed', transient: true },
  { desc: 'an invalid object is final', status: 422, write: true, code: 'state.write-failed', transient: false },
];
for (const c of failureCases) {
  test(`errors: ${c.desc}`, () => {
    const got = classifyFailure({ status: c.status, message: 'x' }, c.write);
    assert.is(got.code, c.code);
    assert.is(got.transient, c.transient);
    assert.ok(got.why.length > 0, 'a classification carries its reason');
  });
}

test('errors: a StateError names the operation, the object and the status', () => {
  const e = toStateError({ status: 422, reason: 'Invalid', message: 'spec.x: bad' }, 'upsertObject', 'Lease metallb-system/l1', true);
  assert.is(e.code, 'state.write-failed');
  assert.is(e.object, 'Lease metallb-system/l1');
  assert.match(e.message, /upsertObject Lease metallb-system\/l1: HTTP 422: spec.x: bad/);
});

test('backoff: delays double from the base and stop at the maximum', () => {
  const mid = () => 0.5; // no jitter
  assert.equal([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelay(a, DEFAULT_BACKOFF, mid)), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('backoff: jitter stays within the configured fraction and never exceeds the maximum', () => {
  for (const r of [0, 0.25, 0.999]) {
    const d = backoffDelay(2, DEFAULT_BACKOFF, () => r);
    assert.ok(d >= 3200 && d <= 4800, `attempt 2 with random ${r}: ${d}`);
    assert.ok(backoffDelay(40, DEFAULT_BACKOFF, () => r) <= DEFAULT_BACKOFF.maxMs);
  }
});

test('writes: the ingress patch lists each IP, and an empty list removes the field', () => {
  assert.equal(ingressPatch(['192.0.2.1', '2001:db8::1']), { status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }, { ip: '2001:db8::1' }] } } });
  assert.equal(ingressPatch([]), { status: { loadBalancer: { ingress: null } } });
});

test('writes: a status-subresource kind is applied as two bodies without server-owned metadata', () => {
  const obj = { apiVersion: 'metallb.io/v1beta1', kind: 'ServiceL2Status', metadata: { name: 'l2-a', namespace: 'x', resourceVersion: '5', uid: 'u', labels: { a: 'b' } }, status: { node: 'n1' } };
  const { main, status } = applyBodies(obj, KINDS.ServiceL2Status, 'metallb-system');
  assert.equal(main, { apiVersion: 'metallb.io/v1beta1', kind: 'ServiceL2Status', metadata: { name: 'l2-a', namespace: 'metallb-system', labels: { a: 'b' } } });
  assert.equal(status, { apiVersion: 'metallb.io/v1beta1', kind: 'ServiceL2Status', metadata: { name: 'l2-a', namespace: 'metallb-system' }, status: { node: 'n1' } });
});

test('writes: a kind without a status subresource keeps everything in one body', () => {
  const obj = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { holderIdentity: 'n1' } };
  const { main, status } = applyBodies(obj, KINDS.Lease, 'ns');
  assert.is(status, undefined);
  assert.equal(main.spec, { holderIdentity: 'n1' });
  assert.is(main.metadata.namespace, 'ns');
});

const originCases: { desc: string; kubeconfig?: string; env: Record<string, string>; token: boolean; want: string }[] = [
  { desc: 'an explicit --kubeconfig wins even inside a pod', kubeconfig: '/k', env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, token: true, want: 'kubeconfig-flag' },
  { desc: 'inside a pod with a token the in-cluster config is the default', env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, token: true, want: 'in-cluster' },
  { desc: 'KUBECONFIG set in a pod means the user chose a file', env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443', KUBECONFIG: '/k' }, token: true, want: 'default-search' },
  { desc: 'service env without a mounted token is not in-cluster', env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' }, token: false, want: 'default-search' },
  { desc: 'outside a pod the usual search applies', env: {}, token: false, want: 'default-search' },
];
for (const c of originCases) test(`kubeconfig: ${c.desc}`, () => assert.is(chooseOrigin({ kubeconfig: c.kubeconfig, env: c.env }, c.token), c.want));

test.run();
