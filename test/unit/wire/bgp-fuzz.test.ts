// Fuzzing the decoder (bounded runs): whatever bytes a peer sends, the codec either decodes them or
// throws a BgpDecodeError carrying a NOTIFICATION; and whatever it encodes, it decodes back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import {
  BgpDecodeError, FrameReader, buildOpen, decodeMessage, encodeNotification, encodeOpen, encodeUpdate, parsePrefix, formatPrefix,
  KEEPALIVE, type UpdateMessage,
} from '../../../src/wire/bgp/index.js';

const RUNS = 3000;

function decodeStream(b: Buffer, as4: boolean): void {
  const frames = new FrameReader().push(b);
  for (const f of frames) decodeMessage(f, { as4 });
}

function onlyTypedErrors(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (!(e instanceof BgpDecodeError)) throw e;
    return e.notification.code >= 1 && e.notification.code <= 6;
  }
}

function framed(type: number, body: Uint8Array): Buffer {
  const h = Buffer.alloc(19, 0xff);
  h.writeUInt16BE(Math.min(19 + body.length, 0xffff), 16);
  h[18] = type;
  return Buffer.concat([h, body]);
}

test('random bodies behind a valid header decode or fail with a typed error', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.uint8Array({ maxLength: 300 }), fc.boolean(), (type, body, as4) =>
      onlyTypedErrors(() => decodeStream(framed(type, body), as4))),
    { numRuns: RUNS },
  );
});

test('random byte streams fail with a typed error or frame cleanly', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => onlyTypedErrors(() => decodeStream(Buffer.from(b), true))), { numRuns: RUNS });
});

const seeds = [
  encodeOpen(buildOpen({ asn: 4200000001, holdTime: 90, routerId: '192.0.2.1', families: [{ afi: 1, safi: 1 }, { afi: 2, safi: 1 }] })),
  encodeUpdate({
    withdrawn: [parsePrefix('10.0.0.0/8')],
    attributes: { origin: 0, asPath: [{ type: 2, asns: [1, 2] }], nextHop: '192.0.2.1', localPref: 5, communities: [7], largeCommunities: [[1, 2, 3]],
      mpReach: { afi: 2, safi: 1, nextHops: ['2001:db8::1'], nlri: [parsePrefix('2001:db8::/64')] } },
    nlri: [parsePrefix('198.51.100.0/24')],
  }, { as4: true }),
  encodeNotification({ code: 3, subcode: 1, data: Buffer.from([1, 2]) }),
  KEEPALIVE,
];

test('valid messages with random bytes overwritten decode or fail with a typed error', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (i, edits) => {
      const b = Buffer.from(seeds[i]!);
      for (const [pos, v] of edits) b[16 + (pos % (b.length - 16))] = v; // keep the marker so the body gets exercised
      return onlyTypedErrors(() => decodeStream(b, true)) && onlyTypedErrors(() => decodeStream(b, false));
    }),
    { numRuns: RUNS },
  );
});

const v4 = fc.tuple(fc.integer({ min: 0, max: 32 }), fc.uint8Array({ minLength: 4, maxLength: 4 }))
  .map(([len, a]) => parsePrefix(`${[...a].join('.')}/${len}`));
const asn = fc.integer({ min: 1, max: 0xffffffff });

test('arbitrary IPv4 UPDATEs survive encode then decode', () => {
  fc.assert(
    fc.property(fc.array(v4, { maxLength: 20 }), fc.array(v4, { minLength: 1, maxLength: 20 }), fc.array(asn, { maxLength: 5 }), fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 5 }), (w, n, path, comms) => {
      const u: UpdateMessage = {
        withdrawn: w,
        attributes: { origin: 0, asPath: path.length ? [{ type: 2, asns: path }] : [], nextHop: '192.0.2.1', ...(comms.length ? { communities: comms } : {}) },
        nlri: n,
      };
      const [f] = new FrameReader().push(encodeUpdate(u, { as4: true }));
      const m = decodeMessage(f!, { as4: true });
      assert.equal(m.kind === 'update' && m.update.nlri.map(formatPrefix), n.map(formatPrefix));
      assert.equal(m.kind === 'update' && m.update, u);
      return true;
    }),
    { numRuns: 500 },
  );
});

test.run();
