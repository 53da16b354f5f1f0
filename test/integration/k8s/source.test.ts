// The Kubernetes ClusterState itself against a real kube-apiserver (in-process, admin token):
// list-then-watch with SYNCED, shared informers, CRDs that appear later, every write of the
// interface, error classification, and recovery after an API server restart, including a delete
// that happened while the source was disconnected.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { hasCommand } from '../../support/netns.js';
import { KubernetesState } from '../../../src/k8s/state.js';
import { loadKubeConfig, podNamespace, SA_DIR } from '../../../src/k8s/kubeconfig.js';
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { StateError } from '../../../src/state/errors.js';
import { createLogger } from '../../../src/log.js';
import type { WatchEvent } from '../../../src/state/types.js';
import { startControlPlane, type ControlPlane } from '../../k8s/harness.js';
import { apply, e2eSkipReason, getJson, NS, ROOT, serviceManifest, until } from './support.js';

let cp: ControlPlane | undefined;
let state: KubernetesState | undefined;
const skip = e2eSkipReason();
if (skip) console.log(`k8s e2e (source) skipped: ${skip}`);
const t = skip ? test.skip : test;

// Fast restarts so the tests need not wait for the production 1 s..30 s schedule.
const backoff = { baseMs: 300, maxMs: 1500, jitter: 0 };

test.before(async () => {
  if (skip) return;
  cp = await startControlPlane();
  await cp.kubectlOk(['create', 'namespace', NS]);
  const { config } = loadKubeConfig({ kubeconfig: cp.kubeconfig });
  state = new KubernetesState({ config, namespace: NS, component: 'lbctl-test', instance: 'test-1', backoff, log: createLogger('k8s-test', 'silent') });
});
test.after(async () => {
  await state?.close();
  await cp?.stop();
});

interface Recorder { events: WatchEvent[]; synced: Promise<void>; stop: () => void }
function record(kinds: Parameters<KubernetesState['watch']>[0]): Recorder {
  const events: WatchEvent[] = [];
  let resolve!: () => void;
  const synced = new Promise<void>((r) => { resolve = r; });
  const stop = state!.watch(kinds, (ev) => { events.push(ev); if (ev.type === 'SYNCED') resolve(); });
  return { events, synced, stop };
}
const names = (r: Recorder, type: string, kind = 'Service') => r.events.filter((e) => e.type === type && e.type !== 'SYNCED' && e.object.kind === kind).map((e) => (e as { object: { metadata: { name: string } } }).object.metadata.name);

let services: Recorder;

t('watch lists existing objects as ADDED, then sends SYNCED once for all kinds', async () => {
  await apply(cp!, serviceManifest({ name: 's1' }));
  services = record(['Service', 'Node', 'IPAddressPool']);
  await services.synced;
  assert.ok(names(services, 'ADDED').includes('s1'));
  assert.ok(names(services, 'ADDED').includes('kubernetes'));
  assert.is(services.events.filter((e) => e.type === 'SYNCED').length, 1);
  const i = services.events.findIndex((e) => e.type === 'SYNCED');
  assert.ok(services.events.slice(0, i).every((e) => e.type === 'ADDED'));
});

t('objects keep their manifest shape: kind, apiVersion and string timestamps', async () => {
  const s1 = services.events.find((e) => e.type === 'ADDED' && e.object.metadata.name === 's1') as { object: any };
  assert.is(s1.object.kind, 'Service');
  assert.is(s1.object.apiVersion, 'v1');
  assert.type(s1.object.metadata.creationTimestamp, 'string');
  assert.is(s1.object.spec.type, 'LoadBalancer');
});

t('changes stream as MODIFIED and DELETED', async () => {
  await cp!.kubectlOk(['annotate', 'service', 's1', 'x=y']);
  await until('MODIFIED s1', async () => (names(services, 'MODIFIED').includes('s1') ? true : undefined), 10_000);
  await cp!.kubectlOk(['delete', 'service', 's1']);
  await until('DELETED s1', async () => (names(services, 'DELETED').includes('s1') ? true : undefined), 10_000);
});

t('a second watcher of a listed kind gets the cache replayed, then SYNCED, then live events', async () => {
  await apply(cp!, serviceManifest({ name: 's2' }));
  await until('s2 seen', async () => (names(services, 'ADDED').includes('s2') ? true : undefined), 10_000);
  const second = record(['Service']);
  await second.synced;
  assert.ok(names(second, 'ADDED').includes('s2'));
  assert.not.ok(names(second, 'ADDED').includes('s1'), 'a deleted object is not replayed');
  await cp!.kubectlOk(['annotate', 'service', 's2', 'a=b']);
  await until('MODIFIED s2 for the second watcher', async () => (names(second, 'MODIFIED').includes('s2') ? true : undefined), 10_000);
  second.stop();
});

