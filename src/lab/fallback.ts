// The lab without root: the controller runs in this process on a temporary copy of the fixtures
// (directory source only, no network), and the allocation table is printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DirSource } from '../state/dir/index.js';
import { ingressIPsOf } from '../state/objects.js';
import { ControllerDaemon } from '../controller/daemon.js';
import { controllerMetrics, newRegistry } from '../metrics/metrics.js';
import { createLogger } from '../log.js';
import { waitUntil } from './procs.js';
import { table } from './print.js';

/** runFallback allocates on a copy of `fixtures` and prints the table; returns the rows. */
export async function runFallback(fixtures: string, say: (line: string) => void): Promise<string[][]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lbd-fallback-'));
  const src = path.join(dir, 'cluster');
  fs.cpSync(fixtures, src, { recursive: true, filter: (p) => !p.includes(`${path.sep}.lbctl`) });
  const state = new DirSource(src, { writer: 'controller', durable: false, logger: createLogger('source', 'silent') });
  const daemon = new ControllerDaemon(state, { metrics: controllerMetrics(newRegistry(false)), logger: createLogger('controller', 'silent') });
  try {
    say(`running the controller on a copy of ${path.relative(process.cwd(), fixtures) || fixtures} (directory source, no network)`);
    daemon.start();
    await waitUntil('the config to load', () => (daemon.readiness().ready ? true : undefined), 10_000);
    await daemon.idle();
    await new Promise((r) => setTimeout(r, 100));
    await daemon.idle();
    const rows = state.list('Service').map((s) => [
      `${s.metadata.namespace}/${s.metadata.name}`,
      ingressIPsOf(s).join(', ') || '(pending)',
      s.metadata.annotations?.['metallb.io/ip-allocated-from-pool'] ?? '-',
    ]);
    say(table(['SERVICE', 'IP', 'POOL'], rows));
    return rows;
  } finally {
    await daemon.stop();
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
