// `lbctl migrate` as a user runs it: the built CLI (`node bin/run.js migrate ...`) as a child process,
// checking exit codes, stdout, stderr and what lands on disk. Builds dist/ first when it is missing
// or older than the migrate sources.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const contract = path.join(root, 'migrate');
const built = path.join(root, 'dist/cli/commands/migrate.js');

function newestSource(): number {
  const dirs = [path.join(root, 'src/migrate'), path.join(root, 'src/config'), path.join(root, 'src/cli/commands')];
  let newest = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  dirs.filter(existsSync).forEach(walk);
  return newest;
}

test.before(() => {
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) return;
  // tsc exits non-zero when any file of the tree has a type error but still emits; what matters here
  // is that the migrate command was emitted.
  spawnSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'ignore', timeout: 180_000 });
  assert.ok(existsSync(built), 'dist/cli/commands/migrate.js must exist after building');
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function lbctl(args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, ['bin/run.js', 'migrate', ...args], {
    cwd: root,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, LBCTL_LOG_LEVEL: 'silent' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let scratch = '';
test.before.each(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'lbctl-migrate-'));
});
test.after.each(() => {
  rmSync(scratch, { recursive: true, force: true });
});

test('a good ConfigMap converts: exit 0, stdout is the golden CRDs, stderr is empty', () => {
  const r = lbctl([path.join(contract, 'layer2.yaml')]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, readFileSync(path.join(contract, 'layer2.crds.yaml'), 'utf8'));
  assert.is(r.stderr, '');
});

test('a bad ConfigMap fails: exit 1, nothing on stdout, the reason on stderr', () => {
  const r = lbctl([path.join(contract, 'bad-unknown-protocol.yaml')]);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, 'unknown protocol "l2"');
});

test('stdin works and gives the same bytes as the file (apart from the source name)', () => {
  const text = readFileSync(path.join(contract, 'layer2.yaml'), 'utf8');
  const r = lbctl(['-'], text);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, readFileSync(path.join(contract, 'layer2.crds.yaml'), 'utf8').replace('from layer2.yaml', 'from stdin'));
});

test('--output-dir writes one file per object, named in apply order', () => {
  const out = path.join(scratch, 'crds');
  const r = lbctl([path.join(contract, 'passwords-in-secrets.yaml'), '--password-secrets', '--output-dir', out]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  const files = readdirSync(out).sort();
  assert.equal(files.map((f) => f.replace(/-.*/, '')), ['01', '01', '04', '04', '04', '05', '07']);
  const secret = yaml.load(readFileSync(path.join(out, files[0]!), 'utf8')) as { kind: string; type: string };
  assert.equal([secret.kind, secret.type], ['Secret', 'kubernetes.io/basic-auth']);
  for (const f of files.filter((f) => f.includes('bgppeer'))) assert.not.match(readFileSync(path.join(out, f), 'utf8'), 'password:');
});

test('a failed run with --output-dir creates nothing', () => {
  const out = path.join(scratch, 'crds');
  const r = lbctl([path.join(contract, 'bad-overlapping-pools.yaml'), '--output-dir', out]);
  assert.is(r.code, 1);
  assert.not.ok(existsSync(out), 'no directory may appear');
  assert.equal(readdirSync(scratch), [], 'no temporary left behind either');
});

test('--output json prints a v1 List of the same objects', () => {
  const r = lbctl([path.join(contract, 'bgp-pools.yaml'), '--output', 'json']);
  assert.is(r.code, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { kind: string; items: unknown[] };
  assert.is(list.kind, 'List');
  const fromYaml = yaml.loadAll(readFileSync(path.join(contract, 'bgp-pools.crds.yaml'), 'utf8'));
  assert.equal(list.items, fromYaml);
});

test('--check fails on warnings and writes nothing; a clean conversion passes', () => {
  const warned = lbctl([path.join(contract, 'passwords.yaml'), '--check']);
  assert.is(warned.code, 1);
  assert.is(warned.stdout, '');
  assert.match(warned.stderr, 'clear text');
  assert.match(warned.stderr, '--check');
  const clean = lbctl([path.join(contract, 'passwords.yaml'), '--check', '--password-secrets']);
  assert.is(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, 'kind: Secret');
});

test('--services prints the patch for each renamed pool on stderr', () => {
  const r = lbctl([path.join(contract, 'name-coercion.yaml'), '--services', path.join(contract, 'name-coercion.services.yaml')]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, `fix: kubectl -n shop patch service web --type merge -p '{"metadata":{"annotations":{"metallb.universe.tf/address-pool":"my-pool"}}}'`);
  assert.match(r.stderr, 'ingress IP 10.99.0.5 is not in any pool');
});

test('--to configmap rolls the golden CRDs back into one ConfigMap', () => {
  const r = lbctl([path.join(contract, 'communities.crds.yaml'), '--to', 'configmap']);
  assert.is(r.code, 0, r.stderr);
  const cm = yaml.load(r.stdout) as { kind: string; data: { config: string } };
  assert.is(cm.kind, 'ConfigMap');
  assert.match(cm.data.config, 'name: sandbox');
});

test('--to configmap fails listing every construct legacy cannot express', () => {
  const crds = path.join(scratch, 'crds.yaml');
  writeFileSync(
    crds,
    [
      'apiVersion: metallb.io/v1beta1',
      'kind: IPAddressPool',
      'metadata: {name: web, namespace: metallb-system}',
      'spec: {addresses: [192.0.2.0/24], serviceAllocation: {priority: 1}}',
      '---',
      'apiVersion: metallb.io/v1beta1',
      'kind: L2Advertisement',
      'metadata: {name: web, namespace: metallb-system}',
      'spec: {ipAddressPools: [web], interfaces: [eth0]}',
      '',
    ].join('\n'),
  );
  const r = lbctl([crds, '--to', 'configmap']);
  assert.is(r.code, 1);
  assert.is(r.stdout, '');
  assert.match(r.stderr, 'spec.serviceAllocation cannot be expressed');
  assert.match(r.stderr, 'L2Advertisement interfaces cannot be expressed');
});

const usage: [string, string[]][] = [
  ['an unknown output format', ['migrate/layer2.yaml', '--output', 'xml']],
  ['an unknown direction', ['migrate/layer2.yaml', '--to', 'helm']],
  ['an unknown flag', ['migrate/layer2.yaml', '--bogus']],
  ['two input files', ['migrate/layer2.yaml', 'migrate/bgp-pools.yaml']],
  ['--password-secrets with --to configmap', ['migrate/layer2.crds.yaml', '--to', 'configmap', '--password-secrets']],
  ['stdin for both the input and --services', ['-', '--services', '-']],
];
for (const [desc, args] of usage) {
  test(`usage error (exit 2): ${desc}`, () => {
    const r = lbctl(args);
    assert.is(r.code, 2, r.stderr);
    assert.is(r.stdout, '');
  });
}

test('a missing input file is a failed conversion (exit 1) naming the file', () => {
  const r = lbctl([path.join(scratch, 'nope.yaml')]);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'nope.yaml');
  assert.match(r.stderr, 'ENOENT');
});

test.run();
