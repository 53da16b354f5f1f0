// Three real speakers in their own network namespaces on one bridge, a client namespace probing
// ARP, the controller on a directory: one owner per IP; SIGKILL of the owner moves the IP and the
// client's ARP entry follows; SIGTERM moves it faster; no probe round is ever answered by two MACs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LabCluster } from '../../../src/lab/cluster.js';
import { canBuildLab } from '../../../src/lab/network.js';
import { measureFailover, type FailoverResult } from '../../../src/lab/failover.js';
import { waitUntil } from '../../../src/lab/procs.js';
import type { ProbeRecord } from '../../../src/lab/probe-format.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const can = canBuildLab();
const built = fs.existsSync(path.join(ROOT, 'dist/lab/arp-probe.js')) && fs.existsSync(path.join(ROOT, 'dist/cli/commands/speaker.js'));
const why = !can.ok ? can.why : !built ? 'dist/ is missing (run `npm run build`)' : undefined;

let lab: LabCluster | undefined;
let vips: [string, string][] = [];
const results: FailoverResult[] = [];

async function answers(l: LabCluster, vip: string, ms: number): Promise<ProbeRecord[]> {
  const p = l.probe(vip, 10, ms);
  const out: ProbeRecord[] = [];
  createInterface({ input: p.child.stdout! }).on('line', (line) => out.push(JSON.parse(line) as ProbeRecord));
  await p.exited;
  return out.filter((r) => r.kind === 'reply');
}

if (why) {
  test.skip(`speakers in namespaces (${why})`, () => {});
  console.log(`SKIP speakers-netns: ${why}`);
} else {
  test.before(async () => {
    lab = new LabCluster({ prefix: 'lbdit', fixtures: path.join(ROOT, 'fixtures/demo'), bgp: false });
    lab.setup();
    lab.startController();
    const ips = await waitUntil('addresses', () => { const m = lab!.serviceIPs(); return [...m.values()].every((v) => v.length) && m.size ? m : undefined; }, 20_000);
    vips = [...ips].filter(([, v]) => v[0]!.startsWith('192.0.2.')).map(([k, v]) => [k, v[0]!]);
    const started = Date.now();
    for (const n of lab.nodes) lab.startSpeaker(n.name);
    await lab.settledOwners(vips.map(([k]) => k), started);
  });

  test.after(async () => {
    await lab?.teardown();
  });

  test('each layer 2 IP is answered by exactly one node, the one its status record names', async () => {
    assert.ok(vips.length >= 3, 'the demo has three layer 2 services');
    for (const [key, vip] of vips) {
      const replies = await answers(lab!, vip, 400);
      const macs = [...new Set(replies.map((r) => r.mac))];
      assert.is(macs.length, 1, `${vip} answered by ${macs.join(', ') || 'nobody'}`);
      assert.equal([lab!.memberByMac(macs[0]!)?.name], lab!.l2Owners(key), `${vip}: the answering MAC belongs to the recorded owner`);
    }
  });

  test('killing the owner (SIGKILL) moves the IP, the client ARP entry follows, never two answers', async () => {
    const r = await measureFailover(lab!, vips[0]![1], 'SIGKILL');
    results.push(r);
    assert.is.not(r.to, r.from);
    assert.ok(r.neighborFollowed, `client ARP entry ${r.neighbor} should be ${r.to}'s MAC`);
    assert.equal(r.conflicts, []);
    assert.ok(r.ms < 10_000, `took ${r.ms} ms`);
    const restarted = Date.now();
    lab!.startSpeaker(r.from); // back to three nodes
    await lab!.settledOwners(vips.map(([k]) => k), restarted);
  });

  test('stopping the owner (SIGTERM) moves the IP faster than a crash, never two answers', async () => {
    const r = await measureFailover(lab!, vips[0]![1], 'SIGTERM');
    results.push(r);
    assert.is.not(r.to, r.from);
    assert.ok(r.neighborFollowed, `client ARP entry ${r.neighbor} should be ${r.to}'s MAC`);
    assert.equal(r.conflicts, []);
    assert.ok(r.ms < results[0]!.ms, `planned ${r.ms} ms should beat unplanned ${results[0]!.ms} ms`);
    console.log(`failover seen by the client: SIGKILL ${results[0]!.ms} ms, SIGTERM ${r.ms} ms`);
  });
}

test.run();