t('a metallb.io kind whose CRD is missing syncs as empty, and its objects arrive once the CRD is applied', async () => {
  assert.equal(names(services, 'ADDED', 'IPAddressPool'), []);
  await cp!.kubectlOk(['apply', '-f', path.join(ROOT, 'manifests/crds/metallb.io_ipaddresspools.yaml')]);
  await cp!.kubectlOk(['wait', '--for=condition=Established', 'crd/ipaddresspools.metallb.io', '--timeout=30s']);
  await apply(cp!, JSON.stringify({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'late', namespace: NS }, spec: { addresses: ['192.0.2.0/28'] } }));
  await until('the late pool', async () => (names(services, 'ADDED', 'IPAddressPool').includes('late') ? true : undefined), 20_000);
});

t('patchServiceStatus writes the ingress list and an empty list clears it', async () => {
  await state!.patchServiceStatus('default', 's2', ['192.0.2.7', '2001:db8::7']);
  let svc = await getJson(cp!, ['service', 's2']);
  assert.equal(svc.status.loadBalancer.ingress.map((i: any) => i.ip), ['192.0.2.7', '2001:db8::7']);
  await state!.patchServiceStatus('default', 's2', []);
  svc = await getJson(cp!, ['service', 's2']);
  assert.equal(svc.status.loadBalancer, {});
});

t('patchServiceAnnotations merges, and null removes a key', async () => {
  await state!.patchServiceAnnotations('default', 's2', { 'metallb.io/ip-allocated-from-pool': 'p1', keep: 'v' });
  await state!.patchServiceAnnotations('default', 's2', { 'metallb.io/ip-allocated-from-pool': null });
  const ann = (await getJson(cp!, ['service', 's2'])).metadata.annotations;
  assert.is(ann.keep, 'v');
  assert.is(ann['metallb.io/ip-allocated-from-pool'], undefined);
  assert.is(ann.a, 'b', 'annotations written by others survive');
});

t('writing the status of a missing Service is a final not-found error naming it', async () => {
  const err = await state!.patchServiceStatus('default', 'nope', ['192.0.2.1']).catch((e) => e);
  assert.instance(err, StateError);
  assert.is(err.code, 'state.not-found');
  assert.is(err.transient, false);
  assert.match(err.message, /Service default\/nope: HTTP 404/);
});

t('leases are created, renewed and deleted (coordination.k8s.io/v1, micro-second renew time)', async () => {
  await state!.upsertLease({ name: 'lbctl-speaker-n1', holder: 'n1', renewTime: Date.parse('2026-11-21T10:00:00.250Z'), durationSeconds: 1.5 });
  let lease = await getJson(cp!, ['lease', 'lbctl-speaker-n1', '-n', NS]);
  assert.is(lease.spec.holderIdentity, 'n1');
  assert.is(lease.spec.leaseDurationSeconds, 2);
  assert.is(lease.spec.renewTime, '2026-11-21T10:00:00.250000Z');
  assert.is(lease.metadata.annotations['lbctl.io/lease-duration-ms'], '1500');
  await state!.upsertLease({ name: 'lbctl-speaker-n1', holder: 'n1', renewTime: Date.parse('2026-11-21T10:00:01Z'), durationSeconds: 1.5 });
  lease = await getJson(cp!, ['lease', 'lbctl-speaker-n1', '-n', NS]);
  assert.is(lease.spec.renewTime, '2026-11-21T10:00:01.000000Z');
  await state!.deleteLease('lbctl-speaker-n1');
  await state!.deleteLease('lbctl-speaker-n1'); // idempotent
  assert.is(await getJson(cp!, ['lease', 'lbctl-speaker-n1', '-n', NS]), undefined);
});

t('a status record is applied with its status (status subresource) and replaced on the next upsert', async () => {
  await cp!.kubectlOk(['apply', '-f', path.join(ROOT, 'manifests/crds/metallb.io_servicel2statuses.yaml')]);
  await cp!.kubectlOk(['wait', '--for=condition=Established', 'crd/servicel2statuses.metallb.io', '--timeout=30s']);
  const rec = (ifaces: string[]) => ({
    apiVersion: 'metallb.io/v1beta1', kind: 'ServiceL2Status',
    metadata: { name: 'l2-n1-default-s2', namespace: NS, labels: { 'metallb.io/node': 'n1', 'metallb.io/service-name': 's2', 'metallb.io/service-namespace': 'default' } },
    status: { node: 'n1', serviceName: 's2', serviceNamespace: 'default', interfaces: ifaces.map((name) => ({ name })) },
  });
  await state!.upsertObject(rec(['eth0', 'eth1']));
  await state!.upsertObject(rec(['eth1']));
  const got = await getJson(cp!, ['servicel2status', 'l2-n1-default-s2', '-n', NS]);
  assert.equal(got.status.interfaces, [{ name: 'eth1' }]);
  assert.is(got.metadata.labels['metallb.io/node'], 'n1');
  await state!.deleteObject('ServiceL2Status', NS, 'l2-n1-default-s2');
  await state!.deleteObject('ServiceL2Status', NS, 'l2-n1-default-s2');
});

