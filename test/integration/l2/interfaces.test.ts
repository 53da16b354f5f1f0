// Interface handling on a real node: a speaker with two interfaces on the same LAN, L2Advertisement
// interface restrictions, and the periodic rescan reacting to links going down, up and enslaved.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { L2Lan, l2LabAvailable, type Runner } from '../../support/l2-lab.js';
import { waitFor } from '../../support/netns.js';

const VIP = '192.0.2.120';
const ETH1_MAC = '02:00:00:00:00:21';
const can = l2LabAvailable(['arping']);

let lan: L2Lan;
let r: Runner;

function arpingMacs(): string[] {
  let out = '';
  try {
    out = lan.client.exec('arping', ['-b', '-c', '2', '-w', '3', '-I', 'eth0', VIP], 15_000);
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '');
  }
  return [...out.matchAll(/reply from \S+ \[([0-9A-Fa-f:]{17})\]/g)].map((m) => m[1]!.toLowerCase());
}

const node = () => lan.nodes[0]!.ns;

if (!can.ok) {
  console.log(`  skip integration/l2/interfaces: ${can.why}`);
  test.skip('interfaces on a real node (needs root, iproute2 and arping)', () => {});
} else {
  test.before(async () => {
    lan = new L2Lan('lbl2i', { nodes: 1, secondPort: true });
    process.once('exit', () => lan.cleanup());
    r = await lan.startAnnouncer(lan.nodes[0]!, { L2_RESCAN_MS: '300' });
  });
  test.after(() => {
    r?.stop();
    lan?.cleanup();
  });

  test('both Ethernet interfaces get ARP and NDP responders; loopback gets none', async () => {
    assert.equal(await r.call('responding'), { arp: ['eth0', 'eth1'], ndp: ['eth0', 'eth1'] });
  });

  test('an IP restricted to eth1 is answered only from eth1\'s MAC; eth0 counts the request as wrongInterface', async () => {
    const st = await r.call('set', { ips: { [VIP]: { interfaces: ['eth1'] } } });
    assert.equal(st.statuses[0].interfaces, ['eth1']);
    const before = (await r.call('counters')).dropped.wrongInterface;
    const macs = arpingMacs();
    assert.ok(macs.length >= 1, 'answered');
    assert.ok(macs.every((m) => m === ETH1_MAC), macs.join(' '));
    assert.ok((await r.call('counters')).dropped.wrongInterface > before);
  });

  test('an IP restricted to an interface the node lacks is reported noInterface and not answered', async () => {
    const st = await r.call('set', { ips: { [VIP]: { interfaces: ['ens9'] } } });
    assert.equal(st.statuses, [{ ip: VIP, status: 'noInterface', interfaces: [] }]);
    assert.equal(arpingMacs(), []);
  });

  test('the periodic rescan closes the responder of a link that goes down and reopens it when it comes back', async () => {
    node().exec('ip', ['link', 'set', 'eth1', 'down']);
    await waitFor('eth1 to be dropped', async () => ((await r.call('responding')).arp.includes('eth1') ? undefined : true), 3_000);
    node().exec('ip', ['link', 'set', 'eth1', 'up']);
    await waitFor('eth1 to return', async () => ((await r.call('responding')).arp.includes('eth1') ? true : undefined), 3_000);
  });

  test('an interface enslaved to a bridge is skipped and the bridge answers instead', async () => {
    node().exec('ip', ['link', 'add', 'brx', 'type', 'bridge']);
    node().exec('sysctl', ['-qw', 'net.ipv6.conf.brx.accept_dad=0']);
    node().exec('ip', ['link', 'set', 'eth1', 'master', 'brx']);
    node().exec('ip', ['link', 'set', 'brx', 'up']);
    const got = await waitFor('rescan to see the bridge', async () => {
      const x = await r.call('responding');
      return x.arp.includes('brx') && !x.arp.includes('eth1') ? x : undefined;
    }, 3_000);
    assert.equal(got.arp, ['brx', 'eth0']);
  });
}

test.run();
