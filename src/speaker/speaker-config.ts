// The speaker's view of the configuration: the same inputs and parser as the controller, validated
// in the speaker's BGP mode (native or frr, as MetalLB's speaker). An invalid config never replaces
// the last good one; it is logged once per change, shown in metallb_k8s_client_config_stale_bool and
// in the ConfigurationState record `speaker-<node>` (as MetalLB 0.15.3+).
import type { Config } from '../model/config.js';
import type { NodeView } from '../model/cluster.js';
import type { ConfigInputs } from '../state/config-inputs.js';
import type { ConfigMetrics } from '../metrics/metrics.js';
import type { Logger } from '../log.js';
import { ConfigErrors } from '../model/errors.js';

/** SpeakerConfig holds the active config of a speaker. */
export class SpeakerConfig {
  /** config is the last good config (undefined until one loads). */
  config: Config | undefined;
  private lastGen = -1;

  constructor(
    private readonly inputs: ConfigInputs,
    private readonly mode: 'native' | 'frr',
    private readonly metrics: ConfigMetrics,
    private readonly log: Logger,
    private readonly record: (result: 'Valid' | 'Invalid', summary: string) => void = () => undefined,
  ) {}

  /** reload parses if the inputs changed; true when the active config changed. */
  reload(nodes: NodeView[]): boolean {
    if (this.inputs.generation === this.lastGen) return false;
    this.lastGen = this.inputs.generation;
    const parsed = this.inputs.parse(this.mode, nodes);
    if (parsed.status === 'valid') {
      for (const w of parsed.warnings) this.log.warn({ code: w.code, object: w.object, field: w.field }, w.message);
      const changed = fingerprint(parsed.config) !== (this.config ? fingerprint(this.config) : '');
      this.config = parsed.config;
      this.metrics.configLoaded.set(1);
      this.metrics.configStale.set(0);
      if (changed) this.log.info({ reason: 'configLoaded', pools: parsed.config.pools.length, peers: parsed.config.peers.length }, 'config loaded');
      this.record('Valid', '');
      return changed;
    }
    this.metrics.configStale.set(1);
    if (parsed.status === 'missing') {
      this.log.warn({ reason: 'configMissing' }, 'configuration is missing; keeping the last good one');
      this.record('Invalid', 'configuration is missing');
    } else {
      const errors = parsed.error instanceof ConfigErrors ? parsed.error.errors.map((e) => e.message) : [parsed.error.message];
      this.log.error({ reason: 'configStale', errors, active: this.config ? 'previous config' : 'none' }, 'config (re)load failed, config marked stale');
      this.record('Invalid', errors.join('; '));
    }
    return false;
  }
}

// Config holds bigints (addresses); JSON needs them as strings to compare.
function fingerprint(c: Config): string {
  return JSON.stringify(c, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
