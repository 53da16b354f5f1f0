import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeDirAtomic, writeFileAtomic } from '../../../src/migrate/write.js';

let dir = '';
test.before.each(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'lbctl-write-'));
});
test.after.each(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('writeDirAtomic creates a missing directory with every file and leaves no temporary', async () => {
  const out = path.join(dir, 'crds');
  const written = await writeDirAtomic(out, [{ name: 'a.yaml', content: 'a\n' }, { name: 'b.yaml', content: 'b\n' }]);
  assert.equal(readdirSync(out).sort(), ['a.yaml', 'b.yaml']);
  assert.equal(written, [path.join(out, 'a.yaml'), path.join(out, 'b.yaml')]);
  assert.equal(readdirSync(dir), ['crds']);
});

test('writeDirAtomic replaces files of the same name in an existing directory and keeps others', async () => {
  const out = path.join(dir, 'crds');
  mkdirSync(out);
  writeFileSync(path.join(out, 'a.yaml'), 'old\n');
  writeFileSync(path.join(out, 'keep.txt'), 'mine\n');
  await writeDirAtomic(out, [{ name: 'a.yaml', content: 'new\n' }]);
  assert.is(readFileSync(path.join(out, 'a.yaml'), 'utf8'), 'new\n');
  assert.is(readFileSync(path.join(out, 'keep.txt'), 'utf8'), 'mine\n');
  assert.equal(readdirSync(dir), ['crds']);
});

test('writeDirAtomic refuses a file name that would escape the directory and leaves nothing', async () => {
  const out = path.join(dir, 'crds');
  try {
    await writeDirAtomic(out, [{ name: 'ok.yaml', content: 'x' }, { name: '../evil.yaml', content: 'x' }]);
    assert.unreachable('must throw');
  } catch (err) {
    assert.match((err as Error).message, 'refusing file name');
  }
  assert.equal(readdirSync(dir), []);
});

test('writeFileAtomic replaces a file whole', async () => {
  const f = path.join(dir, 'cm.yaml');
  writeFileSync(f, 'old\n');
  await writeFileAtomic(f, 'new\n');
  assert.is(readFileSync(f, 'utf8'), 'new\n');
  assert.equal(readdirSync(dir), ['cm.yaml']);
});

test.run();
