// The migration contract in migrate/: every `<case>.yaml` converts to exactly `<case>.crds.yaml`
// with exactly the stderr report `<case>.warnings.txt`, and rolls back to `<case>.rollback.yaml`
// whose model equals the input's; every `bad-<case>.yaml` fails with exactly `bad-<case>.error.txt`.
// Optional `<case>.args` holds flags, `<case>.services.yaml` is passed as --services.
// UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSources } from '../../../src/config/index.js';
import { diffConfigs, formatDifferences } from '../../../src/migrate/diff.js';
import { expectFromCrds, withoutPeerNames } from '../../../src/migrate/expect.js';
import { errorLines, reportLines, runMigrate, type MigrateRequest } from '../../../src/migrate/index.js';

const dir = fileURLToPath(new URL('../../../migrate/', import.meta.url));
const update = process.env.UPDATE_GOLDEN === '1';
const golden = /\.(crds|rollback|services)\.yaml$/;

function readIf(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** compareGolden checks `actual` against a golden file byte for byte, or rewrites it under UPDATE_GOLDEN. */
function compareGolden(file: string, actual: string): void {
  if (update) writeFileSync(file, actual);
  const want = readIf(file);
  assert.ok(want !== undefined, `${path.basename(file)} is missing: run with UPDATE_GOLDEN=1`);
  assert.fixture(actual, want!);
}

function requestFor(name: string): MigrateRequest {
  const args = (readIf(path.join(dir, `${name}.args`)) ?? '').trim().split(/\s+/).filter(Boolean);
  const flag = (f: string) => args.indexOf(f);
  const services = readIf(path.join(dir, `${name}.services.yaml`));
  const req: MigrateRequest = {
    input: { source: `${name}.yaml`, text: readFileSync(path.join(dir, `${name}.yaml`), 'utf8') },
    to: 'crds',
    output: 'yaml',
    perFile: false,
    passwordSecrets: flag('--password-secrets') >= 0,
  };
  if (flag('--namespace') >= 0) req.namespace = args[flag('--namespace') + 1]!;
  if (services !== undefined) req.services = { source: `${name}.services.yaml`, text: services };
  return req;
}

const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') && !golden.test(f))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();

test('the contract holds the required cases', () => {
  for (const required of ['layer2', 'bgp-pools', 'communities', 'peers-every-field', 'node-selectors', 'bfd-profiles', 'name-coercion', 'bad-name-collision', 'passwords', 'passwords-in-secrets', 'helm-values', 'cidr-era', 'bad-unknown-protocol', 'bad-overlapping-pools']) {
    assert.ok(cases.includes(required), required);
  }
});

for (const name of cases.filter((c) => !c.startsWith('bad-'))) {
  test(`${name}: converts to ${name}.crds.yaml with the expected report, and rolls back to the same model`, () => {
    const out = runMigrate(requestFor(name));
    compareGolden(path.join(dir, `${name}.crds.yaml`), out.stream!);
    const report = reportLines(out);
    compareGolden(path.join(dir, `${name}.warnings.txt`), report.length === 0 ? '' : `${report.join('\n')}\n`);

    const back = runMigrate({ input: { source: `${name}.crds.yaml`, text: out.stream! }, to: 'configmap', output: 'yaml', perFile: false, passwordSecrets: false });
    compareGolden(path.join(dir, `${name}.rollback.yaml`), back.stream!);
    const legacyAgain = parseSources([{ name: `${name}.rollback.yaml`, text: back.stream! }]).config;
    const diffs = diffConfigs(expectFromCrds(out.model), withoutPeerNames(legacyAgain));
    assert.equal(formatDifferences(diffs, 'first', 'round trip'), []);
  });
}

for (const name of cases.filter((c) => c.startsWith('bad-'))) {
  test(`${name}: fails with exactly ${name}.error.txt`, () => {
    let message: string | undefined;
    try {
      runMigrate(requestFor(name));
    } catch (err) {
      message = `${errorLines(err).join('\n')}\n`;
    }
    assert.ok(message !== undefined, `${name} must fail`);
    compareGolden(path.join(dir, `${name}.error.txt`), message!);
  });
}

test.run();
