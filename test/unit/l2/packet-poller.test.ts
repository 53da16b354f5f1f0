// PacketPoller against a fake libc: the lifecycle rules that real sockets make hard to observe.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PacketPoller } from '../../../src/sys/packet-poller.js';
import type { Libc } from '../../../src/sys/packet-libc.js';

/** FakeLibc queues frames per fd and lets the test complete the pending poll() by hand. */
class FakeLibc {
  queues = new Map<number, Buffer[]>();
  closed: number[] = [];
  wakes = 0;
  pending: { fds: Buffer; n: number; cb: (err: unknown, res: number) => void } | undefined;
  polls = 0;
  nextFd = 100;

  asLibc(): Libc {
    const self = this;
    return {
      socket: () => -1, bind: () => 0, setsockopt: () => 0, setsockoptFilter: () => 0, send: () => 0,
      recv(fd, buf) {
        const q = self.queues.get(fd);
        const f = q?.shift();
        if (!f) return -1;
        f.copy(buf);
        return f.length;
      },
      close(fd) { self.closed.push(fd); return 0; },
      dup: () => -1,
      eventfd: () => self.nextFd++,
      write() { self.wakes++; return 8; },
      read: () => 8,
      pollAsync(fds, n, _t, cb) { self.polls++; self.pending = { fds, n, cb }; },
      errno: () => 0,
    };
  }

  /** complete finishes the pending poll, marking readable every fd that has frames (and the wake fd if woken). */
  complete(woken = false): void {
    const p = this.pending!;
    this.pending = undefined;
    for (let i = 0; i < p.n; i++) {
      const fd = p.fds.readInt32LE(i * 8);
      const ready = i === 0 ? woken : (this.queues.get(fd)?.length ?? 0) > 0;
      p.fds.writeInt16LE(ready ? 1 : 0, i * 8 + 6);
    }
    p.cb(null, 1);
  }
}

test('frames on a ready socket are delivered one by one and the poll is re-armed', () => {
  const f = new FakeLibc();
  const p = new PacketPoller(f.asLibc());
  const got: string[] = [];
  p.add(5, (b) => got.push(b.toString()));
  f.queues.set(5, [Buffer.from('one'), Buffer.from('two')]);
  f.complete();
  assert.equal(got, ['one', 'two']);
  assert.is(f.polls, 2, 're-armed after delivering');
  p.stop();
});

test('removing a socket while poll() is pending wakes it and closes the fd only after it returns', () => {
  const f = new FakeLibc();
  const p = new PacketPoller(f.asLibc());
  p.add(5, () => {});
  p.remove(5);
  assert.is(f.wakes, 1, 'the pending poll was woken');
  assert.equal(f.closed, [], 'fd still open while poll() may look at it');
  f.complete(true);
  assert.equal(f.closed, [5]);
  assert.is(f.pending, undefined, 'nothing left to poll: no re-arm, the process may exit');
  p.stop();
});

test('adding a socket while poll() is pending wakes it so the next poll includes the new fd', () => {
  const f = new FakeLibc();
  const p = new PacketPoller(f.asLibc());
  p.add(5, () => {});
  p.add(6, () => {});
  assert.is(f.wakes, 1);
  f.complete(true);
  assert.is(f.pending!.n, 3, 'wake fd + two sockets');
  p.stop();
});

test('a handler that throws does not stop delivery of later frames', () => {
  const f = new FakeLibc();
  const p = new PacketPoller(f.asLibc());
  const got: string[] = [];
  p.add(5, (b) => {
    got.push(b.toString());
    throw new Error('bug');
  });
  f.queues.set(5, [Buffer.from('a'), Buffer.from('b')]);
  f.complete();
  assert.equal(got, ['a', 'b']);
  p.stop();
});

test('one flooded socket is drained at most 256 frames per wake-up', () => {
  const f = new FakeLibc();
  const p = new PacketPoller(f.asLibc());
  let n = 0;
  p.add(5, () => n++);
  f.queues.set(5, Array.from({ length: 300 }, () => Buffer.from('x')));
  f.complete();
  assert.is(n, 256);
  f.complete();
  assert.is(n, 300);
  p.stop();
});

test('stop closes every socket and the wake fd once the pending poll returns', () => {
  const f = new FakeLibc();
  const p = new PacketPoller(f.asLibc());
  p.add(5, () => {});
  p.add(6, () => {});
  f.complete(true);
  p.stop();
  f.complete(true);
  assert.equal(f.closed.sort(), [100, 5, 6].sort());
  assert.is(f.pending, undefined);
});

test.run();
