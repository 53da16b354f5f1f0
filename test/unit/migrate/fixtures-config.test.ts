// Every legacy config in fixtures/config/ (the seed configs and real-world ones the config layer
// collects) goes through migrate: a config the parser accepts must convert, be proven, and roll back
// to the same model; a config the parser refuses must make migrate fail with the parser's own errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSources } from '../../../src/config/index.js';
import { readLegacyInput } from '../../../src/migrate/convert.js';
import { diffConfigs, formatDifferences } from '../../../src/migrate/diff.js';
import { expectFromCrds, withoutPeerNames } from '../../../src/migrate/expect.js';
import { errorLines, runMigrate } from '../../../src/migrate/index.js';

const dir = fileURLToPath(new URL('../../../fixtures/config/', import.meta.url));

function yamlFiles(d: string): string[] {
  return readdirSync(d)
    .sort()
    .flatMap((f) => {
      const p = path.join(d, f);
      if (statSync(p).isDirectory()) return yamlFiles(p);
      return /\.ya?ml$/.test(f) ? [p] : [];
    });
}

/** legacyFixtures are the files holding exactly one legacy payload with something in it. */
function legacyFixtures(): string[] {
  return yamlFiles(dir).filter((f) => {
    try {
      const { payload } = readLegacyInput(readFileSync(f, 'utf8'), path.basename(f));
      return payload.trim() !== '' && payload.trim() !== '{}';
    } catch {
      return false;
    }
  });
}

const files = existsSync(dir) ? legacyFixtures() : [];
if (files.length === 0) {
  console.log('migrate: fixtures/config/ holds no legacy config yet; skipping the fixture conversion test');
  test.skip('every legacy config in fixtures/config converts or fails like the parser', () => {});
}

for (const file of files) {
  const name = path.relative(dir, file);
  test(`fixtures/config/${name}: converts and rolls back, or fails with the parser's errors`, () => {
    const text = readFileSync(file, 'utf8');
    const source = path.basename(file);
    let parserErrors: string[] | undefined;
    try {
      parseSources([{ name: source, text }]);
    } catch (err) {
      parserErrors = errorLines(err);
    }
    let out;
    try {
      out = runMigrate({ input: { source, text }, to: 'crds', output: 'yaml', perFile: false, passwordSecrets: true });
    } catch (err) {
      const lines = errorLines(err);
      if (parserErrors) {
        // The parser of record runs first, so migrate refuses with exactly its messages.
        assert.equal(lines, parserErrors);
        return;
      }
      assert.unreachable(`the parser accepts ${name} but migrate fails:\n${lines.join('\n')}`);
    }
    assert.is(parserErrors, undefined, `the parser refuses ${name} but migrate accepted it`);
    const back = runMigrate({ input: { source: `${source}.crds`, text: out!.stream! }, to: 'configmap', output: 'yaml', perFile: false, passwordSecrets: false });
    const again = parseSources([{ name: 'rollback', text: back.stream! }]).config;
    assert.equal(formatDifferences(diffConfigs(expectFromCrds(out!.model), withoutPeerNames(again)), 'first', 'round trip'), []);
  });
}

/** crdFixtures are the files the parser accepts that hold metallb.io objects and no legacy payload. */
function crdFixtures(): string[] {
  if (!existsSync(dir)) return [];
  return yamlFiles(dir).filter((f) => {
    const text = readFileSync(f, 'utf8');
    if (!/apiVersion:\s*metallb\.io\//.test(text) || legacyFiles.has(f)) return false;
    try {
      parseSources([{ name: path.basename(f), text }]);
      return true;
    } catch {
      return false;
    }
  });
}
const legacyFiles = new Set(files);

for (const file of crdFixtures()) {
  const name = path.relative(dir, file);
  test(`fixtures/config/${name}: rolls back to a proven ConfigMap, or names what legacy cannot express`, () => {
    try {
      const out = runMigrate({ input: { source: path.basename(file), text: readFileSync(file, 'utf8') }, to: 'configmap', output: 'yaml', perFile: false, passwordSecrets: false });
      assert.is(out.objects[0]!.kind, 'ConfigMap');
    } catch (err) {
      // Only blockers (or nothing to convert) are acceptable: never a failed proof or an internal error.
      for (const line of errorLines(err)) assert.match(line, /cannot be expressed in the legacy ConfigMap|nothing to roll back/);
    }
  });
}

test.run();
