// FrrBackend: `--bgp-mode frr`. Keeps the desired state, renders frr.conf after a quiet period,
// skips a render identical to the last applied one, applies it with frr-reload.py, retries on
// failure, and polls vtysh for session state. Where FRR lives (config path, vty socket directory,
// reload and vtysh commands) is a parameter, so tests point it at a private bgpd.
import { createLogger, type Logger } from '../../log.js';
import type { BFDProfile, Peer } from '../../model/index.js';
import type { BgpBackend, BgpBackendStats, PeerSessionState } from '../bgp/backend.js';
import { realScheduler, type Scheduler } from '../bgp/manager.js';
import type { PeerRoutes } from '../bgp/route.js';
import { applyConfig, vtyshArgv, type ApplyTarget } from './apply.js';
import { buildFrrDesired } from './desired.js';
import { runCommand, writeFileAtomic, type CommandRunner, type FileWriter } from './io.js';
import { renderFrrConfig, type FrrRenderOptions } from './render.js';
import { parseNeighborsJson, sessionStates, type FrrStatus } from './status.js';

export { defaultReloadCommand, redactPasswords } from './apply.js';

/** FrrBackendOptions say where FRR is and how patient to be; see frrDefaults for the defaults. */
export interface FrrBackendOptions extends FrrRenderOptions, Partial<ApplyTarget> {
  debounceMs?: number;
  retryMs?: number;
  /** statusPollMs is how often session state is read (0 = only on demand via refreshStatus). */
  statusPollMs?: number;
  /**
   * withdrawTimeoutMs bounds the wait for withdrawals to leave before a removed peer is deleted
   * (0 = delete at once; routers doing graceful restart then keep our routes as stale).
   */
  withdrawTimeoutMs?: number;
  /** withdrawOnClose: close() withdraws everything and removes the peers (default true). */
  withdrawOnClose?: boolean;
  run?: CommandRunner;
  write?: FileWriter;
  schedule?: Scheduler;
  logger?: Logger;
}

/** frrDefaults are MetalLB's timings (3 s debounce, 5 s retry) and where Debian's FRR keeps its config. */
export const frrDefaults = { configPath: '/etc/frr/frr.conf', debounceMs: 3000, retryMs: 5000, statusPollMs: 5000, commandTimeoutMs: 30_000, withdrawTimeoutMs: 2000, withdrawOnClose: true };

const POLL_STEP_MS = 100;

/** FrrBackend implements BgpBackend by driving FRR through frr.conf and frr-reload.py. */
export class FrrBackend implements BgpBackend {
  private peers: Peer[] = [];
  private profiles: BFDProfile[] = [];
  private routes: PeerRoutes = new Map();
  private lastApplied: string | undefined;
  private appliedPeers: Peer[] = [];
  private inflight: Promise<void> | undefined;
  private dirty = false;
  private cancelApply: (() => void) | undefined;
  private cancelPoll: (() => void) | undefined;
  private closed = false;
  private states = new Map<string, PeerSessionState>();
  private status: FrrStatus = new Map();
  private readonly listeners: ((s: PeerSessionState) => void)[] = [];
  private readonly o: typeof frrDefaults & FrrBackendOptions;
  private readonly io: { run: CommandRunner; write: FileWriter };
  private readonly schedule: Scheduler;
  private readonly log: Logger;
  /** counters: successful reloads, failed ones, renders skipped as identical. */
  readonly counters = { applies: 0, failures: 0, skipped: 0 };

  constructor(opts: FrrBackendOptions) {
    this.o = { ...frrDefaults, ...opts };
    this.io = { run: opts.run ?? runCommand, write: opts.write ?? writeFileAtomic };
    this.schedule = opts.schedule ?? realScheduler;
    this.log = opts.logger ?? createLogger('speaker-frr');
    if (this.o.statusPollMs > 0) this.pollLater();
  }

  /** setPeers records the selected peers and BFD profiles; applied after the debounce. */
  setPeers(peers: Peer[], bfdProfiles: BFDProfile[]): void {
    this.peers = peers;
    this.profiles = bfdProfiles;
    this.changed();
  }

