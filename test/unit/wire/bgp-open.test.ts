import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BgpDecodeError, FrameReader, buildOpen, decodeMessage, encodeOpen, peerASN, supportsFourOctetAS, type OpenMessage,
} from '../../../src/wire/bgp/index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+|#.*$/gm, ''), 'hex');
const families = [{ afi: 1, safi: 1 }, { afi: 2, safi: 1 }];

// OPEN for AS 64512, hold 90, router id 192.0.2.1, capabilities MP v4, MP v6, route refresh, AS4.
const open64512 = hex(`
  ffffffffffffffffffffffffffffffff  # marker
  0033                              # length 51
  01                                # type OPEN
  04                                # version 4
  fc00                              # my AS 64512
  005a                              # hold time 90
  c0000201                          # BGP identifier 192.0.2.1
  16                                # optional parameters length 22
  02 14                             # parameter type 2 (capabilities), length 20
  01 04 0001 00 01                  # multiprotocol IPv4 unicast
  01 04 0002 00 01                  # multiprotocol IPv6 unicast
  02 00                             # route refresh
  41 04 0000fc00                    # 4-octet AS 64512
`);

function decodeOpenBytes(b: Buffer): OpenMessage {
  const [f] = new FrameReader().push(b);
  const m = decodeMessage(f!, { as4: false });
  if (m.kind !== 'open') throw new Error(`decoded ${m.kind}`);
  return m.open;
}

test('an OPEN for a 2-octet AS encodes to the expected bytes', () => {
  const got = encodeOpen(buildOpen({ asn: 64512, holdTime: 90, routerId: '192.0.2.1', families }));
  assert.is(got.toString('hex'), open64512.toString('hex'));
});

test('the same bytes decode back to the OPEN', () => {
  const o = decodeOpenBytes(open64512);
  assert.equal(o, buildOpen({ asn: 64512, holdTime: 90, routerId: '192.0.2.1', families }));
  assert.is(peerASN(o), 64512);
  assert.ok(supportsFourOctetAS(o));
});

test('a 4-octet AS puts AS_TRANS in the 2-octet field and the real AS in capability 65', () => {
  const b = encodeOpen(buildOpen({ asn: 4200000001, holdTime: 3, routerId: '10.0.0.1', families: [] }));
  assert.is(b.readUInt16BE(20), 23456);
  assert.is(b.subarray(b.length - 6).toString('hex'), '4104fa56ea01');
  const o = decodeOpenBytes(b);
  assert.is(o.myAS, 23456);
  assert.is(peerASN(o), 4200000001);
});

test('an OPEN without capability 65 yields the 2-octet field as the peer AS', () => {
  const b = encodeOpen({ version: 4, myAS: 65001, holdTime: 180, routerId: '10.1.1.1', capabilities: [{ kind: 'route-refresh' }] });
  const o = decodeOpenBytes(b);
  assert.is(peerASN(o), 65001);
  assert.not.ok(supportsFourOctetAS(o));
});

test('unknown capabilities are kept raw and survive a round trip', () => {
  const caps = [{ kind: 'unknown' as const, code: 64, value: Buffer.from([0x40, 0x78]) }, { kind: 'unknown' as const, code: 73, value: Buffer.from('host') }];
  const o = decodeOpenBytes(encodeOpen({ version: 4, myAS: 1, holdTime: 0, routerId: '1.1.1.1', capabilities: caps }));
  assert.equal(o.capabilities, caps);
  assert.is(o.holdTime, 0);
});

function withBody(body: string): Buffer {
  const b = hex(body);
  const h = Buffer.alloc(19, 0xff);
  h.writeUInt16BE(19 + b.length, 16);
  h[18] = 1;
  return Buffer.concat([h, b]);
}

const errorCases: { name: string; body: string; code: string; notification: [number, number, string] }[] = [
  { name: 'version 3 is refused with the version we support as data', body: '03 fc00 005a c0000201 00', code: 'bgp.open.bad-version', notification: [2, 1, '0004'] },
  { name: 'hold time 2 is unacceptable', body: '04 fc00 0002 c0000201 00', code: 'bgp.open.bad-hold-time', notification: [2, 6, ''] },
  { name: 'hold time 1 is unacceptable', body: '04 fc00 0001 c0000201 00', code: 'bgp.open.bad-hold-time', notification: [2, 6, ''] },
  { name: 'identifier 0.0.0.0 is a bad BGP identifier', body: '04 fc00 005a 00000000 00', code: 'bgp.open.bad-identifier', notification: [2, 3, '00000000'] },
  { name: 'an optional parameter length past the end is unspecific', body: '04 fc00 005a c0000201 08 0202 0200', code: 'bgp.open.bad-params-length', notification: [2, 0, ''] },
  { name: 'an optional parameter of type 1 is unsupported', body: '04 fc00 005a c0000201 04 0102 aabb', code: 'bgp.open.unsupported-param', notification: [2, 4, '0102aabb'] },
  { name: 'a capability overrunning its parameter is unspecific', body: '04 fc00 005a c0000201 04 0202 4104', code: 'bgp.open.truncated-capability', notification: [2, 0, ''] },
  { name: 'a 4-octet AS capability of 2 octets is unspecific', body: '04 fc00 005a c0000201 06 0204 4102 fc00', code: 'bgp.open.bad-capability-length', notification: [2, 0, ''] },
];
for (const c of errorCases) {
  test(`decode OPEN: ${c.name}`, () => {
    try {
      decodeOpenBytes(withBody(c.body));
      assert.unreachable('decoded');
    } catch (e) {
      assert.instance(e, BgpDecodeError);
      const err = e as BgpDecodeError;
      assert.is(err.code, c.code);
      assert.equal([err.notification.code, err.notification.subcode, err.notification.data.toString('hex')], c.notification);
    }
  });
}

test.run();
