// `npm start`: the lab. With root and network namespaces it builds a small LAN (a client, three
// speaker nodes and a BIRD router on one bridge), runs the controller and three speakers on a copy
// of fixtures/demo/, shows each Service's IP and owner, an arping answered by the owner's MAC, the
// BGP routes in BIRD, then kills the owner of one IP (SIGKILL, then SIGTERM on the next owner) and
// shows each takeover with its measured time. Everything is torn down on exit, on error and on
// Ctrl-C; the whole run is bounded. Without root it runs the controller alone and prints the table.
// Flags: --keep (stay up until Ctrl-C after the demo), --fixtures DIR.
import fs from 'node:fs';
import path from 'node:path';
import { canBuildLab } from './network.js';
import { LabCluster, ROOT, hasCommand } from './cluster.js';
import { runFallback } from './fallback.js';
import { measureFailover, type FailoverResult } from './failover.js';
import { ms, table } from './print.js';
import { waitUntil } from './procs.js';

const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (line: string) => say(`\n==> ${line}`);
const DEADLINE_MS = 120_000;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const keep = args.includes('--keep');
  const fixtures = path.resolve(args[args.indexOf('--fixtures') + 1] && args.includes('--fixtures') ? args[args.indexOf('--fixtures') + 1]! : path.join(ROOT, 'fixtures', 'demo'));
  say('lbctl lab: a MetalLB-compatible load balancer on one machine');
  const can = canBuildLab();
  if (!can.ok) {
    step(`no network lab: ${can.why}; falling back to the directory source alone`);
    await runFallback(fixtures, say);
    return 0;
  }
  const lab = new LabCluster({ prefix: 'lbdlab', fixtures });
  const cleanup = once(async () => { step('tearing down (processes, namespaces, temporary files)'); const keepLogs = process.env.LBCTL_LAB_KEEP_LOGS === '1'; await lab.teardown(keepLogs); say(keepLogs ? `    done; logs kept in ${lab.dir}` : '    done: nothing left behind'); });
  const interrupted = new Promise<number>((resolve) => {
    const on = () => { say('\ninterrupted'); resolve(130); };
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
  const deadline = new Promise<number>((resolve) => setTimeout(() => { say(`\nthe lab did not finish within ${DEADLINE_MS / 1000} s; stopping`); resolve(1); }, DEADLINE_MS).unref());
  try {
    return await Promise.race([demo(lab, keep, interrupted), interrupted, deadline]);
  } catch (err) {
    say(`\nlab failed: ${(err as Error).message}`);
    say(`    logs were in ${path.join(lab.dir, 'logs')}`);
    return 1;
  } finally {
    await cleanup();
  }
}

async function demo(lab: LabCluster, keep: boolean, interrupted: Promise<number>): Promise<number> {
  step(`building the LAN in network namespaces (${lab.net.prefix}-*): client, ${lab.nodes.map((n) => n.name).join(', ')}, router on one bridge`);
  lab.setup();
  say(table(['MEMBER', 'ADDRESS', 'MAC'], lab.members.map((m) => [m.name, m.ip, m.mac])));
  if (lab.bgp) { step('starting BIRD in the router namespace (AS 64512)'); await lab.startBird(); }
  else step('BIRD is not installed (apt-get install bird2): the BGP part is skipped');
  step(`starting the controller on ${lab.clusterDir}`);
  lab.startController();
  const ips = await waitUntil('every Service to get an address', () => allAllocated(lab), 20_000, 50);
  step(`starting ${lab.nodes.length} speakers, each inside its node namespace`);
  const started = Date.now();
  for (const n of lab.nodes) lab.startSpeaker(n.name);
  const l2 = [...ips].filter(([, v]) => v[0]?.startsWith('192.0.2.'));
  await lab.settledOwners(l2.map(([k]) => k), started);
  showServices(lab, ips);
  showArping(lab, l2);
  if (lab.bgp) await showBgp(lab);
  if (l2.length > 0) await failovers(lab, l2[0]!);
  if (keep) { step('up; press Ctrl-C to tear down'); return interrupted; }
  return 0;
}

function allAllocated(lab: LabCluster): Map<string, string[]> | undefined {
  const m = lab.serviceIPs();
  return m.size > 0 && [...m.values()].every((v) => v.length > 0) ? m : undefined;
}

function showServices(lab: LabCluster, ips: Map<string, string[]>): void {
  step('Services, their addresses and who announces them');
  const rows = [...ips].map(([k, v]) => {
    const owner = lab.l2Owners(k);
    return [k, v.join(', '), owner.length ? `layer2 from ${owner.join(', ')}` : 'BGP from every node'];
  });
  say(table(['SERVICE', 'IP', 'ANNOUNCED'], rows));
}

function showArping(lab: LabCluster, l2: [string, string[]][]): void {
  step('arping from the client: each IP is answered by its owner\'s MAC');
  if (!hasCommand('arping')) { say('    arping is not installed (apt-get install iputils-arping); skipped'); return; }
  for (const [key, [ip]] of l2) {
    let out = '';
    try { out = lab.net.exec(lab.net.nsOf('client'), 'arping', ['-c', '1', '-w', '2', '-I', 'eth0', ip!], 5000); } catch (err) { out = String((err as { stdout?: string }).stdout ?? ''); }
    const mac = /\[([0-9A-Fa-f:]{17})\]/.exec(out)?.[1]?.toLowerCase();
    const who = mac ? lab.memberByMac(mac)?.name ?? 'unknown' : 'no answer';
    const owner = lab.l2Owners(key).join(', ');
    say(`    ${ip!.padEnd(15)} answered by ${mac ?? '-'} = ${who}${who === owner ? ' (the elected owner)' : ` (owner record says ${owner})`}`);
  }
  // Each speaker logs once which path answers: the in-kernel fast path, or user space alone.
  const paths = lab.nodes.map((n) => {
    const log = readText(path.join(lab.dir, 'logs', `speaker-${n.name}.log`));
    const how = /refused on this interface/.test(log) ? 'in user space (the kernel refused to attach the fast path)'
      : /kernel responder loaded/.test(log) ? 'in the kernel (tcx fast path)'
        : /kernel responder unavailable/.test(log) ? 'in user space (kernel refused the fast path)' : 'in user space';
    return `${n.name}: ${how}`;
  });
  say(`    answered ${paths.join(', ')}`);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function showBgp(lab: LabCluster): Promise<void> {
  step('BGP routes in BIRD (every node announces the BGP pool\'s Service IPs)');
  await waitUntil('routes in BIRD', () => (/198\.51\.100\./.test(lab.birdc('show', 'route')) ? true : undefined), 20_000, 200).catch(() => undefined);
  for (const line of lab.birdc('show', 'route').split('\n').filter((l) => l.trim() && !/^BIRD|^Table|^Access/.test(l))) {
    say(`    ${/^\s/.test(line) ? '    ' : ''}${line.trim().replace(/\s+/g, ' ')}`);
  }
}

async function failovers(lab: LabCluster, [key, [vip]]: [string, string[]]): Promise<void> {
  const results: FailoverResult[] = [];
  step(`killing the owner of ${vip} (${key}) with SIGKILL: an unplanned failure, detected by lease expiry`);
  results.push(await measureFailover(lab, vip!, 'SIGKILL'));
  report(results.at(-1)!);
  step(`stopping the new owner with SIGTERM: a planned move, the lease is released at once`);
  results.push(await measureFailover(lab, vip!, 'SIGTERM'));
  report(results.at(-1)!);
}

function report(r: FailoverResult): void {
  say(`    ${r.vip} moved from ${r.from} to ${r.to} in ${ms(r.ms)} (seen by the client)`);
  say(`    client ARP entry now ${r.neighbor ?? '(none)'}${r.neighborFollowed ? ' = the new owner' : ' (did not follow!)'}; rounds answered by two MACs: ${r.conflicts.length}`);
}

function once(f: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= f());
}

main().then((code) => process.exit(code), (err) => { process.stderr.write(`${(err as Error).stack}\n`); process.exit(1); });
