// End to end on the directory source with the real `lbctl controller` process: Services written as
// files get addresses in their status; a valid ConfigMap change is applied, an invalid one is kept
// out and reported (log, event, metric); a deleted Service's address goes to a waiting one; a
// restarted controller (SIGTERM or SIGKILL) changes no address.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DirSource, readEvents } from '../../../src/state/dir/index.js';
import { ingressIPsOf } from '../../../src/state/objects.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BUILT = fs.existsSync(path.join(ROOT, 'dist/cli/commands/controller.js'));

const config = (range: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: config, namespace: metallb-system}
data:
  config: |
    address-pools:
    - name: lan
      protocol: layer2
      addresses: [${range}]
`;
const svc = (name: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default}
spec: {type: LoadBalancer, ports: [{port: 80}], selector: {app: ${name}}}
`;

interface Ctl { child: ChildProcess; metrics: string; exited: Promise<void> }

async function startController(dir: string): Promise<Ctl> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/run.js'), 'controller', '--source', `dir:${dir}`, '--metrics-listen', '127.0.0.1:0', '--no-fsync'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LBCTL_LOG_LEVEL: 'info' } });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let out = '';
  child.stdout!.on('data', (b) => { out += b; });
  const metrics = await until('the metrics address', () => /"metrics":"([^"]+)"/.exec(out)?.[1], 15_000);
  return { child, metrics, exited };
}

async function stop(c: Ctl, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  c.child.kill(signal);
  const t = setTimeout(() => c.child.kill('SIGKILL'), 5000);
  await c.exited;
  clearTimeout(t);
}

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function statusOf(dir: string): Record<string, string[]> {
  const s = new DirSource(dir, { watch: false, rescanMs: 0 });
  const out = Object.fromEntries(s.list('Service').map((o) => [o.metadata.name, ingressIPsOf(o)]));
  void s.close();
  return out;
}

async function metric(c: Ctl, name: string): Promise<string | undefined> {
  const text = await (await fetch(`http://${c.metrics}/metrics`)).text();
  return new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1];
}

if (!BUILT) {
  test.skip('controller end to end (needs `npm run build`: the controller runs as a real process)', () => {});
  console.log('SKIP controller-dir: dist/ is missing; run `npm run build` (npm test does it)');
} else {
  test('the controller process drives the whole lifecycle on a directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lbd-e2e-'));
    let ctl: Ctl | undefined;
    try {
      fs.writeFileSync(path.join(dir, 'config.yaml'), config('192.0.2.10-192.0.2.11'));
      fs.writeFileSync(path.join(dir, 'a.yaml'), svc('a'));
      ctl = await startController(dir);
      // 1. Services written as files get addresses.
      fs.writeFileSync(path.join(dir, 'b.yaml'), svc('b'));
      await until('a and b allocated', () => { const s = statusOf(dir); return s['a']?.length && s['b']?.length ? s : undefined; });
      const first = statusOf(dir);
      assert.equal([...first['a']!, ...first['b']!].sort(), ['192.0.2.10', '192.0.2.11']);
      assert.equal(await metric(ctl, 'metallb_k8s_client_config_stale_bool'), '0');
      // 2. A waiting service; a valid config change makes room for it.
      fs.writeFileSync(path.join(dir, 'c.yaml'), svc('c'));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(statusOf(dir)['c'], []);
      fs.writeFileSync(path.join(dir, 'config.yaml'), config('192.0.2.10-192.0.2.12'));
      await until('c allocated after the config grew', () => (statusOf(dir)['c']?.[0] === '192.0.2.12' ? true : undefined));
      // 3. An invalid config is kept out, and reported.
      fs.writeFileSync(path.join(dir, 'config.yaml'), config('192.0.2.10-192.0.2.300'));
      await until('config marked stale', async () => ((await metric(ctl!, 'metallb_k8s_client_config_stale_bool')) === '1' ? true : undefined));
      const stale = await until('a ConfigStale event', async () => { const e = (await readEvents(dir)).filter((x) => x.reason === 'ConfigStale'); return e.length ? e : undefined; });
      assert.match(stale.at(-1)!.message, /192\.0\.2\.300/, 'the event names the bad value');
      fs.writeFileSync(path.join(dir, 'd.yaml'), svc('d'));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(statusOf(dir)['d'], [], 'the old config (3 addresses, all used) is still in force');
      // 4. Deleting a service gives its address to the waiting one.
      const freed = statusOf(dir)['a']![0];
      fs.unlinkSync(path.join(dir, 'a.yaml'));
      await until('d takes the freed address', () => (statusOf(dir)['d']?.[0] === freed ? true : undefined));
      // 5. Restarts change nothing, graceful or not.
      const before = statusOf(dir);
      for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
        await stop(ctl, signal);
        fs.writeFileSync(path.join(dir, 'config.yaml'), config('192.0.2.10-192.0.2.12'));
        ctl = await startController(dir);
        await until('ready again', async () => ((await fetch(`http://${ctl!.metrics}/readyz`)).status === 200 ? true : undefined));
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(statusOf(dir), before, `no address changed after ${signal}`);
      }
      assert.ok(!fs.readdirSync(dir, { recursive: true }).map(String).some((f) => f.endsWith('.tmp')), 'no temporary files left');
    } finally {
      if (ctl) await stop(ctl);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
