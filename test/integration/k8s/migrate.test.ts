// End to end for the migration path: every `lbctl migrate` output of the migrate/ contract is
// accepted by a real API server (schema and CEL, server-side dry run), and converting a live
// ConfigMap installation to the generated CRDs gives the same allocations: the same Services,
// created in the same order, get the same IPs under the CRDs as under the ConfigMap.
// One auto-assign pool only: with several, the legacy ConfigMap tries pools in config order and
// the CRDs in another order (MetalLB itself used Go's random map order in both eras), so which
// auto pool serves an unannotated Service is not part of the migration contract.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { ControlPlane } from '../../k8s/harness.js';
import {
  apply, cliBuilt, e2eSkipReason, getJson, ingressOf, NS, ROOT, serviceAccountKubeconfig, serviceManifest, startCluster, startDaemon, until, type Daemon, type ServiceSpec,
} from './support.js';

const LEGACY = `
peers:
- peer-address: 192.0.2.254
  peer-asn: 64513
  my-asn: 64512
address-pools:
- name: small
  protocol: layer2
  addresses: [192.0.2.0/30]
- name: buggy
  protocol: layer2
  auto-assign: false
  avoid-buggy-ips: true
  addresses: [198.51.100.0/24]
- name: manual
  protocol: bgp
  auto-assign: false
  addresses: [203.0.113.8-203.0.113.15]
  bgp-advertisements:
  - aggregation-length: 32
    communities: [no-advertise]
bgp-communities:
  no-advertise: 65535:65282
`;
const SERVICES: ServiceSpec[] = [
  ...[1, 2, 3, 4].map((i) => ({ name: `auto-${i}` })),
  ...[1, 2].map((i) => ({ name: `buggy-${i}`, annotations: { 'metallb.io/address-pool': 'buggy' } })),
  { name: 'manual-1', annotations: { 'metallb.io/address-pool': 'manual' } },
  { name: 'asked', annotations: { 'metallb.io/loadBalancerIPs': '203.0.113.12' } },
  { name: 'pair-a', port: 80, selector: { app: 'pair' }, annotations: { 'metallb.io/allow-shared-ip': 'pair', 'metallb.io/address-pool': 'buggy' } },
  { name: 'pair-b', port: 443, selector: { app: 'pair' }, annotations: { 'metallb.io/allow-shared-ip': 'pair', 'metallb.io/address-pool': 'buggy' } },
];

let cp: ControlPlane | undefined;
let ctl: Daemon | undefined;
let ctlConfig = '';
const skip = e2eSkipReason() ?? (cliBuilt('controller') && cliBuilt('migrate') ? undefined : 'dist/cli/commands/{controller,migrate}.js missing (run npm run build)');
if (skip) console.log(`k8s e2e (migrate) skipped: ${skip}`);
const t = skip ? test.skip : test;

