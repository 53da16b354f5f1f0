// The directory source against a real temporary folder: live pick-up, atomic writes into .lbctl/,
// user files never rewritten, half-written files ignored, and the rescan safety net.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DirSource, readEvents } from '../../../src/state/dir/index.js';
import type { WatchEvent } from '../../../src/state/types.js';
import { ingressIPsOf } from '../../../src/state/objects.js';
import { StateError } from '../../../src/state/errors.js';

const svcYaml = (name: string, extra = '') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: default\n${extra}spec:\n  type: LoadBalancer\n`;

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lbd-dir-'));
}

async function until<T>(what: string, f: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function record(src: DirSource, kinds: Parameters<DirSource['watch']>[0]): WatchEvent[] {
  const evs: WatchEvent[] = [];
  src.watch(kinds, (e) => evs.push(e));
  return evs;
}

test('the initial list arrives as ADDED events followed by one SYNCED', async () => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'a.yaml'), svcYaml('a') + '---\n' + svcYaml('b'));
  fs.writeFileSync(path.join(dir, 'nodes.yaml'), 'apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n');
  const src = new DirSource(dir, { rescanMs: 0 });
  try {
    const evs = record(src, ['Service']);
    await until('synced', () => evs.find((e) => e.type === 'SYNCED'));
    assert.equal(evs.map((e) => e.type === 'SYNCED' ? 'SYNCED' : `${e.type} ${e.object.metadata.name}`), ['ADDED a', 'ADDED b', 'SYNCED']);
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('creating, editing and deleting a file is seen live through the file watch', async () => {
  const dir = tmpdir();
  const src = new DirSource(dir, { rescanMs: 0 });
  try {
    const evs = record(src, ['Service']);
    await until('synced', () => evs.find((e) => e.type === 'SYNCED'));
    fs.writeFileSync(path.join(dir, 'web.yaml'), svcYaml('web'));
    await until('added', () => evs.find((e) => e.type === 'ADDED'));
    fs.writeFileSync(path.join(dir, 'web.yaml'), svcYaml('web', '  labels: {tier: front}\n'));
    const mod = await until('modified', () => evs.find((e) => e.type === 'MODIFIED'));
    assert.equal(mod.type !== 'SYNCED' && mod.object.metadata.labels, { tier: 'front' });
    fs.unlinkSync(path.join(dir, 'web.yaml'));
    await until('deleted', () => evs.find((e) => e.type === 'DELETED'));
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('an editor that truncates a file and then writes it does not make its objects vanish', async () => {
  const dir = tmpdir();
  const f = path.join(dir, 'web.yaml');
  fs.writeFileSync(f, svcYaml('web'));
  const src = new DirSource(dir, { rescanMs: 0 });
  try {
    const evs = record(src, ['Service']);
    await until('synced', () => evs.find((e) => e.type === 'SYNCED'));
    for (let i = 0; i < 3; i++) {
      fs.writeFileSync(f, ''); // O_TRUNC first, content a moment later: an in-place save
      await new Promise((r) => setTimeout(r, 10));
      fs.writeFileSync(f, svcYaml('web', `  labels: {v: "${i}"}\n`));
      await new Promise((r) => setTimeout(r, 120));
    }
    assert.equal(evs.filter((e) => e.type === 'DELETED'), []);
    assert.equal(src.get('Service', 'default', 'web')?.metadata.labels, { v: '2' });
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('moving a manifest to another folder is not a deletion', async () => {
  const dir = tmpdir();
  fs.mkdirSync(path.join(dir, 'old'));
  fs.mkdirSync(path.join(dir, 'new'));
  fs.writeFileSync(path.join(dir, 'old/web.yaml'), svcYaml('web'));
  const src = new DirSource(dir, { rescanMs: 0 });
  try {
    const evs = record(src, ['Service']);
    await until('synced', () => evs.find((e) => e.type === 'SYNCED'));
    fs.renameSync(path.join(dir, 'old/web.yaml'), path.join(dir, 'new/web.yaml'));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(evs.filter((e) => e.type === 'DELETED'), []);
    assert.ok(src.get('Service', 'default', 'web'));
    fs.rmSync(path.join(dir, 'new'), { recursive: true });
    await until('deleted with its folder', () => evs.find((e) => e.type === 'DELETED'));
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('without file notifications the periodic rescan still picks changes up', async () => {
  const dir = tmpdir();
  const src = new DirSource(dir, { rescanMs: 50, watch: false });
  try {
    const evs = record(src, ['Service']);
    fs.writeFileSync(path.join(dir, 'web.yaml'), svcYaml('web'));
    await until('added by rescan', () => evs.find((e) => e.type === 'ADDED'));
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('status and annotations go to .lbctl and the user file stays byte-identical', async () => {
  const dir = tmpdir();
  const userFile = path.join(dir, 'web.yaml');
  const original = svcYaml('web', '  annotations: {owner: me, metallb.io/address-pool: old}\n');
  fs.writeFileSync(userFile, original);
  const src = new DirSource(dir, { rescanMs: 0 });
  try {
    await src.patchServiceStatus('default', 'web', ['192.0.2.10']);
    await src.patchServiceAnnotations('default', 'web', { 'metallb.io/ip-allocated-from-pool': 'p1', 'metallb.io/address-pool': null });
    assert.is(fs.readFileSync(userFile, 'utf8'), original);
    const svc = src.get('Service', 'default', 'web')!;
    assert.equal(ingressIPsOf(svc), ['192.0.2.10']);
    assert.equal(svc.metadata.annotations, { owner: 'me', 'metallb.io/ip-allocated-from-pool': 'p1' });
    assert.ok(fs.existsSync(path.join(dir, '.lbctl/status/services/default/web.yaml')));
    // A second source (another process) reading the same folder sees the same thing.
    const other = new DirSource(dir, { rescanMs: 0, watch: false });
    assert.equal(ingressIPsOf(other.get('Service', 'default', 'web')!), ['192.0.2.10']);
    await other.close();
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('status and annotations patched together become one write and one change event', async () => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'web.yaml'), svcYaml('web'));
  const src = new DirSource(dir, { rescanMs: 0 });
  try {
    const evs = record(src, ['Service']);
    await until('synced', () => evs.find((e) => e.type === 'SYNCED'));
    await Promise.all([src.patchServiceStatus('default', 'web', ['192.0.2.7']), src.patchServiceAnnotations('default', 'web', { 'metallb.io/ip-allocated-from-pool': 'p' })]);
    await new Promise((r) => setTimeout(r, 50));
    const mods = evs.filter((e) => e.type === 'MODIFIED');
    assert.is(mods.length, 1);
    const svc = mods[0]!.type === 'MODIFIED' ? mods[0]!.object : undefined;
    assert.equal(ingressIPsOf(svc!), ['192.0.2.7']);
    assert.is(svc!.metadata.annotations?.['metallb.io/ip-allocated-from-pool'], 'p');
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('a user edit racing a status write is kept: spec from the user, status from the daemon', async () => {
  const dir = tmpdir();
  const userFile = path.join(dir, 'web.yaml');
  fs.writeFileSync(userFile, svcYaml('web'));
  const src = new DirSource(dir, { rescanMs: 0 });
  try {
    const writes = [1, 2, 3, 4, 5].map((i) => src.patchServiceStatus('default', 'web', [`192.0.2.${i}`]));
    fs.writeFileSync(userFile, svcYaml('web', '  labels: {edited: "yes"}\n'));
    await Promise.all(writes);
    const svc = await until('user edit seen', () => {
      const s = src.get('Service', 'default', 'web');
      return s?.metadata.labels?.['edited'] === 'yes' ? s : undefined;
    });
    assert.equal(ingressIPsOf(svc), ['192.0.2.5'], 'last write wins, in call order');
    assert.match(fs.readFileSync(userFile, 'utf8'), /edited/);
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('a half-written manifest is ignored and its last good content kept', async () => {
  const dir = tmpdir();
  const f = path.join(dir, 'web.yaml');
  fs.writeFileSync(f, svcYaml('web', '  labels: {v: "1"}\n'));
  const src = new DirSource(dir, { rescanMs: 0, watch: false });
  try {
    fs.writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [web');
    src.rescan();
    assert.equal(src.get('Service', 'default', 'web')?.metadata.labels, { v: '1' });
    fs.writeFileSync(f, svcYaml('web', '  labels: {v: "2"}\n'));
    src.rescan();
    assert.equal(src.get('Service', 'default', 'web')?.metadata.labels, { v: '2' });
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('patching a Service that does not exist rejects with state.not-found', async () => {
  const dir = tmpdir();
  const src = new DirSource(dir, { rescanMs: 0 });
  try {
    await src.patchServiceStatus('default', 'ghost', ['192.0.2.1']).then(() => assert.unreachable(), (err) => {
      assert.instance(err, StateError);
      assert.is(err.code, 'state.not-found');
      assert.match(err.message, /default\/ghost/);
    });
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('leases, status records and events are written under .lbctl and leave no temporary files', async () => {
  const dir = tmpdir();
  const src = new DirSource(dir, { rescanMs: 0, writer: 'speaker-n1' });
  try {
    const evs = record(src, ['Lease', 'ServiceL2Status']);
    await src.upsertLease({ name: 'lbctl-speaker-n1', holder: 'n1', renewTime: Date.now(), durationSeconds: 2 });
    await src.upsertObject({ apiVersion: 'metallb.io/v1beta1', kind: 'ServiceL2Status', metadata: { name: 'l2-n1-default-web', namespace: 'metallb-system' }, status: { node: 'n1' } });
    await src.recordEvent({ involved: { kind: 'Service', namespace: 'default', name: 'web' }, type: 'Normal', reason: 'nodeAssigned', message: 'announcing from node "n1"', source: 'lbctl-speaker' });
    await src.recordEvent({ involved: { kind: 'Service', namespace: 'default', name: 'web' }, type: 'Normal', reason: 'nodeAssigned', message: 'announcing from node "n1"', source: 'lbctl-speaker' });
    assert.ok(src.get('Lease', 'metallb-system', 'lbctl-speaker-n1'));
    await src.deleteLease('lbctl-speaker-n1');
    await src.deleteObject('ServiceL2Status', 'metallb-system', 'l2-n1-default-web');
    const kinds = evs.filter((e) => e.type !== 'SYNCED').map((e) => `${e.type} ${e.type !== 'SYNCED' ? e.object.kind : ''}`);
    assert.equal(kinds, ['ADDED Lease', 'ADDED ServiceL2Status', 'DELETED Lease', 'DELETED ServiceL2Status']);
    await src.flush();
    const events = await readEvents(dir);
    assert.is(events.length, 1);
    assert.is(events[0]!.count, 2);
    assert.is(events[0]!.writer, 'speaker-n1');
    const leftovers = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));
    assert.equal(leftovers, []);
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('another process sees lease renewals, written by atomic rename, through the file watch alone', async () => {
  const dir = tmpdir();
  const writer = new DirSource(dir, { rescanMs: 0, writer: 'speaker-n1' });
  const reader = new DirSource(dir, { rescanMs: 0, writer: 'speaker-n2' });
  try {
    const evs = record(reader, ['Lease']);
    await until('synced', () => evs.find((e) => e.type === 'SYNCED'));
    for (let i = 1; i <= 5; i++) {
      await writer.upsertLease({ name: 'lbctl-speaker-n1', holder: 'n1', renewTime: 1_800_000_000_000 + i * 500, durationSeconds: 2 });
      await until(`renewal ${i}`, () => evs.filter((e) => e.type === 'ADDED' || e.type === 'MODIFIED').length >= i ? true : undefined);
    }
    await writer.deleteLease('lbctl-speaker-n1');
    await until('deletion', () => evs.find((e) => e.type === 'DELETED'));
  } finally { await writer.close(); await reader.close(); fs.rmSync(dir, { recursive: true }); }
});

test('a folder created later is watched too', async () => {
  const dir = tmpdir();
  const src = new DirSource(dir, { rescanMs: 0 });
  try {
    const evs = record(src, ['Service']);
    await until('synced', () => evs.find((e) => e.type === 'SYNCED'));
    fs.mkdirSync(path.join(dir, 'team/apps'), { recursive: true });
    await new Promise((r) => setTimeout(r, 50));
    fs.writeFileSync(path.join(dir, 'team/apps/web.yaml'), svcYaml('web'));
    await until('added from the new folder', () => evs.find((e) => e.type === 'ADDED'));
    fs.writeFileSync(path.join(dir, 'team/apps/web.yaml'), svcYaml('web', '  labels: {v: "2"}\n'));
    await until('modified in the new folder', () => evs.find((e) => e.type === 'MODIFIED'));
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('a ConfigMap-style volume (symlinks into a hidden ..data folder) is read, and its atomic swap is seen', async () => {
  const dir = tmpdir();
  const v1 = path.join(dir, '..2026_v1');
  fs.mkdirSync(v1);
  fs.writeFileSync(path.join(v1, 'web.yaml'), svcYaml('web', '  labels: {v: "1"}\n'));
  fs.symlinkSync('..2026_v1', path.join(dir, '..data'));
  fs.symlinkSync('..data/web.yaml', path.join(dir, 'web.yaml'));
  const src = new DirSource(dir, { rescanMs: 0 });
  try {
    assert.equal(src.get('Service', 'default', 'web')?.metadata.labels, { v: '1' });
    // kubelet's update: a new timestamped folder, then ..data is swapped by rename.
    const v2 = path.join(dir, '..2026_v2');
    fs.mkdirSync(v2);
    fs.writeFileSync(path.join(v2, 'web.yaml'), svcYaml('web', '  labels: {v: "2"}\n'));
    fs.symlinkSync('..2026_v2', path.join(dir, '..data_tmp'));
    fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
    await until('the swapped content', () => (src.get('Service', 'default', 'web')?.metadata.labels?.['v'] === '2' ? true : undefined));
  } finally { await src.close(); fs.rmSync(dir, { recursive: true }); }
});

test('a missing source directory is a clear error', () => {
  assert.throws(() => new DirSource('/nonexistent/lbd-nothing'), /does not exist/);
});

test.run();
