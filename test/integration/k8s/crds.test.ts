// End to end against a real kube-apiserver: the manifests install with `kubectl apply -k`, the
// generated CRDs are accepted (structural, with defaults and printer columns), valid objects are
// accepted, and bad objects are refused by the API server's own schema/CEL validation with a
// message that names the problem.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startControlPlane, type ControlPlane } from '../../k8s/harness.js';
import { e2eSkipReason, installLbctl, getJson, NS, ROOT } from './support.js';

let cp: ControlPlane | undefined;
const skip = e2eSkipReason();
if (skip) console.log(`k8s e2e (crds) skipped: ${skip}`);
const t = skip ? test.skip : test;

test.before(async () => {
  if (!skip) cp = await startControlPlane();
});
test.after(async () => { await cp?.stop(); });

t('kubectl apply -k manifests/ installs the namespace, every CRD, RBAC and both workloads', async () => {
  const out = await installLbctl(cp!);
  for (const want of ['namespace/metallb-system', 'customresourcedefinition.apiextensions.k8s.io/ipaddresspools.metallb.io',
    'customresourcedefinition.apiextensions.k8s.io/bgppeers.metallb.io', 'serviceaccount/lbctl-controller', 'serviceaccount/lbctl-speaker',
    'clusterrole.rbac.authorization.k8s.io/lbctl:controller', 'role.rbac.authorization.k8s.io/lbctl-speaker',
    'deployment.apps/lbctl-controller', 'daemonset.apps/lbctl-speaker']) {
    assert.ok(out.includes(want), `apply output lacks ${want}:\n${out}`);
  }
  const crds = await getJson(cp!, ['crd', '-l', 'app.kubernetes.io/name=lbctl']);
  const names = crds.items.map((c: any) => c.metadata.name).sort();
  assert.ok(names.length >= 10, names.join(','));
  for (const c of crds.items) {
    const cond = (c.status.conditions ?? []).find((x: any) => x.type === 'Established');
    assert.is(cond?.status, 'True', `${c.metadata.name} not established`);
    const nonStructural = (c.status.conditions ?? []).find((x: any) => x.type === 'NonStructuralSchema');
    assert.is(nonStructural, undefined, `${c.metadata.name}: ${nonStructural?.message}`);
  }
});

t('a second apply -k changes nothing (the manifests are stable)', async () => {
  const out = await cp!.kubectlOk(['apply', '-k', path.join(ROOT, 'manifests')]);
  assert.not.match(out, /configured|created/, out);
});

t('the example metallb.io objects are accepted and get the CRD defaults', async () => {
  await cp!.kubectlOk(['apply', '-f', path.join(ROOT, 'manifests/examples/crds.yaml')]);
  const pool = await getJson(cp!, ['ipaddresspool', 'default', '-n', NS]);
  assert.is(pool.spec.autoAssign, true);
  assert.is(pool.spec.avoidBuggyIPs, false);
  const adv = await getJson(cp!, ['bgpadvertisement', 'bgp-pool-adv-1', '-n', NS]);
  assert.is(adv.spec.aggregationLengthV6, 128);
  const peer = await getJson(cp!, ['bgppeer', 'peer-1', '-n', NS]);
  assert.is(peer.apiVersion, 'metallb.io/v1beta2');
  assert.is(peer.spec.peerPort, 179);
});

t('the legacy ConfigMap example is accepted', async () => {
  await cp!.kubectlOk(['apply', '-f', path.join(ROOT, 'manifests/examples/legacy-configmap.yaml')]);
  const cm = await getJson(cp!, ['configmap', 'config', '-n', NS]);
  assert.match(cm.data.config, /address-pools/);
});

t('printer columns show the pool fields in kubectl get', async () => {
  const out = await cp!.kubectlOk(['get', 'ipaddresspools', '-n', NS]);
  assert.match(out.split('\n')[0]!, /AUTO ASSIGN\s+AVOID BUGGY IPS\s+ADDRESSES/);
  assert.match(out, /bgp-pool\s+true\s+true\s+\["198\.51\.100\.0\/26"\]/);
});

