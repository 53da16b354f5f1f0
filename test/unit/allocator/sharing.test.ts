import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Allocator } from '../../../src/allocator/allocator.js';
import { checkSharing, type SharingState } from '../../../src/allocator/sharing.js';
import type { AllocationRequest } from '../../../src/allocator/types.js';
import { config, req } from './helpers.js';

const holder: SharingState = {
  sharingKey: 'k',
  trafficPolicy: 'Local',
  selector: 'app=web',
  services: ['ns/a'],
  ports: [['TCP/80', 'ns/a']],
};

const ruleCases: { desc: string; have?: SharingState; want: Partial<AllocationRequest>; verdict: string }[] = [
  { desc: 'an unused address is always fine', want: { sharingKey: '' }, verdict: 'ok' },
  { desc: 'same key, same Local selector, other port shares', have: holder, want: { sharingKey: 'k', trafficPolicy: 'Local', selector: 'app=web', ports: [{ protocol: 'TCP', port: 443 }] }, verdict: 'ok' },
  { desc: 'TCP/80 and UDP/80 coexist', have: holder, want: { sharingKey: 'k', trafficPolicy: 'Local', selector: 'app=web', ports: [{ protocol: 'UDP', port: 80 }] }, verdict: 'ok' },
  { desc: 'the same port is refused', have: holder, want: { sharingKey: 'k', trafficPolicy: 'Local', selector: 'app=web', ports: [{ protocol: 'TCP', port: 80 }] }, verdict: 'portInUse' },
  { desc: 'a service without a key never shares', have: holder, want: { sharingKey: '', trafficPolicy: 'Local', selector: 'app=web', ports: [{ protocol: 'TCP', port: 443 }] }, verdict: 'notShared' },
  { desc: 'an address without a key is never shared', have: { ...holder, sharingKey: '' }, want: { sharingKey: 'k', trafficPolicy: 'Local', selector: 'app=web', ports: [{ protocol: 'TCP', port: 443 }] }, verdict: 'notShared' },
  { desc: 'a different key is refused', have: holder, want: { sharingKey: 'other', trafficPolicy: 'Local', selector: 'app=web', ports: [{ protocol: 'TCP', port: 443 }] }, verdict: 'sharingKeyDiffers' },
  { desc: 'Cluster does not share with Local', have: holder, want: { sharingKey: 'k', trafficPolicy: 'Cluster', selector: '', ports: [{ protocol: 'TCP', port: 443 }] }, verdict: 'trafficPolicyDiffers' },
  { desc: 'Local services with different selectors are refused', have: holder, want: { sharingKey: 'k', trafficPolicy: 'Local', selector: 'app=db', ports: [{ protocol: 'TCP', port: 443 }] }, verdict: 'selectorDiffers' },
  {
    desc: 'Cluster services share whatever their selectors',
    have: { ...holder, trafficPolicy: 'Cluster', selector: '' },
    want: { sharingKey: 'k', trafficPolicy: 'Cluster', selector: '', ports: [{ protocol: 'TCP', port: 443 }] },
    verdict: 'ok',
  },
];

for (const c of ruleCases) {
  test(`sharing rule: ${c.desc}`, () => {
    const v = checkSharing(c.have, req('ns/b', c.want), '10.0.0.1');
    assert.is(v.ok ? 'ok' : v.reason, c.verdict);
    if (!v.ok) assert.match(v.message, /10\.0\.0\.1/);
  });
}

test('sharing rule: the sole user may change its own keys and keep its port', () => {
  const v = checkSharing(holder, req('ns/a', { sharingKey: 'new', trafficPolicy: 'Cluster', ports: [{ protocol: 'TCP', port: 80 }] }), '10.0.0.1');
  assert.ok(v.ok);
});

test('sharing rule: a user may not change its keys while another service shares the address', () => {
  const shared: SharingState = { ...holder, services: ['ns/a', 'ns/b'], ports: [['TCP/80', 'ns/a'], ['TCP/443', 'ns/b']] };
  const v = checkSharing(shared, req('ns/a', { sharingKey: 'new', trafficPolicy: 'Local', selector: 'app=web' }), '10.0.0.1');
  assert.is(v.ok ? 'ok' : v.reason, 'sharingKeyDiffers');
});

