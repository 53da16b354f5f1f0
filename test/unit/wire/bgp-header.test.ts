import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BgpDecodeError, FrameReader, KEEPALIVE, decodeMessage, describeNotification, encodeNotification, encodeRouteRefresh, endOfRib,
} from '../../../src/wire/bgp/index.js';

const marker = 'ffffffffffffffffffffffffffffffff';
const msg = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

test('KEEPALIVE is a bare 19-octet header of type 4', () => {
  assert.is(KEEPALIVE.toString('hex'), `${marker}001304`);
});

test('NOTIFICATION carries code, subcode and data', () => {
  const b = encodeNotification({ code: 6, subcode: 2 });
  assert.is(b.toString('hex'), `${marker}00150306 02`.replace(' ', ''));
  const withData = encodeNotification({ code: 1, subcode: 2, data: Buffer.from([0x10, 0x01]) });
  const [f] = new FrameReader().push(withData);
  assert.equal(decodeMessage(f!, { as4: true }), { kind: 'notification', notification: { code: 1, subcode: 2, data: Buffer.from([0x10, 0x01]) } });
});

test('ROUTE-REFRESH round-trips AFI and SAFI', () => {
  const b = encodeRouteRefresh({ afi: 2, safi: 1 });
  assert.is(b.toString('hex'), `${marker}00170500020001`);
  const [f] = new FrameReader().push(b);
  assert.equal(decodeMessage(f!, { as4: true }), { kind: 'route-refresh', routeRefresh: { afi: 2, safi: 1 } });
});

test('describeNotification names codes and subcodes', () => {
  assert.is(describeNotification(6, 2), 'cease/administrative shutdown');
  assert.is(describeNotification(4, 0), 'hold timer expired/subcode 0');
  assert.is(describeNotification(3, 11), 'update message error/malformed as_path');
});

const headerErrors: { name: string; bytes: string; code: string; want: [number, number, string] }[] = [
  { name: 'a marker that is not all ones is connection not synchronized', bytes: `ffffffffffffffffffffffffffffff00 0013 04`, code: 'bgp.header.bad-marker', want: [1, 1, ''] },
  { name: 'length 18 is a bad message length with the length as data', bytes: `${marker} 0012 04`, code: 'bgp.header.bad-length', want: [1, 2, '0012'] },
  { name: 'length 4097 is a bad message length', bytes: `${marker} 1001 02`, code: 'bgp.header.bad-length', want: [1, 2, '1001'] },
  { name: 'a KEEPALIVE of 20 octets is a bad message length', bytes: `${marker} 0014 04 00`, code: 'bgp.header.bad-length', want: [1, 2, '0014'] },
  { name: 'an OPEN of 28 octets is a bad message length', bytes: `${marker} 001c 01 000000000000000000`, code: 'bgp.header.bad-length', want: [1, 2, '001c'] },
  { name: 'an UPDATE of 22 octets is a bad message length', bytes: `${marker} 0016 02 000000`, code: 'bgp.header.bad-length', want: [1, 2, '0016'] },
  { name: 'type 7 is a bad message type with the type as data', bytes: `${marker} 0013 07`, code: 'bgp.header.bad-type', want: [1, 3, '07'] },
  { name: 'type 0 is a bad message type', bytes: `${marker} 0013 00`, code: 'bgp.header.bad-type', want: [1, 3, '00'] },
];
for (const c of headerErrors) {
  test(`framing: ${c.name}`, () => {
    try {
      new FrameReader().push(msg(c.bytes));
      assert.unreachable('framed');
    } catch (e) {
      if (!(e instanceof BgpDecodeError)) throw e;
      assert.is(e.code, c.code);
      assert.equal([e.notification.code, e.notification.subcode, e.notification.data.toString('hex')], c.want);
    }
  });
}

test('the reader reassembles messages cut at every possible byte boundary', () => {
  const stream = Buffer.concat([KEEPALIVE, endOfRib(1), endOfRib(2), encodeNotification({ code: 6, subcode: 2 })]);
  for (let cut = 1; cut < stream.length; cut++) {
    const r = new FrameReader();
    const frames = [...r.push(stream.subarray(0, cut)), ...r.push(stream.subarray(cut))];
    assert.equal(frames.map((f) => f.type), [4, 2, 2, 3], `cut at ${cut}`);
    assert.is(r.buffered(), 0);
  }
});

test('the reader keeps an incomplete message until the rest arrives', () => {
  const r = new FrameReader();
  assert.equal(r.push(KEEPALIVE.subarray(0, 10)), []);
  assert.is(r.buffered(), 10);
  assert.is(r.push(KEEPALIVE.subarray(10)).length, 1);
});

test.run();
