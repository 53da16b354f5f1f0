// The daemon commands' argument handling, called as functions (oclif under tsx): bad input fails
// fast with a stable code and an exit status, before anything is opened or written.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Speaker from '../../../src/cli/commands/speaker.js';
import Controller from '../../../src/cli/commands/controller.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function failure(run: () => Promise<unknown>): Promise<Error & { code?: string; oclif?: { exit?: number } }> {
  try {
    await run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the command to fail');
}

test('a lease duration shorter than two renewals is a usage error and opens nothing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lbd-cli-'));
  try {
    const err = await failure(() => Speaker.run(['--source', `dir:${dir}`, '--node', 'n1', '--lease-renew', '1000', '--lease-duration', '1500', '--metrics-listen', ''], ROOT));
    assert.match(err.message, /lease duration 1500 ms must be at least twice the renew interval 1000 ms/);
    assert.is(err.oclif?.exit, 2);
    assert.is(err.code, 'speaker.lease-timing');
    assert.equal(fs.readdirSync(dir), [], 'nothing was written into the source');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const storeLoss = [
  { desc: 'keep mode (the default) refuses a duration shorter than two renewals plus the fence margin, naming the flag', args: ['--lease-renew', '500', '--lease-duration', '1200'], want: /lease duration 1200 ms must be at least twice the renew interval plus the fence margin \(1250 ms\) with --on-store-loss keep/ },
  { desc: 'an unknown --on-store-loss value is refused, listing the two modes', args: ['--on-store-loss', 'maybe'], want: /Expected --on-store-loss=maybe to be one of: keep, fence/ },
];
for (const c of storeLoss) {
  test(c.desc, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lbd-cli-'));
    try {
      const err = await failure(() => Speaker.run(['--source', `dir:${dir}`, '--node', 'n1', '--metrics-listen', '', ...c.args], ROOT));
      assert.match(err.message, c.want);
      assert.equal(fs.readdirSync(dir), [], 'nothing was written into the source');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a speaker without a node name is a usage error', async () => {
  const saved = process.env['NODE_NAME'];
  delete process.env['NODE_NAME'];
  try {
    const err = await failure(() => Speaker.run(['--source', 'dir:/nonexistent', '--metrics-listen', ''], ROOT));
    assert.match(err.message, /--node is required/);
    assert.is(err.oclif?.exit, 2);
  } finally {
    if (saved !== undefined) process.env['NODE_NAME'] = saved;
  }
});

const sources = [
  { desc: 'an unknown source scheme is refused naming the value', source: 'foo:bar', want: /"foo:bar" is neither dir:PATH nor k8s/ },
  { desc: 'a missing source directory is refused naming the path', source: 'dir:/nonexistent/lbd', want: /\/nonexistent\/lbd does not exist/ },
];
for (const c of sources) {
  test(c.desc, async () => {
    const err = await failure(() => Controller.run(['--source', c.source, '--metrics-listen', ''], ROOT));
    assert.match(err.message, c.want);
    assert.is(err.code, 'state.read-failed');
  });
}

test.run();
