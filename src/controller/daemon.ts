// The controller daemon: one per cluster. It lists and watches Services and the configuration,
// re-learns the addresses already in Service status before allocating anything, then keeps every
// LoadBalancer Service's status in line with the allocator. Decisions are pure (decide*.ts);
// this file only sequences them: config loop, work queue, writes, metrics.
import type { ClusterState, KubeObject, ObjectKind, Unsubscribe, WatchEvent } from '../state/types.js';
import { ConfigInputs, CONFIG_WATCH_KINDS } from '../state/config-inputs.js';
import { realClock, type Clock } from '../state/clock.js';
import { Allocator } from '../allocator/index.js';
import { createLogger, type Logger } from '../log.js';
import { controllerMetrics, type ControllerMetrics } from '../metrics/metrics.js';
import type { Readiness } from '../metrics/server.js';
import { serviceViewFromObject } from './service-view.js';
import { decideDeleted, decideService, type DecideOptions } from './decide.js';
import { relearn } from './decide-pass.js';
import { orderForPass } from './decide-order.js';
import { DecisionWriter, EVENT_SOURCE } from './apply.js';
import { WorkQueue, type WorkOutcome } from './queue.js';
import { ConfigLoop } from './config-loop.js';

/** ControllerOptions configure the controller; every field has a default. */
export interface ControllerOptions {
  /** namespace of the config objects (default metallb-system). */
  namespace?: string;
  /** configMapName is the legacy ConfigMap's name (default `config`). */
  configMapName?: string;
  /** lbClass: handle only services of this loadBalancerClass (MetalLB --lb-class). */
  lbClass?: string;
  metrics?: ControllerMetrics;
  logger?: Logger;
  clock?: Clock;
  /** retryConfigMs re-offers a refused config this often (default 10000). */
  retryConfigMs?: number;
}

const SERVICE_KINDS: readonly ObjectKind[] = ['Service', ...CONFIG_WATCH_KINDS];

/** ControllerDaemon allocates addresses to LoadBalancer Services and writes their status. */
export class ControllerDaemon {
  readonly allocator = new Allocator();
  readonly metrics: ControllerMetrics;
  private readonly services = new Map<string, KubeObject>();
  private readonly inputs: ConfigInputs;
  private readonly writer: DecisionWriter;
  private readonly queue: WorkQueue;
  private readonly config: ConfigLoop;
  private readonly log: Logger;
  private unwatch: Unsubscribe | undefined;
  private synced = false;

  constructor(private readonly state: ClusterState, private readonly opts: ControllerOptions = {}) {
    this.log = opts.logger ?? createLogger('controller');
    this.metrics = opts.metrics ?? controllerMetrics();
    this.inputs = new ConfigInputs(opts.namespace, opts.configMapName);
    this.writer = new DecisionWriter(state);
    this.queue = new WorkQueue((key) => this.process(key), { clock: opts.clock ?? realClock, concurrency: 16, onIdle: () => this.refreshPoolMetrics() });
    this.config = new ConfigLoop({
      state, inputs: this.inputs, allocator: this.allocator, metrics: this.metrics, log: this.log, clock: opts.clock ?? realClock,
      retryMs: opts.retryConfigMs ?? 10_000, source: EVENT_SOURCE, onAccepted: () => this.reprocessAll('configChanged'),
    });
  }

  /** start subscribes to the cluster state; work begins once the initial list has arrived. */
  start(): void {
    this.unwatch = this.state.watch(SERVICE_KINDS, (ev) => this.onEvent(ev));
  }

  /** readiness is ready once synced with a loaded config. */
  readiness(): Readiness {
    if (!this.synced) return { ready: false, reason: 'initial list not received yet' };
    if (!this.config.loaded) return { ready: false, reason: 'no valid configuration loaded yet' };
    return { ready: true };
  }

  /** idle resolves when no decision is queued or running (tests, the lab, the benchmark). */
  async idle(): Promise<void> {
    await this.config.idle();
    await this.queue.idle();
  }

