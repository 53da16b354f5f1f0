// The in-kernel fast path (tcx program from src/bpf/responder.ts) on a real bridged LAN: it answers
// arping and ndisc6 for the owner only, its replies show in the counters, a withdrawal takes effect
// in the same call, frames it leaves alone still reach the user-space responder (which counts why it
// dropped them), and a killed speaker leaves no responder behind. Namespaces prefixed lbkfp.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { arpReplyMACs, l2LabAvailable, ndpTargetMACs, startPair, type L2Lan, type LanPair, type Runner } from '../../support/l2-lab.js';
import { waitFor } from '../../support/netns.js';
import { fileURLToPath } from 'node:url';
import { BpfHashMap } from '../../../src/sys/bpf.js';
import { KernelResponder } from '../../../src/sys/kernel-responder.js';
import { ArpOperation, gratuitousARP } from '../../../src/wire/arp.js';

const VIP = '192.0.2.150';
const VIP6 = '2001:db8::150';
const prober = fileURLToPath(new URL('../../support/l2-prober.ts', import.meta.url));

function bpfAvailable(): { ok: boolean; why?: string } {
  const lab = l2LabAvailable(['arping', 'ndisc6']);
  if (!lab.ok) return lab;
  try {
    BpfHashMap.create('lbctl_probe', 4, 4, 1).close();
    return { ok: true };
  } catch (e) {
    return { ok: false, why: `bpf(2) refused: ${String(e)}` };
  }
}
const can = bpfAvailable();

let lan: L2Lan;
let owner: Runner;
let other: Runner;

const run = (cmd: string, args: string[]) => lan.onClient(cmd, args);
const arpMACs = arpReplyMACs;
const ndpMACs = ndpTargetMACs;
const counters = (r: Runner) => r.call('counters');

