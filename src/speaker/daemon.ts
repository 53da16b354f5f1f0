// The speaker daemon: one per node. It watches Services, EndpointSlices, Nodes and the config,
// holds this node's lease (liveness.ts), and for every Service IP announces it over layer 2 when
// this node wins the election among live speakers, and over BGP when the advertisements select
// this node; it publishes what it announces (publisher.ts). On stop() it withdraws first, then
// releases its lease, so the next owner can take over at once.
import type { ClusterState, KubeObject, ObjectKind, Unsubscribe, WatchEvent } from '../state/types.js';
import { ConfigInputs, CONFIG_WATCH_KINDS } from '../state/config-inputs.js';
import { realClock, type Clock } from '../state/clock.js';
import { createLogger, type Logger } from '../log.js';
import { speakerMetrics, type SpeakerMetrics } from '../metrics/metrics.js';
import type { Readiness } from '../metrics/server.js';
import { classMatches } from '../controller/decide.js';
import type { BgpBackend } from './bgp/backend.js';
import { BgpManager } from './bgp/manager.js';
import type { AnnouncementSpec, AnnouncementStatus } from './l2/announcer.js';
import type { L2StatsSnapshot } from './l2/stats.js';
import { Liveness, type LivenessOptions } from './liveness.js';
import { SpeakerCache } from './cache.js';
import { planLayer2, type L2Plan } from './l2-plan.js';
import { holdLayer2 } from './hold.js';
import { Publisher, type Announcement } from './publisher.js';
import { SpeakerConfig } from './speaker-config.js';
import { syncSpeakerMetrics, type MetricsBaseline } from './speaker-metrics.js';
import type { PlacementMode } from './election.js';

/** L2Announcer is what the daemon needs of the layer 2 announcer (a fake in unit tests). */
export interface L2Announcer {
  start(): void;
  setAnnouncements(want: ReadonlyMap<string, AnnouncementSpec>): AnnouncementStatus[];
  counters(): L2StatsSnapshot;
  /** kernelAnswering tells whether the in-kernel fast path answers (absent: never). */
  kernelAnswering?(): boolean;
  close(): void;
}

/** SpeakerOptions configure one speaker; `node` is required. */
export interface SpeakerOptions {
  node: string;
  namespace?: string;
  configMapName?: string;
  lbClass?: string;
  /** mode validates the config as MetalLB's native or FRR speaker does. */
  mode?: 'native' | 'frr';
  lease?: Omit<LivenessOptions, 'node' | 'clock' | 'logger'>;
  layer2?: L2Announcer;
  bgp?: BgpBackend;
  placement?: PlacementMode;
  ignoreExcludeLB?: boolean;
  metrics?: SpeakerMetrics;
  logger?: Logger;
  clock?: Clock;
}

const KINDS: readonly ObjectKind[] = ['Service', 'EndpointSlice', 'Node', 'ServiceL2Status', 'ServiceBGPStatus', ...CONFIG_WATCH_KINDS];

/** SpeakerDaemon announces this node's share of the Service IPs. */
export class SpeakerDaemon {
  readonly metrics: SpeakerMetrics;
  readonly liveness: Liveness;
  private readonly cache = new SpeakerCache();
  private readonly inputs: ConfigInputs;
  private readonly config: SpeakerConfig;
  private readonly publisher: Publisher;
  private readonly bgp: BgpManager | undefined;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly records = new Map<string, KubeObject>();
  private readonly baseline: MetricsBaseline = { l2: undefined };
  private l2Plan: L2Plan | undefined;
  /** announced: what layer 2 announces now (a store loss in keep mode holds to it). */
  private announced: ReadonlyMap<string, AnnouncementSpec> = new Map();
  private unwatch: Unsubscribe | undefined;
  private timer: unknown;
  private metricsTimer: NodeJS.Timeout | undefined;
  private synced = false;
  private stopped = false;

