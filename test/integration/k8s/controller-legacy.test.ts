// End to end: `lbctl controller --source k8s` against a real kube-apiserver, configured by a legacy
// MetalLB ConfigMap only, running as the manifests' ServiceAccount (so the shipped RBAC is what
// is tested). Services get IPs in status.loadBalancer.ingress, events show in `kubectl describe`,
// requested IPs, pool annotations and shared IPs behave, and an API server restart mid-run changes
// no IP while new Services are still served afterwards.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ControlPlane } from '../../k8s/harness.js';
import {
  apply, cliBuilt, e2eSkipReason, ingressOf, NS, serviceAccountKubeconfig, serviceManifest, startCluster, startDaemon, until, getJson, type Daemon,
} from './support.js';

const CONFIG = `
address-pools:
- name: pool-a
  protocol: layer2
  addresses: [203.0.113.0/28]
- name: pool-b
  protocol: layer2
  auto-assign: false
  addresses: [203.0.113.64-203.0.113.79]
`;

let cp: ControlPlane | undefined;
let ctl: Daemon | undefined;
const skip = e2eSkipReason() ?? (cliBuilt('controller') ? undefined : 'dist/cli/commands/controller.js missing (run npm run build)');
if (skip) console.log(`k8s e2e (controller, legacy ConfigMap) skipped: ${skip}`);
const t = skip ? test.skip : test;

test.before(async () => {
  if (skip) return;
  cp = await startCluster();
  await apply(cp, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config', namespace: NS }, data: { config: CONFIG } }));
  const kubeconfig = await serviceAccountKubeconfig(cp, 'lbctl-controller');
  ctl = startDaemon(cp, 'controller', ['controller', '--source', 'k8s', '--kubeconfig', kubeconfig, '--metrics-listen', '127.0.0.1:0']);
});
test.after(async () => {
  await ctl?.stop();
  if (process.env.LBCTL_E2E_SHOW_LOGS) console.log(ctl?.output());
  await cp?.stop();
});

const ip = (s: string) => Number(s.split('.')[3]);
const waitIngress = (ns: string, name: string, timeoutMs = 30_000) =>
  until(`ingress of ${ns}/${name}`, async () => { const ips = await ingressOf(cp!, ns, name); return ips.length ? ips : undefined; }, timeoutMs)
    .catch((err) => { throw new Error(`${err.message}\n--- controller log tail ---\n${ctl?.output().split('\n').slice(-25).join('\n')}`); });

t('a LoadBalancer Service gets an IP from the auto-assign pool, with the pool annotation', async () => {
  await apply(cp!, serviceManifest({ name: 'web' }));
  const ips = await waitIngress('default', 'web');
  assert.is(ips.length, 1);
  assert.ok(ip(ips[0]!) >= 0 && ip(ips[0]!) <= 15 && ips[0]!.startsWith('203.0.113.'), `IP ${ips[0]} outside pool-a`);
  const svc = await getJson(cp!, ['service', 'web', '-n', 'default']);
  assert.is(svc.metadata.annotations['metallb.io/ip-allocated-from-pool'], 'pool-a');
});

t('kubectl describe shows the IPAllocated event on the Service', async () => {
  const out = await until('IPAllocated event', async () => {
    const d = await cp!.kubectlOk(['describe', 'service', 'web', '-n', 'default']);
    return /IPAllocated/.test(d) ? d : undefined;
  }, 20_000);
  assert.match(out, /Normal\s+IPAllocated\s+.*lbctl-controller/);
  assert.match(out, /LoadBalancer Ingress:\s+203\.0\.113\./);
});

t('a requested IP (metallb.io/loadBalancerIPs) is honoured, even from a pool without auto-assign', async () => {
  await apply(cp!, serviceManifest({ name: 'req', annotations: { 'metallb.io/loadBalancerIPs': '203.0.113.70' } }));
  assert.equal(await waitIngress('default', 'req'), ['203.0.113.70']);
});

t('spec.loadBalancerIP is honoured', async () => {
  await apply(cp!, serviceManifest({ name: 'legacyip', loadBalancerIP: '203.0.113.9' }));
  assert.equal(await waitIngress('default', 'legacyip'), ['203.0.113.9']);
});

t('the address-pool annotation picks the pool', async () => {
  await apply(cp!, serviceManifest({ name: 'fromb', annotations: { 'metallb.io/address-pool': 'pool-b' } }));
  const [got] = await waitIngress('default', 'fromb');
  assert.ok(ip(got!) >= 64 && ip(got!) <= 79, `IP ${got} outside pool-b`);
});

t('two Services with the same allow-shared-ip key and different ports share one IP', async () => {
  const ann = { 'metallb.io/allow-shared-ip': 'k1', 'metallb.io/loadBalancerIPs': '203.0.113.12' };
  await apply(cp!, serviceManifest({ name: 'share-tcp', port: 80, annotations: ann, selector: { app: 'shared' } }));
  await apply(cp!, serviceManifest({ name: 'share-udp', port: 53, protocol: 'UDP', annotations: ann, selector: { app: 'shared' } }));
  assert.equal(await waitIngress('default', 'share-tcp'), ['203.0.113.12']);
  assert.equal(await waitIngress('default', 'share-udp'), ['203.0.113.12']);
});

t('a requested IP outside every pool gets no IP and a Warning event that says why', async () => {
  await apply(cp!, serviceManifest({ name: 'outside', annotations: { 'metallb.io/loadBalancerIPs': '198.51.100.200' } }));
  const d = await until('AllocationFailed event', async () => {
    const out = await cp!.kubectlOk(['describe', 'service', 'outside', '-n', 'default']);
    return /AllocationFailed/.test(out) ? out : undefined;
  }, 20_000);
  assert.match(d, /Warning\s+AllocationFailed/);
  assert.match(d, /198\.51\.100\.200/);
  assert.equal(await ingressOf(cp!, 'default', 'outside'), []);
});

t('a Service of another loadBalancerClass is left alone', async () => {
  await apply(cp!, serviceManifest({ name: 'otherclass', loadBalancerClass: 'example.com/other' }));
  await waitIngress('default', 'fromb'); // the controller is alive and caught up
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await ingressOf(cp!, 'default', 'otherclass'), []);
});

