// The real AF_PACKET PacketIO (both readers) on the loopback interface: a frame sent on one
// connection arrives on another, multicast membership calls succeed, close stops delivery.
// Only loopback is touched; frames use EtherType ARP with 192.0.2.0/24 addresses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { packetIO, type Reader } from '../../../src/sys/packet-socket.js';
import { ArpOperation, decodeARPFrame, gratuitousARP } from '../../../src/wire/arp.js';
import { parseMAC } from '../../../src/wire/ethernet.js';
import { waitFor } from '../../support/netns.js';

const root = process.getuid?.() === 0;
const loIndex = (() => {
  try {
    return Number(readFileSync('/sys/class/net/lo/ifindex', 'utf8'));
  } catch {
    return 0;
  }
})();
const lo = { name: 'lo', index: loIndex };
const mac = parseMAC('02:00:00:00:00:99');

if (!root || !loIndex) {
  console.log('  skip integration/l2/packet-socket: needs root (CAP_NET_RAW) and /sys/class/net/lo');
  test.skip('AF_PACKET sockets on loopback', () => {});
} else {
  for (const reader of ['poll', 'stream'] as Reader[]) {
    test(`${reader} reader: a frame sent on one connection is received whole by another`, async () => {
      const io = packetIO({ reader });
      const got: Buffer[] = [];
      const a = io.open(lo, 'arp', () => {});
      const b = io.open(lo, 'arp', (f) => got.push(f));
      try {
        const ip = Buffer.from([192, 0, 2, 250 + (reader === 'poll' ? 0 : 1)]);
        for (let i = 0; i < 5; i++) a.send(gratuitousARP(ip, mac, ArpOperation.Request));
        const mine = () => got.filter((f) => {
          try {
            return decodeARPFrame(f).arp.senderIP.equals(ip);
          } catch {
            return false;
          }
        });
        await waitFor('five frames', () => (mine().length >= 5 ? true : undefined), 3_000, 10);
        assert.ok(mine().every((f) => f.length === 60), 'one frame per delivery, never coalesced');
      } finally {
        a.close();
        b.close();
        io.stop();
      }
    });

    test(`${reader} reader: joining and leaving a multicast group succeed; closed connections refuse to send`, () => {
      const io = packetIO({ reader });
      const c = io.open(lo, 'ndp', () => {});
      const group = parseMAC('33:33:ff:00:02:fa');
      c.joinGroup(group);
      c.leaveGroup(group);
      c.close();
      c.close();
      assert.throws(() => c.send(Buffer.alloc(60)), (e: { code?: string }) => e.code === 'sys.send');
      io.stop();
    });
  }

  test('opening on an interface index that does not exist fails with a typed error naming the call', () => {
    const io = packetIO();
    try {
      io.open({ name: 'nope', index: 999_999 }, 'arp', () => {});
      assert.unreachable('should throw');
    } catch (e) {
      assert.is((e as { code?: string }).code, 'sys.bind');
      assert.match(String((e as Error).message), /ifindex 999999/);
    } finally {
      io.stop();
    }
  });
}

test.run();