// The MetalLB TestAssignment sequence (v0.12.1), state carried from step to step.
const seqPools = config(
  { name: 'test', addresses: ['1.2.3.4/31', '1000::4/127'] },
  { name: 'test2', addresses: ['1.2.4.0/24', '1000::4:0/120'], avoidBuggyIPs: true },
);
const tcp = (port: number) => [{ protocol: 'TCP' as const, port }];
const steps: { desc: string; svc: string; ip: string; r?: Partial<AllocationRequest>; ok: boolean }[] = [
  { desc: 'assign s1', svc: 's1', ip: '1.2.3.4', ok: true },
  { desc: 's1 idempotent reassign', svc: 's1', ip: '1.2.3.4', ok: true },
  { desc: "s2 can't grab s1's IP", svc: 's2', ip: '1.2.3.4', ok: false },
  { desc: 's2 can get the other IP', svc: 's2', ip: '1.2.3.5', ok: true },
  { desc: "s1 now can't grab s2's IP", svc: 's1', ip: '1.2.3.5', ok: false },
  { desc: "s3 cannot grab a 0 buggy IP", svc: 's3', ip: '1.2.4.0', ok: false },
  { desc: "s3 cannot grab a 255 buggy IP", svc: 's3', ip: '1.2.4.255', ok: false },
  { desc: 's3 can grab another IP in that pool', svc: 's3', ip: '1.2.4.254', ok: true },
  { desc: 's4 takes an IP, with sharing', svc: 's4', ip: '1.2.4.3', r: { ports: tcp(80), sharingKey: 'sharing', trafficPolicy: 'Local', selector: 'backend' }, ok: true },
  { desc: 's4 changes its sharing key in place', svc: 's4', ip: '1.2.4.3', r: { ports: tcp(80), sharingKey: 'share', trafficPolicy: 'Local', selector: 'backend' }, ok: true },
  { desc: "s3 can't share with s4 (port conflict)", svc: 's3', ip: '1.2.4.3', r: { ports: tcp(80), sharingKey: 'share', trafficPolicy: 'Local', selector: 'backend' }, ok: false },
  { desc: "s3 can't share with s4 (wrong sharing key)", svc: 's3', ip: '1.2.4.3', r: { ports: tcp(443), sharingKey: 'othershare', trafficPolicy: 'Local', selector: 'backend' }, ok: false },
  { desc: "s3 can't share with s4 (wrong backend key)", svc: 's3', ip: '1.2.4.3', r: { ports: tcp(443), sharingKey: 'share', trafficPolicy: 'Local', selector: 'otherbackend' }, ok: false },
  { desc: 's3 takes the same IP as s4', svc: 's3', ip: '1.2.4.3', r: { ports: tcp(443), sharingKey: 'share', trafficPolicy: 'Local', selector: 'backend' }, ok: true },
  { desc: 's3 can change its ports while keeping the same IP', svc: 's3', ip: '1.2.4.3', r: { ports: [{ protocol: 'UDP', port: 53 }], sharingKey: 'share', trafficPolicy: 'Local', selector: 'backend' }, ok: true },
  { desc: "s3 can't change its sharing key while keeping the same IP", svc: 's3', ip: '1.2.4.3', r: { ports: [{ protocol: 'UDP', port: 53 }], sharingKey: 'othershare', trafficPolicy: 'Local', selector: 'backend' }, ok: false },
  { desc: "s3 can't change its backend key while keeping the same IP", svc: 's3', ip: '1.2.4.3', r: { ports: [{ protocol: 'UDP', port: 53 }], sharingKey: 'share', trafficPolicy: 'Local', selector: 'otherbackend' }, ok: false },
  { desc: "s4 takes s3's former IP", svc: 's4', ip: '1.2.4.254', r: { ports: tcp(80), sharingKey: 'share', trafficPolicy: 'Local', selector: 'backend' }, ok: true },
];

test('MetalLB TestAssignment sequence gives the same verdicts', () => {
  const a = new Allocator(seqPools);
  for (const s of steps) {
    const r = a.assignIPs(req(`ns/${s.svc}`, s.r ?? {}), [s.ip]);
    assert.is(r.ok, s.ok, s.desc);
    if (s.ok) assert.ok(a.ips(`ns/${s.svc}`).includes(s.ip), s.desc);
  }
});

test('automatic allocation joins the lowest compatible sharer before a free address', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['10.0.0.0/29'] }));
  const share = { sharingKey: 'dns', ports: [{ protocol: 'TCP' as const, port: 53 }] };
  a.assign(req('ns/plain'));
  a.assign(req('ns/tcp', share));
  const udp = a.assign(req('ns/udp', { ...share, ports: [{ protocol: 'UDP', port: 53 }] }));
  const clash = a.assign(req('ns/tcp2', share));
  assert.equal([a.ips('ns/tcp'), udp.ok && udp.ips, clash.ok && clash.ips], [['10.0.0.1'], ['10.0.0.1'], ['10.0.0.2']]);
  assert.equal(a.usersOf('10.0.0.1'), ['ns/tcp', 'ns/udp']);
  assert.is(a.counts('p')!.inUse.total, 2n + 1n);
});

test('a shared address stays in use until its last user leaves', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['10.0.0.0/30'] }));
  const share = { sharingKey: 'k' };
  a.assign(req('ns/a', { ...share, ports: tcp(80) }));
  a.assign(req('ns/b', { ...share, ports: tcp(443) }));
  a.release('ns/a');
  const c = a.assign(req('ns/c'));
  assert.equal(c.ok && c.ips, ['10.0.0.1']);
  a.release('ns/b');
  const d = a.assign(req('ns/d'));
  assert.equal(d.ok && d.ips, ['10.0.0.0']);
});

test('a port released by one sharer can be taken by another', () => {
  const a = new Allocator(config({ name: 'p', addresses: ['10.0.0.0/32'] }));
  const share = { sharingKey: 'k' };
  a.assign(req('ns/a', { ...share, ports: tcp(80) }));
  a.assign(req('ns/b', { ...share, ports: tcp(443) }));
  assert.is(a.assign(req('ns/c', { ...share, ports: tcp(80) })).ok, false);
  a.assign(req('ns/a', { ...share, ports: tcp(8080) }));
  assert.equal(a.assign(req('ns/c', { ...share, ports: tcp(80) })).ok, true);
});

test.run();
