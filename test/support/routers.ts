// Real BGP routers for integration tests: BIRD 2, FRR bgpd (standalone) and gobgpd, each started in a
// network namespace from a generated config in a private directory, queried for their RIB, and
// stopped with a bounded wait for the PID to exit (the next daemon may want the same port).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Lab, Netns } from './netns.js';
import { waitFor } from './netns.js';
import { frrRoute, gobgpRoute, parseBirdRoutes, type GobgpPath, type RibRoute } from './router-ribs.js';

export type { RibRoute } from './router-ribs.js';

/** RouterKind names the daemons we test against. */
export type RouterKind = 'bird' | 'frr' | 'gobgp';

/** RouterNeighbor is our speaker as the router sees it. */
export interface RouterNeighbor {
  address: string;
  asn: number;
  password?: string;
  holdTime?: number;
  /** noCapabilities makes the router send an OPEN without capabilities (FRR) or without 4-octet AS (BIRD). */
  noCapabilities?: boolean;
}

/** RouterSpec configures one router. */
export interface RouterSpec {
  kind: RouterKind;
  ns: Netns;
  routerId: string;
  asn: number;
  localAddress: string;
  neighbors: RouterNeighbor[];
  /** apiPort is gobgpd's private gRPC port. */
  apiPort?: number;
}

/** TestRouter is a running router. */
export interface TestRouter {
  readonly kind: RouterKind;
  readonly proc: ChildProcess;
  /** control is how to reach the daemon: BIRD's control socket, FRR's vty directory, gobgpd's API port. */
  readonly control: string;
  /** routes returns every BGP route in the router's IPv4 and IPv6 tables. */
  routes(): RibRoute[];
  /** routeCount is the number of IPv4 BGP routes (fast path for benchmarks). */
  routeCount(): number;
  /** established tells whether the session with `neighbor` is up. */
  established(neighbor: string): boolean;
  /** stop terminates the daemon and waits (bounded) until its PID is gone. */
  stop(): Promise<void>;
}

/** routerBinary is the executable a router kind needs (for availability checks). */
export function routerBinary(kind: RouterKind): string {
  return { bird: 'bird', frr: '/usr/lib/frr/bgpd', gobgp: 'gobgpd' }[kind];
}

function scratch(kind: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `lbbgp-${kind}-`));
}