t('a controller started with --lb-class serves exactly that class, which the default one ignored', async () => {
  // Two controllers share no allocator, so (as with MetalLB) each class must own its addresses:
  // the classed Service asks for one nobody else uses.
  await cp!.kubectlOk(['delete', 'service', 'otherclass', '-n', 'default']);
  await apply(cp!, serviceManifest({ name: 'classed', loadBalancerClass: 'example.com/other', annotations: { 'metallb.io/loadBalancerIPs': '203.0.113.14' } }));
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await ingressOf(cp!, 'default', 'classed'), [], 'the default controller leaves it alone');
  const kubeconfig = await serviceAccountKubeconfig(cp!, 'lbctl-controller');
  const classed = startDaemon(cp!, 'controller-classed', ['controller', '--source', 'k8s', '--kubeconfig', kubeconfig, '--metrics-listen', '127.0.0.1:0', '--lb-class', 'example.com/other']);
  try {
    assert.equal(await waitIngress('default', 'classed'), ['203.0.113.14']);
  } finally {
    await classed.stop();
  }
});

t('changing a Service from LoadBalancer to ClusterIP clears its status and pool annotation', async () => {
  await apply(cp!, serviceManifest({ name: 'typechange' }));
  await waitIngress('default', 'typechange');
  await cp!.kubectlOk(['patch', 'service', 'typechange', '-n', 'default', '--type=merge', '-p', '{"spec":{"type":"ClusterIP"}}']);
  const svc = await until('status cleared', async () => {
    const s = await getJson(cp!, ['service', 'typechange', '-n', 'default']);
    return (s?.status?.loadBalancer?.ingress ?? []).length === 0 ? s : undefined;
  }, 20_000);
  assert.is(svc.metadata.annotations?.['metallb.io/ip-allocated-from-pool'], undefined);
});

t('deleting a Service frees its IP for the next one that asks for it', async () => {
  await cp!.kubectlOk(['delete', 'service', 'legacyip', '-n', 'default']);
  await apply(cp!, serviceManifest({ name: 'reuse', annotations: { 'metallb.io/loadBalancerIPs': '203.0.113.9' } }));
  assert.equal(await waitIngress('default', 'reuse'), ['203.0.113.9']);
});

t('an API server restart mid-run changes no IP, and the controller serves new Services afterwards', async () => {
  const names = ['web', 'req', 'fromb', 'share-tcp', 'share-udp', 'reuse'];
  const before = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await ingressOf(cp!, 'default', n)])));
  await cp!.stopApiserver();
  await new Promise((r) => setTimeout(r, 3000)); // the controller's watches fail and back off meanwhile
  await cp!.startApiserver();
  await apply(cp!, serviceManifest({ name: 'after-restart' }));
  const [got] = await waitIngress('default', 'after-restart', 60_000);
  assert.ok(got!.startsWith('203.0.113.'));
  assert.not.ok(Object.values(before).flat().includes(got), `${got} was already in use`);
  const after = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await ingressOf(cp!, 'default', n)])));
  assert.equal(after, before);
  assert.is(ctl!.proc.exitCode, null, 'controller still running');
});

test.run();
