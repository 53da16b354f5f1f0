// End to end with speakers: the control plane, the controller and kubectl run in a "hub" network
// namespace on a bridge; two `lbctl speaker --source k8s` processes run in their own namespaces as
// Nodes spk1/spk2 (Node and EndpointSlice objects created by the test, since there is no kubelet),
// reaching the API server over the bridge. They elect one owner per layer 2 IP, the owner answers
// arping (and, for an IPv6 Service, ndisc6) from a client namespace, and a BGP pool's route
// reaches BIRD from both speakers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Lab, canUseNetns, hasCommand, type Netns } from '../../support/netns.js';
import { startRouter, type TestRouter } from '../../support/routers.js';
import { startControlPlane, type ControlPlane } from '../../k8s/harness.js';
import { apply, cliBuilt, e2eSkipReason, getJson, ingressOf, installLbctl, NS, serviceAccountKubeconfig, serviceManifest, startDaemon, until, type Daemon } from './support.js';

const HUB_IP = '192.0.2.1';
const NODES = [
  { name: 'spk1', ip: '192.0.2.11', ip6: '2001:db8::11', mac: '02:00:00:00:0b:01' },
  { name: 'spk2', ip: '192.0.2.12', ip6: '2001:db8::12', mac: '02:00:00:00:0b:02' },
];
const CLIENT_IP = '192.0.2.100';
const CLIENT_IP6 = '2001:db8::100';
const BIRD_IP = '192.0.2.254';

const netnsOk = canUseNetns();
const skip = e2eSkipReason() ?? (!netnsOk.ok ? netnsOk.why : undefined) ?? (cliBuilt('speaker') ? undefined : 'dist/cli/commands/speaker.js missing (run npm run build)')
  ?? (['arping', 'ndisc6', 'bird', 'birdc'].filter((c) => !hasCommand(c)).map((c) => `${c} not installed`)[0]);
if (skip) console.log(`k8s e2e (speakers in namespaces) skipped: ${skip}`);
const t = skip ? test.skip : test;

const lab = new Lab('lbk8s');
let hub: Netns;
let client: Netns;
let birdNs: Netns;
let cp: ControlPlane | undefined;
let bird: TestRouter | undefined;
const daemons = new Map<string, Daemon>();
const speakerNs = new Map<string, Netns>();
let speakerKubeconfig = '';

// A bridge in the hub namespace joins every other namespace (veth `eth0` on their side).
function buildNetwork(): void {
  hub = lab.ns('hub');
  hub.exec('ip', ['link', 'add', 'br0', 'type', 'bridge']);
  hub.exec('ip', ['addr', 'add', `${HUB_IP}/24`, 'dev', 'br0']);
  hub.exec('ip', ['link', 'set', 'br0', 'up']);
  hub.exec('ip', ['addr', 'add', '2001:db8::1/64', 'dev', 'br0', 'nodad']);
  const attach = (ns: Netns, hubIf: string, ip: string, mac?: string, ip6?: string) => {
    lab.link(hub, hubIf, ns, 'eth0', mac ? { bMac: mac } : {});
    hub.exec('ip', ['link', 'set', hubIf, 'master', 'br0']);
    ns.exec('ip', ['addr', 'add', `${ip}/24`, 'dev', 'eth0']);
    if (ip6) ns.exec('ip', ['addr', 'add', `${ip6}/64`, 'dev', 'eth0', 'nodad']);
  };
  for (const n of NODES) {
    const ns = lab.ns(n.name);
    speakerNs.set(n.name, ns);
    attach(ns, `h-${n.name}`, n.ip, n.mac, n.ip6);
  }
  client = lab.ns('client');
  attach(client, 'h-client', CLIENT_IP, undefined, CLIENT_IP6);
  birdNs = lab.ns('bird');
  attach(birdNs, 'h-bird', BIRD_IP);
}

