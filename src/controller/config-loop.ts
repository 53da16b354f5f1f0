// ConfigLoop: when the config objects change, parse them through the parser of record and offer
// the result to the allocator. A config that fails to parse, or that the allocator refuses, never
// replaces the last good one: it is reported in the log, as a Warning event on the config object,
// in metallb_k8s_client_config_stale_bool and in the ConfigurationState `controller` record. A
// refused config is re-offered periodically and whenever addresses are freed.
import type { ClusterState } from '../state/types.js';
import type { ConfigInputs } from '../state/config-inputs.js';
import type { Clock } from '../state/clock.js';
import type { Allocator } from '../allocator/index.js';
import type { Logger } from '../log.js';
import type { ConfigMetrics } from '../metrics/metrics.js';
import { ConfigErrors } from '../model/errors.js';
import { decideReload } from './decide-reload.js';

/** ConfigLoopOptions are the loop's collaborators. */
export interface ConfigLoopOptions {
  state: ClusterState;
  inputs: ConfigInputs;
  allocator: Allocator;
  metrics: ConfigMetrics;
  log: Logger;
  clock: Clock;
  retryMs: number;
  source: string;
  onAccepted: () => void;
}

/** ConfigLoop keeps the allocator on the newest acceptable config. */
export class ConfigLoop {
  /** loaded: some config has been accepted since start. */
  loaded = false;
  private lastTried = -1;
  private debounce: unknown;
  private retry: unknown;
  private stopped = false;
  private lastReport = '';
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: ConfigLoopOptions) {}

  /** schedule reloads after a short quiet period (a burst of CR edits becomes one reload). */
  schedule(): void {
    if (this.stopped) return;
    this.o.clock.clearTimeout(this.debounce);
    this.debounce = this.o.clock.setTimeout(() => this.reload('configChanged'), 20);
  }

  /** retryNow re-offers a refused config at once (addresses were just freed). */
  retryNow(): void {
    if (this.stale()) this.reload('retry');
  }

  /** reload parses the current inputs and applies them if they are new and acceptable. */
  reload(trigger: string): void {
    if (this.stopped) return;
    const gen = this.o.inputs.generation;
    if (gen === this.lastTried && trigger !== 'retry') return;
    this.lastTried = gen;
    const parsed = this.o.inputs.parse('controller');
    if (parsed.status === 'missing') {
      this.report(false, 'configuration is missing', 'no ConfigMap and no metallb.io objects in the namespace');
      return;
    }
    if (parsed.status === 'invalid') {
      const msgs = parsed.error instanceof ConfigErrors ? parsed.error.errors.map((e) => e.message) : [parsed.error.message];
      this.report(false, 'config (re)load failed, config marked stale', msgs.join('; '), msgs);
      return;
    }
    for (const w of parsed.warnings) this.o.log.warn({ code: w.code, object: w.object, field: w.field }, w.message);
    const d = decideReload(this.o.allocator, parsed.config, { reallocate: !parsed.legacy });
    if (!d.accepted) {
      this.report(false, 'config refused by the allocator, config marked stale', d.message, d.conflicts.map((c) => c.message));
      this.armRetry();
      return;
    }
    this.loaded = true;
    this.report(true, 'config loaded', d.message);
    this.o.onAccepted();
  }

  /** idle resolves when pending reports are written. */
  async idle(): Promise<void> {
    await this.writes;
  }

  /** stop cancels timers. */
  stop(): void {
    this.stopped = true;
    this.o.clock.clearTimeout(this.debounce);
    this.o.clock.clearTimeout(this.retry);
  }

  private stale(): boolean {
    return this.lastReport.startsWith('stale');
  }

  private armRetry(): void {
    this.o.clock.clearTimeout(this.retry);
    this.retry = this.o.clock.setTimeout(() => { this.lastTried = -1; this.reload('retry'); }, this.o.retryMs);
  }

  // One place reports a config outcome: metrics, log, event (only when the message changes), record.
  private report(ok: boolean, what: string, detail: string, errors: string[] = []): void {
    this.o.metrics.configLoaded.set(this.loaded ? 1 : 0);
    this.o.metrics.configStale.set(ok ? 0 : 1);
    if (ok) this.o.log.info({ reason: 'configLoaded', detail }, what);
    else this.o.log.error({ reason: 'configStale', detail, errors, active: this.loaded ? 'previous config' : 'none' }, what);
    const sig = `${ok ? 'ok' : 'stale'}|${detail}`;
    if (sig === this.lastReport) return;
    this.lastReport = sig;
    const involved = this.o.inputs.involvedObject();
    const state = this.o.state;
    this.writes = Promise.allSettled([
      state.recordEvent({ involved, type: ok ? 'Normal' : 'Warning', reason: ok ? 'ConfigLoaded' : 'ConfigStale', message: `${what}: ${detail}`, source: this.o.source }),
      state.upsertObject({
        apiVersion: 'metallb.io/v1beta1', kind: 'ConfigurationState',
        metadata: { name: 'controller', namespace: this.o.inputs.namespace },
        status: { result: ok ? 'Valid' : 'Invalid', errorSummary: ok ? '' : detail, stale: !ok && this.loaded },
      }),
    ]);
  }
}
