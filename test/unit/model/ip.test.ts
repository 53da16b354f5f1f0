import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseIP, formatIP, parseCIDR, formatCIDR, summarizeRange, cidrsOverlap, cidrSize, canonicalIP } from '../../../src/model/ip.js';

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

test.run();