const podUids = new Map<string, string>();
function startSpeaker(node: string, kubeconfig: string): Daemon {
  const d = startDaemon(cp!, `speaker-${node}`, ['speaker', '--source', 'k8s', '--kubeconfig', kubeconfig, '--node', node,
    '--metrics-listen', '127.0.0.1:0', '--lease-renew', '250', '--lease-duration', '1500'], speakerNs.get(node)!.name,
  { POD_NAME: `lbctl-speaker-${node}`, POD_UID: podUids.get(node)! });
  daemons.set(node, d);
  return d;
}

const CONFIG = [
  { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'l2', namespace: NS }, spec: { addresses: ['192.0.2.200-192.0.2.210'] } },
  { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'bgp', namespace: NS }, spec: { addresses: ['203.0.113.0/28'], autoAssign: false } },
  { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'l2v6', namespace: NS }, spec: { addresses: ['2001:db8::200-2001:db8::20f'], autoAssign: false } },
  { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'dual', namespace: NS }, spec: { addresses: ['192.0.2.220-192.0.2.229', '2001:db8::220-2001:db8::22f'], autoAssign: false } },
  { apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: { name: 'l2', namespace: NS }, spec: { ipAddressPools: ['l2', 'l2v6', 'dual'] } },
  { apiVersion: 'metallb.io/v1beta1', kind: 'BGPAdvertisement', metadata: { name: 'bgp', namespace: NS }, spec: { ipAddressPools: ['bgp'], communities: ['no-export'] } },
  { apiVersion: 'metallb.io/v1beta1', kind: 'Community', metadata: { name: 'aliases', namespace: NS }, spec: { communities: [{ name: 'no-export', value: '65535:65281' }] } },
  { apiVersion: 'metallb.io/v1beta2', kind: 'BGPPeer', metadata: { name: 'bird', namespace: NS }, spec: { myASN: 64512, peerASN: 64513, peerAddress: BIRD_IP, holdTime: '9s' } },
];

const endpointSlice = (svc: string, family: 'IPv4' | 'IPv6' = 'IPv4', nodes = NODES.map((n) => n.name)) => JSON.stringify({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: { name: `${svc}-${family.toLowerCase()}`, namespace: 'default', labels: { 'kubernetes.io/service-name': svc } },
  addressType: family, ports: [{ name: 'p', port: 8080, protocol: 'TCP' }],
  endpoints: nodes.map((n, i) => ({ addresses: [family === 'IPv4' ? `10.244.${i + 1}.5` : `fd00:10:244:${i + 1}::5`], conditions: { ready: true }, nodeName: n })),
});

test.before(async () => {
  if (skip) return;
  try {
    buildNetwork();
    cp = await startControlPlane({ netns: hub.name, address: HUB_IP, serviceCIDRs: '10.0.0.0/24,fd00:10:96::/112' });
    await installLbctl(cp);
    for (const n of NODES) {
      await apply(cp, JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name } } }));
      // The speaker pods as the DaemonSet would create them (they stay Pending: there is no kubelet);
      // their uids reach the speakers through POD_NAME/POD_UID, as the downward API would pass them.
      await apply(cp, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `lbctl-speaker-${n.name}`, namespace: NS },
        spec: { nodeName: n.name, containers: [{ name: 'speaker', image: 'lbctl:0.1.0' }] } }));
      podUids.set(n.name, (await getJson(cp, ['pod', `lbctl-speaker-${n.name}`, '-n', NS])).metadata.uid);
    }
    await apply(cp, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: CONFIG }));
    bird = await startRouter(lab, { kind: 'bird', ns: birdNs, routerId: BIRD_IP, asn: 64513, localAddress: BIRD_IP, neighbors: NODES.map((n) => ({ address: n.ip, asn: 64512, holdTime: 9 })) });
    const kubeconfig = await serviceAccountKubeconfig(cp, 'lbctl-speaker');
    const ctlConfig = await serviceAccountKubeconfig(cp, 'lbctl-controller');
    daemons.set('controller', startDaemon(cp, 'controller', ['controller', '--source', 'k8s', '--kubeconfig', ctlConfig, '--metrics-listen', '127.0.0.1:0'], hub.name));
    for (const n of NODES) startSpeaker(n.name, kubeconfig);
    speakerKubeconfig = kubeconfig;
  } catch (err) {
    await cp?.stop();
    lab.cleanup();
    throw err;
  }
});
test.after(async () => {
  for (const d of daemons.values()) await d.stop();
  if (process.env.LBCTL_E2E_SHOW_LOGS) for (const [n, d] of daemons) console.log(`--- ${n} ---\n${d.output().split('\n').slice(-40).join('\n')}`);
  await bird?.stop();
  await cp?.stop();
  lab.cleanup();
});

