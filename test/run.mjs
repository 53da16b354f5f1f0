#!/usr/bin/env node
// Runs every uvu suite (test/**/*.test.ts) under tsx and closes with the plain
// `N passed, N failed, N skipped` line that CI reads (uvu's own summary is not a CI format).
// Usage: node test/run.mjs [--unit|--integration] [extra uvu pattern]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
let dir = 'test';
if (args.includes('--unit')) dir = 'test/unit';
if (args.includes('--integration')) dir = 'test/integration';
const pattern = args.find((a) => !a.startsWith('--')) ?? '\\.test\\.ts$';

const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');
const child = spawn(process.execPath, ['--import', 'tsx', uvu, dir, pattern, '--no-color'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, LBCTL_LOG_LEVEL: process.env.LBCTL_LOG_LEVEL ?? 'silent' },
});
let out = '';
// A suite that leaves a socket or timer open keeps uvu alive after its summary: give it a grace
// period, then end it, so CI never hangs (the summary is already in hand). The whole run is bounded too.
const GRACE_MS = 10_000;
const LIMIT_MS = Number(process.env.LBCTL_TEST_LIMIT_MS ?? 75 * 60_000);
let lingered = false;
const limit = setTimeout(() => { console.error(`test run exceeded ${LIMIT_MS} ms: stopping it`); child.kill('SIGKILL'); }, LIMIT_MS);
child.stdout.on('data', (b) => {
  out += b;
  process.stdout.write(b);
  if (/^\s*Duration:/m.test(out) && !lingered) {
    lingered = true;
    setTimeout(() => {
      if (child.exitCode === null) {
        console.error(`uvu printed its summary but did not exit within ${GRACE_MS} ms (an open handle in some suite): ending it`);
        child.kill('SIGKILL');
      }
    }, GRACE_MS).unref();
  }
});
child.stderr.on('data', (b) => { out += b; process.stderr.write(b); });
child.on('close', (exitCode, signal) => {
  clearTimeout(limit);
  // Killed after a complete summary: judge by the summary; killed before it: a failure.
  const code = signal && lingered ? (/^\s*Passed:/m.test(out) ? 0 : 1) : exitCode ?? 1;
  const num = (label) => {
    const m = out.match(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm'));
    return m ? Number(m[1]) : 0;
  };
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped');
  // uvu's Total excludes skipped tests; a crash before the summary counts as one failure.
  const failed = total - passed || (code === 0 ? 0 : 1);
  if (total === 0 && code === 0) {
    console.log('tests: 0 passed, 1 failed (no test was executed)');
    process.exit(1);
  }
  console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
