// Election and announcement together on a real LAN: three speaker nodes each run the same election
// on the same cluster view (as the speaker daemon does); only the winner answers. When the winner
// dies, the survivors re-elect and the client follows the new owner from its announcements alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { L2Lan, l2LabAvailable, type Runner } from '../../support/l2-lab.js';
import { waitFor } from '../../support/netns.js';
import { electLeader, type ElectionInput } from '../../../src/speaker/election.js';

const V4 = '192.0.2.150';
const V6 = '2001:db8::150';
const NAMES = ['node-1', 'node-2', 'node-3'];
const can = l2LabAvailable(['arping', 'ping']);

let lan: L2Lan;
let runners: Runner[] = [];

function view(live: string[], over: Partial<ElectionInput> = {}): ElectionInput {
  return {
    ip: V4,
    ips: [V4, V6],
    services: [{ key: 'default/web', labels: {}, externalTrafficPolicy: 'Cluster', endpoints: [{ addresses: ['10.244.1.5'], nodeName: 'node-2', ready: true, serving: true }] }],
    advertisements: [{ nodeSelectors: [], interfaces: [], serviceSelectors: [] }],
    nodes: NAMES.map((name) => ({ name, labels: {}, networkUnavailable: false })),
    liveSpeakers: live,
    ...over,
  };
}

/** electEverywhere tells every live runner the cluster view; each announces only what it won. */
async function electEverywhere(live: string[], over: Partial<ElectionInput> = {}): Promise<void> {
  await Promise.all(NAMES.map((n, i) => (live.includes(n) ? runners[i]!.call('elect', { node: n, inputs: [view(live, over)] }) : undefined)));
}

function arpingMacs(): string[] {
  let out = '';
  try {
    out = lan.client.exec('arping', ['-b', '-c', '2', '-w', '3', '-I', 'eth0', V4], 15_000);
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '');
  }
  return [...out.matchAll(/reply from \S+ \[([0-9A-Fa-f:]{17})\]/g)].map((m) => m[1]!.toLowerCase());
}

const macOf = (node: string) => lan.nodes[NAMES.indexOf(node)]!.mac;

if (!can.ok) {
  console.log(`  skip integration/l2/failover: ${can.why}`);
  test.skip('failover on a real LAN (needs root, iproute2, arping and ping)', () => {});
} else {
  test.before(async () => {
    lan = new L2Lan('lbl2f', { nodes: 3 });
    process.once('exit', () => lan.cleanup());
    runners = await Promise.all(lan.nodes.map((n) => lan.startAnnouncer(n)));
  });
  test.after(() => {
    for (const r of runners) r.stop();
    lan?.cleanup();
  });

  test('every node runs the same election and only the winner answers ARP, for both address families', async () => {
    const winner = electLeader(view(NAMES)).winner!;
    await electEverywhere(NAMES);
    const macs = arpingMacs();
    assert.ok(macs.length >= 1);
    assert.ok(macs.every((m) => m === macOf(winner)), `${macs} vs winner ${winner}`);
    try { lan.client.exec('ping', ['-c', '1', '-W', '1', V4]); } catch { /* entry only */ }
    try { lan.client.exec('ping', ['-6', '-c', '1', '-W', '1', V6]); } catch { /* entry only */ }
    assert.is(lan.neigh(V4)?.mac, macOf(winner));
    assert.is(lan.neigh(V6)?.mac, macOf(winner));
  });

  test('when the winner dies the survivors re-elect and the client follows via the unsolicited announcements', async () => {
    const winner = electLeader(view(NAMES)).winner!;
    const survivors = NAMES.filter((n) => n !== winner);
    const next = electLeader(view(survivors)).winner!;
    runners[NAMES.indexOf(winner)]!.child.kill('SIGKILL');
    await electEverywhere(survivors);
    await waitFor('IPv4 entry to follow', () => (lan.neigh(V4)?.mac === macOf(next) ? true : undefined), 3_000);
    await waitFor('IPv6 entry to follow', () => (lan.neigh(V6)?.mac === macOf(next) ? true : undefined), 3_000);
    const c = await runners[NAMES.indexOf(next)]!.call('counters');
    assert.is(c.requestsReceived[V4] ?? 0, 0, 'no ARP request reached the new owner');
    assert.is(c.requestsReceived[V6] ?? 0, 0, 'no solicitation reached the new owner');
  });

  test('Local policy overrides the hash: only the node hosting the endpoint announces', async () => {
    const winner = electLeader(view(NAMES)).winner!;
    const live = NAMES.filter((n) => n !== winner); // the dead node stays dead
    const local = { services: [{ ...view(live).services[0]!, externalTrafficPolicy: 'Local' as const }] };
    await electEverywhere(live, local);
    const macs = arpingMacs();
    assert.ok(macs.length >= 1 && macs.every((m) => m === macOf('node-2')), `${macs}`);
  });

  test('without a usable endpoint nobody answers', async () => {
    const winner = electLeader(view(NAMES)).winner!;
    const live = NAMES.filter((n) => n !== winner);
    await electEverywhere(live, { services: [{ key: 'default/web', labels: {}, externalTrafficPolicy: 'Cluster', endpoints: [] }] });
    assert.equal(arpingMacs(), []);
  });
}

test.run();