  constructor(private readonly state: ClusterState, private readonly opts: SpeakerOptions) {
    this.log = opts.logger ?? createLogger('speaker');
    this.clock = opts.clock ?? realClock;
    this.metrics = opts.metrics ?? speakerMetrics();
    this.inputs = new ConfigInputs(opts.namespace, opts.configMapName);
    this.config = new SpeakerConfig(this.inputs, opts.mode ?? 'native', this.metrics, this.log, (result, errorSummary) => {
      const rec = { apiVersion: 'metallb.io/v1beta1', kind: 'ConfigurationState', metadata: { name: `speaker-${opts.node}`, namespace: this.inputs.namespace }, status: { result, errorSummary } };
      state.upsertObject(rec).catch((err: Error) => this.log.warn({ err: err.message }, 'writing the configuration state failed'));
    });
    this.publisher = new Publisher(state, opts.node, this.inputs.namespace, this.metrics, this.log);
    this.liveness = new Liveness(state, { ...opts.lease, node: opts.node, clock: this.clock, logger: this.log.child({ part: 'liveness' }) });
    if (opts.bgp) this.bgp = new BgpManager({ backend: opts.bgp, logger: this.log.child({ part: 'bgp' }), ignoreExcludeLB: opts.ignoreExcludeLB, onDecision: () => this.schedule() });
  }

  /** start begins holding the lease, watching and announcing. */
  start(): void {
    this.liveness.onChange((set) => {
      this.metrics.liveSpeakers.set(set.nodes.size);
      this.log.info({ live: [...set.nodes].sort(), self: set.self.reason }, 'live speakers changed');
      this.reconcile('liveSetChanged'); // at once: failover time is what this path is for
      // Only with a lease held and a view that is not frozen: a frozen view may list the dead.
      if (set.self.reason === 'leaseHeld') this.publisher.collectDead([...this.records.values()], set.nodes);
    });
    // Leases exist for the layer 2 election; a BGP-only speaker needs none (and saves the writes).
    if (this.opts.layer2) this.liveness.start();
    this.opts.layer2?.start();
    this.unwatch = this.state.watch(KINDS, (ev) => this.onEvent(ev));
    this.metricsTimer = setInterval(() => syncSpeakerMetrics(this.metrics, this.baseline, this.opts.layer2, this.opts.bgp), 1000);
    this.metricsTimer.unref();
  }

  /** readiness: synced, config loaded, own lease held (not while holding on through a store loss). */
  readiness(): Readiness {
    if (!this.synced) return { ready: false, reason: 'initial list not received yet' };
    if (!this.config.config) return { ready: false, reason: 'no valid configuration loaded yet' };
    if (!this.opts.layer2) return { ready: true };
    const self = this.liveness.liveSet().self;
    return self.live && !self.hold ? { ready: true } : { ready: false, reason: `lease: ${self.reason}` };
  }

  /** layer2Plan is the last layer 2 plan (tests, the lab). */
  layer2Plan(): L2Plan | undefined {
    return this.l2Plan;
  }

