// The announcer keeps a kernel fast path (FastPath) in step with what it answers itself: the same
// (interface, IP) rows after every change, the interfaces it answers on, its replies merged into the
// counters, and closed with it. A fake FastPath records what it is told.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Layer2Announcer } from '../../../src/speaker/l2/announcer.js';
import type { FastPath, FastPathRow, InterfaceInfo } from '../../../src/speaker/l2/types.js';
import { FakeIO, ManualClock, iface } from './fakes.js';
import { createLogger } from '../../../src/log.js';

class FakeFastPath implements FastPath {
  ifindexes: number[] = [];
  rows: FastPathRow[] = [];
  syncs = 0;
  closed = false;
  counts = new Map<string, number>();
  sync(ifindexes: readonly number[], rows: readonly FastPathRow[]): void {
    this.syncs++;
    this.ifindexes = [...ifindexes].sort();
    this.rows = [...rows];
  }
  answered(): Map<string, number> {
    return new Map(this.counts);
  }
  active(): boolean {
    return !this.closed && this.ifindexes.length > 0;
  }
  close(): void {
    this.closed = true;
  }
  /** table renders the rows as "ifindex ip mac" lines, sorted. */
  table(): string[] {
    return this.rows.map((r) => `${r.ifindex} ${r.ip} ${r.bytes.toString('hex')} ${r.mac.toString('hex')}`).sort();
  }
}

const ETH0 = iface('eth0', 2, '02:00:00:00:00:11');
const ETH1 = iface('eth1', 3, '02:00:00:00:00:12');

function setup(scan: InterfaceInfo[] = [ETH0, ETH1]) {
  const fp = new FakeFastPath();
  let current = scan;
  const a = new Layer2Announcer({ io: new FakeIO(), clock: new ManualClock(), scan: () => current, rescanMs: 0, logger: createLogger('test', 'silent'), fastPath: fp });
  a.start();
  return { a, fp, setScan: (s: InterfaceInfo[]) => (current = s) };
}

test('start attaches the fast path to every answering interface, with an empty table', () => {
  const { fp, a } = setup();
  assert.equal(fp.ifindexes, [2, 3]);
  assert.equal(fp.rows, []);
  assert.ok(a.kernelAnswering());
});

test('owned IPs become one row per interface they are answered on, with that interface\'s MAC', () => {
  const { a, fp } = setup();
  a.setAnnouncements({ '192.0.2.100': {}, '2001:db8::100': { interfaces: ['eth1'] } });
  assert.equal(fp.table(), [
    '2 192.0.2.100 c0000264 020000000011',
    '3 192.0.2.100 c0000264 020000000012',
    '3 2001:db8::100 20010db8000000000000000000000100 020000000012',
  ]);
});

test('an interface restriction naming no present interface leaves the IP out of the kernel', () => {
  const { a, fp } = setup();
  a.setAnnouncements({ '192.0.2.100': { interfaces: ['eth9'] } });
  assert.equal(fp.rows, []);
});

test('a withdrawal removes the rows in the same call', () => {
  const { a, fp } = setup();
  a.setAnnouncements({ '192.0.2.100': {}, '192.0.2.101': {} });
  a.setAnnouncements({ '192.0.2.101': {} });
  assert.equal(fp.rows.map((r) => r.ip).sort(), ['192.0.2.101', '192.0.2.101']);
  a.setAnnouncements({});
  assert.equal(fp.rows, []);
});

test('a rescan follows interfaces: a vanished interface is detached and its rows go', () => {
  const { a, fp, setScan } = setup();
  a.setAnnouncements({ '192.0.2.100': {} });
  setScan([ETH0]);
  a.rescan();
  assert.equal(fp.ifindexes, [2]);
  assert.equal(fp.table(), ['2 192.0.2.100 c0000264 020000000011']);
});

test('replies sent by the kernel are counted as requests received and responses sent', () => {
  const { a, fp } = setup();
  a.setAnnouncements({ '192.0.2.100': {} });
  fp.counts.set('192.0.2.100', 7);
  const c = a.counters();
  assert.is(c.requestsReceived['192.0.2.100'], 7);
  assert.is(c.responsesSent['192.0.2.100'], 7);
});

test('close closes the fast path and nothing is synced after it', () => {
  const { a, fp } = setup();
  a.close();
  assert.ok(fp.closed);
  const n = fp.syncs;
  a.setAnnouncements({ '192.0.2.100': {} });
  assert.is(fp.syncs, n);
  assert.not.ok(a.kernelAnswering());
});

test.run();