function logs(): string {
  return [...daemons].map(([n, d]) => `--- ${n} ---\n${d.output().split('\n').slice(-15).join('\n')}`).join('\n');
}
const waitIngress = (name: string) =>
  until(`ingress of default/${name}`, async () => { const ips = await ingressOf(cp!, 'default', name); return ips.length ? ips : undefined; }, 30_000)
    .catch((err) => { throw new Error(`${err.message}\n${logs()}`); });
const l2Owners = async (svc: string): Promise<string[]> => {
  const recs = await getJson(cp!, ['servicel2statuses', '-n', NS, '-l', `metallb.io/service-name=${svc}`]);
  // A record is written in two steps (object, then its status): count only complete ones.
  return (recs?.items ?? []).map((r: any) => r.status?.node).filter(Boolean).sort();
};
// arping from the client: the MACs that answered (upper case), empty when nobody did.
function arpingMacs(ip: string, count = 3): string[] {
  let out = '';
  try { out = client.exec('arping', ['-c', String(count), '-w', String(count + 2), '-I', 'eth0', ip], 15_000); } catch (e) { out = String((e as { stdout?: string }).stdout ?? ''); }
  return [...new Set([...out.matchAll(/reply from \S+ \[([0-9A-Fa-f:]+)\]/g)].map((m) => m[1]!.toUpperCase()))];
}
const macOf = (node: string) => NODES.find((n) => n.name === node)!.mac.toUpperCase();
let l2ip = '';

t('both speakers register: each keeps its liveness Lease in metallb-system', async () => {
  for (const n of NODES) {
    const lease = await until(`lease of ${n.name}`, () => getJson(cp!, ['lease', `lbctl-speaker-${n.name}`, '-n', NS]), 30_000)
      .catch((err) => { throw new Error(`${err.message}\n${logs()}`); });
    assert.is(lease.spec.holderIdentity, n.name);
  }
});

t('a layer 2 Service gets an IP and exactly one speaker claims it in a ServiceL2Status record', async () => {
  await apply(cp!, serviceManifest({ name: 'l2web', annotations: { 'metallb.io/address-pool': 'l2' } }));
  await apply(cp!, endpointSlice('l2web'));
  [l2ip] = await waitIngress('l2web') as [string];
  assert.match(l2ip, /^192\.0\.2\.2(0\d|10)$/);
  const owners = await until('one l2 owner', async () => { const o = await l2Owners('l2web'); return o.length === 1 ? o : undefined; }, 20_000)
    .catch((err) => { throw new Error(`${err.message}\n${logs()}`); });
  assert.ok(NODES.some((n) => n.name === owners[0]), owners.join(','));
});

t('the owner\'s record is owned by its speaker pod, so garbage collection removes it with the pod', async () => {
  const recs = await getJson(cp!, ['servicel2statuses', '-n', NS, '-l', 'metallb.io/service-name=l2web']);
  const rec = recs.items.find((r: any) => r.status?.node);
  assert.equal(rec.metadata.ownerReferences?.map((o: any) => [o.kind, o.name, o.uid]), [['Pod', `lbctl-speaker-${rec.status.node}`, podUids.get(rec.status.node)]]);
});

t('arping from a client namespace is answered by the owner, and only by it', async () => {
  const [owner] = await l2Owners('l2web');
  const macs = await until('an ARP answer', async () => { const m = arpingMacs(l2ip); return m.length ? m : undefined; }, 15_000);
  assert.equal(macs, [macOf(owner!)]);
});

