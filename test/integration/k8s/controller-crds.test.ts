// End to end: `lbctl controller --source k8s` configured by metallb.io objects only, then by
// metallb.io objects and a legacy ConfigMap together (a migration in progress): both feed one
// model, and a conflict between them is reported (ConfigStale event, ConfigurationState Invalid)
// while every allocated IP stays where it is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ControlPlane } from '../../k8s/harness.js';
import {
  apply, cliBuilt, e2eSkipReason, getJson, ingressOf, NS, serviceAccountKubeconfig, serviceManifest, startCluster, startDaemon, until, type Daemon,
} from './support.js';

const pool = (name: string, addresses: string[], extra: Record<string, unknown> = {}) => ({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name, namespace: NS }, spec: { addresses, ...extra } });
const CRDS = [
  pool('crd-a', ['198.51.100.0/28']),
  pool('crd-b', ['198.51.100.64-198.51.100.79'], { autoAssign: false }),
  { apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: { name: 'all', namespace: NS }, spec: {} },
];
const list = (items: object[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
const configMap = (config: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config', namespace: NS }, data: { config } });

let cp: ControlPlane | undefined;
let ctl: Daemon | undefined;
const skip = e2eSkipReason() ?? (cliBuilt('controller') ? undefined : 'dist/cli/commands/controller.js missing (run npm run build)');
if (skip) console.log(`k8s e2e (controller, CRDs) skipped: ${skip}`);
const t = skip ? test.skip : test;

test.before(async () => {
  if (skip) return;
  cp = await startCluster();
  await apply(cp, list(CRDS));
  const kubeconfig = await serviceAccountKubeconfig(cp, 'lbctl-controller');
  ctl = startDaemon(cp, 'controller-crds', ['controller', '--source', 'k8s', '--kubeconfig', kubeconfig, '--metrics-listen', '127.0.0.1:0']);
});
test.after(async () => {
  await ctl?.stop();
  if (process.env.LBCTL_E2E_SHOW_LOGS) console.log(ctl?.output());
  await cp?.stop();
});

const last = (ip: string) => Number(ip.split('.')[3]);
const waitIngress = (name: string, timeoutMs = 30_000) =>
  until(`ingress of default/${name}`, async () => { const ips = await ingressOf(cp!, 'default', name); return ips.length ? ips : undefined; }, timeoutMs)
    .catch((err) => { throw new Error(`${err.message}\n--- controller log tail ---\n${ctl?.output().split('\n').slice(-25).join('\n')}`); });
const configState = async () => (await getJson(cp!, ['configurationstate', 'controller', '-n', NS]))?.status;

t('CRDs only: a Service gets an IP from the auto-assign IPAddressPool', async () => {
  await apply(cp!, serviceManifest({ name: 'c-web' }));
  const [got] = await waitIngress('c-web');
  assert.ok(got!.startsWith('198.51.100.') && last(got!) <= 15, got);
  const svc = await getJson(cp!, ['service', 'c-web', '-n', 'default']);
  assert.is(svc.metadata.annotations['metallb.io/ip-allocated-from-pool'], 'crd-a');
});

t('CRDs only: requested IPs, the pool annotation and shared IPs behave as with the ConfigMap', async () => {
  await apply(cp!, serviceManifest({ name: 'c-req', annotations: { 'metallb.io/loadBalancerIPs': '198.51.100.66' } }));
  await apply(cp!, serviceManifest({ name: 'c-poolb', annotations: { 'metallb.io/address-pool': 'crd-b' } }));
  const shared = { 'metallb.io/allow-shared-ip': 'dns', 'metallb.io/loadBalancerIPs': '198.51.100.5' };
  await apply(cp!, serviceManifest({ name: 'c-dns-tcp', port: 53, annotations: shared, selector: { app: 'dns' } }));
  await apply(cp!, serviceManifest({ name: 'c-dns-udp', port: 53, protocol: 'UDP', annotations: shared, selector: { app: 'dns' } }));
  assert.equal(await waitIngress('c-req'), ['198.51.100.66']);
  const [b] = await waitIngress('c-poolb');
  assert.ok(last(b!) >= 64 && last(b!) <= 79 && b !== '198.51.100.66', b);
  assert.equal(await waitIngress('c-dns-tcp'), ['198.51.100.5']);
  assert.equal(await waitIngress('c-dns-udp'), ['198.51.100.5']);
});

t('CRDs only: the controller publishes ConfigurationState controller = Valid', async () => {
  const st = await until('ConfigurationState', async () => (await configState())?.result === 'Valid' ? configState() : undefined, 20_000);
  assert.is(st.result, 'Valid');
});

t('ConfigMap and CRDs together form one model: a ConfigMap pool serves Services next to the CRD pools', async () => {
  await apply(cp!, configMap('address-pools:\n- name: cm-pool\n  protocol: layer2\n  addresses: [203.0.113.32/28]\n'));
  await apply(cp!, serviceManifest({ name: 'm-cm', annotations: { 'metallb.io/address-pool': 'cm-pool' } }));
  const [got] = await waitIngress('m-cm');
  assert.ok(got!.startsWith('203.0.113.') && last(got!) >= 32 && last(got!) <= 47, got);
  await apply(cp!, serviceManifest({ name: 'm-crd', annotations: { 'metallb.io/address-pool': 'crd-a' } }));
  const [crd] = await waitIngress('m-crd');
  assert.ok(crd!.startsWith('198.51.100.'), crd);
});

t('a ConfigMap pool overlapping a CRD pool is reported as a conflict, and no IP moves', async () => {
  const names = ['c-web', 'c-req', 'c-poolb', 'c-dns-tcp', 'c-dns-udp', 'm-cm', 'm-crd'];
  const before = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await ingressOf(cp!, 'default', n)])));
  await apply(cp!, configMap('address-pools:\n- name: cm-pool\n  protocol: layer2\n  addresses: [203.0.113.32/28]\n- name: clash\n  protocol: layer2\n  addresses: [198.51.100.8/29]\n'));
  const st = await until('ConfigurationState Invalid', async () => { const s = await configState(); return s?.result === 'Invalid' ? s : undefined; }, 20_000);
  assert.match(st.errorSummary, /overlap/i);
  assert.match(st.errorSummary, /clash/);
  const events = await until('ConfigStale event', async () => {
    const out = await cp!.kubectlOk(['get', 'events', '-n', NS, '--field-selector', 'reason=ConfigStale', '-o', 'json']);
    const items = JSON.parse(out).items;
    return items.length ? items : undefined;
  }, 20_000);
  assert.is(events[0].type, 'Warning');
  assert.match(events[0].message, /clash/);
  // The last good configuration stays in force: a new Service still gets an IP from it.
  await apply(cp!, serviceManifest({ name: 'm-during' }));
  const [during] = await waitIngress('m-during');
  assert.ok(during!.startsWith('198.51.100.') || during!.startsWith('203.0.113.'), during);
  assert.not.ok(Object.values(before).flat().includes(during), `${during} was already in use`);
  const after = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await ingressOf(cp!, 'default', n)])));
  assert.equal(after, before);
});

t('kubectl describe on the ConfigMap shows the ConfigStale warning (the event carries its uid)', async () => {
  const d = await cp!.kubectlOk(['describe', 'configmap', 'config', '-n', NS]);
  assert.match(d, /Warning\s+ConfigStale/);
});

t('removing the conflict makes the configuration Valid again', async () => {
  await apply(cp!, configMap('address-pools:\n- name: cm-pool\n  protocol: layer2\n  addresses: [203.0.113.32/28]\n'));
  const st = await until('ConfigurationState Valid', async () => { const s = await configState(); return s?.result === 'Valid' ? s : undefined; }, 20_000);
  assert.is(st.result, 'Valid');
});

test.run();
