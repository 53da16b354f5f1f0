// Real NDP on a bridged test LAN: the client resolves an announced IPv6 address with the kernel
// (ping -6, ip -6 neigh) and with ndisc6; ownership moves flip its entry through the unsolicited NA.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { L2Lan, l2LabAvailable, type Runner } from '../../support/l2-lab.js';
import { waitFor } from '../../support/netns.js';
import { fileURLToPath } from 'node:url';
import { parseMAC } from '../../../src/wire/ethernet.js';
import { neighborSolicitation } from '../../../src/wire/ndp.js';

const prober = fileURLToPath(new URL('../../support/l2-prober.ts', import.meta.url));

const VIP6 = '2001:db8::100';
const GROUP = '33:33:ff:00:01:00'; // solicited-node multicast MAC of 2001:db8::100
const GROUP6 = 'ff02::1:ff00:100'; // its solicited-node group
const can = l2LabAvailable(['ndisc6', 'ping']);

let lan: L2Lan;
let r1: Runner;
let r2: Runner;

/** ndisc6 asks for VIP6 and returns every link-layer address that answered. */
function ndisc6(): { ok: boolean; macs: string[]; out: string } {
  let out = '';
  let ok = true;
  try {
    out = lan.client.exec('ndisc6', ['-m', '-r', '2', '-w', '800', VIP6, 'eth0'], 15_000);
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '');
    ok = false;
  }
  return { ok, out, macs: [...out.matchAll(/Target link-layer address: ([0-9A-Fa-f:]{17})/g)].map((m) => m[1]!.toLowerCase()) };
}

/** inet6Groups lists the IPv6-level memberships of eth0 (these are what MLD reports announce). */
function inet6Groups(i: number): string[] {
  const out = lan.nodes[i]!.ns.exec('ip', ['-6', 'maddr', 'show', 'dev', 'eth0']);
  return [...out.matchAll(/inet6\s+([0-9a-f:]+)/g)].map((m) => m[1]!);
}

/** linkGroups lists the link-layer multicast memberships of eth0 in a node namespace. */
function linkGroups(i: number): string[] {
  const out = lan.nodes[i]!.ns.exec('ip', ['maddr', 'show', 'dev', 'eth0']);
  return [...out.matchAll(/link\s+([0-9a-f:]{17})/g)].map((m) => m[1]!);
}