async function stopProc(proc: ChildProcess, dir: string): Promise<void> {
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill('SIGCONT');
    proc.kill('SIGTERM');
    const gone = await waitFor('router exit', () => (proc.exitCode !== null || proc.signalCode !== null ? true : undefined), 5_000, 25).catch(() => undefined);
    if (!gone) {
      proc.kill('SIGKILL');
      await waitFor('router exit after SIGKILL', () => (proc.exitCode !== null || proc.signalCode !== null ? true : undefined), 2_000, 25).catch(() => undefined);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** startRouter writes the config, starts the daemon in the foreground and waits until it answers queries. */
export async function startRouter(lab: Lab, spec: RouterSpec): Promise<TestRouter> {
  const dir = scratch(spec.kind);
  const r = spec.kind === 'bird' ? startBird(lab, spec, dir) : spec.kind === 'frr' ? startFrr(lab, spec, dir) : startGobgp(lab, spec, dir);
  // Drain the daemon's output so a chatty log never blocks it on a full pipe.
  r.proc.stdout?.resume();
  r.proc.stderr?.resume();
  let lastErr = '';
  await waitFor(`${spec.kind} to answer`, () => {
    try {
      r.routes();
      return true;
    } catch (e) {
      lastErr = String(e);
      if (r.proc.exitCode !== null) throw new Error(`${spec.kind} exited: ${lastErr}`);
      return undefined;
    }
  }, 10_000, 50).catch((e) => {
    void r.stop();
    throw new Error(`${(e as Error).message}: ${lastErr}`);
  });
  return r;
}

// ---- BIRD ----------------------------------------------------------------------------------------

function birdConfig(s: RouterSpec): string {
  const protos = s.neighbors.map((n, i) => `
protocol bgp n${i} {
  local ${s.localAddress} as ${s.asn};
  neighbor ${n.address} as ${n.asn};
  passive on;
  direct;
  hold time ${n.holdTime ?? 90};
  connect retry time 1;
  ${n.password ? `password "${n.password}";` : ''}
  ${n.noCapabilities ? 'enable as4 off;' : ''}
  ipv4 { import all; export none; gateway direct; };
  ipv6 { import all; export none; gateway direct; };
}`).join('\n');
  return `router id ${s.routerId};\nprotocol device { }\n${protos}\n`;
}

function startBird(lab: Lab, s: RouterSpec, dir: string): TestRouter {
  fs.writeFileSync(path.join(dir, 'bird.conf'), birdConfig(s));
  const sock = path.join(dir, 'bird.ctl');
  const proc = lab.track(s.ns.spawn('bird', ['-f', '-c', path.join(dir, 'bird.conf'), '-s', sock, '-P', path.join(dir, 'bird.pid')]));
  const birdc = (...args: string[]) => s.ns.exec('birdc', ['-s', sock, ...args], 10_000);
  return {
    kind: 'bird',
    proc,
    control: sock,
    routes: () => parseBirdRoutes(birdc('show', 'route', 'all')),
    routeCount: () => Number(/(\d+) of \d+ routes/.exec(birdc('show', 'route', 'count', 'table', 'master4'))?.[1] ?? 0),
    established: (addr) => {
      const i = s.neighbors.findIndex((n) => n.address === addr);
      return new RegExp(`^n${i}\\s+BGP\\s.*Established`, 'm').test(birdc('show', 'protocols'));
    },
    stop: () => stopProc(proc, dir),
  };
}

// ---- FRR -----------------------------------------------------------------------------------------

function frrConfig(s: RouterSpec): string {
  const lines = ['frr defaults traditional', 'hostname lbbgp', `router bgp ${s.asn}`, ` bgp router-id ${s.routerId}`,
    ' no bgp ebgp-requires-policy', ' no bgp default ipv4-unicast', ' no bgp network import-check'];
  for (const n of s.neighbors) {
    lines.push(` neighbor ${n.address} remote-as ${n.asn}`, ` neighbor ${n.address} passive`, ` neighbor ${n.address} timers connect 1`);
    if (n.holdTime !== undefined) lines.push(` neighbor ${n.address} timers ${Math.max(1, Math.floor(n.holdTime / 3))} ${n.holdTime}`);
    if (n.password) lines.push(` neighbor ${n.address} password ${n.password}`);
    if (n.noCapabilities) lines.push(` neighbor ${n.address} dont-capability-negotiate`);
  }
  for (const af of ['ipv4', 'ipv6']) {
    lines.push(` address-family ${af} unicast`, ...s.neighbors.map((n) => `  neighbor ${n.address} activate`), ' exit-address-family');
  }
  return `${lines.join('\n')}\n`;
}

function startFrr(lab: Lab, s: RouterSpec, dir: string): TestRouter {
  fs.writeFileSync(path.join(dir, 'bgpd.conf'), frrConfig(s));
  fs.writeFileSync(path.join(dir, 'vtysh.conf'), '');
  const proc = lab.track(s.ns.spawn('/usr/lib/frr/bgpd', ['-Z', '-S', '-f', path.join(dir, 'bgpd.conf'), '-i', path.join(dir, 'bgpd.pid'), '--vty_socket', dir, '-P', '0']));
  const vty = (cmd: string) => s.ns.exec('vtysh', ['--vty_socket', dir, '-d', 'bgpd', '-c', cmd], 10_000);
  const table = (af: string) => (JSON.parse(vty(`show bgp ${af} unicast json`)) as { routes?: Record<string, unknown[]> }).routes ?? {};
  return {
    kind: 'frr',
    proc,
    control: dir,
    routes: () => ['ipv4', 'ipv6'].flatMap((af) => Object.keys(table(af)).map((p) => frrRoute(p, JSON.parse(vty(`show bgp ${af} unicast ${p} json`))))),
    routeCount: () => Object.keys(table('ipv4')).length,
    established: (addr) => (JSON.parse(vty(`show bgp neighbors ${addr} json`)) as Record<string, { bgpState?: string }>)[addr]?.bgpState === 'Established',
    stop: () => stopProc(proc, dir),
  };
}

// ---- GoBGP ---------------------------------------------------------------------------------------

function gobgpConfig(s: RouterSpec): string {
  const nbrs = s.neighbors.map((n) => `
[[neighbors]]
  [neighbors.config]
    neighbor-address = "${n.address}"
    peer-as = ${n.asn}
    ${n.password ? `auth-password = "${n.password}"` : ''}
  [neighbors.timers.config]
    hold-time = ${n.holdTime ?? 90}
    keepalive-interval = ${Math.max(1, Math.floor((n.holdTime ?? 90) / 3))}
  [neighbors.transport.config]
    passive-mode = true
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"`).join('\n');
  return `[global.config]\n  as = ${s.asn}\n  router-id = "${s.routerId}"\n  local-address-list = ["${s.localAddress}"]\n${nbrs}\n`;
}

function startGobgp(lab: Lab, s: RouterSpec, dir: string): TestRouter {
  fs.writeFileSync(path.join(dir, 'gobgp.toml'), gobgpConfig(s));
  const port = String(s.apiPort ?? 50551);
  const proc = lab.track(s.ns.spawn('gobgpd', ['-f', path.join(dir, 'gobgp.toml'), '--api-hosts', `127.0.0.1:${port}`, '--log-plain']));
  const cli = (...args: string[]) => s.ns.exec('gobgp', ['-u', '127.0.0.1', '-p', port, ...args], 10_000);
  const rib = (af: string) => JSON.parse(cli('global', 'rib', '-a', af, '-j') || '{}') as Record<string, GobgpPath[]>;
  return {
    kind: 'gobgp',
    proc,
    control: port,
    routes: () => ['ipv4', 'ipv6'].flatMap((af) => Object.entries(rib(af)).map(([p, paths]) => gobgpRoute(p, paths[0]!))),
    routeCount: () => Object.keys(rib('ipv4')).length,
    established: (addr) => (JSON.parse(cli('neighbor', addr, '-j')) as { state?: { session_state?: number } }).state?.session_state === 6,
    stop: () => stopProc(proc, dir),
  };
}
