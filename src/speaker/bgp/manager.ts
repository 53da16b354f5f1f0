// The speaker's BGP manager: collects state changes (config, this node, services), recomputes the
// advertisement plan after a short quiet period, and drives a BgpBackend with only what changed.
// Every change of a service's decision and every peer added or removed is logged with its reason.
import { createLogger, type Logger } from '../../log.js';
import type { BFDProfile, Config, NodeView, Peer } from '../../model/index.js';
import { planAdvertisements, type AdvertisementPlan, type AnnouncedService, type ServiceDecision } from './advertise.js';
import type { BgpBackend } from './backend.js';
import type { PeerRoutes } from './route.js';

/** Scheduler runs `fn` after `ms` and returns a cancel function (a parameter so tests need no sleeps). */
export type Scheduler = (fn: () => void, ms: number) => () => void;

/** realScheduler is setTimeout with an unref'd timer, so a pending flush never keeps Node alive. */
export const realScheduler: Scheduler = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref?.();
  return () => clearTimeout(t);
};

/** BgpManagerOptions configure a manager; only `backend` is required. */
export interface BgpManagerOptions {
  backend: BgpBackend;
  /** debounceMs is the quiet period after a change before the plan is recomputed (default 200). */
  debounceMs?: number;
  schedule?: Scheduler;
  logger?: Logger;
  ignoreExcludeLB?: boolean;
  /** onDecision is told about every service whose decision changed (status objects, events). */
  onDecision?: (d: ServiceDecision) => void;
}

/** BgpManager turns speaker state into BgpBackend calls; one per speaker process. */
export class BgpManager {
  private config: Config | undefined;
  private node: NodeView | undefined;
  private readonly services = new Map<string, AnnouncedService>();
  private sentPeers: string | undefined;
  private sentPeerList: Peer[] = [];
  private wasConfigured: ReadonlySet<string> = new Set();
  private sentRoutes: string | undefined;
  private current = new Map<string, ServiceDecision>();
  private cancel: (() => void) | undefined;
  private closed = false;
  private readonly log: Logger;
  private readonly debounceMs: number;
  private readonly schedule: Scheduler;

  constructor(private readonly opts: BgpManagerOptions) {
    this.log = opts.logger ?? createLogger('speaker-bgp');
    this.debounceMs = opts.debounceMs ?? 200;
    this.schedule = opts.schedule ?? realScheduler;
  }

  /** setConfig replaces the parsed config (undefined = no valid config yet). */
  setConfig(config: Config | undefined): void {
    this.config = config;
    this.changed();
  }

  /** setNode records this node's current view (labels drive peer and advertisement selection). */
  setNode(node: NodeView): void {
    this.node = node;
    this.changed();
  }

  /** setService adds or replaces one service with its endpoints. */
  setService(svc: AnnouncedService): void {
    this.services.set(`${svc.service.namespace}/${svc.service.name}`, svc);
    this.changed();
  }

  /** deleteService forgets a service; its prefixes are withdrawn unless another service shares them. */
  deleteService(key: string): void {
    if (this.services.delete(key)) this.changed();
  }

  /** decisions returns the last computed decision per service key. */
  decisions(): ReadonlyMap<string, ServiceDecision> {
    return this.current;
  }

  /**
   * flush recomputes the plan now and pushes what changed to the backend. Returns the plan, or
   * undefined while the node or the config is still unknown (nothing can be decided yet).
   */
  flush(): AdvertisementPlan | undefined {
    this.cancel?.();
    this.cancel = undefined;
    if (this.closed || !this.config || !this.node) return undefined;
    const plan = planAdvertisements({ config: this.config, node: this.node, services: [...this.services.values()], ignoreExcludeLB: this.opts.ignoreExcludeLB });
    this.pushPeers(plan.peers, this.config.bfdProfiles);
    this.wasConfigured = new Set(this.config.peers.map((p) => p.name));
    this.pushRoutes(plan.routes);
    this.report(plan.decisions);
    return plan;
  }

  /** close cancels a pending flush and closes the backend (Cease to peers / FRR config withdrawn). */
  async close(): Promise<void> {
    this.closed = true;
    this.cancel?.();
    this.cancel = undefined;
    await this.opts.backend.close();
  }

  private changed(): void {
    if (this.closed) return;
    this.cancel?.();
    this.cancel = this.schedule(() => {
      this.cancel = undefined;
      try {
        this.flush();
      } catch (err) {
        this.log.error({ event: 'planFailed', err }, 'bgp: recomputing advertisements failed');
      }
    }, this.debounceMs);
  }

  private pushPeers(peers: Peer[], profiles: BFDProfile[]): void {
    const key = JSON.stringify([peers, profiles]);
    if (key === this.sentPeers) return;
    const isConfigured = new Set((this.config?.peers ?? []).map((p) => p.name));
    for (const change of peerChanges(this.sentPeerList, peers, this.wasConfigured, isConfigured)) {
      this.log.info(change, `bgp: ${change.event} ${change.peer} (${change.reason})`);
    }
    this.opts.backend.setPeers(peers, profiles);
    this.sentPeers = key;
    this.sentPeerList = peers;
  }

  private pushRoutes(routes: PeerRoutes): void {
    const key = JSON.stringify([...routes]);
    if (key === this.sentRoutes) return;
    this.opts.backend.setRoutes(routes);
    this.sentRoutes = key;
  }

  private report(next: Map<string, ServiceDecision>): void {
    for (const [key, d] of next) {
      const was = this.current.get(key);
      if (was && JSON.stringify(was) === JSON.stringify(d)) continue;
      const event = d.reason === 'announced' ? 'serviceAnnounced' : 'serviceNotAnnounced';
      this.log.info({ event, service: key, reason: d.reason, detail: d.detail, prefixes: d.prefixes, peers: d.peers }, `bgp: ${key} ${d.reason}`);
      this.opts.onDecision?.(d);
    }
    for (const key of this.current.keys()) {
      if (next.has(key)) continue;
      this.log.info({ event: 'serviceWithdrawn', service: key, reason: 'serviceDeleted' }, `bgp: ${key} deleted`);
    }
    this.current = next;
  }
}

/** PeerChange is one logged session change, with MetalLB's event and reason names. */
export interface PeerChange {
  event: 'peerAdded' | 'peerRemoved' | 'peerChanged';
  peer: string;
  reason: 'configured' | 'removedFromConfig' | 'filteredByNodeSelector' | 'selectedByNodeSelector' | 'configChanged';
}

/**
 * peerChanges explains the difference between two selected-peer lists; `wasConfigured` and
 * `isConfigured` are the names in the old and new config, which tell a node-selector change
 * from a config change.
 */
export function peerChanges(before: readonly Peer[], after: readonly Peer[], wasConfigured: ReadonlySet<string>, isConfigured: ReadonlySet<string>): PeerChange[] {
  const out: PeerChange[] = [];
  const prev = new Map(before.map((p) => [p.name, p]));
  const next = new Map(after.map((p) => [p.name, p]));
  for (const [name, p] of next) {
    const old = prev.get(name);
    if (!old) out.push({ event: 'peerAdded', peer: name, reason: wasConfigured.has(name) ? 'selectedByNodeSelector' : 'configured' });
    else if (JSON.stringify(old) !== JSON.stringify(p)) out.push({ event: 'peerChanged', peer: name, reason: 'configChanged' });
  }
  for (const name of prev.keys()) {
    if (!next.has(name)) out.push({ event: 'peerRemoved', peer: name, reason: isConfigured.has(name) ? 'filteredByNodeSelector' : 'removedFromConfig' });
  }
  return out;
}