t('a repeated event bumps its count instead of adding a second Event', async () => {
  const ev = { involved: { kind: 'Service', namespace: 'default', name: 's2' }, type: 'Warning' as const, reason: 'AllocationFailed', message: 'no available IPs', source: 'lbctl-test' };
  await state!.recordEvent(ev);
  await state!.recordEvent(ev);
  await state!.recordEvent(ev);
  const list = await getJson(cp!, ['events', '--field-selector', 'reason=AllocationFailed']);
  assert.is(list.items.length, 1);
  assert.is(list.items[0].count, 3);
  const uid = (await getJson(cp!, ['service', 's2'])).metadata.uid;
  assert.is(list.items[0].involvedObject.uid, uid, 'the uid was looked up, so kubectl describe finds it');
  assert.match(await cp!.kubectlOk(['describe', 'service', 's2']), /Warning\s+AllocationFailed\s+\S+ \(x3 over \S+\)\s+lbctl-test\s+no available IPs/);
});

t('writes while the API server is down fail as transient; after a restart the watch resumes and a delete made meanwhile arrives', async () => {
  await apply(cp!, serviceManifest({ name: 'gone-while-away' }));
  await until('gone-while-away seen', async () => (names(services, 'ADDED').includes('gone-while-away') ? true : undefined), 10_000);
  await cp!.stopApiserver();
  const err = await state!.patchServiceStatus('default', 's2', ['192.0.2.8']).catch((e) => e);
  assert.instance(err, StateError);
  assert.is(err.transient, true);
  await cp!.startApiserver();
  // Delete before the source's watch is back (restart delays are >= 300 ms): it must still see it.
  await cp!.kubectlOk(['delete', 'service', 'gone-while-away']);
  await until('DELETED gone-while-away', async () => (names(services, 'DELETED').includes('gone-while-away') ? true : undefined), 20_000);
  await apply(cp!, serviceManifest({ name: 'after' }));
  await until('ADDED after', async () => (names(services, 'ADDED').includes('after') ? true : undefined), 20_000);
  assert.ok(Object.values(state!.feedRestarts()).some((n) => n > 0), JSON.stringify(state!.feedRestarts()));
});

t('in-cluster configuration (service-account token, CA and namespace files, service env) reaches the API server', async () => {
  await cp!.kubectlOk(['apply', '-f', path.join(ROOT, 'manifests/rbac/controller.yaml')]);
  const token = (await cp!.kubectlOk(['create', 'token', 'lbctl-controller', '-n', NS])).trim();
  const prefix = path.join(cp!.dir, 'pod-root');
  const sa = `${prefix}${SA_DIR}`;
  mkdirSync(sa, { recursive: true });
  writeFileSync(`${sa}/token`, token);
  writeFileSync(`${sa}/namespace`, NS);
  copyFileSync(path.join(cp!.dir, 'pki', 'apiserver.crt'), `${sa}/ca.crt`);
  const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT, kc: process.env.KUBECONFIG };
  process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
  process.env.KUBERNETES_SERVICE_PORT = new URL(cp!.server).port;
  delete process.env.KUBECONFIG;
  let pod: KubernetesState | undefined;
  try {
    const { config, origin } = loadKubeConfig({ pathPrefix: prefix });
    assert.is(origin, 'in-cluster');
    assert.is(podNamespace(prefix), NS);
    pod = new KubernetesState({ config, namespace: NS, component: 'lbctl-test', backoff, log: createLogger('k8s-test', 'silent') });
    const seen: string[] = [];
    await new Promise<void>((resolve) => pod!.watch(['Service'], (ev) => { if (ev.type === 'SYNCED') resolve(); else seen.push(ev.object.metadata.name); }));
    assert.ok(seen.includes('s2'), seen.join(','));
  } finally {
    await pod?.close();
    for (const [k, v] of [['KUBERNETES_SERVICE_HOST', saved.host], ['KUBERNETES_SERVICE_PORT', saved.port], ['KUBECONFIG', saved.kc]] as const) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  }
});

const etcdctl = (...args: string[]) => execFileSync('etcdctl', ['--endpoints', cp!.etcdUrl, ...args], { encoding: 'utf8', timeout: 10_000, env: { ...process.env, ETCDCTL_API: '3' } });
const te = hasCommand('etcdctl') ? t : test.skip;
if (!skip && !hasCommand('etcdctl')) console.log('k8s e2e (source): the 410 Gone case is skipped: etcdctl (Debian etcd-client) is not installed');

te('a delete the watch could not see (made in etcd while the API server was down, history compacted) arrives through a relist after 410 Gone', async () => {
  await apply(cp!, serviceManifest({ name: 'behind-its-back' }));
  await until('behind-its-back seen', async () => (names(services, 'ADDED').includes('behind-its-back') ? true : undefined), 10_000);
  await cp!.stopApiserver();
  assert.match(etcdctl('del', '/registry/services/specs/default/behind-its-back'), /^1$/m);
  const rev = JSON.parse(etcdctl('endpoint', 'status', '-w', 'json'))[0].Status.header.revision;
  etcdctl('compact', String(rev));
  await cp!.startApiserver();
  await until('DELETED behind-its-back', async () => (names(services, 'DELETED').includes('behind-its-back') ? true : undefined), 30_000);
  // The relist re-delivers live objects as MODIFIED only if they changed, never as a second ADDED.
  assert.is(names(services, 'ADDED').filter((n) => n === 's2').length, 1);
});

test.run();
