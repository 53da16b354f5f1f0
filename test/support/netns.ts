// Network-namespace helpers for integration tests: create throw-away namespaces and veth links,
// run commands inside them, and always clean up. Only addresses inside these namespaces are used.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/** canUseNetns tells whether this process may create network namespaces (root + iproute2). */
export function canUseNetns(): { ok: boolean; why?: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'needs root to create network namespaces' };
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  } catch {
    return { ok: false, why: 'iproute2 `ip netns` is not available' };
  }
  return { ok: true };
}

/** hasCommand tells whether an executable is on PATH. */
export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** sh runs a command in the root namespace and returns stdout; throws with stderr on failure. */
export function sh(cmd: string, args: string[], timeoutMs = 10_000): string {
  return execFileSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Netns is one namespace the test owns. */
export class Netns {
  constructor(readonly name: string) {}

  /** exec runs a command inside the namespace and returns stdout. */
  exec(cmd: string, args: string[], timeoutMs = 10_000): string {
    return sh('ip', ['netns', 'exec', this.name, cmd, ...args], timeoutMs);
  }

  /** spawn starts a long-running process inside the namespace. */
  spawn(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.name, cmd, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
    });
  }
}

/**
 * Lab owns namespaces and processes for one test file. `prefix` plus the pid keeps parallel
 * runs apart; cleanup() kills what was spawned and deletes every namespace, and is safe to call twice.
 */
export class Lab {
  private readonly namespaces: Netns[] = [];
  private readonly procs: ChildProcess[] = [];
  readonly id: string;

  constructor(prefix: string) {
    this.id = `${prefix}${process.pid % 100000}`;
  }

  /** ns creates a namespace `<id>-<suffix>` with loopback up. */
  ns(suffix: string): Netns {
    const name = `${this.id}-${suffix}`;
    try { sh('ip', ['netns', 'del', name]); } catch { /* not there */ }
    sh('ip', ['netns', 'add', name]);
    const ns = new Netns(name);
    this.namespaces.push(ns);
    ns.exec('ip', ['link', 'set', 'lo', 'up']);
    return ns;
  }

  /** link joins two namespaces with a veth pair; interface names must be <= 15 chars. */
  link(a: Netns, aIf: string, b: Netns, bIf: string, opts: { aMac?: string; bMac?: string } = {}): void {
    sh('ip', ['link', 'add', aIf, 'netns', a.name, 'type', 'veth', 'peer', 'name', bIf, 'netns', b.name]);
    if (opts.aMac) a.exec('ip', ['link', 'set', aIf, 'address', opts.aMac]);
    if (opts.bMac) b.exec('ip', ['link', 'set', bIf, 'address', opts.bMac]);
    a.exec('ip', ['link', 'set', aIf, 'up']);
    b.exec('ip', ['link', 'set', bIf, 'up']);
  }

  /** track registers a process so cleanup() kills it. */
  track<T extends ChildProcess>(p: T): T {
    this.procs.push(p);
    return p;
  }

  /** cleanup kills tracked processes, then deletes the namespaces (and with them their links). */
  cleanup(): void {
    for (const p of this.procs.splice(0)) {
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    }
    for (const ns of this.namespaces.splice(0)) {
      try { sh('ip', ['netns', 'pids', ns.name]).split('\n').filter(Boolean).forEach((pid) => { try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ } }); } catch { /* gone */ }
      try { sh('ip', ['netns', 'del', ns.name]); } catch { /* gone */ }
    }
  }
}

/** waitFor polls `check` until it returns a value other than undefined, or throws after timeoutMs. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
