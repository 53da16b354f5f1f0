// `lbctl speaker --l2-kernel-responder` as a user runs it, without the privilege the fast path
// needs (as `nobody`, through runuser): `on` stops at once with an error that names the flag and
// the missing capabilities; `auto` (the default) says once that it answers from user space and
// keeps running. Uses the built CLI (npm test builds dist/ first).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = path.join(root, 'bin/run.js');
const built = existsSync(path.join(root, 'dist/cli/commands/speaker.js'));
const canRunAsNobody = process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0;
const why = !built ? 'dist/ is missing (run `npm run build`)' : !canRunAsNobody ? 'needs root and runuser to run the CLI as nobody' : '';

let dir = '';
const speakerArgs = (mode: string) => ['-u', 'nobody', '--', process.execPath, bin, 'speaker', '--source', `dir:${dir}`, '--node', 'n1', '--no-bgp', '--metrics-listen', '', '--no-fsync', '--l2-kernel-responder', mode];

if (why) {
  console.log(`  skip integration/cli/speaker-kernel-responder: ${why}`);
  test.skip('speaker --l2-kernel-responder without privilege', () => {});
} else {
  test.before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lbctl-kr-'));
    chmodSync(dir, 0o777); // nobody writes the speaker's lease and records here
  });
  test.after(() => rmSync(dir, { recursive: true, force: true }));

  test('on: refused by the kernel, the speaker exits 1 naming the flag and what it needs', () => {
    const r = spawnSync('runuser', speakerArgs('on'), { encoding: 'utf8', timeout: 30_000, env: { ...process.env, LBCTL_LOG_LEVEL: 'silent' } });
    assert.is(r.status, 1, r.stderr);
    // oclif wraps the message and may colour its margin: read it back as one line.
    const err = r.stderr.replace(/\x1b\[[0-9;]*m/g, '').replace(/\s*›\s*/g, ' ');
    assert.match(err, /--l2-kernel-responder on: the kernel refused the ARP\/NDP fast path/);
    assert.match(err, /EPERM/);
    assert.match(err, /CAP_BPF and CAP_NET_ADMIN/);
  });

  test('auto: the speaker logs the fallback once and keeps running', async () => {
    const child = spawn('runuser', speakerArgs('auto'), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LBCTL_LOG_LEVEL: 'info' } });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    try {
      const started = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), 20_000);
        child.stdout.on('data', () => { if (/"msg":"speaker started"/.test(out)) { clearTimeout(t); resolve(true); } });
        child.on('exit', () => { clearTimeout(t); resolve(false); });
      });
      assert.ok(started, out);
      const fallbacks = out.split('\n').filter((l) => l.includes('kernel responder unavailable'));
      assert.is(fallbacks.length, 1, out);
      assert.match(fallbacks[0]!, /answering from user space/);
      assert.is(child.exitCode, null, 'still running');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
  });
}

test.run();
