import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Allocate, { type AllocateResult } from '../../../src/cli/commands/allocate.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(root, 'fixtures/services');
const update = process.env.UPDATE_GOLDEN === '1';

/** run calls the command like a function, capturing stdout/stderr and the exit code. */
async function run(argv: string[]): Promise<{ out: string; err: string; code: number; result?: AllocateResult }> {
  let out = '';
  let err = '';
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((err += chunk.toString()), true)) as typeof process.stderr.write;
  try {
    const result = (await Allocate.run(argv, root)) as AllocateResult;
    return { out, err, code: 0, result };
  } catch (e) {
    const code = (e as { oclif?: { exit?: number } }).oclif?.exit ?? 99;
    return { out, err: err + String((e as Error).message), code };
  } finally {
    process.stdout.write = origOut;
    process.stderr.write = origErr;
  }
}

function golden(name: string, actual: string): void {
  const file = path.join(fixtures, name);
  if (update) writeFileSync(file, actual);
  assert.fixture(actual, readFileSync(file, 'utf8'));
}

const base = ['--config', path.join(fixtures, 'config.yaml'), '--services', path.join(fixtures, 'services.yaml')];

test('text output is the readable table (golden file)', async () => {
  const r = await run(base);
  assert.is(r.code, 0);
  golden('expected.txt', r.out);
});

test('json output has service, ips, pool, error and events per Service (golden file)', async () => {
  const r = await run([...base, '--output', 'json']);
  assert.is(r.code, 0);
  golden('expected.json', r.out);
  const entries = JSON.parse(r.out) as { service: string; ips: string[]; pool: string | null; error: string | null; events: unknown[] }[];
  const byName = Object.fromEntries(entries.map((e) => [e.service, e]));
  assert.equal(byName['default/running']!.ips, ['192.0.2.0'], 'a status address is kept');
  assert.equal(byName['default/dns-udp']!.ips, byName['default/dns-tcp']!.ips, 'the DNS pair shares an address');
  assert.is(byName['team-a/api']!.pool, 'team-a', 'namespaceSelectors see the Namespace labels');
  assert.match(byName['default/contradictory']!.error ?? '', /can not have both/);
  for (const e of entries) assert.equal(Object.keys(e).slice(0, 5), ['service', 'ips', 'pool', 'error', 'events']);
});

test('--lb-class handles only that class', async () => {
  const r = await run([...base, '-o', 'json', '--lb-class', 'example.com/other-lb']);
  const entries = JSON.parse(r.out) as { service: string; outcome: string; ips: string[] }[];
  const handled = entries.filter((e) => e.outcome !== 'ignored').map((e) => `${e.service}=${e.ips.join(',')}`);
  // Services without the class are ignored, so the running service's address is not held here.
  assert.equal(handled, ['default/elsewhere=192.0.2.0']);
});

test('several config files are merged and a Services List is accepted', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lbctl-allocate-'));
  try {
    const pools = path.join(dir, 'pools.yaml');
    const adv = path.join(dir, 'l2.yaml');
    const svcs = path.join(dir, 'svcs.json');
    writeFileSync(pools, 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: metallb-system}\nspec: {addresses: [198.51.100.7/32]}\n');
    writeFileSync(adv, 'apiVersion: metallb.io/v1beta1\nkind: L2Advertisement\nmetadata: {name: l2, namespace: metallb-system}\n');
    const svc = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'x' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    writeFileSync(svcs, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [svc('a'), svc('b')] }));
    const r = await run(['-c', pools, '-c', adv, '-s', svcs, '-o', 'json']);
    const entries = JSON.parse(r.out) as { service: string; ips: string[]; error: string | null }[];
    assert.equal(entries.map((e) => [e.service, e.ips]), [['x/a', ['198.51.100.7']], ['x/b', []]]);
    assert.match(entries[1]!.error ?? '', /no available IPs/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--nodes feeds Node manifests to the config parser without changing the allocation', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lbctl-allocate-'));
  try {
    const nodes = path.join(dir, 'nodes.yaml');
    writeFileSync(nodes, 'apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {zone: a}}\n');
    const withNodes = await run([...base, '--nodes', nodes, '-o', 'json']);
    const without = await run([...base, '-o', 'json']);
    assert.is(withNodes.code, 0);
    assert.is(withNodes.out, without.out);
    assert.not.match(withNodes.err, /warning: .*Node/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an invalid config exits 1 and names the problem', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lbctl-allocate-'));
  try {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'address-pools:\n- name: p\n  protocol: layer2\n  addresses: [10.0.0.0/33]\n');
    const r = await run(['-c', bad, '-s', path.join(fixtures, 'services.yaml')]);
    assert.is(r.code, 1);
    assert.match(r.err, /error: .*10\.0\.0\.0\/33/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing services file exits 1', async () => {
  const r = await run(['-c', path.join(fixtures, 'config.yaml'), '-s', path.join(fixtures, 'nope.yaml')]);
  assert.is(r.code, 1);
  assert.match(r.err, /nope\.yaml/);
});

const built = existsSync(path.join(root, 'dist/cli/commands/allocate.js'));
if (!built) console.log('allocate.test: skipping the binary test, dist/ is not built (npm test builds it first)');
(built ? test : test.skip)('the built binary reads services from stdin with -s -', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/run.js'), 'allocate', '-c', path.join(fixtures, 'config.yaml'), '-s', '-', '-o', 'json'], {
    input: readFileSync(path.join(fixtures, 'services.yaml')),
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, readFileSync(path.join(fixtures, 'expected.json'), 'utf8'));
});

test('an unknown output format is a usage error', async () => {
  const r = await run([...base, '-o', 'xml']);
  assert.is(r.code, 2);
});

test.run();
