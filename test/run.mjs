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
child.stdout.on('data', (b) => { out += b; process.stdout.write(b); });
child.stderr.on('data', (b) => { out += b; process.stderr.write(b); });
child.on('close', (code) => {
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
