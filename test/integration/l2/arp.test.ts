// Real ARP on a bridged test LAN: two speaker nodes running the announcer and a client using the
// kernel and iputils arping. Namespaces are prefixed lbl2 and removed even when a test fails.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { L2Lan, l2LabAvailable, type Runner } from '../../support/l2-lab.js';
import { hasCommand } from '../../support/netns.js';
import { waitFor } from '../../support/netns.js';
import { ArpOperation, encodeARPFrame } from '../../../src/wire/arp.js';
import { BROADCAST_MAC, parseMAC } from '../../../src/wire/ethernet.js';

const VIP = '192.0.2.100';
const can = l2LabAvailable(['arping']);
const prober = fileURLToPath(new URL('../../support/l2-prober.ts', import.meta.url));

let lan: L2Lan;
let r1: Runner;
let r2: Runner;

/** arping runs iputils arping in the client and returns its output and exit status. */
function arping(count: number): { out: string; ok: boolean; macs: string[] } {
  try {
    const out = lan.client.exec('arping', ['-c', String(count), '-w', String(count + 1), '-I', 'eth0', VIP], 15_000);
    return { out, ok: true, macs: macsOf(out) };
  } catch (e) {
    const out = String((e as { stdout?: string }).stdout ?? '');
    return { out, ok: false, macs: macsOf(out) };
  }
}
function macsOf(out: string): string[] {
  return [...out.matchAll(/reply from \S+ \[([0-9A-Fa-f:]{17})\]/g)].map((m) => m[1]!.toLowerCase());
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!can.ok) {
  console.log(`  skip integration/l2/arp: ${can.why}`);
  test.skip('ARP on a real LAN (needs root, iproute2 and arping)', () => {});
} else {
  test.before(async () => {
    lan = new L2Lan('lbl2a', { nodes: 2 });
    process.once('exit', () => lan.cleanup());
    [r1, r2] = await Promise.all([lan.startAnnouncer(lan.nodes[0]!), lan.startAnnouncer(lan.nodes[1]!)]);
  });
  test.after(() => {
    r1?.stop();
    r2?.stop();
    lan?.cleanup();
  });

  test('arping from the client gets every reply from the owner\'s MAC and none from the other node', async () => {
    const st = await r1.call('set', { ips: { [VIP]: {} } });
    assert.equal(st.statuses, [{ ip: VIP, status: 'announced', interfaces: ['eth0'] }]);
    const res = arping(3);
    assert.ok(res.ok, res.out);
    assert.equal(res.macs, Array(3).fill(lan.nodes[0]!.mac), res.out);
    const c2 = await r2.call('counters');
    assert.equal(c2.responsesSent, {}, 'the non-owner sent no reply');
    // arping broadcasts only its first request and unicasts the rest to the owner, so the other
    // node sees (and drops) just that one.
    assert.ok(c2.dropped.notOurs >= 1, `non-owner counted its drops: ${JSON.stringify(c2.dropped)}`);
    const c1 = await r1.call('counters');
    assert.ok(c1.requestsReceived[VIP] >= 3 && c1.responsesSent[VIP] >= 3, JSON.stringify(c1));
  });

  test('with no owner nobody answers: arping gets no reply at all', async () => {
    await r1.call('set', { ips: {} });
    const res = arping(2);
    assert.not.ok(res.ok, 'arping must fail');
    assert.equal(res.macs, []);
  });

  test('when ownership moves the client\'s entry flips to the new MAC from the gratuitous ARP alone', async () => {
    await r1.call('set', { ips: { [VIP]: {} } });
    try { lan.client.exec('ping', ['-c', '1', '-W', '1', VIP]); } catch { /* nobody echoes: we only want the ARP entry */ }
    assert.is(lan.neigh(VIP)?.mac, lan.nodes[0]!.mac, 'the client resolved the first owner');
    const asked = (await r2.call('counters')).requestsReceived[VIP] ?? 0;
    await r1.call('set', { ips: {} });
    await r2.call('set', { ips: { [VIP]: {} } });
    const moved = await waitFor('neighbour entry to flip', () => (lan.neigh(VIP)?.mac === lan.nodes[1]!.mac ? true : undefined), 3_000);
    assert.ok(moved);
    assert.is((await r2.call('counters')).requestsReceived[VIP] ?? 0, asked, 'the client never asked the new owner');
    assert.ok((await r2.call('counters')).gratuitousSent[VIP] >= 1);
    assert.ok((await r1.call('counters')).dropped.notRequest >= 1, 'the old owner saw the new owner\'s gratuitous ARP and ignored it');
  });

  test('gratuitous ARP creates a missing entry only with arp_accept=1 (with 0 it only updates existing ones)', async () => {
    await r2.call('set', { ips: {} });
    lan.client.exec('ip', ['neigh', 'flush', 'dev', 'eth0']);
    lan.client.exec('sysctl', ['-qw', 'net.ipv4.conf.eth0.arp_accept=0']);
    await r1.call('set', { ips: { [VIP]: {} } });
    await sleep(1_500);
    assert.is(lan.neigh(VIP)?.mac, undefined, 'arp_accept=0: no entry created');
    await r1.call('set', { ips: {} });
    lan.client.exec('sysctl', ['-qw', 'net.ipv4.conf.eth0.arp_accept=1']);
    await r2.call('set', { ips: { [VIP]: {} } });
    await waitFor('entry created by gratuitous ARP', () => (lan.neigh(VIP)?.mac === lan.nodes[1]!.mac ? true : undefined), 3_000);
    lan.client.exec('sysctl', ['-qw', 'net.ipv4.conf.eth0.arp_accept=0']);
  });

  test('the burst on the wire: rounds at 0, 1.1, 2.2, 3.3, 4.4 s; a withdrawn IP stops at once', async () => {
    if (!hasCommand('tcpdump')) return console.log('  (skip) tcpdump is not installed');
    const [kept, dropped] = ['192.0.2.141', '192.0.2.142'];
    await r2.call('set', { ips: {} });
    const dump = lan.lab.track(spawn('ip', ['netns', 'exec', lan.client.name, 'timeout', '7', 'tcpdump', '-i', 'eth0', '-n', '-l', '-tt', 'arp'], { stdio: ['ignore', 'pipe', 'ignore'] }));
    let text = '';
    dump.stdout!.on('data', (b) => (text += b));
    await sleep(1_000); // tcpdump needs a moment to attach
    await r1.call('set', { ips: { [VIP]: {}, [kept]: {}, [dropped]: {} } });
    await sleep(2_600);
    await r1.call('set', { ips: { [VIP]: {}, [kept]: {} } });
    await new Promise((res) => dump.once('exit', res));
    const times = (ip: string) => text.split('\n')
      .filter((l) => new RegExp(`Request who-has ${ip.replaceAll('.', '\\.')} \\(ff:ff:ff:ff:ff:ff\\) tell ${ip.replaceAll('.', '\\.')},`).test(l))
      .map((l) => Number(l.split(' ')[0]));
    const k = times(kept);
    assert.is(k.length, 5, text);
    k.slice(1).forEach((t, i) => {
      const gap = t - k[i]!;
      assert.ok(gap > 0.9 && gap < 1.5, `gap ${gap.toFixed(3)} s between rounds`);
    });
    assert.is(times(dropped).length, 3, 'rounds at 0, 1.1 and 2.2 s, then nothing after the withdrawal at 2.6 s');
  });

  test('malformed frames are counted as malformed and never stop the responder', async () => {
    await r2.call('set', { ips: {} });
    await r1.call('set', { ips: { [VIP]: {} } });
    const client = parseMAC(lan.clientMac);
    const good = encodeARPFrame({
      ethDst: BROADCAST_MAC, ethSrc: client,
      arp: { operation: ArpOperation.Request, senderMAC: client, senderIP: Buffer.from([192, 0, 2, 2]), targetMAC: Buffer.alloc(6), targetIP: Buffer.from([192, 0, 2, 100]) },
    });
    // Frames shorter than 60 bytes never cross the bridge (runts are dropped, as on real switches),
    // so truncation is covered by the unit tests; these are full-size but wrong inside.
    const bad = [
      Buffer.concat([good.subarray(0, 14), Buffer.from([0x00, 0x06]), good.subarray(16)]), // htype 6 (IEEE 802)
      Buffer.concat([good.subarray(0, 18), Buffer.from([0x08, 0x04]), good.subarray(20)]), // hlen 8
      Buffer.concat([good.subarray(0, 16), Buffer.from([0x86, 0xdd]), good.subarray(18)]), // ptype IPv6
      Buffer.concat([good.subarray(0, 14), Buffer.alloc(46, 0xff)]), // noise
    ];
    const before = (await r1.call('counters')).dropped.malformed;
    const out = JSON.parse(lan.client.exec(process.execPath, ['--import', 'tsx', prober, 'inject', 'eth0', ...bad.map((b) => b.toString('hex'))], 20_000));
    assert.is(out.sent, bad.length);
    await waitFor('malformed counter', async () => ((await r1.call('counters')).dropped.malformed >= before + bad.length ? true : undefined), 3_000);
    const res = arping(1);
    assert.equal(res.macs, [lan.nodes[0]!.mac], 'still answering after the garbage');
    assert.is(r1.child.exitCode, null, 'the runner is alive');
  });
}

test.run();