  /** setRoutes records the desired routes per peer; applied after the debounce. */
  setRoutes(routes: PeerRoutes): void {
    this.routes = routes;
    this.changed();
  }

  /** sessions returns the last session state read from vtysh, one entry per selected peer. */
  sessions(): PeerSessionState[] {
    return this.peers.map((p) => this.states.get(p.name) ?? { peer: p.name, up: false, reason: 'no status read yet' });
  }

  /** stats reports FRR's own UPDATE counter and the prefixes FRR says it sent, per peer. */
  stats(): BgpBackendStats {
    const prefixesAnnounced = new Map<string, number>();
    const updatesByPeer = new Map<string, number>();
    let updatesSent = 0;
    for (const p of this.peers) {
      const f = this.status.get(statusKey(p));
      updatesSent += f?.updatesSent ?? 0;
      updatesByPeer.set(p.name, f?.updatesSent ?? 0);
      prefixesAnnounced.set(p.name, f?.sentPrefixes ?? 0);
    }
    return { updatesSent, updatesByPeer, bytesSent: 0, prefixesAnnounced };
  }

  /** onSessionChange registers a listener for sessions going up or down. */
  onSessionChange(cb: (state: PeerSessionState) => void): void {
    this.listeners.push(cb);
  }

  /** render returns the frr.conf for the current desired state (what the next apply writes). */
  render(): string {
    return this.renderFor(this.peers, this.routes);
  }

  /** flush applies now (cancelling the debounce) and resolves when FRR has the current state. */
  async flush(): Promise<void> {
    this.cancelApply?.();
    this.cancelApply = undefined;
    this.dirty = true;
    await this.drain();
  }

  /** lastAppliedConfig is the text frr-reload.py last accepted. */
  lastAppliedConfig(): string | undefined {
    return this.lastApplied;
  }

  /** refreshStatus reads session state from vtysh now and notifies listeners of changes. */
  async refreshStatus(): Promise<PeerSessionState[]> {
    const status = await this.readStatus();
    if (!status) return this.sessions();
    this.status = status;
    this.checkDrift(status);
    for (const s of sessionStates(this.peers, this.status)) {
      const was = this.states.get(s.peer);
      this.states.set(s.peer, s);
      if (!was || was.up !== s.up) for (const cb of this.listeners) cb(s);
    }
    return this.sessions();
  }

  /**
   * close stops the timers; with withdrawOnClose it first withdraws every route, then removes the
   * peers from FRR (the same two steps as any peer removal), otherwise FRR keeps announcing.
   */
  async close(): Promise<void> {
    this.cancelPoll?.();
    if (this.o.withdrawOnClose) {
      this.peers = [];
      this.routes = new Map();
      await this.flush().catch(() => undefined);
    }
    this.closed = true;
    this.cancelApply?.();
  }

  /**
   * checkDrift re-applies when FRR lost neighbors we applied (bgpd restarted from another file, or
   * someone edited it): the next render is no longer "identical to the last applied one".
   */
  private checkDrift(status: FrrStatus): void {
    if (this.inflight || this.lastApplied === undefined) return;
    const lost = this.appliedPeers.filter((p) => !status.has(statusKey(p)));
    if (lost.length === 0) return;
    this.log.warn({ event: 'frrConfigDrift', peers: lost.map((p) => p.name) }, 'frr: neighbors missing from FRR, re-applying the config');
    this.lastApplied = undefined;
    this.changed();
  }

  private renderFor(peers: Peer[], routes: PeerRoutes): string {
    const desired = buildFrrDesired(peers, this.profiles, routes);
    for (const w of desired.warnings) this.log.warn({ event: 'frrConfigWarning', code: w.code }, w.message);
    return renderFrrConfig(desired, this.o);
  }

  private changed(): void {
    if (this.closed) return;
    this.dirty = true;
    this.later(this.o.debounceMs);
  }

