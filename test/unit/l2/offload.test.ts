// An IO that answers off the main thread (the 'worker' reader) gets the announced table from the
// announcer on every change and reports one outcome per frame; the announcer turns outcomes into the
// same counters as frames it decides itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Layer2Announcer } from '../../../src/speaker/l2/announcer.js';
import type { FrameKind, FrameOutcome, PacketConn, PacketIO, PublishedIP } from '../../../src/speaker/l2/types.js';
import { createLogger } from '../../../src/log.js';
import { FakeConn, ManualClock, iface } from './fakes.js';

/** OffloadIO records what an off-thread answerer would be told, and lets a test report outcomes. */
class OffloadIO implements PacketIO {
  tables: PublishedIP[][] = [];
  opened: { name: string; kind: FrameKind; mac?: string; report: (o: FrameOutcome) => void }[] = [];
  frames = 0;
  open(i: { name: string; index: number; mac?: Buffer }, kind: FrameKind, _onFrame: (f: Buffer) => void, onOutcome?: (o: FrameOutcome) => void): PacketConn {
    this.opened.push({ name: i.name, kind, mac: i.mac?.toString('hex'), report: onOutcome ?? (() => assert.unreachable('no onOutcome')) });
    return new FakeConn(i.name, i.index, kind, () => this.frames++);
  }
  publish(entries: readonly PublishedIP[]): void {
    this.tables.push([...entries]);
  }
  report(name: string, kind: FrameKind, o: FrameOutcome): void {
    this.opened.find((x) => x.name === name && x.kind === kind)!.report(o);
  }
}

function setup() {
  const io = new OffloadIO();
  const l2 = new Layer2Announcer({ io, clock: new ManualClock(), rescanMs: 0, logger: createLogger('test', 'silent'), scan: () => [iface('eth0', 2, '02:00:00:00:00:11'), iface('eth1', 3, '02:00:00:00:00:12')] });
  l2.start();
  return { io, l2 };
}

test('the answerer is given each interface MAC and an outcome callback for both kinds', () => {
  const { io } = setup();
  assert.equal(io.opened.map((o) => `${o.name}/${o.kind}/${o.mac}`).sort(), ['eth0/arp/020000000011', 'eth0/ndp/020000000011', 'eth1/arp/020000000012', 'eth1/ndp/020000000012']);
});

test('every change of the owned set publishes the whole table: canonical IP, address bytes, interfaces', () => {
  const { io, l2 } = setup();
  l2.setAnnouncements({ '192.0.2.100': {}, '2001:DB8::0100': { interfaces: ['eth1'] } });
  assert.equal(io.tables.at(-1), [
    { ip: '192.0.2.100', hex: 'c0000264' },
    { ip: '2001:db8::100', hex: '20010db8000000000000000000000100', interfaces: ['eth1'] },
  ]);
  l2.setAnnouncements({ '2001:db8::100': {} });
  assert.equal(io.tables.at(-1), [{ ip: '2001:db8::100', hex: '20010db8000000000000000000000100' }], 'withdrawn IP gone, interface restriction lifted');
  l2.setAnnouncements({});
  assert.equal(io.tables.at(-1), [], 'nothing owned: empty table');
});

const cases: { name: string; outcomes: FrameOutcome[]; requests: Record<string, number>; responses: Record<string, number>; dropped: Record<string, number>; sendErrors: number }[] = [
  { name: 'a sent reply counts a request and a response for its IP', outcomes: [{ action: 'reply', ip: '192.0.2.100', sent: true }], requests: { '192.0.2.100': 1 }, responses: { '192.0.2.100': 1 }, dropped: {}, sendErrors: 0 },
  { name: 'a reply the kernel refused counts a request and a send error, no response', outcomes: [{ action: 'reply', ip: '192.0.2.100', sent: false, error: 'send errno 105' }], requests: { '192.0.2.100': 1 }, responses: {}, dropped: {}, sendErrors: 1 },
  {
    name: 'drops are counted by their reason',
    outcomes: [{ action: 'drop', reason: 'notOurs', detail: 'x' }, { action: 'drop', reason: 'notOurs', detail: 'y' }, { action: 'drop', reason: 'malformed', detail: 'z' }, { action: 'drop', reason: 'wrongInterface', detail: 'w' }],
    requests: {}, responses: {}, dropped: { notOurs: 2, malformed: 1, wrongInterface: 1 }, sendErrors: 0,
  },
];
for (const c of cases) {
  test(`outcome accounting: ${c.name}`, () => {
    const { io, l2 } = setup();
    l2.setAnnouncements({ '192.0.2.100': {} });
    for (const o of c.outcomes) io.report('eth0', 'arp', o);
    const got = l2.counters();
    assert.equal(got.requestsReceived, c.requests);
    assert.equal(got.responsesSent, c.responses);
    assert.equal(got.dropped, { notOurs: 0, notRequest: 0, wrongInterface: 0, malformed: 0, ...c.dropped });
    assert.is(got.sendErrors, c.sendErrors);
    assert.is(io.frames, 0, 'the announcer never decided a frame itself');
  });
}

test.run();
