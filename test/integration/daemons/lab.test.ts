// `npm start` as a user runs it: the lab process finishes by itself with status 0, prints every
// section, and leaves no namespace, process or temporary folder behind. Without root it falls
// back to the allocation table.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { canBuildLab } from '../../../src/lab/network.js';
import { hasCommand } from '../../../src/lab/cluster.js';
import { BpfHashMap } from '../../../src/sys/bpf.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MAIN = path.join(ROOT, 'dist/lab/main.js');
const built = fs.existsSync(MAIN);
const can = canBuildLab();

function bpfAllowed(): boolean {
  try {
    BpfHashMap.create('lbctl_probe', 4, 4, 1).close();
    return true;
  } catch {
    return false;
  }
}

function runLab(asUser?: string): { status: number | null; out: string } {
  const cmd = asUser ? 'runuser' : process.execPath;
  const args = asUser ? ['-u', asUser, '--', process.execPath, MAIN] : [MAIN];
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 150_000, env: { ...process.env, LBCTL_LOG_LEVEL: 'info' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

if (!built || !can.ok) {
  const why = !built ? 'dist/ is missing (run `npm run build`)' : can.ok ? '' : can.why;
  test.skip(`the network lab (${why})`, () => {});
  console.log(`SKIP lab: ${why}`);
} else {
  test('the lab runs the whole demo, finishes by itself and cleans up', () => {
    const { status, out } = runLab();
    assert.is(status, 0, out);
    const prefix = /network namespaces \((lbdlab\d+)-\*\)/.exec(out)?.[1];
    assert.ok(prefix, 'prints its namespace prefix');
    assert.match(out, /default\/web\s+192\.0\.2\.\d+\s+layer2 from node-[abc]/);
    assert.match(out, /answered by 02:00:00:00:00:0[abc] = node-[abc] \(the elected owner\)/);
    // As root with bpf(2) allowed, every speaker answers in the kernel by default.
    if (bpfAllowed()) assert.match(out, /answered node-a: in the kernel \(tcx fast path\), node-b: in the kernel \(tcx fast path\), node-c: in the kernel/);
    if (hasCommand('bird')) assert.match(out, /198\.51\.100\.0\/32\s+unicast/);
    assert.match(out, /moved from node-[abc] to node-[abc] in [\d.]+ m?s/);
    assert.match(out, /= the new owner; rounds answered by two MACs: 0/);
    assert.match(out, /nothing left behind/);
    const left = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith(`${prefix}-`));
    assert.equal(left, [], 'no namespace left');
    const tmp = /controller on (\S+)\/cluster/.exec(out)?.[1];
    assert.ok(tmp && !fs.existsSync(tmp), `temporary folder ${tmp} removed`);
  });
}

if (built && process.getuid?.() === 0 && hasCommand('runuser')) {
  test('without root the lab prints the allocation table from the directory source alone', () => {
    const { status, out } = runLab('nobody');
    if (/EACCES|permission denied/i.test(out)) { console.log('SKIP lab fallback: the checkout is not readable by nobody'); return; }
    assert.is(status, 0, out);
    assert.match(out, /falling back to the directory source alone/);
    assert.match(out, /default\/web\s+192\.0\.2\.2\d\d\s+lan/);
    assert.match(out, /default\/dns\s+198\.51\.100\.\d+\s+routed/);
  });
}

test.run();