t('a deprecated v1beta1 BGPPeer is served, stored as v1beta2, and warns', async () => {
  const r = await cp!.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'metallb.io/v1beta1', kind: 'BGPPeer', metadata: { name: 'old', namespace: NS }, spec: { myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.1' } }) });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /deprecated/);
  const peer = await getJson(cp!, ['bgppeers.v1beta2.metallb.io', 'old', '-n', NS]);
  assert.is(peer.spec.peerAddress, '192.0.2.1');
});

// The config layer's fixtures: what lbctl's parser accepts must pass the API server too, and its
// bad objects that a single-object rule can catch must be refused there already.
// (list-with-other-objects.yaml is left out: its Service is deliberately incomplete.)
const acceptedFixtures = ['fixtures/config/valid/crd-all-kinds.yaml',
  'fixtures/config/seeds/crd-bgp-advertisement.yaml', 'fixtures/config/seeds/crd-bgp-ipaddresspool.yaml', 'fixtures/config/seeds/crd-bgp-peer.yaml',
  'fixtures/config/seeds/crd-l2-advertisement.yaml', 'fixtures/config/seeds/crd-l2-ipaddresspool.yaml'];
for (const f of acceptedFixtures) {
  t(`the valid fixture ${f} is accepted by the API server (server-side dry run)`, async () => {
    const r = await cp!.kubectl(['apply', '--dry-run=server', '-f', path.join(ROOT, f)]);
    assert.is(r.code, 0, r.stderr);
  });
}
const refusedFixtures: [string, RegExp][] = [
  ['fixtures/config/invalid/crd-keepalive-above-hold.yaml', /keepaliveTime must not be longer than holdTime/],
  ['fixtures/config/invalid/crd-password-and-secret.yaml', /password and passwordSecret are mutually exclusive/],
];
for (const [f, want] of refusedFixtures) {
  t(`the invalid fixture ${f} is refused by the API server itself`, async () => {
    const r = await cp!.kubectl(['create', '--dry-run=server', '-f', path.join(ROOT, f)]);
    assert.is.not(r.code, 0);
    assert.match(r.stderr, want);
  });
}

const peer = (name: string, spec: Record<string, unknown>, version = 'v1beta2') => ({ apiVersion: `metallb.io/${version}`, kind: 'BGPPeer', metadata: { name, namespace: NS }, spec });
const refusals: { desc: string; obj: object; want: RegExp }[] = [
  { desc: 'peerASN together with dynamicASN', obj: peer('b1', { myASN: 64500, peerASN: 64501, dynamicASN: 'external', peerAddress: '192.0.2.1' }), want: /peerASN and dynamicASN are mutually exclusive/ },
  { desc: 'neither peerASN nor dynamicASN', obj: peer('b2', { myASN: 64500, peerAddress: '192.0.2.1' }), want: /one of peerASN or dynamicASN is required/ },
  { desc: 'password together with passwordSecret', obj: peer('b3', { myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.1', password: 'x', passwordSecret: { name: 's' } }), want: /password and passwordSecret are mutually exclusive/ },
  { desc: 'both peerAddress and interface', obj: peer('b4', { myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.1', interface: 'eth0' }), want: /exactly one of peerAddress or interface/ },
  { desc: 'myASN 0', obj: peer('b5', { myASN: 0, peerASN: 64501, peerAddress: '192.0.2.1' }), want: /myASN must not be 0/ },
  { desc: 'a 2s hold time', obj: peer('b6', { myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.1', holdTime: '2s' }), want: /holdTime must be a duration .* of 0 or at least 3s/ },
  { desc: 'a hold time that is not a duration', obj: peer('b7', { myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.1', holdTime: 'ninety' }), want: /holdTime must be a duration/ },
  { desc: 'keepalive longer than hold', obj: peer('b8', { myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.1', holdTime: '30s', keepaliveTime: '1m' }), want: /keepaliveTime must not be longer than holdTime/ },
  { desc: 'ebgpMultiHop on an iBGP session', obj: peer('b9', { myASN: 64500, peerASN: 64500, peerAddress: '192.0.2.1', ebgpMultiHop: true }), want: /ebgpMultiHop is only allowed for eBGP/ },
  { desc: 'a connect time that is not whole seconds', obj: peer('b10', { myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.1', connectTime: '1500ms' }), want: /connectTime must be whole seconds/ },
  { desc: 'peerPort 0 in v1beta2', obj: peer('b11', { myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.1', peerPort: 0 }), want: /peerPort.*should be greater than or equal to 1/ },
  { desc: 'an unknown spec field (strict field validation)', obj: peer('b12', { myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.1', peerAddr: 'x' }), want: /unknown field "spec.peerAddr"/ },
  { desc: 'a v1beta1 peer without peerASN', obj: peer('b13', { myASN: 64500, peerAddress: '192.0.2.1' }, 'v1beta1'), want: /spec.peerASN: Required value/ },
  { desc: 'serviceSelectors with a non-default aggregationLength', obj: { apiVersion: 'metallb.io/v1beta1', kind: 'BGPAdvertisement', metadata: { name: 'a1', namespace: NS }, spec: { aggregationLength: 24, serviceSelectors: [{ matchLabels: { a: 'b' } }] } }, want: /serviceSelectors and aggregationLength are mutually exclusive/ },
  { desc: 'aggregationLength 33', obj: { apiVersion: 'metallb.io/v1beta1', kind: 'BGPAdvertisement', metadata: { name: 'a2', namespace: NS }, spec: { aggregationLength: 33 } }, want: /aggregationLength must be at most 32/ },
  { desc: 'a pool without addresses', obj: { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p1', namespace: NS }, spec: { autoAssign: true } }, want: /spec.addresses: Required value/ },
  { desc: 'a malformed community value', obj: { apiVersion: 'metallb.io/v1beta1', kind: 'Community', metadata: { name: 'c1', namespace: NS }, spec: { communities: [{ name: 'x', value: '65535-1' }] } }, want: /community value must be A:B or large:A:B:C/ },
  { desc: 'a BFD detect multiplier of 1', obj: { apiVersion: 'metallb.io/v1beta1', kind: 'BFDProfile', metadata: { name: 'f1', namespace: NS }, spec: { detectMultiplier: 1 } }, want: /detectMultiplier.*should be greater than or equal to 2/ },
];
for (const c of refusals) {
  t(`the API server refuses ${c.desc} with a clear message`, async () => {
    const r = await cp!.kubectl(['create', '-f', '-'], { input: JSON.stringify(c.obj) });
    assert.is.not(r.code, 0, `accepted: ${JSON.stringify(c.obj)}`);
    assert.match(r.stderr, c.want);
  });
}

t('enableGracefulRestart cannot be changed once set (transition rule)', async () => {
  const obj = peer('gr', { myASN: 64500, peerASN: 64501, peerAddress: '192.0.2.9', enableGracefulRestart: true });
  await cp!.kubectlOk(['create', '-f', '-'], { input: JSON.stringify(obj) });
  const r = await cp!.kubectl(['patch', 'bgppeer', 'gr', '-n', NS, '--type=merge', '-p', '{"spec":{"enableGracefulRestart":false}}']);
  assert.is.not(r.code, 0);
  assert.match(r.stderr, /enableGracefulRestart cannot be changed after creation/);
});

const sa = (name: string) => `system:serviceaccount:${NS}:lbctl-${name}`;
const permissions: { who: 'controller' | 'speaker'; verb: string; resource: string; ns: string; want: 'yes' | 'no' }[] = [
  { who: 'controller', verb: 'patch', resource: 'services/status', ns: 'default', want: 'yes' },
  { who: 'controller', verb: 'patch', resource: 'services', ns: 'default', want: 'yes' },
  { who: 'controller', verb: 'delete', resource: 'services', ns: 'default', want: 'no' },
  { who: 'controller', verb: 'create', resource: 'events', ns: 'default', want: 'yes' },
  { who: 'controller', verb: 'list', resource: 'secrets', ns: NS, want: 'yes' },
  { who: 'controller', verb: 'list', resource: 'secrets', ns: 'default', want: 'no' },
  { who: 'controller', verb: 'create', resource: 'leases.coordination.k8s.io', ns: NS, want: 'no' },
  { who: 'controller', verb: 'update', resource: 'ipaddresspools.metallb.io', ns: NS, want: 'no' },
  { who: 'controller', verb: 'create', resource: 'configurationstates.metallb.io', ns: NS, want: 'yes' },
  { who: 'speaker', verb: 'patch', resource: 'services/status', ns: 'default', want: 'no' },
  { who: 'speaker', verb: 'patch', resource: 'services', ns: 'default', want: 'no' },
  { who: 'speaker', verb: 'list', resource: 'endpointslices.discovery.k8s.io', ns: 'default', want: 'yes' },
  { who: 'speaker', verb: 'list', resource: 'nodes', ns: '', want: 'yes' },
  { who: 'speaker', verb: 'update', resource: 'nodes', ns: '', want: 'no' },
  { who: 'speaker', verb: 'create', resource: 'leases.coordination.k8s.io', ns: NS, want: 'yes' },
  { who: 'speaker', verb: 'create', resource: 'leases.coordination.k8s.io', ns: 'default', want: 'no' },
  { who: 'speaker', verb: 'create', resource: 'servicel2statuses.metallb.io', ns: NS, want: 'yes' },
  { who: 'speaker', verb: 'delete', resource: 'servicebgpstatuses.metallb.io', ns: NS, want: 'yes' },
  { who: 'speaker', verb: 'list', resource: 'secrets', ns: 'kube-system', want: 'no' },
];
for (const p of permissions) {
  t(`RBAC: the ${p.who} ${p.want === 'yes' ? 'may' : 'may not'} ${p.verb} ${p.resource}${p.ns ? ` in ${p.ns}` : ''}`, async () => {
    const r = await cp!.kubectl(['auth', 'can-i', p.verb, p.resource, `--as=${sa(p.who)}`, ...(p.ns ? ['-n', p.ns] : [])]);
    assert.is(r.stdout.trim(), p.want, r.stderr);
  });
}

// The pod templates as the workload controllers would stamp them (there is no kube-controller-manager
// here), checked by the API server's Pod Security admission with a server-side dry run.
async function podFrom(kind: 'deployment' | 'daemonset', name: string, ns: string): Promise<string> {
  const w = await getJson(cp!, [kind, name, '-n', NS]);
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-probe`, namespace: ns, labels: w.spec.template.metadata.labels }, spec: w.spec.template.spec });
}

t('the controller pod passes the restricted Pod Security level', async () => {
  await cp!.kubectlOk(['create', 'namespace', 'psa-restricted']);
  await cp!.kubectlOk(['label', 'namespace', 'psa-restricted', 'pod-security.kubernetes.io/enforce=restricted']);
  await cp!.kubectlOk(['create', 'serviceaccount', 'lbctl-controller', '-n', 'psa-restricted']);
  const r = await cp!.kubectl(['create', '--dry-run=server', '-f', '-'], { input: await podFrom('deployment', 'lbctl-controller', 'psa-restricted') });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr.trim(), '', 'no Pod Security warning');
});

t('the speaker pod needs the privileged level (host network, NET_RAW), which metallb-system grants', async () => {
  const refused = await cp!.kubectl(['create', '--dry-run=server', '-f', '-'], { input: await podFrom('daemonset', 'lbctl-speaker', 'psa-restricted') });
  assert.is.not(refused.code, 0);
  assert.match(refused.stderr, /violates PodSecurity "restricted:latest": host namespaces \(hostNetwork=true\)/);
  assert.match(refused.stderr, /NET_RAW/);
  const ok = await cp!.kubectl(['create', '--dry-run=server', '-f', '-'], { input: await podFrom('daemonset', 'lbctl-speaker', NS) });
  assert.is(ok.code, 0, ok.stderr);
});

t('the generated CRD files are what the API server stores (no server-side rewrite of our schema)', async () => {
  const text = readFileSync(path.join(ROOT, 'manifests/crds/metallb.io_bgpadvertisements.yaml'), 'utf8');
  const crd = await getJson(cp!, ['crd', 'bgpadvertisements.metallb.io']);
  const rules = JSON.stringify(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations']);
  assert.match(rules, /serviceSelectors and aggregationLength are mutually exclusive/);
  assert.match(text, /serviceSelectors and aggregationLength are mutually exclusive/);
});

test.run();
