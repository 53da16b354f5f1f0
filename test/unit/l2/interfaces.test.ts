import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { arpEligibility, interfacesFor, ndpEligibility } from '../../../src/speaker/l2/eligibility.js';
import { linkLocalInterfaces, parseHardwareAddress, scanInterfaces } from '../../../src/sys/interfaces.js';
import { solicitedNodeGroupOf } from '../../../src/sys/packet-mld.js';
import { iface } from './fakes.js';

const eligibility: { desc: string; over: Parameters<typeof iface>[3]; arp: string; ndp: string }[] = [
  { desc: 'an up Ethernet interface with a link-local address', over: {}, arp: 'eligible', ndp: 'eligible' },
  { desc: 'a down interface', over: { up: false }, arp: 'down', ndp: 'down' },
  { desc: 'a bond or bridge member', over: { master: 'br0' }, arp: 'enslaved', ndp: 'enslaved' },
  { desc: 'an interface with NOARP', over: { noARP: true }, arp: 'noARP', ndp: 'noARP' },
  { desc: 'a point-to-point interface without BROADCAST', over: { broadcast: false }, arp: 'noBroadcast', ndp: 'eligible' },
  { desc: 'an interface without an IPv6 link-local address', over: { linkLocalV6: false }, arp: 'eligible', ndp: 'noLinkLocal' },
  { desc: 'an interface without an Ethernet address', over: { mac: Buffer.alloc(0) }, arp: 'notEthernet', ndp: 'notEthernet' },
];
for (const c of eligibility) {
  test(`eligibility: ${c.desc} -> ARP ${c.arp}, NDP ${c.ndp}`, () => {
    const i = iface('eth0', 2, '02:00:00:00:00:11', c.over);
    const a = arpEligibility(i);
    const n = ndpEligibility(i);
    assert.is(a.eligible ? 'eligible' : a.reason, c.arp);
    assert.is(n.eligible ? 'eligible' : n.reason, c.ndp);
    if (!a.eligible) assert.ok(a.detail.startsWith('eth0 '), a.detail);
  });
}

test('interfacesFor narrows eligible interfaces to an advertisement list, or keeps all without one', () => {
  assert.equal(interfacesFor(['eth0', 'eth1'], undefined), ['eth0', 'eth1']);
  assert.equal(interfacesFor(['eth0', 'eth1'], new Set(['eth1', 'ens9'])), ['eth1']);
});

function fakeSys(): { root: string; paths: { sysClassNet: string; ifInet6: string } } {
  const root = mkdtempSync(path.join(tmpdir(), 'lbl2-sys-'));
  const net = path.join(root, 'class/net');
  const dev = (name: string, flags: string, index: number, mac: string, master?: string) => {
    const d = path.join(net, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(path.join(d, 'flags'), `${flags}\n`);
    writeFileSync(path.join(d, 'ifindex'), `${index}\n`);
    writeFileSync(path.join(d, 'address'), `${mac}\n`);
    if (master) symlinkSync(`../${master}`, path.join(d, 'master'));
  };
  dev('lo', '0x9', 1, '00:00:00:00:00:00');
  dev('eth0', '0x1003', 2, '02:00:00:00:00:11');
  dev('eth1', '0x1002', 3, '02:00:00:00:00:12');
  dev('br0', '0x1003', 4, '02:00:00:00:00:14');
  dev('veth9', '0x1003', 5, '02:00:00:00:00:15', 'br0');
  dev('wg0', '0x90', 6, '');
  mkdirSync(path.join(net, 'broken'));
  const ifInet6 = path.join(root, 'if_inet6');
  writeFileSync(ifInet6, [
    '00000000000000000000000000000001 01 80 10 80       lo',
    'fe800000000000000000000000000011 02 40 20 80     eth0',
    '20010db8000000000000000000000011 04 40 00 80      br0',
    '',
  ].join('\n'));
  return { root, paths: { sysClassNet: net, ifInet6 } };
}

test('scanInterfaces reads flags, index, MAC, master and link-local presence from a sysfs tree', () => {
  const { root, paths } = fakeSys();
  try {
    const got = scanInterfaces(paths);
    const by = Object.fromEntries(got.map((i) => [i.name, i]));
    assert.equal(Object.keys(by).sort(), ['br0', 'eth0', 'eth1', 'lo', 'veth9', 'wg0'], 'unreadable entries are skipped');
    assert.equal([by.eth0!.up, by.eth0!.broadcast, by.eth0!.noARP, by.eth0!.linkLocalV6, by.eth0!.index], [true, true, false, true, 2]);
    assert.equal([by.eth1!.up, by.eth1!.linkLocalV6], [false, false]);
    assert.is(by.br0!.linkLocalV6, false, 'a global address is not link-local');
    assert.is(by.veth9!.master, 'br0');
    assert.equal([by.wg0!.noARP, by.wg0!.mac.length], [true, 0]);
    assert.equal(got.filter((i) => arpEligibility(i).eligible).map((i) => i.name), ['br0', 'eth0']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the real scan of this machine returns loopback as ineligible', () => {
  const lo = scanInterfaces().find((i) => i.name === 'lo');
  if (!lo) return console.log('  (skip) no /sys/class/net/lo here');
  assert.is(arpEligibility(lo).eligible, false);
});

test('a missing if_inet6 (IPv6 disabled) means no link-local anywhere; hardware addresses of any length parse', () => {
  assert.is(linkLocalInterfaces('/nonexistent/if_inet6').size, 0);
  assert.equal([...parseHardwareAddress('02:00:00:00:00:11')], [2, 0, 0, 0, 0, 0x11]);
  assert.is(parseHardwareAddress('').length, 0);
  assert.is(parseHardwareAddress('80:00:00:48:fe:80:00:00:00:00:00:00:00:00:00:00:00:00:00:00').length, 20);
});

test('solicited-node MACs map back to their IPv6 group; other multicast MACs do not', () => {
  assert.is(solicitedNodeGroupOf(Buffer.from('3333ff000100', 'hex')), 'ff02::1:ff00:100');
  assert.is(solicitedNodeGroupOf(Buffer.from('3333ffabcdef', 'hex')), 'ff02::1:ffab:cdef');
  assert.is(solicitedNodeGroupOf(Buffer.from('333300000001', 'hex')), undefined);
  assert.is(solicitedNodeGroupOf(Buffer.from('01005e000001', 'hex')), undefined);
});

test.run();
