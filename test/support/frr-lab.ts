// Helpers for the FRR-backend integration tests: a standalone bgpd (no zebra) and a BIRD receiver,
// each inside a namespace of a Lab, and a parser for `birdc show route all`.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hasCommand, sh, waitFor, type Lab, type Netns } from './netns.js';

/** BGPD is Debian's bgpd binary; FRR_RELOAD the reload script from frr-pythontools. */
export const BGPD = '/usr/lib/frr/bgpd';
export const FRR_RELOAD = '/usr/lib/frr/frr-reload.py';

/** frrLabMissing returns why the FRR/BIRD tests cannot run here, or undefined when they can. */
export function frrLabMissing(): string | undefined {
  if (!existsSync(BGPD)) return `${BGPD} is missing (apt-get install frr)`;
  if (!existsSync(FRR_RELOAD)) return `${FRR_RELOAD} is missing (apt-get install frr-pythontools)`;
  for (const cmd of ['vtysh', 'bird', 'birdc', 'python3']) if (!hasCommand(cmd)) return `${cmd} is not installed`;
  return undefined;
}

/** scratchDir makes a private directory (world-readable: bgpd writes its vty socket in it). */
export function scratchDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Bgpd is a standalone bgpd: its vty socket directory and config directory. */
export interface Bgpd {
  vtyDir: string;
  confDir: string;
  pid: () => number | undefined;
  /** stop sends SIGTERM and waits (bounded) for the process to exit, as a crash or restart would. */
  stop: () => Promise<void>;
}

/**
 * startBgpd runs `bgpd -Z -S` in the foreground inside `ns` (no zebra, no privilege drop, no TCP
 * vty) and waits for its vty socket. The Lab kills it on cleanup.
 */
export async function startBgpd(lab: Lab, ns: Netns, dir: string): Promise<Bgpd> {
  const vtyDir = path.join(dir, 'vty');
  sh('mkdir', ['-p', vtyDir]);
  writeFileSync(path.join(dir, 'bgpd.conf'), 'frr defaults traditional\nhostname lbfrr\n');
  // frr-reload.py and vtysh read vtysh.conf from --confdir; an empty one silences their warning.
  writeFileSync(path.join(dir, 'vtysh.conf'), '');
  const child = lab.track(ns.spawn(BGPD, ['-Z', '-S', '-P', '0', '-f', path.join(dir, 'bgpd.conf'), '-i', path.join(dir, 'bgpd.pid'), '--vty_socket', vtyDir]));
  await waitFor('bgpd vty socket', () => (existsSync(path.join(vtyDir, 'bgpd.vty')) ? true : undefined), 10_000);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(path.join(vtyDir, 'bgpd.vty'), { force: true });
  };
  return { vtyDir, confDir: dir, pid: () => child.pid, stop };
}

/** vtysh runs one command against the standalone bgpd. */
export function vtysh(b: Bgpd, command: string): string {
  return sh('vtysh', ['--vty_socket', b.vtyDir, '-d', 'bgpd', '-c', command]);
}

/** startBird runs BIRD in the foreground inside `ns` with the given config; returns its control socket. */
export async function startBird(lab: Lab, ns: Netns, dir: string, conf: string): Promise<string> {
  const confFile = path.join(dir, 'bird.conf');
  const sock = path.join(dir, 'bird.ctl');
  writeFileSync(confFile, conf);
  sh('bird', ['-p', '-c', confFile]);
  lab.track(ns.spawn('bird', ['-f', '-c', confFile, '-s', sock, '-P', path.join(dir, 'bird.pid')]));
  await waitFor('bird control socket', () => {
    try {
      return sh('birdc', ['-s', sock, 'show', 'status']).includes('Daemon is up') ? true : undefined;
    } catch {
      return undefined;
    }
  }, 10_000);
  return sock;
}

/** BirdRoute is one best route as BIRD shows it, with communities in our canonical spelling. */
export interface BirdRoute {
  prefix: string;
  nextHop: string;
  asPath: string;
  localPref?: number;
  communities: string[];
}

/** birdRoutes returns the routes BIRD learned from one protocol, keyed by prefix. */
export function birdRoutes(sock: string, protocol: string): Map<string, BirdRoute> {
  return parseBirdRoutes(sh('birdc', ['-s', sock, 'show', 'route', 'all', 'protocol', protocol]));
}

/** birdRouteCount counts the routes BIRD holds from one protocol over all tables (cheap at 10k). */
export function birdRouteCount(sock: string, protocol: string): number {
  const out = sh('birdc', ['-s', sock, 'show', 'route', 'protocol', protocol, 'count']);
  return [...out.matchAll(/^(\d+) of \d+ routes/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** parseBirdRoutes reads `show route all` text (both tables). */
export function parseBirdRoutes(text: string): Map<string, BirdRoute> {
  const out = new Map<string, BirdRoute>();
  let cur: BirdRoute | undefined;
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f.:]+\/\d+)\s+unicast/.exec(line);
    if (head) {
      cur = { prefix: head[1]!, nextHop: '', asPath: '', communities: [] };
      out.set(cur.prefix, cur);
      continue;
    }
    if (!cur) continue;
    const attr = /^\s+BGP\.(\w+):\s*(.*)$/.exec(line);
    if (!attr) continue;
    const [, name, value] = attr;
    if (name === 'next_hop') cur.nextHop = value!.split(' ')[0]!;
    else if (name === 'as_path') cur.asPath = value!.trim();
    else if (name === 'local_pref') cur.localPref = Number(value);
    else if (name === 'community') cur.communities.push(...[...value!.matchAll(/\((\d+),(\d+)\)/g)].map((m) => `${m[1]}:${m[2]}`));
    else if (name === 'large_community') cur.communities.push(...[...value!.matchAll(/\((\d+), (\d+), (\d+)\)/g)].map((m) => `large:${m[1]}:${m[2]}:${m[3]}`));
  }
  return out;
}