if (!can.ok) {
  console.log(`  skip integration/l2/kernel: ${can.why}`);
  test.skip('kernel fast path on a real LAN (needs root, CAP_BPF, arping and ndisc6)', () => {});
} else {
  let pair: LanPair | undefined;
  test.before(async () => {
    pair = await startPair('lbkfp', { L2_KERNEL: 'on' });
    ({ lan, owner, other } = pair);
  });
  test.after(() => pair?.stop());

  test('the kernel answers arping from the owner\'s MAC only, and the counters include its replies', async () => {
    await owner.call('set', { ips: { [VIP]: {} } });
    const out = run('arping', ['-c', '3', '-w', '4', '-I', 'eth0', VIP]);
    assert.equal(arpMACs(out), Array(3).fill(lan.nodes[0]!.mac), out);
    const c = await counters(owner);
    assert.ok(c.kernelAnswering, 'the fast path is attached');
    assert.is(c.responsesSent[VIP], 3);
    assert.is(c.requestsReceived[VIP], 3);
    // Exactly three replies above also means user space did not answer again: it never saw them.
    const o = await counters(other);
    assert.equal(o.responsesSent, {}, 'the non-owner sent no reply');
  });

  test('a withdrawal stops the kernel answering within the call; user space then counts notOurs', async () => {
    await owner.call('set', { ips: {} });
    const out = run('arping', ['-c', '1', '-w', '2', '-I', 'eth0', VIP]);
    assert.equal(arpMACs(out), [], out);
    const c = await counters(owner);
    assert.ok(c.dropped.notOurs >= 1, JSON.stringify(c.dropped));
    assert.is(c.responsesSent[VIP], 3, 'replies counted before the withdrawal are kept');
  });

  test('ownership moving to the other node moves the kernel\'s answers with it', async () => {
    await other.call('set', { ips: { [VIP]: {} } });
    const out = run('arping', ['-c', '2', '-w', '3', '-I', 'eth0', VIP]);
    assert.equal(arpMACs(out), Array(2).fill(lan.nodes[1]!.mac), out);
    await other.call('set', { ips: {} });
  });

  test('ndisc6 resolves an IPv6 address answered in the kernel to the owner\'s MAC only', async () => {
    await owner.call('set', { ips: { [VIP6]: {} } });
    const out = run('ndisc6', ['-r', '3', '-w', '500', VIP6, 'eth0']);
    const macs = ndpMACs(out);
    assert.ok(macs.length >= 1, out);
    assert.ok(macs.every((m) => m === lan.nodes[0]!.mac), out);
    const c = await counters(owner);
    assert.ok((c.responsesSent[VIP6] ?? 0) >= 1);
    assert.is(c.responsesSent[VIP6], c.requestsReceived[VIP6]);
  });

  test('frames the kernel leaves alone reach user space: gratuitous and truncated requests are counted', async () => {
    await owner.call('set', { ips: { [VIP]: {} } });
    const before = (await counters(owner)).dropped;
    const client = Buffer.from(lan.clientMac.replace(/:/g, ''), 'hex');
    const garp = gratuitousARP(Buffer.from([192, 0, 2, 150]), client, ArpOperation.Request);
    const truncated = garp.subarray(0, 30);
    const out = JSON.parse(lan.client.exec(process.execPath, ['--import', 'tsx', prober, 'inject', 'eth0', garp.toString('hex'), truncated.toString('hex')], 20_000));
    assert.is(out.sent, 2);
    await waitFor('user space to count both', async () => {
      const d = (await counters(owner)).dropped;
      // At least: other chatter on the LAN may add to these counts, never take from them.
      return d.notRequest > before.notRequest && d.malformed > before.malformed ? true : undefined;
    }, 3_000);
  });

  test('an interface restriction keeps the row out of the kernel: wrongInterface in user space, no reply', async () => {
    const before = (await counters(owner)).dropped.wrongInterface;
    await owner.call('set', { ips: { [VIP]: { interfaces: ['eth9'] } } });
    const out = run('arping', ['-c', '1', '-w', '2', '-I', 'eth0', VIP]);
    assert.equal(arpMACs(out), [], out);
    assert.is((await counters(owner)).dropped.wrongInterface, before + 1);
  });

  test('a killed speaker leaves no responder behind: its tcx link goes with the process', async () => {
    await owner.call('set', { ips: { [VIP]: {} } });
    assert.equal(arpMACs(run('arping', ['-c', '1', '-w', '2', '-I', 'eth0', VIP])), [lan.nodes[0]!.mac]);
    owner.child.kill('SIGKILL');
    await waitFor('runner exit', () => (owner.child.exitCode !== null || owner.child.signalCode !== null ? true : undefined), 3_000);
    const out = run('arping', ['-c', '2', '-w', '3', '-I', 'eth0', VIP]);
    assert.equal(arpMACs(out), [], out);
  });

  test('an interface the kernel refuses is reported once and left to user space; it is retried when it comes back', () => {
    const refused: [number, string][] = [];
    const failures: Error[] = [];
    const fp = KernelResponder.create({ onFailure: (e) => failures.push(e), onInterfaceRefused: (i, e) => refused.push([i, String(e)]) });
    const row = { ifindex: 999_999, mac: Buffer.alloc(6, 2), bytes: Buffer.from([192, 0, 2, 9]), ip: '192.0.2.9' };
    // No such interface: the tcx attach fails (ENODEV) and no row is written for it.
    fp.sync([999_999], [row]);
    fp.sync([999_999], [row]);
    assert.equal(refused.map(([i]) => i), [999_999], 'reported once, not on every sync');
    assert.match(refused[0]![1], /tcx attach ifindex 999999/);
    assert.not.ok(fp.active());
    assert.equal([...fp.answered()], []);
    fp.sync([], []); // the interface went away
    fp.sync([999_999], [row]); // and came back: tried again
    assert.is(refused.length, 2);
    assert.equal(failures, [], 'the fast path itself stays on');
    fp.close();
  });
}

test.run();