  /** stop ends the watch and the queue; nothing is released (the next controller re-learns it). */
  async stop(): Promise<void> {
    this.unwatch?.();
    this.config.stop();
    await this.queue.stop();
  }

  private onEvent(ev: WatchEvent): void {
    this.metrics.updates.inc();
    if (ev.type === 'SYNCED') {
      this.synced = true;
      this.log.info({ services: this.services.size }, 'initial list received; loading config, then re-learning existing addresses');
      this.config.reload('initialSync');
      return;
    }
    if (ev.object.kind !== 'Service') {
      if (this.inputs.update(ev) && this.synced) this.config.schedule();
      return;
    }
    const key = `${ev.object.metadata.namespace}/${ev.object.metadata.name}`;
    if (ev.type === 'DELETED') {
      this.services.delete(key);
      if (this.synced) this.onDeleted(key);
      return;
    }
    this.services.set(key, ev.object);
    if (this.synced && this.config.loaded) this.queue.add(key);
  }

  private onDeleted(key: string): void {
    const d = decideDeleted(key, this.allocator);
    this.writer.forget(key);
    this.log.info({ service: key, reason: d.reason, released: d.released }, 'service deleted');
    if (d.reprocessAll) {
      this.config.retryNow();
      this.reprocessAll('addressesFreed');
    }
  }

  // A full pass in two phases, as decide-pass.ts defines it: first every Service re-learns the
  // addresses in its status (nothing new is allocated yet), then every Service is decided in
  // orderForPass order (those holding addresses first). So no Service can take an address that a
  // running Service simply had not re-learned yet.
  private reprocessAll(reason: string): void {
    const views = [...this.services.values()].flatMap((o) => { try { return [serviceViewFromObject(o)]; } catch { return []; } });
    let relearned = 0;
    for (const v of orderForPass(views)) {
      if (relearn(v, this.allocator, this.decideOptions(v.namespace)).relearned) relearned++;
    }
    const ordered = orderForPass(views).map((v) => `${v.namespace}/${v.name}`);
    this.log.info({ reason, services: ordered.length, relearned }, 'reprocessing all services');
    this.queue.add(...ordered);
  }

  private decideOptions(namespace: string): DecideOptions {
    return { lbClass: this.opts.lbClass, namespaceLabels: this.inputs.namespaceLabels(namespace) };
  }

  private async process(key: string): Promise<WorkOutcome> {
    const obj = this.services.get(key);
    if (!obj || !this.config.loaded) return 'done';
    let view;
    try {
      view = serviceViewFromObject(obj);
    } catch (err) {
      this.log.warn({ service: key, reason: 'invalidService', err: (err as Error).message }, 'service ignored');
      return 'done';
    }
    const d = decideService(view, this.allocator, this.decideOptions(view.namespace));
    const fields = { service: key, outcome: d.outcome, reason: d.reason, ips: d.ingressIPs, pool: d.pool, error: d.error };
    if (d.statusChanged || d.outcome === 'failed') this.log.info(fields, 'service decided');
    else this.log.debug(fields, 'service decided');
    const res = await this.writer.apply(d, obj.metadata.uid);
    if (!res.ok) {
      this.metrics.updateErrors.inc();
      this.log.warn({ service: key, err: res.error, retry: res.retry }, 'status write failed');
      return res.retry ? 'retry' : 'done';
    }
    if (d.reprocessAll) this.reprocessAll('addressesFreed');
    return 'done';
  }

  private refreshPoolMetrics(): void {
    this.metrics.addressesTotal.reset();
    this.metrics.addressesInUse.reset();
    for (const pool of this.allocator.pools()) {
      const c = this.allocator.counts(pool);
      if (!c) continue;
      this.metrics.addressesTotal.set({ pool }, Number(c.capacity.total));
      this.metrics.addressesInUse.set({ pool }, Number(c.inUse.total));
    }
  }
}