function migrate(file: string): string {
  return execFileSync(process.execPath, [path.join(ROOT, 'bin/run.js'), 'migrate', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}
const startController = () => startDaemon(cp!, 'controller-migrate', ['controller', '--source', 'k8s', '--kubeconfig', ctlConfig, '--metrics-listen', '127.0.0.1:0']);
async function allocate(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const s of SERVICES) {
    await apply(cp!, serviceManifest(s));
    out[s.name] = await until(`ingress of ${s.name}`, async () => { const ips = await ingressOf(cp!, 'default', s.name); return ips.length ? ips : undefined; }, 30_000)
      .catch((err) => { throw new Error(`${err.message}\n${ctl?.output().split('\n').slice(-20).join('\n')}`); });
  }
  return out;
}

test.before(async () => {
  if (skip) return;
  cp = await startCluster();
  ctlConfig = await serviceAccountKubeconfig(cp, 'lbctl-controller');
});
test.after(async () => {
  await ctl?.stop();
  await cp?.stop();
});

// The contract's inputs are the files with a golden `.crds.yaml` next to them.
const contract = readdirSync(path.join(ROOT, 'migrate')).filter((f) => f.endsWith('.crds.yaml')).map((f) => f.replace(/\.crds\.yaml$/, '.yaml')).sort();
for (const f of contract) {
  t(`migrate/${f}: the lbctl migrate output is accepted by the API server (server-side dry run)`, async () => {
    const out = migrate(path.join(ROOT, 'migrate', f));
    // Outputs for another namespace need it to exist, as they would in that cluster.
    for (const ns of new Set([...out.matchAll(/^\s+namespace: (\S+)$/gm)].map((m) => m[1]!))) {
      await cp!.kubectl(['create', 'namespace', ns]);
    }
    const r = await cp!.kubectl(['apply', '--dry-run=server', '-f', '-'], { input: out });
    assert.is(r.code, 0, `${f}: ${r.stderr}`);
    assert.match(r.stdout, /created \(server dry run\)/);
  });
}

let underConfigMap: Record<string, string[]> = {};
let crdsFile = '';

t('under the legacy ConfigMap, the Services get their IPs', async () => {
  await apply(cp!, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config', namespace: NS }, data: { config: LEGACY } }));
  ctl = startController();
  underConfigMap = await allocate();
  assert.equal(underConfigMap['pair-a'], underConfigMap['pair-b']);
  assert.equal(underConfigMap['buggy-1'], ['198.51.100.1'], 'avoid-buggy-ips skips .0');
  assert.equal(underConfigMap.asked, ['203.0.113.12']);
});

t('lbctl migrate converts the live ConfigMap; applying it, then deleting the ConfigMap, moves no IP', async () => {
  const cm = await cp!.kubectlOk(['get', 'configmap', 'config', '-n', NS, '-o', 'yaml']);
  const cmFile = path.join(cp!.dir, 'live-config.yaml');
  writeFileSync(cmFile, cm);
  crdsFile = path.join(cp!.dir, 'live-config.crds.yaml');
  writeFileSync(crdsFile, migrate(cmFile));
  const out = await cp!.kubectlOk(['apply', '-f', crdsFile]);
  assert.match(out, /ipaddresspool.metallb.io\/small created/);
  assert.match(out, /bgppeer.metallb.io\/\S+ created/);
  // With both in place every pool is defined twice: the combined model is refused as a whole and
  // the last good one (the ConfigMap's) stays in force, so nothing moves in between.
  const both = await until('the duplicate pools to be reported', async () => {
    const s = (await getJson(cp!, ['configurationstate', 'controller', '-n', NS]))?.status;
    return s?.result === 'Invalid' ? s : undefined;
  }, 20_000);
  assert.match(both.errorSummary, /duplicate definition of pool "small"/);
  for (const s of SERVICES) assert.equal(await ingressOf(cp!, 'default', s.name), underConfigMap[s.name], `${s.name} kept its IP while both existed`);
  await cp!.kubectlOk(['delete', 'configmap', 'config', '-n', NS]);
  const st = await until('ConfigurationState Valid under the CRDs', async () => {
    const s = (await getJson(cp!, ['configurationstate', 'controller', '-n', NS]))?.status;
    return s?.result === 'Valid' ? s : undefined;
  }, 20_000);
  assert.is(st.result, 'Valid');
  for (const s of SERVICES) assert.equal(await ingressOf(cp!, 'default', s.name), underConfigMap[s.name], `${s.name} kept its IP`);
});

t('from scratch under the migrated CRDs, the same Services in the same order get the same IPs', async () => {
  await ctl!.stop();
  await cp!.kubectlOk(['delete', 'service', ...SERVICES.map((s) => s.name), '-n', 'default']);
  assert.ok(existsSync(crdsFile));
  ctl = startController();
  const underCrds = await allocate();
  assert.equal(underCrds, underConfigMap);
});

test.run();
