import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BgpDecodeError, FrameReader, decodeMessage, encodeUpdate, endOfRib, isEndOfRib, parsePrefix, formatPrefix,
  type CodecOptions, type UpdateMessage,
} from '../../../src/wire/bgp/index.js';

const hex = (s: string) => Buffer.from(s.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex');
const P = parsePrefix;

function decode(b: Buffer, opts: CodecOptions): UpdateMessage {
  const frames = new FrameReader().push(b);
  assert.is(frames.length, 1);
  const m = decodeMessage(frames[0]!, opts);
  if (m.kind !== 'update') throw new Error(`decoded ${m.kind}`);
  return m.update;
}

const cases: { name: string; msg: UpdateMessage; as4: boolean; bytes: string }[] = [
  {
    name: 'eBGP IPv4 route with 4-octet AS_PATH, standard and large communities',
    as4: true,
    msg: {
      withdrawn: [],
      attributes: { origin: 0, asPath: [{ type: 2, asns: [64512] }], nextHop: '192.0.2.1', communities: [0xfc000064], largeCommunities: [[64512, 1, 2]] },
      nlri: [P('203.0.113.10/32')],
    },
    bytes: `
      ffffffffffffffffffffffffffffffff 0046 02   # header: length 70, UPDATE
      0000                                       # withdrawn routes length 0
      002a                                       # total path attribute length 42
      40 01 01 00                                # ORIGIN IGP
      40 02 06 02 01 0000fc00                    # AS_PATH: AS_SEQUENCE of 1: AS 64512 in 4 octets
      40 03 04 c0000201                          # NEXT_HOP 192.0.2.1
      c0 08 04 fc000064                          # COMMUNITIES 64512:100
      c0 20 0c 0000fc00 00000001 00000002        # LARGE_COMMUNITY 64512:1:2
      20 cb00710a                                # NLRI 203.0.113.10/32`,
  },
  {
    name: 'eBGP IPv4 route to a peer without 4-octet AS support uses 2-octet AS_PATH',
    as4: false,
    msg: { withdrawn: [], attributes: { origin: 0, asPath: [{ type: 2, asns: [64512] }], nextHop: '192.0.2.1' }, nlri: [P('198.51.100.0/24')] },
    bytes: `
      ffffffffffffffffffffffffffffffff 002d 02   # header: length 45
      0000 0012                                  # no withdrawals, 18 octets of attributes
      40 01 01 00                                # ORIGIN IGP
      40 02 04 02 01 fc00                        # AS_PATH: AS 64512 in 2 octets
      40 03 04 c0000201                          # NEXT_HOP 192.0.2.1
      18 c63364                                  # NLRI 198.51.100.0/24`,
  },
  {
    name: 'iBGP IPv4 route has an empty AS_PATH and LOCAL_PREF',
    as4: true,
    msg: { withdrawn: [], attributes: { origin: 0, asPath: [], nextHop: '192.0.2.1', localPref: 150 }, nlri: [P('198.51.100.0/24')] },
    bytes: `
      ffffffffffffffffffffffffffffffff 0030 02   # header: length 48
      0000 0015                                  # no withdrawals, 21 octets of attributes
      40 01 01 00                                # ORIGIN IGP
      40 02 00                                   # AS_PATH empty
      40 03 04 c0000201                          # NEXT_HOP 192.0.2.1
      40 05 04 00000096                          # LOCAL_PREF 150
      18 c63364                                  # NLRI 198.51.100.0/24`,
  },
  {
    name: 'IPv6 route travels in MP_REACH_NLRI with a global next hop',
    as4: true,
    msg: {
      withdrawn: [],
      attributes: { origin: 0, asPath: [{ type: 2, asns: [64512] }], mpReach: { afi: 2, safi: 1, nextHops: ['2001:db8::1'], nlri: [P('2001:db8:1::5/128')] } },
      nlri: [],
    },
    bytes: `
      ffffffffffffffffffffffffffffffff 004d 02   # header: length 77
      0000 0036                                  # no withdrawals, 54 octets of attributes
      40 01 01 00                                # ORIGIN IGP
      40 02 06 02 01 0000fc00                    # AS_PATH 64512
      80 0e 26                                   # MP_REACH_NLRI, optional, 38 octets
      0002 01 10                                 # AFI IPv6, SAFI unicast, next hop length 16
      20010db8000000000000000000000001           # next hop 2001:db8::1
      00                                         # reserved
      80 20010db8000100000000000000000005        # NLRI 2001:db8:1::5/128`,
  },
  {
    name: 'IPv4 withdrawal uses the withdrawn routes field',
    as4: true,
    msg: { withdrawn: [P('203.0.113.10/32'), P('10.0.0.0/8')], attributes: {}, nlri: [] },
    bytes: `
      ffffffffffffffffffffffffffffffff 001e 02   # header: length 30
      0007 20 cb00710a 08 0a                     # withdrawn: 203.0.113.10/32, 10.0.0.0/8
      0000                                       # no attributes`,
  },
  {
    name: 'IPv6 withdrawal uses MP_UNREACH_NLRI',
    as4: true,
    msg: { withdrawn: [], attributes: { mpUnreach: { afi: 2, safi: 1, withdrawn: [P('2001:db8:1::5/128')] } }, nlri: [] },
    bytes: `
      ffffffffffffffffffffffffffffffff 002e 02   # header: length 46
      0000 0017                                  # no withdrawn routes, 23 octets of attributes
      80 0f 14 0002 01                           # MP_UNREACH_NLRI, 20 octets: IPv6 unicast
      80 20010db8000100000000000000000005        # 2001:db8:1::5/128`,
  },
  {
    name: 'confederation segments in AS_PATH are accepted (RFC 5065)',
    as4: true,
    msg: { withdrawn: [], attributes: { origin: 2, asPath: [{ type: 3, asns: [65000] }, { type: 2, asns: [64512, 64513] }] }, nlri: [] },
    bytes: `
      ffffffffffffffffffffffffffffffff 002e 02   # header: length 46
      0000 0017                                  # 23 octets of attributes
      40 01 01 02                                # ORIGIN INCOMPLETE
      40 02 10 03 01 0000fde8 02 02 0000fc00 0000fc01  # AS_CONFED_SEQUENCE 65000, AS_SEQUENCE 64512 64513`,
  },
  {
    name: 'unknown optional transitive attributes are kept raw',
    as4: true,
    msg: { withdrawn: [], attributes: { unknown: [{ flags: 0xc0, type: 99, value: Buffer.from([1, 2, 3]) }] }, nlri: [] },
    bytes: `
      ffffffffffffffffffffffffffffffff 001d 02   # header: length 29
      0000 0006                                  # 6 octets of attributes
      c0 63 03 010203                            # attribute 99, optional transitive, raw`,
  },
];

for (const c of cases) {
  test(`encode: ${c.name}`, () => {
    assert.is(encodeUpdate(c.msg, { as4: c.as4 }).toString('hex'), hex(c.bytes).toString('hex'));
  });
  test(`decode: ${c.name}`, () => {
    assert.equal(decode(hex(c.bytes), { as4: c.as4 }), c.msg);
  });
}

test('End-of-RIB markers: empty UPDATE for IPv4, empty MP_UNREACH for IPv6', () => {
  assert.is(endOfRib(1).toString('hex'), 'ffffffffffffffffffffffffffffffff' + '0017' + '02' + '0000' + '0000');
  assert.is(endOfRib(2).toString('hex'), 'ffffffffffffffffffffffffffffffff' + '001d' + '02' + '0000' + '0006' + '800f03000201');
  assert.is(isEndOfRib(decode(endOfRib(1), { as4: true })), 1);
  assert.is(isEndOfRib(decode(endOfRib(2), { as4: true })), 2);
  assert.is(isEndOfRib(decode(hex(cases[0]!.bytes), { as4: true })), undefined);
});

test('prefixes mask host bits and print canonically', () => {
  assert.is(formatPrefix(P('198.51.100.77/24')), '198.51.100.0/24');
  assert.is(formatPrefix(P('2001:DB8:0:0::1/32')), '2001:db8::/32');
  assert.is(formatPrefix(P('0.0.0.0/0')), '0.0.0.0/0');
});

function body(attrsAndNlri: string, withdrawn = '0000'): Buffer {
  const b = hex(withdrawn + attrsAndNlri);
  const h = Buffer.alloc(19, 0xff);
  h.writeUInt16BE(19 + b.length, 16);
  h[18] = 2;
  return Buffer.concat([h, b]);
}

const errors: { name: string; msg: Buffer; code: string; want: [number, number, string] }[] = [
  { name: 'withdrawn routes length past the end is a malformed attribute list', msg: body('', '00ff 0000'), code: 'bgp.update.malformed', want: [3, 1, ''] },
  { name: 'total path attribute length past the end is a malformed attribute list', msg: body('00ff 40010100'), code: 'bgp.update.malformed', want: [3, 1, ''] },
  { name: 'a truncated attribute is a malformed attribute list', msg: body('0004 40021002'), code: 'bgp.update.truncated-attribute', want: [3, 1, ''] },
  { name: 'a truncated attribute header is a malformed attribute list', msg: body('0002 4001'), code: 'bgp.update.truncated-attribute', want: [3, 1, ''] },
  { name: 'a repeated attribute is a malformed attribute list', msg: body('0008 40010100 40010100'), code: 'bgp.update.duplicate-attribute', want: [3, 1, ''] },
  { name: 'ORIGIN marked optional is an attribute flags error', msg: body('0004 c0010100'), code: 'bgp.update.attribute-flags', want: [3, 4, 'c0010100'] },
  { name: 'COMMUNITIES marked well-known is an attribute flags error', msg: body('0007 40080400000001'), code: 'bgp.update.attribute-flags', want: [3, 4, '40080400000001'] },
  { name: 'ORIGIN of two octets is an attribute length error', msg: body('0005 4001020000'), code: 'bgp.update.attribute-length', want: [3, 5, '4001020000'] },
  { name: 'NEXT_HOP of three octets is an attribute length error', msg: body('0006 400303c00002'), code: 'bgp.update.attribute-length', want: [3, 5, '400303c00002'] },
  { name: 'LOCAL_PREF of two octets is an attribute length error', msg: body('0005 4005020064'), code: 'bgp.update.attribute-length', want: [3, 5, '4005020064'] },
  { name: 'ORIGIN 3 is an invalid origin', msg: body('0004 40010103'), code: 'bgp.update.bad-origin', want: [3, 6, '40010103'] },
  { name: 'an unknown well-known attribute is unrecognized', msg: body('0004 40630101'), code: 'bgp.update.unrecognized-well-known', want: [3, 2, '40630101'] },
  { name: 'an AS_PATH segment shorter than its count is malformed', msg: body('0006 400203020201'), code: 'bgp.update.malformed-as-path', want: [3, 11, ''] },
  { name: 'an AS_PATH segment of type 5 is malformed', msg: body('0007 40020405010001'), code: 'bgp.update.malformed-as-path', want: [3, 11, ''] },
  { name: 'communities of 5 octets are an optional attribute error', msg: body('0008 c008050000000101'), code: 'bgp.update.attribute-length', want: [3, 9, 'c008050000000101'] },
  { name: 'NLRI without NEXT_HOP misses a well-known attribute', msg: body('000b 40010100 40020402010001 20cb00710a'), code: 'bgp.update.missing-well-known', want: [3, 3, '03'] },
  { name: 'NLRI without ORIGIN misses a well-known attribute', msg: body('0000 20cb00710a'), code: 'bgp.update.missing-well-known', want: [3, 3, '01'] },
  { name: 'an NLRI prefix of length 33 is an invalid network field', msg: body('0012 40010100 40020402010001 400304c0000201 21cb00710a00'), code: 'bgp.update.bad-prefix', want: [3, 10, ''] },
  { name: 'a withdrawn prefix running past its field is an invalid network field', msg: body('0000', '0002 20cb'), code: 'bgp.update.bad-prefix', want: [3, 10, ''] },
  { name: 'MP_REACH with a 5-octet IPv6 next hop is an optional attribute error', msg: body('000b 800e08 0002 01 05 0102030405'), code: 'bgp.update.malformed-mp', want: [3, 9, '800e080002010501020304'] },
];
for (const c of errors) {
  test(`decode UPDATE: ${c.name}`, () => {
    try {
      decode(c.msg, { as4: false });
      assert.unreachable('decoded');
    } catch (e) {
      if (!(e instanceof BgpDecodeError)) throw e;
      assert.is(e.code, c.code);
      assert.equal([e.notification.code, e.notification.subcode, e.notification.data.toString('hex')], c.want);
    }
  });
}

test.run();
