// Malformed input from a peer: a raw TCP peer sends broken messages to our speaker (a separate
// process), which must answer with the right NOTIFICATION, reconnect, and keep running. A bounded
// fuzz round then throws random bytes at an in-process session.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Lab, waitFor } from '../../support/netns.js';
import { FakeClock, RawPeer, type PeerConn } from '../../support/bgp-fake.js';
import { SpeakerProc, makePeer } from '../../support/speaker-proc.js';
import { BgpSession } from '../../../src/speaker/bgp/session.js';
import { dialBgp } from '../../../src/sys/bgp-dial.js';
import { createLogger } from '../../../src/log.js';
import { KEEPALIVE, buildOpen, encodeOpen } from '../../../src/wire/bgp/index.js';

const marker = 'ffffffffffffffffffffffffffffffff';
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const peerOpen = () => encodeOpen(buildOpen({ asn: 64513, holdTime: 90, routerId: '192.0.2.99', families: [{ afi: 1, safi: 1 }, { afi: 2, safi: 1 }] }));

function notification(c: PeerConn): string | undefined {
  const m = c.messages.find((x) => x.kind === 'notification');
  return m?.kind === 'notification' ? `${m.notification.code}/${m.notification.subcode} ${m.notification.data.toString('hex')}`.trim() : undefined;
}

const cases: { name: string; bytes: Buffer; want: string; beforeOpen?: boolean }[] = [
  { name: 'a bad marker gets Connection Not Synchronized', bytes: hex(`ffffffffffffffffffff000000000000 0013 04`), want: '1/1' },
  { name: 'a length above 4096 gets Bad Message Length with the length', bytes: hex(`${marker} 1388 02 0000 0000`), want: '1/2 1388' },
  { name: 'a length below 19 gets Bad Message Length', bytes: hex(`${marker} 0010 04`), want: '1/2 0010' },
  { name: 'an unknown message type gets Bad Message Type with the type', bytes: hex(`${marker} 0013 09`), want: '1/3 09' },
  { name: 'a truncated attribute gets Malformed Attribute List', bytes: hex(`${marker} 001e 02 0000 0007 40 01 01 00 40 02 09 02`), want: '3/1' },
  { name: 'an invalid ORIGIN gets Invalid ORIGIN Attribute', bytes: hex(`${marker} 001b 02 0000 0004 40 01 01 07`), want: '3/6 40010107' },
  { name: 'an OPEN on an established session gets a Finite State Machine Error', bytes: peerOpen(), want: '5/3' },
  { name: 'an OPEN of BGP version 3 gets Unsupported Version Number', bytes: (() => { const b = peerOpen(); b[19] = 3; return b; })(), want: '2/1 0004', beforeOpen: true },
];

let lab: Lab | undefined;
let peer: RawPeer | undefined;
let speaker: SpeakerProc | undefined;
let used = 0;

test.before(async () => {
  lab = new Lab('lbbgp');
  peer = new RawPeer();
  await peer.listen();
  speaker = await SpeakerProc.start(lab, undefined);
  await speaker.setPeers([makePeer({ name: 'raw', peerAddress: '127.0.0.1', peerPort: peer.port, myASN: 64512, peerASN: 64513 })]);
});
test.after(async () => {
  await speaker?.stop();
  await peer?.close();
  lab?.cleanup();
});

for (const c of cases) {
  test(`malformed input: ${c.name}, and the speaker keeps running`, async () => {
    const conn = await waitFor('a new connection', () => peer!.conns[used], 10_000, 10);
    used++;
    await waitFor('our OPEN', () => (conn.messages.length >= 1 ? true : undefined), 5_000, 5);
    if (!c.beforeOpen) {
      const ups = speaker!.upCount('raw');
      conn.socket.write(Buffer.concat([peerOpen(), KEEPALIVE]));
      await waitFor('established', () => (speaker!.upCount('raw') > ups ? true : undefined), 5_000, 5);
    }
    conn.socket.write(c.bytes);
    const got = await waitFor('NOTIFICATION', () => notification(conn), 5_000, 5);
    assert.is(got, c.want);
    await waitFor('the speaker closes the connection', () => (conn.closed ? true : undefined), 5_000, 10);
    assert.is(speaker!.exited, false);
    const st = await speaker!.status();
    assert.is((st.sessions as { up: boolean }[])[0]?.up, false);
  });
}

test('random bytes after Established never crash a session: it answers with a NOTIFICATION or waits for more', async () => {
  const raw = new RawPeer();
  await raw.listen();
  const clock = new FakeClock();
  const session = new BgpSession({
    name: 'fuzz', peerAddress: '127.0.0.1', peerPort: raw.port, myASN: 64512, peerASN: 64513, holdTime: 90, keepaliveTime: 0,
    connectTimeoutMs: 2000, openWaitMs: 240_000,
  }, { clock, dial: dialBgp, log: createLogger('test', 'silent') });
  const samples = fc.sample(fc.tuple(fc.boolean(), fc.uint8Array({ minLength: 1, maxLength: 120 })), { numRuns: 25, seed: 42 });
  let notified = 0;
  try {
    session.start();
    for (const [withMarker, body] of samples) {
      const conn = await waitFor('connection', () => (raw.last() && !raw.last()!.closed ? raw.last() : undefined), 3_000, 5);
      await waitFor('our OPEN', () => (conn.messages.length ? true : undefined), 3_000, 5);
      conn.socket.write(Buffer.concat([peerOpen(), KEEPALIVE]));
      await waitFor('established', () => (session.status().up ? true : undefined), 3_000, 5);
      conn.socket.write(withMarker ? Buffer.concat([Buffer.alloc(16, 0xff), body]) : Buffer.from(body));
      await new Promise((r) => setTimeout(r, 30));
      if (notification(conn)) notified++;
      else assert.ok(session.status().up || conn.closed, 'without a NOTIFICATION the session is still up');
      conn.socket.destroy();
      await waitFor('down', () => (!session.status().up ? true : undefined), 3_000, 5);
      clock.advance(200_000);
    }
    assert.ok(notified > 0, 'some samples were malformed');
  } finally {
    await session.stop();
    await raw.close();
  }
});

test.run();
