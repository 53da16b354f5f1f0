// Every golden frr.conf (fixtures/frr) is accepted by a real bgpd 8.4 through frr-reload.py, and
// re-applying it is a no-op: frr-reload's diff of our text against FRR's running config is empty
// apart from lines a standalone bgpd cannot hold (zebra's nht, bfdd's profiles, vtysh's hostname).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lab, canUseNetns, sh } from '../../support/netns.js';
import { FRR_RELOAD, frrLabMissing, scratchDir, startBgpd, type Bgpd } from '../../support/frr-lab.js';
import { applyConfig } from '../../../src/speaker/frr/apply.js';
import { runCommand, writeFileAtomic } from '../../../src/speaker/frr/io.js';

const goldenDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/frr');
const goldens = readdirSync(goldenDir).filter((f) => f.endsWith('.conf')).sort();
const missing = canUseNetns().why ?? frrLabMissing();
const lab = new Lab('lbfrr');
const scratch = scratchDir('lbfrrg');
let bgpd: Bgpd;

/** Lines a standalone bgpd never shows back: owned by zebra, bfdd or vtysh itself. */
const notBgpd = /^(hostname |no hostname |ip nht |ipv6 nht |bfd$|bfd\n| profile |  (detect-multiplier|receive-interval|transmit-interval|echo-mode|echo-interval|passive-mode|minimum-ttl))/;

/** pendingDiff runs frr-reload --test and returns the add/delete lines that concern bgpd. */
function pendingDiff(file: string): string[] {
  const out = sh('python3', [FRR_RELOAD, '--test', '--stdout', '--bindir', '/usr/bin', '--confdir', bgpd.confDir, '--rundir', bgpd.confDir, '--vty_socket', bgpd.vtyDir, '--daemon', 'bgpd', file], 30_000);
  const diff = out.slice(out.indexOf('Lines To Delete'));
  return diff
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^(Lines To (Delete|Add)|=+)$/.test(l) && !/^\d{4}-\d\d-\d\d /.test(l))
    .filter((l) => !notBgpd.test(l));
}

if (missing) {
  console.log(`frr-goldens: skipped: ${missing}`);
  test.skip('every golden is accepted by a real bgpd', () => {});
} else {
  test.before(async () => {
    try {
      bgpd = await startBgpd(lab, lab.ns('gold'), scratch.dir);
    } catch (err) {
      console.error(`frr-goldens: bgpd did not start: ${err}`);
      throw err;
    }
  });
  for (const name of goldens) {
    test(`${name} applies cleanly to bgpd and re-applies as a no-op`, async () => {
      const file = path.join(scratch.dir, 'frr.conf');
      const target = { configPath: file, vtyshSocketDir: bgpd.vtyDir, daemon: 'bgpd', commandTimeoutMs: 30_000 };
      const text = readFileSync(path.join(goldenDir, name), 'utf8');
      // FRR 8.4 refuses a few lines on their first application (see apply.ts); the backend retries.
      let res = await applyConfig(text, target, { run: runCommand, write: writeFileAtomic });
      for (let i = 0; i < 2 && !res.ok; i++) res = await applyConfig(text, target, { run: runCommand, write: writeFileAtomic });
      assert.ok(res.ok, res.ok ? '' : res.error);
      assert.equal(pendingDiff(file), []);
    });
  }
}

test.after(() => {
  lab.cleanup();
  scratch.remove();
});

test.run();