if (!can.ok) {
  console.log(`  skip integration/l2/ndp: ${can.why}`);
  test.skip('NDP on a real LAN (needs root, iproute2, ndisc6 and ping)', () => {});
} else {
  test.before(async () => {
    lan = new L2Lan('lbl2n', { nodes: 2 });
    process.once('exit', () => lan.cleanup());
    [r1, r2] = await Promise.all([lan.startAnnouncer(lan.nodes[0]!), lan.startAnnouncer(lan.nodes[1]!)]);
  });
  test.after(() => {
    r1?.stop();
    r2?.stop();
    lan?.cleanup();
  });

  test('owning an IPv6 address joins its solicited-node group on the interface; the other node does not', async () => {
    await r1.call('set', { ips: { [VIP6]: {} } });
    assert.ok(linkGroups(0).includes(GROUP), linkGroups(0).join(' '));
    assert.not.ok(linkGroups(1).includes(GROUP));
    // The IPv6-level join (so switches with MLD snooping hear a report) completes asynchronously.
    await waitFor('IPv6 group join', () => (inet6Groups(0).includes(GROUP6) ? true : undefined), 3_000);
    assert.not.ok(inet6Groups(1).includes(GROUP6));
  });

  test('ping -6 makes the client kernel resolve the address to the owner\'s MAC (ip -6 neigh)', async () => {
    try { lan.client.exec('ping', ['-6', '-c', '1', '-W', '1', VIP6]); } catch { /* no echo server; only the neighbour entry matters */ }
    const n = await waitFor('neighbour entry', () => lan.neigh(VIP6)?.mac, 3_000);
    assert.is(n, lan.nodes[0]!.mac);
  });

  test('ndisc6 resolves the address to the owner\'s MAC and hears nobody else', async () => {
    const res = ndisc6();
    assert.ok(res.ok, res.out);
    assert.ok(res.macs.length >= 1, res.out);
    assert.ok(res.macs.every((m) => m === lan.nodes[0]!.mac), res.out);
    const c2 = await r2.call('counters');
    assert.equal(c2.responsesSent, {});
  });

  test('when ownership moves the client\'s entry flips to the new MAC from the unsolicited NA alone', async () => {
    const asked = (await r2.call('counters')).requestsReceived[VIP6] ?? 0;
    await r1.call('set', { ips: {} });
    await r2.call('set', { ips: { [VIP6]: {} } });
    await waitFor('entry to flip', () => (lan.neigh(VIP6)?.mac === lan.nodes[1]!.mac ? true : undefined), 3_000);
    assert.is((await r2.call('counters')).requestsReceived[VIP6] ?? 0, asked, 'the client sent the new owner no solicitation');
    assert.ok((await r2.call('counters')).gratuitousSent[VIP6] >= 1);
  });

  test('losing the address leaves the solicited-node group; the new owner holds it', async () => {
    assert.not.ok(linkGroups(0).includes(GROUP), 'old owner left the group');
    assert.ok(linkGroups(1).includes(GROUP));
    assert.not.ok(inet6Groups(0).includes(GROUP6), 'old owner left the IPv6 group');
    assert.ok(inet6Groups(1).includes(GROUP6));
  });

  test('malformed solicitations pass the socket filter, are counted as malformed and never stop the responder', async () => {
    const ns = neighborSolicitation(Buffer.from('20010db8000000000000000000000100', 'hex'), Buffer.from('20010db8000000000000000000000002', 'hex'), parseMAC(lan.clientMac));
    const corrupt = (at: number, v: number) => {
      const b = Buffer.from(ns);
      b[at] = v;
      return b;
    };
    const bad = [
      corrupt(14 + 7, 64), //         hop limit 64: crossed a router (RFC 4861 §7.1.1)
      corrupt(54 + 2, ns[56]! ^ 0xff), // broken checksum
      corrupt(54 + 25, 0), //         source link-layer option of length 0
      corrupt(54 + 1, 7), //          ICMPv6 code 7
    ];
    const before = (await r2.call('counters')).dropped.malformed;
    const out = JSON.parse(lan.client.exec(process.execPath, ['--import', 'tsx', prober, 'inject', 'eth0', ...bad.map((b) => b.toString('hex'))], 20_000));
    assert.is(out.sent, bad.length);
    await waitFor('malformed counter', async () => ((await r2.call('counters')).dropped.malformed >= before + bad.length ? true : undefined), 3_000);
    const res = ndisc6();
    assert.ok(res.macs.length >= 1 && res.macs.every((m) => m === lan.nodes[1]!.mac), res.out);
  });

  test('two addresses sharing a solicited-node group hold it together: the group goes only with the last', async () => {
    const other = '2001:db8:1::100'; // same low 24 bits as VIP6, so the same ff02::1:ff00:100 group
    await r2.call('set', { ips: { [VIP6]: {}, [other]: {} } });
    await r2.call('set', { ips: { [other]: {} } });
    assert.ok(linkGroups(1).includes(GROUP), 'still joined for the remaining address');
    assert.ok(inet6Groups(1).includes(GROUP6));
    await r2.call('set', { ips: {} });
    await waitFor('group to be left', () => (!linkGroups(1).includes(GROUP) && !inet6Groups(1).includes(GROUP6) ? true : undefined), 3_000);
    await r2.call('set', { ips: { [VIP6]: {} } }); // back to the state the next test expects
  });

  test('with no owner nobody answers: ndisc6 gets no response', async () => {
    await r2.call('set', { ips: {} });
    const res = ndisc6();
    assert.not.ok(res.ok);
    assert.equal(res.macs, []);
    const drops = (await r1.call('counters')).dropped.notOurs + (await r2.call('counters')).dropped.notOurs;
    assert.ok(drops >= 1, 'the solicitations were seen and dropped as not ours');
  });
}

test.run();
