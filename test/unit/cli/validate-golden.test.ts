// Golden files for `lbctl validate --output json`: the report of every config fixture is compared
// with fixtures/config/golden/<dir>/<name>.json. Regenerate with LBCTL_UPDATE_GOLDEN=1 and review the diff.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printReport, validateFiles } from '../../../src/cli/commands/validate.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.join(root, 'fixtures/config');
const update = process.env.LBCTL_UPDATE_GOLDEN === '1';

for (const dir of ['seeds', 'valid', 'invalid']) {
  for (const f of readdirSync(path.join(fixtures, dir)).filter((x) => x.endsWith('.yaml'))) {
    test(`golden: lbctl validate --output json ${dir}/${f}`, () => {
      const rel = `${dir}/${f}`;
      const out: string[] = [];
      const { report } = validateFiles([{ name: rel, text: readFileSync(path.join(fixtures, rel), 'utf8') }], { mode: 'controller' });
      printReport(report, 'json', (t) => void out.push(t));
      const golden = path.join(fixtures, 'golden', dir, f.replace(/\.yaml$/, '.json'));
      if (update) {
        mkdirSync(path.dirname(golden), { recursive: true });
        writeFileSync(golden, out.join(''));
      }
      assert.ok(existsSync(golden), `missing ${golden}: run with LBCTL_UPDATE_GOLDEN=1`);
      assert.fixture(out.join(''), readFileSync(golden, 'utf8'));
    });
  }
}

test.run();
