// `lbctl validate`: the report function, both output formats, the input helpers, and the real
// command (through oclif under tsx, and as the built binary when dist/ exists) with its exit codes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Validate, { printReport, validateFiles } from '../../../src/cli/commands/validate.js';
import { EXIT, UsageError, readInputs } from '../../../src/cli/io.js';
import { validator } from '../../../src/config/schema/registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = (rel: string): string => path.join(root, 'fixtures/config', rel);
const file = (rel: string) => ({ name: rel, text: readFileSync(fixture(rel), 'utf8') });
const modelSchema = validator('model.schema.json');

function collect(): { out: string[]; write: (t: string) => void } {
  const out: string[] = [];
  return { out, write: (t) => void out.push(t) };
}

test('validateFiles: a valid config gives exit 0 and the model', () => {
  const { report, exitCode } = validateFiles([file('seeds/layer2-range-configmap.yaml')], { mode: 'controller' });
  assert.is(exitCode, EXIT.ok);
  assert.ok(report.valid && report.config.pools[0]!['name'] === 'default');
});

test('validateFiles: an invalid config gives exit 1 and typed errors naming object and field', () => {
  const { report, exitCode } = validateFiles([file('invalid/overlapping-pools.yaml')], { mode: 'controller' });
  assert.is(exitCode, EXIT.invalid);
  assert.ok(!report.valid);
  if (!report.valid) assert.equal(report.errors.map((e) => [e.code, e.object, e.field]), [['config.pool.overlap', 'address pool "b"', 'addresses[0]']]);
});

test('validateFiles: the mode changes the verdict', () => {
  const bfd = { name: 'bfd.yaml', text: 'bfd-profiles:\n- name: fast\n' };
  assert.is(validateFiles([bfd], { mode: 'controller' }).exitCode, EXIT.ok);
  assert.is(validateFiles([bfd], { mode: 'frr' }).exitCode, EXIT.ok);
  assert.is(validateFiles([bfd], { mode: 'native' }).exitCode, EXIT.invalid);
});

test('validateFiles: files may mix formats', () => {
  const crd = { name: 'crd.yaml', text: 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: extra}\nspec: {addresses: [10.9.0.0/24]}\n' };
  const { report } = validateFiles([file('seeds/layer2-range-configmap.yaml'), crd], { mode: 'controller' });
  assert.ok(report.valid);
  if (report.valid) assert.equal(report.config.pools.map((p) => p['name']), ['default', 'extra']);
});

test('JSON reports follow schemas/model.schema.json, valid or not', () => {
  for (const rel of ['valid/crd-all-kinds.yaml', 'invalid/crd-wrong-namespace.yaml', 'seeds/annotated-example-configmap.yaml']) {
    const { out, write } = collect();
    printReport(validateFiles([file(rel)], { mode: 'controller' }).report, 'json', write, write);
    assert.ok(modelSchema(JSON.parse(out.join(''))), `${rel}: ${JSON.stringify(modelSchema.errors)}`);
  }
});

test('passwords are never printed, in either format', () => {
  for (const output of ['json', 'text'] as const) {
    for (const rel of ['valid/crd-all-kinds.yaml', 'seeds/annotated-example-configmap.yaml']) {
      const { out, write } = collect();
      printReport(validateFiles([file(rel)], { mode: 'controller' }).report, output, write, write);
      assert.not.match(out.join(''), /do-not-print-me|yourPassword/);
    }
  }
});

test('text output: summary on stdout, errors and warnings on stderr', () => {
  const ok = collect();
  const err = collect();
  printReport(validateFiles([file('seeds/v0.2-bgp-cidr-configmap.yaml')], { mode: 'controller' }).report, 'text', ok.write, err.write);
  assert.match(ok.out.join(''), /^valid: 1 pool, 1 peer, 0 BFD profiles, 0 community aliases\n  pool default \(bgp\): 192\.168\.10\.0\/24\n/);
  assert.match(err.out.join(''), /warning: .*"cidr" key is deprecated/);
  const bad = collect();
  printReport(validateFiles([file('invalid/range-reversed.yaml')], { mode: 'controller' }).report, 'text', ok.write, bad.write);
  assert.match(bad.out.join(''), /error: config: address pool "p": addresses\[0\]: invalid IP range .*\ninvalid: 1 error\n$/);
});

test('readInputs: - reads stdin once; a missing file and no input are usage errors', async () => {
  assert.equal(await readInputs(['-'], async () => 'peers: []'), [{ name: 'stdin', text: 'peers: []' }]);
  for (const args of [[], ['-', '-'], [fixture('nope.yaml')], [path.join(root, 'fixtures')]]) {
    try {
      await readInputs(args, async () => '');
      assert.unreachable(JSON.stringify(args));
    } catch (err) {
      assert.instance(err, UsageError);
    }
  }
});

async function runCommand(argv: string[]): Promise<{ stdout: string; exit: number }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const errWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string | Uint8Array) => (chunks.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await Validate.run(argv, root);
    return { stdout: chunks.join(''), exit: 0 };
  } catch (err) {
    const exit = (err as { oclif?: { exit?: number } }).oclif?.exit;
    if (exit === undefined) throw err;
    return { stdout: chunks.join(''), exit };
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
  }
}

const commandCases: { desc: string; argv: string[]; exit: number; stdout?: RegExp }[] = [
  { desc: 'a valid file exits 0', argv: [fixture('seeds/bgp-simple-configmap.yaml')], exit: 0, stdout: /^valid: 1 pool/ },
  { desc: 'json output of a valid file', argv: [fixture('seeds/bgp-simple-configmap.yaml'), '--output', 'json'], exit: 0, stdout: /"valid": true/ },
  { desc: 'an invalid file exits 1', argv: [fixture('invalid/unknown-key.yaml'), '-o', 'json'], exit: 1, stdout: /"code": "config.decode"/ },
  { desc: 'a missing file exits 2', argv: [fixture('missing.yaml')], exit: 2 },
  { desc: 'an unknown mode exits 2', argv: ['--mode', 'bird', fixture('seeds/bgp-simple-configmap.yaml')], exit: 2 },
  { desc: '--namespace moves where CRDs must live', argv: ['--namespace', 'lb', fixture('seeds/crd-bgp-peer.yaml')], exit: 1 },
  { desc: 'frr mode accepts the simple BGP example', argv: ['--mode', 'frr', fixture('seeds/bgp-simple-configmap.yaml')], exit: 0 },
];
for (const c of commandCases) {
  test(`lbctl validate (oclif under tsx): ${c.desc}`, async () => {
    const r = await runCommand(c.argv);
    assert.is(r.exit, c.exit);
    if (c.stdout) assert.match(r.stdout, c.stdout);
  });
}

const bin = path.join(root, 'bin/run.js');
const built = existsSync(path.join(root, 'dist/cli/commands/validate.js'));
const binTest = built ? test : test.skip;
if (!built) console.log('skip: dist/ is not built (run `npx tsc -p .`); the compiled-binary tests of lbctl validate are skipped');
binTest('built lbctl validate: stdin, exit codes 0/1/2 as a subprocess', () => {
  const run = (args: string[], input = '') => spawnSync(process.execPath, [bin, 'validate', ...args], { input, encoding: 'utf8', timeout: 20_000 });
  assert.is(run(['-'], 'address-pools: [{name: a, protocol: layer2, addresses: [10.0.0.0/24]}]').status, 0);
  assert.is(run(['-'], 'address-pools: [{name: a}]').status, 1);
  assert.is(run(['--output', 'xml', '-']).status, 2);
});

test.run();