// ndisc6 from the client: the link-layer address in the Neighbor Advertisement (upper case).
function ndiscMac(ip: string): string | undefined {
  let out = '';
  try { out = client.exec('ndisc6', ['-r', '2', '-w', '1000', ip, 'eth0'], 15_000); } catch (e) { out = String((e as { stdout?: string }).stdout ?? ''); }
  return /Target link-layer address:\s*([0-9A-Fa-f:]+)/.exec(out)?.[1]?.toUpperCase();
}

t('an IPv6 Service gets an address, and ndisc6 from the client is answered by its owner (NDP)', async () => {
  await apply(cp!, serviceManifest({ name: 'l2v6web', ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack', annotations: { 'metallb.io/address-pool': 'l2v6' } }));
  await apply(cp!, endpointSlice('l2v6web', 'IPv6'));
  const [ip6] = await waitIngress('l2v6web');
  assert.match(ip6!, /^2001:db8::20[0-9a-f]$/);
  const owners = await until('one l2 owner of the IPv6 address', async () => { const o = await l2Owners('l2v6web'); return o.length === 1 ? o : undefined; }, 20_000)
    .catch((err) => { throw new Error(`${err.message}\n${logs()}`); });
  const mac = await until('a Neighbor Advertisement', async () => ndiscMac(ip6!), 15_000);
  assert.is(mac, macOf(owners[0]!));
});

t('externalTrafficPolicy Local: only the node with a ready endpoint announces, for each of the two nodes', async () => {
  for (const [i, n] of NODES.entries()) {
    const name = `local-${i}`;
    await apply(cp!, serviceManifest({ name, externalTrafficPolicy: 'Local', annotations: { 'metallb.io/address-pool': 'l2' } }));
    await apply(cp!, endpointSlice(name, 'IPv4', [n.name]));
    const [ip] = await waitIngress(name);
    await until(`${n.name} to own ${name}`, async () => { const o = await l2Owners(name); return o.length === 1 && o[0] === n.name ? o : undefined; }, 20_000)
      .catch((err) => { throw new Error(`${err.message}\n${logs()}`); });
    const macs = await until(`an ARP answer for ${ip}`, async () => { const m = arpingMacs(ip!, 2); return m.length ? m : undefined; }, 15_000);
    assert.equal(macs, [macOf(n.name)]);
  }
});

t('a RequireDualStack Service gets one IPv4 and one IPv6 address, both answered by the owner', async () => {
  await apply(cp!, serviceManifest({ name: 'dual', ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack', annotations: { 'metallb.io/address-pool': 'dual' } }));
  await apply(cp!, endpointSlice('dual', 'IPv4'));
  await apply(cp!, endpointSlice('dual', 'IPv6'));
  const ips = await waitIngress('dual');
  assert.is(ips.length, 2, ips.join(','));
  const v4 = ips.find((ip) => ip.includes('.'))!;
  const v6 = ips.find((ip) => ip.includes(':'))!;
  assert.match(v4, /^192\.0\.2\.22\d$/);
  assert.match(v6, /^2001:db8::22[0-9a-f]$/);
  const [owner] = await until('one owner', async () => { const o = await l2Owners('dual'); return o.length === 1 ? o : undefined; }, 20_000);
  assert.equal(await until('ARP answer', async () => { const m = arpingMacs(v4, 2); return m.length ? m : undefined; }, 15_000), [macOf(owner!)]);
  assert.is(await until('NDP answer', async () => ndiscMac(v6), 15_000), macOf(owner!));
});

t('a node marked NetworkUnavailable stops announcing and the other node takes the IP', async () => {
  const [owner] = await l2Owners('l2web');
  const other = NODES.find((n) => n.name !== owner)!.name;
  const cond = { type: 'NetworkUnavailable', status: 'True', reason: 'Test', message: 'set by the e2e test', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
  await cp!.kubectlOk(['patch', 'node', owner!, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions: [cond] } })]);
  try {
    await until(`${other} to answer for ${l2ip}`, async () => { const m = arpingMacs(l2ip, 2); return m.length === 1 && m[0] === macOf(other) ? m : undefined; }, 20_000)
      .catch((err) => { throw new Error(`${err.message}\n${logs()}`); });
  } finally {
    await cp!.kubectlOk(['patch', 'node', owner!, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions: [{ ...cond, status: 'False' }] } })]);
  }
  await until(`${owner} to answer again`, async () => { const m = arpingMacs(l2ip, 2); return m.length === 1 && m[0] === macOf(owner!) ? m : undefined; }, 20_000);
});

t('kubectl describe shows the speaker\'s nodeAssigned event', async () => {
  const d = await until('nodeAssigned event', async () => { const out = await cp!.kubectlOk(['describe', 'service', 'l2web']); return /nodeAssigned/.test(out) ? out : undefined; }, 20_000);
  assert.match(d, /Normal\s+nodeAssigned\s+.*announcing from node "spk[12]"/);
});

t('a BGP pool\'s route reaches BIRD from both speakers, and each publishes a ServiceBGPStatus', async () => {
  await apply(cp!, serviceManifest({ name: 'bgpweb', annotations: { 'metallb.io/address-pool': 'bgp' } }));
  await apply(cp!, endpointSlice('bgpweb'));
  const [vip] = await waitIngress('bgpweb');
  assert.match(vip!, /^203\.0\.113\./);
  await until('both BGP sessions established', async () => (NODES.every((n) => bird!.established(n.ip)) ? true : undefined), 30_000)
    .catch((err) => { throw new Error(`${err.message}\n${logs()}`); });
  const route = await until('the route in BIRD', async () => bird!.routes().find((r) => r.prefix === `${vip}/32`), 20_000);
  assert.ok(NODES.some((n) => n.ip === route.nextHop), `next hop ${route.nextHop}`);
  assert.equal(route.asPath, [64512]);
  assert.equal(route.communities, ['65535:65281'], 'the Community alias of the BGPAdvertisement is resolved');
  const recs = await until('two ServiceBGPStatus records', async () => {
    const r = await getJson(cp!, ['servicebgpstatuses', '-n', NS, '-l', 'metallb.io/service-name=bgpweb']);
    return r?.items?.length === 2 ? r.items : undefined;
  }, 20_000);
  assert.equal(recs.map((r: any) => r.status.node).sort(), ['spk1', 'spk2']);
});

t('deleting the BGP Service withdraws its route from BIRD and removes the ServiceBGPStatus records', async () => {
  const [vip] = await ingressOf(cp!, 'default', 'bgpweb');
  await cp!.kubectlOk(['delete', 'service', 'bgpweb']);
  await until('the route to leave BIRD', async () => (bird!.routes().some((r) => r.prefix === `${vip}/32`) ? undefined : true), 20_000)
    .catch((err) => { throw new Error(`${err.message}\n${logs()}`); });
  await until('the records to go', async () => {
    const r = await getJson(cp!, ['servicebgpstatuses', '-n', NS, '-l', 'metallb.io/service-name=bgpweb']);
    return r?.items?.length === 0 ? true : undefined;
  }, 20_000);
});

// Background arping from the client: four arping processes (one probe a second each: arping takes
// whole seconds) started 250 ms apart, so the IP is probed about every 250 ms; each reply is kept
// with the time it arrived.
async function arpingWatch(ip: string, maxSeconds: number) {
  const replies: { at: number; mac: string }[] = [];
  let raw = '';
  const procs: { proc: ReturnType<Netns['spawn']>; exited: Promise<void> }[] = [];
  for (let k = 0; k < 4; k++) {
    // stdbuf: arping's stdout is a pipe here, which would hold every line back until it exits.
    const proc = lab.track(client.spawn('stdbuf', ['-oL', 'arping', '-I', 'eth0', '-w', String(maxSeconds), ip]));
    let buf = '';
    proc.stderr!.on('data', (d: Buffer) => { raw += d.toString(); });
    proc.stdout!.on('data', (d: Buffer) => {
      if (raw.length < 2000) raw += d.toString();
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) { const m = /reply from \S+ \[([0-9A-Fa-f:]+)\]/.exec(l); if (m) replies.push({ at: Date.now(), mac: m[1]!.toUpperCase() }); }
    });
    procs.push({ proc, exited: new Promise<void>((resolve) => proc.once('exit', () => resolve())) });
    await sleep(250);
  }
  const stop = async () => {
    for (const p of procs) p.proc.kill('SIGINT');
    await Promise.race([Promise.all(procs.map((p) => p.exited)), sleep(3000)]);
    return replies.sort((a, b) => a.at - b.at);
  };
  return { replies, output: () => raw.slice(0, 600), stop };
}
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// With --on-store-loss keep (the default) a speaker that cannot renew its Lease freezes its view
// and keeps announcing; so an API server outage longer than the lease (1.5 s here) changes nothing
// on the LAN: no gap, no second MAC, the same owner afterwards.
t('while the API server is down for longer than the lease, the layer 2 IP is answered throughout, by its owner only', async () => {
  const [owner] = await l2Owners('l2web');
  const probe = await arpingWatch(l2ip, 300);
  await sleep(1000);
  const stoppedAt = Date.now();
  let startedAt = 0;
  let replies: { at: number; mac: string }[] = [];
  try {
    await cp!.stopApiserver();
    await sleep(3000); // two lease durations without any API server
    await cp!.startApiserver();
    startedAt = Date.now();
    // The speakers' renewals succeed at once; their informers reconnect on their backoff.
    for (const n of NODES) {
      await until(`a renewal of ${n.name}'s lease after the restart`, async () => {
        const l = await getJson(cp!, ['lease', `lbctl-speaker-${n.name}`, '-n', NS]);
        return l && Date.parse(l.spec.renewTime) > startedAt ? l : undefined;
      }, 30_000).catch((err) => { throw new Error(`${err.message}\n${logs()}`); });
    }
    await sleep(3000);
  } finally {
    replies = await probe.stop();
  }
  const window = replies.filter((r) => r.at >= stoppedAt);
  const macs = [...new Set(window.map((r) => r.mac))];
  assert.ok(replies.length > 0, `arping saw no reply at all: ${probe.output()}`);
  let gap = 0;
  window.reduce((prev, r) => { gap = Math.max(gap, r.at - prev); return r.at; }, stoppedAt);
  console.log(`k8s e2e: API server down ${startedAt - stoppedAt} ms; ${window.length} ARP replies from ${macs.join(', ')} from the stop to 3 s after all renewals resumed; longest gap ${gap} ms`);
  assert.equal(macs, [macOf(owner!)], 'answered by the owner only');
  assert.ok(window.length > 0 && gap < 1500, `no silence as long as the lease (longest gap ${gap} ms)`);
  assert.equal(await l2Owners('l2web'), [owner], 'the same owner afterwards');
  assert.equal(arpingMacs(l2ip, 2), [macOf(owner!)]);
});

t('killing the owning speaker moves the layer 2 IP to the other node, and arping follows', async () => {
  const [owner] = await l2Owners('l2web');
  const other = NODES.find((n) => n.name !== owner)!.name;
  const killedAt = Date.now();
  daemons.get(owner!)!.proc.kill('SIGKILL');
  // The killed speaker cannot delete its own record (in a cluster the pod's garbage collection
  // would); what matters is that the survivor claims the IP and answers for it.
  await until('the other node to claim the IP', async () => { const o = await l2Owners('l2web'); return o.includes(other) ? o : undefined; }, 20_000)
    .catch((err) => { throw new Error(`${err.message}\n${logs()}`); });
  const macs = await until('an answer from the new owner', async () => { const m = arpingMacs(l2ip, 2); return m.length === 1 && m[0] === macOf(other) ? m : undefined; }, 15_000);
  assert.equal(macs, [macOf(other)]);
  // Includes arping's own pacing (1 s between probes), so it is an upper bound.
  console.log(`k8s e2e: SIGKILL of the layer 2 owner to the first ARP answer from the new owner: <= ${Date.now() - killedAt} ms (lease 1500 ms)`);
  startSpeaker(owner!, speakerKubeconfig); // back to two nodes for anything after this
});

test.run();