  /** later (re)arms the single apply timer: a newer change or a flush replaces a pending retry. */
  private later(ms: number): void {
    this.cancelApply?.();
    this.cancelApply = this.schedule(() => {
      this.cancelApply = undefined;
      this.dirty = true;
      void this.drain();
    }, ms);
  }

  /** drain runs applies one at a time until the latest desired state has been tried. */
  private async drain(): Promise<void> {
    while (this.inflight) await this.inflight;
    if (!this.dirty || this.closed) return;
    this.dirty = false;
    this.inflight = this.applyDesired().finally(() => (this.inflight = undefined));
    await this.inflight;
    if (this.dirty) await this.drain();
  }

  /**
   * applyDesired applies the desired state. Peers that disappear first get an interim config that
   * keeps them with no routes, so routers receive withdrawals instead of a bare TCP close (which a
   * graceful-restart helper answers by keeping our routes as stale for minutes).
   */
  private async applyDesired(): Promise<void> {
    const peers = this.peers;
    const gone = this.appliedPeers.filter((p) => !peers.some((q) => q.name === p.name));
    if (gone.length > 0 && this.o.withdrawTimeoutMs > 0) {
      const interim = new Map(this.routes);
      for (const p of gone) interim.set(p.name, []);
      if (!(await this.applyText(this.renderFor([...peers, ...gone], interim), [...peers, ...gone]))) return;
      await this.waitWithdrawn(gone);
    }
    await this.applyText(this.renderFor(peers, this.routes), peers);
  }

  private async applyText(text: string, peers: Peer[]): Promise<boolean> {
    if (text === this.lastApplied) {
      this.counters.skipped++;
      this.log.debug({ event: 'frrConfigUnchanged' }, 'frr: rendered config unchanged, not reloading');
      return true;
    }
    const res = await applyConfig(text, { ...this.o }, this.io, this.lastApplied);
    if (!res.ok) {
      this.counters.failures++;
      this.log.error({ event: 'frrReloadFailed', error: res.error, retryMs: this.o.retryMs }, 'frr: applying config failed, will retry');
      if (!this.closed) this.later(this.o.retryMs);
      return false;
    }
    this.lastApplied = text;
    this.appliedPeers = peers;
    this.counters.applies++;
    this.log.info({ event: 'frrConfigApplied', peers: peers.map((p) => p.name) }, 'frr: config applied');
    return true;
  }

  /** waitWithdrawn polls vtysh until the peers have nothing announced or are down, bounded. */
  private async waitWithdrawn(peers: Peer[]): Promise<void> {
    for (let waited = 0; waited < this.o.withdrawTimeoutMs; waited += POLL_STEP_MS) {
      const status = await this.readStatus();
      const pending = status && peers.some((p) => {
        const f = status.get(statusKey(p));
        return f !== undefined && f.state === 'Established' && f.sentPrefixes > 0;
      });
      if (status && !pending) return;
      await new Promise<void>((r) => this.schedule(r, POLL_STEP_MS));
    }
    this.log.warn({ event: 'frrWithdrawTimeout', peers: peers.map((p) => p.name) }, 'frr: withdrawals not confirmed before removing peers');
  }

  /** readStatus runs vtysh once; undefined (logged) when it fails or answers something unreadable. */
  private async readStatus(): Promise<FrrStatus | undefined> {
    const argv = [...vtyshArgv(this.o), '-c', 'show bgp vrf all neighbors json'];
    const res = await this.io.run(argv, this.o.commandTimeoutMs);
    try {
      if (res.code !== 0) throw new Error(`vtysh exit ${res.code}: ${res.stderr.trim().slice(-300)}`);
      return parseNeighborsJson(res.stdout);
    } catch (err) {
      this.log.warn({ event: 'frrStatusFailed', error: String(err) }, 'frr: reading session state failed');
      return undefined;
    }
  }

  private pollLater(): void {
    this.cancelPoll = this.schedule(() => {
      void this.refreshStatus().finally(() => !this.closed && this.pollLater());
    }, this.o.statusPollMs);
  }
}

function statusKey(p: Peer): string {
  return `${p.vrf ?? 'default'}|${p.peerAddress}`;
}
