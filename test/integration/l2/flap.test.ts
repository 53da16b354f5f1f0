// A link flap between two interface scans: the kernel reports ENETDOWN on the packet socket once.
// Both readers must keep answering afterwards without any rescan (the periodic rescan is off here).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { L2Lan, l2LabAvailable } from '../../support/l2-lab.js';

const VIP = '192.0.2.130';
const can = l2LabAvailable(['arping']);

function replies(lan: L2Lan): number {
  let out = '';
  try {
    out = lan.client.exec('arping', ['-c', '2', '-w', '3', '-I', 'eth0', VIP], 15_000);
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '');
  }
  return Number(/Received (\d+) response/.exec(out)?.[1] ?? 0);
}

if (!can.ok) {
  console.log(`  skip integration/l2/flap: ${can.why}`);
  test.skip('link flap (needs root, iproute2 and arping)', () => {});
} else {
  for (const reader of ['stream', 'poll', 'worker']) {
    test(`${reader} reader: still answering after the link goes down and up between scans`, async () => {
      const lan = new L2Lan('lbl2l', { nodes: 1 });
      try {
        const r = await lan.startAnnouncer(lan.nodes[0]!, { L2_READER: reader, L2_RESCAN_MS: '0' });
        await r.call('set', { ips: { [VIP]: {} } });
        assert.is(replies(lan), 2, 'answers before the flap');
        lan.nodes[0]!.ns.exec('ip', ['link', 'set', 'eth0', 'down']);
        lan.nodes[0]!.ns.exec('ip', ['link', 'set', 'eth0', 'up']);
        await new Promise((res) => setTimeout(res, 300));
        assert.is(replies(lan), 2, 'answers after the flap');
        r.stop();
      } finally {
        lan.cleanup();
      }
    });
  }
}

test.run();