  /** stop withdraws every announcement, releases the lease, closes BGP sessions, then stops. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    if (this.opts.layer2) await this.liveness.stop(); // fences synchronously first: layer 2 is withdrawn before the lease goes
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    clearInterval(this.metricsTimer);
    this.unwatch?.();
    this.opts.layer2?.setAnnouncements(new Map());
    await this.bgp?.close();
    this.publisher.publish([]);
    await this.publisher.flush();
    this.opts.layer2?.close();
  }

  private onEvent(ev: WatchEvent): void {
    this.metrics.updates.inc();
    if (ev.type === 'SYNCED') {
      this.synced = true;
      this.config.reload([...this.cache.nodes.values()]);
      this.pushBgpAll();
      this.reconcile('initialSync');
      this.publisher.forgetStale([...this.records.values()]);
      return;
    }
    const kind = ev.object.kind;
    if (kind === 'ServiceL2Status' || kind === 'ServiceBGPStatus') {
      const id = `${kind}/${ev.object.metadata.name}`;
      if (ev.type === 'DELETED') this.records.delete(id);
      else this.records.set(id, ev.object);
      return;
    }
    if (this.inputs.update(ev)) {
      if (this.synced && this.config.reload([...this.cache.nodes.values()])) { this.pushBgpAll(); this.schedule(); }
      return;
    }
    const affected = this.cache.update(ev);
    if (!this.synced) return;
    if (affected.includes('*')) this.pushBgpAll();
    else for (const key of affected) this.pushBgp(key);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.reconcile('clusterChanged'), 5);
  }

  // Layer 2 is recomputed as a whole (the election is cheap and the announcer diffs), then the
  // announcement records are published from the layer 2 plan and the BGP decisions together.
  private reconcile(trigger: string): void {
    if (!this.synced || this.stopped) return;
    const config = this.config.config;
    if (!config) return;
    const services = [...this.cache.services.values()].filter((v) => classMatches(v, this.opts.lbClass));
    const { nodes: live, self } = this.liveness.liveSet();
    const elected = planLayer2({
      config, node: this.opts.node, live, nodes: [...this.cache.nodes.values()], placement: this.opts.placement, ignoreExcludeLB: this.opts.ignoreExcludeLB,
      services: services.map((view) => ({ view, endpoints: this.cache.endpointsOf(`${view.namespace}/${view.name}`) })),
    });
    // Keep mode, store lost or re-joining after it: announce nothing this node does not already.
    const plan = self.hold ? holdLayer2(elected, this.announced) : elected;
    this.logPlanChanges(this.l2Plan, plan, trigger);
    this.l2Plan = plan;
    this.announced = plan.announce;
    const statuses = this.opts.layer2?.setAnnouncements(plan.announce) ?? [];
    for (const s of statuses) if (s.status !== 'announced') this.log.warn({ ip: s.ip, reason: s.status }, 'layer2: IP won but not announced on any interface');
    // Flush BGP now rather than after its own debounce: this pass is already debounced, and the
    // published records must reflect withdrawals too (the manager reports only changed decisions).
    this.bgp?.flush();
    this.publisher.publish(this.desired(plan));
  }

  private desired(plan: L2Plan): Announcement[] {
    const out: Announcement[] = [];
    if (this.opts.layer2) {
      for (const s of plan.services.values()) {
        if (!s.announced) continue;
        const a: Announcement = { key: s.key, protocol: 'layer2', ips: s.ips };
        if (s.interfaces) a.interfaces = s.interfaces;
        out.push(a);
      }
    }
    for (const d of this.bgp?.decisions().values() ?? []) {
      if (d.reason === 'announced') out.push({ key: d.key, protocol: 'bgp', ips: d.prefixes, peers: d.peers });
    }
    return out;
  }

  private logPlanChanges(before: L2Plan | undefined, after: L2Plan, trigger: string): void {
    for (const [key, s] of after.services) {
      const was = before?.services.get(key);
      if (was && was.announced === s.announced && was.reason === s.reason && was.winner === s.winner) continue;
      this.log.info({ service: key, ips: s.ips, announced: s.announced, reason: s.reason, winner: s.winner, trigger }, s.announced ? 'layer2: announcing' : 'layer2: not announcing');
    }
    for (const key of before?.services.keys() ?? []) {
      if (!after.services.has(key)) this.log.info({ service: key, reason: 'serviceGone', trigger }, 'layer2: not announcing');
    }
  }

  private pushBgpAll(): void {
    if (!this.bgp) return;
    this.bgp.setConfig(this.config.config);
    const node = this.cache.nodes.get(this.opts.node);
    if (node) this.bgp.setNode(node);
    for (const key of this.cache.services.keys()) this.pushBgp(key);
  }

  private pushBgp(key: string): void {
    if (!this.bgp) return;
    const view = this.cache.services.get(key);
    if (!view || !classMatches(view, this.opts.lbClass)) { this.bgp.deleteService(key); return; }
    const pool = view.annotations['metallb.io/ip-allocated-from-pool'];
    this.bgp.setService({ service: view, endpoints: this.cache.endpointsOf(key), ...(pool ? { pool } : {}) });
  }
}
