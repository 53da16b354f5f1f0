// The 'worker' reader on a real bridged LAN: a worker thread answers ARP and NDP end to end from the
// table the announcer publishes, and the outcomes it reports keep the counters exact (they arrive in
// batches at most ~10 ms old, hence the waits). Namespaces are prefixed lbarp and always removed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { arpReplyMACs, l2LabAvailable, ndpTargetMACs, startPair, type L2Lan, type LanPair, type Runner } from '../../support/l2-lab.js';
import { waitFor } from '../../support/netns.js';

const VIP = '192.0.2.140';
const VIP6 = '2001:db8::140';
const can = l2LabAvailable(['arping', 'ndisc6']);

let lan: L2Lan;
let owner: Runner;
let other: Runner;

const run = (cmd: string, args: string[]) => lan.onClient(cmd, args);
const arpMACs = arpReplyMACs;
const ndpMACs = ndpTargetMACs;

/** settled waits until the counters stop lagging: `pred` holds on a fresh snapshot. */
function settled(r: Runner, what: string, pred: (c: any) => boolean): Promise<any> {
  return waitFor(what, async () => {
    const c = await r.call('counters');
    return pred(c) ? c : undefined;
  }, 3_000);
}

if (!can.ok) {
  console.log(`  skip integration/l2/worker: ${can.why}`);
  test.skip('worker reader on a real LAN (needs root, iproute2, arping and ndisc6)', () => {});
} else {
  let pair: LanPair | undefined;
  test.before(async () => {
    pair = await startPair('lbarp', { L2_READER: 'worker' });
    ({ lan, owner, other } = pair);
  });
  test.after(() => pair?.stop());

  test('arping gets every reply from the owner\'s MAC; counters match the wire exactly', async () => {
    await owner.call('set', { ips: { [VIP]: {} } });
    const out = run('arping', ['-c', '3', '-w', '4', '-I', 'eth0', VIP]);
    assert.equal(arpMACs(out), Array(3).fill(lan.nodes[0]!.mac), out);
    const c = await settled(owner, 'owner counters', (x) => x.responsesSent[VIP] === 3);
    assert.is(c.requestsReceived[VIP], 3);
    assert.is(c.sendErrors, 0);
    // arping broadcasts only its first request; the other node drops exactly that one as notOurs.
    const c2 = await settled(other, 'other counters', (x) => x.dropped.notOurs >= 1);
    assert.equal(c2.responsesSent, {}, 'the non-owner sent no reply');
    assert.equal(c2.requestsReceived, {});
  });

  test('a published withdrawal stops the thread answering at once; the owner then counts notOurs', async () => {
    const before = (await settled(owner, 'owner counters', () => true)).dropped.notOurs;
    await owner.call('set', { ips: {} });
    const out = run('arping', ['-c', '1', '-w', '2', '-I', 'eth0', VIP]);
    assert.equal(arpMACs(out), [], out);
    await settled(owner, 'notOurs to grow', (x) => x.dropped.notOurs > before);
  });

  test('ownership moving between two worker-thread nodes moves the answers with it', async () => {
    await other.call('set', { ips: { [VIP]: {} } });
    const out = run('arping', ['-c', '2', '-w', '3', '-I', 'eth0', VIP]);
    assert.equal(arpMACs(out), Array(2).fill(lan.nodes[1]!.mac), out);
    await other.call('set', { ips: {} });
  });

  test('ndisc6 resolves an IPv6 address answered by the thread to the owner\'s MAC only', async () => {
    await owner.call('set', { ips: { [VIP6]: {} } });
    const out = run('ndisc6', ['-r', '3', '-w', '500', VIP6, 'eth0']);
    const macs = ndpMACs(out);
    assert.ok(macs.length >= 1, out);
    assert.ok(macs.every((m) => m === lan.nodes[0]!.mac), out);
    await settled(owner, 'NDP counters', (x) => (x.responsesSent[VIP6] ?? 0) >= 1 && x.responsesSent[VIP6] === x.requestsReceived[VIP6]);
  });

  test('an interface restriction travels with the table: wrongInterface, no reply', async () => {
    const before = (await settled(owner, 'owner counters', () => true)).dropped.wrongInterface;
    await owner.call('set', { ips: { [VIP]: { interfaces: ['eth9'] } } });
    const out = run('arping', ['-c', '1', '-w', '2', '-I', 'eth0', VIP]);
    assert.equal(arpMACs(out), [], out);
    await settled(owner, 'wrongInterface to grow', (x) => x.dropped.wrongInterface === before + 1);
  });

  test('the runner with a worker thread shuts down when told to close', async () => {
    await owner.call('close');
    await waitFor('runner exit', () => (owner.child.exitCode !== null ? true : undefined), 3_000);
    assert.is(owner.child.exitCode, 0);
  });
}

test.run();
