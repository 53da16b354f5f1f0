import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { parseIP, formatIP, parseCIDR, formatCIDR, summarizeRange, cidrsOverlap, cidrSize, canonicalIP, cidrContains, cidrLast, compareIP, fromBytes, isBuggyIPv4, makeCIDR, toBytes, bitsOf, type IP } from '../../../src/model/ip.js';

const parseCases: [string, string | undefined][] = [
  ['10.1.2.3', '10.1.2.3'],
  ['010.1.1.1', undefined],
  ['10.1.1', undefined],
  ['0xa.1.1.1', undefined],
  ['1.2.3.400', undefined],
  ['2001:DB8::1', '2001:db8::1'],
  ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
  ['::ffff:1.2.3.4', '1.2.3.4'],
  ['fe80::1%eth0', undefined],
  ['1::2::3', undefined],
  ['oh god how do I BGP', undefined],
  ['255.255.255.255', '255.255.255.255'],
  ['256.1.1.1', undefined],
  ['1.2.3.4 ', undefined],
  ['', undefined],
  ['::', '::'],
  ['::1', '::1'],
  ['2001:db8::00001', undefined],
  ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
  ['::ffff:1.2.3.400', undefined],
  ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ['fc00:f853:0ccd:e799::', 'fc00:f853:ccd:e799::'],
];
for (const [input, want] of parseCases) {
  test(`parseIP ${JSON.stringify(input)} gives ${want ?? 'nothing'}`, () => {
    assert.is(canonicalIP(input), want);
  });
}

test('parseCIDR masks host bits and refuses /33', () => {
  assert.is(formatCIDR(parseCIDR('10.20.30.40/24')!), '10.20.30.0/24');
  assert.is(parseCIDR('1.2.3.0/33'), undefined);
  assert.is(parseCIDR('10.0.0.1'), undefined);
});

const rangeCases: [string, string, string[]][] = [
  ['192.168.1.240', '192.168.1.250', ['192.168.1.240/29', '192.168.1.248/31', '192.168.1.250/32']],
  ['40.0.0.150', '40.0.0.200', ['40.0.0.150/31', '40.0.0.152/29', '40.0.0.160/27', '40.0.0.192/29', '40.0.0.200/32']],
  ['40.0.0.250', '40.0.0.250', ['40.0.0.250/32']],
  ['0.0.0.0', '255.255.255.255', ['0.0.0.0/0']],
  ['2001:db8::', '2001:db8::ffff:ffff:ffff:ffff', ['2001:db8::/64']],
  ['10.0.0.5', '10.0.0.1', []],
];
for (const [a, b, want] of rangeCases) {
  test(`summarizeRange ${a}-${b}`, () => {
    assert.equal(summarizeRange(parseIP(a)!, parseIP(b)!).map(formatCIDR), want);
  });
}

test('overlap and size are exact', () => {
  assert.ok(cidrsOverlap(parseCIDR('10.0.0.0/8')!, parseCIDR('10.0.0.0/16')!));
  assert.not.ok(cidrsOverlap(parseCIDR('10.0.0.0/16')!, parseCIDR('10.1.0.0/16')!));
  assert.is(cidrSize(parseCIDR('2001:db8::/64')!), 1n << 64n);
  assert.is(formatIP(parseIP('2001:db8::')!), '2001:db8::');
});

const cidrCases: [string, string | undefined][] = [
  ['2001:db8::1/64', '2001:db8::/64'],
  ['0.0.0.0/0', '0.0.0.0/0'],
  ['::/0', '::/0'],
  ['10.0.0.0/8/8', undefined],
  ['10.0.0.0/-1', undefined],
  ['10.0.0.0/08', '10.0.0.0/8'],
  ['2001:db8::/129', undefined],
  ['10.0.0.0/', undefined],
];
for (const [input, want] of cidrCases) {
  test(`parseCIDR ${JSON.stringify(input)} gives ${want ?? 'nothing'}`, () => {
    const c = parseCIDR(input);
    assert.is(c && formatCIDR(c), want);
  });
}

test('contains, last, compare and buggy addresses', () => {
  const net = parseCIDR('10.1.0.0/16')!;
  assert.ok(cidrContains(net, parseIP('10.1.255.255')!));
  assert.not.ok(cidrContains(net, parseIP('10.2.0.0')!));
  assert.not.ok(cidrContains(net, parseIP('::a01:0')!));
  assert.is(formatIP(cidrLast(net)), '10.1.255.255');
  assert.ok(compareIP(parseIP('255.255.255.255')!, parseIP('::')!) < 0);
  assert.equal(['10.0.0.0', '10.0.0.255', '10.0.1.1', '2001:db8::'].map((a) => isBuggyIPv4(parseIP(a)!)), [true, true, false, false]);
  assert.not.ok(cidrsOverlap(parseCIDR('10.0.0.0/8')!, parseCIDR('::/0')!));
});

const anyIP = fc.oneof(
  fc.nat({ max: 0xffffffff }).map((v): IP => ({ family: 4, value: BigInt(v) })),
  fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((v): IP => ({ family: 6, value: v })),
);
test('property: bytes, text and CIDR masking round-trip', () => {
  fc.assert(fc.property(anyIP, fc.nat(128), (ip, len) => {
    assert.equal(fromBytes(toBytes(ip)), ip);
    // ::ffff:a.b.c.d is IPv4 in Go's reading, so only compare addresses outside that block.
    if (ip.family === 4 || ip.value >> 32n !== 0xffffn) assert.equal(parseIP(formatIP(ip)), ip);
    const c = makeCIDR(ip, len % (bitsOf(ip.family) + 1));
    assert.ok(cidrContains(c, ip));
  }), { numRuns: 300 });
});

test('property: summarizeRange covers exactly [start, end] with aligned, ascending, maximal prefixes', () => {
  const pair = fc.oneof(
    fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })).map(([a, b]): [IP, IP] => [{ family: 4, value: BigInt(Math.min(a, b)) }, { family: 4, value: BigInt(Math.max(a, b)) }]),
    fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.bigInt({ min: 0n, max: 1n << 70n })).map(([a, d]): [IP, IP] => [{ family: 6, value: a }, { family: 6, value: a + d > (1n << 128n) - 1n ? (1n << 128n) - 1n : a + d }]),
  );
  fc.assert(fc.property(pair, ([start, end]) => {
    const list = summarizeRange(start, end);
    let next = start.value;
    list.forEach((c, i) => {
      assert.is(c.ip.value, next, 'contiguous');
      assert.is(c.ip.value % cidrSize(c), 0n, 'aligned');
      next = c.ip.value + cidrSize(c);
      // Maximal: the block could not have been doubled without leaving the range or alignment.
      const doubled = cidrSize(c) * 2n;
      const mergeable = c.prefix > 0 && c.ip.value % doubled === 0n && c.ip.value + doubled - 1n <= end.value;
      assert.not.ok(mergeable, `prefix ${i} could be wider`);
    });
    assert.is(next - 1n, end.value, 'covers up to end');
    assert.ok(list.length <= 2 * bitsOf(start.family));
  }), { numRuns: 300 });
});

test.run();
