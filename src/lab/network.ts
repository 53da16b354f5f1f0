// LabNetwork builds the lab LAN out of network namespaces: a hidden `lan` namespace holding a
// bridge, and one namespace per member joined to it by a veth pair (`eth0` inside the member).
// Nothing is created in the root namespace, and destroy() removes every namespace it made (and
// with them every link), also after a partial setup.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { LAN_PREFIX, type Member } from './topology.js';

/** run executes a command and returns stdout; errors carry stderr. */
export function run(cmd: string, args: string[], timeoutMs = 10_000): string {
  return execFileSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** canBuildLab says whether namespaces can be made here, and if not why. */
export function canBuildLab(): { ok: true } | { ok: false; why: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'not running as root (network namespaces need root)' };
  try {
    run('ip', ['netns', 'list']);
  } catch {
    return { ok: false, why: 'iproute2 `ip netns` is not available' };
  }
  return { ok: true };
}

/** LabNetwork owns the namespaces of one lab run. */
export class LabNetwork {
  private readonly created: string[] = [];
  readonly lan: string;

  constructor(readonly prefix: string, readonly members: readonly Member[]) {
    this.lan = `${prefix}-lan`;
  }

  /** nsOf is the namespace name of a member. */
  nsOf(m: Member | string): string {
    const short = typeof m === 'string' ? this.members.find((x) => x.name === m)?.short : m.short;
    if (!short) throw new Error(`lab: no member ${JSON.stringify(m)}`);
    return `${this.prefix}-${short}`;
  }

  /** create builds the bridge and attaches every member. */
  create(): void {
    this.addNs(this.lan);
    this.exec(this.lan, 'ip', ['link', 'add', 'br0', 'type', 'bridge']);
    this.exec(this.lan, 'ip', ['link', 'set', 'br0', 'up']);
    for (const m of this.members) {
      const ns = this.nsOf(m);
      this.addNs(ns);
      const port = `p-${m.short}`;
      run('ip', ['link', 'add', 'eth0', 'netns', ns, 'address', m.mac, 'type', 'veth', 'peer', 'name', port, 'netns', this.lan]);
      this.exec(this.lan, 'ip', ['link', 'set', port, 'master', 'br0', 'up']);
      this.exec(ns, 'ip', ['addr', 'add', `${m.ip}/${LAN_PREFIX}`, 'dev', 'eth0']);
      this.exec(ns, 'ip', ['link', 'set', 'eth0', 'up']);
    }
  }

  /** exec runs a command inside a namespace. */
  exec(ns: string, cmd: string, args: string[], timeoutMs = 10_000): string {
    return run('ip', ['netns', 'exec', ns, cmd, ...args], timeoutMs);
  }

  /** spawn starts a long-running process inside a namespace. */
  spawn(ns: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
    return spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
  }

  /** destroy kills whatever still runs in the namespaces and deletes them; safe to call twice. */
  destroy(): void {
    for (const ns of this.created.splice(0).reverse()) {
      try {
        for (const pid of run('ip', ['netns', 'pids', ns]).split('\n').filter(Boolean)) {
          try { process.kill(Number(pid), 'SIGKILL'); } catch { /* already gone */ }
        }
      } catch { /* namespace already gone */ }
      try { run('ip', ['netns', 'del', ns]); } catch { /* already gone */ }
    }
  }

  private addNs(ns: string): void {
    try { run('ip', ['netns', 'del', ns]); } catch { /* left over from nothing */ }
    run('ip', ['netns', 'add', ns]);
    this.created.push(ns);
    this.exec(ns, 'ip', ['link', 'set', 'lo', 'up']);
  }
}
