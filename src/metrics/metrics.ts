// Prometheus metrics with MetalLB's names (namespace `metallb`, labels as in MetalLB's code), so
// existing dashboards and alerts keep working. Each daemon registers only its own families.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** ConfigMetrics are shared by both daemons (metallb_k8s_client_*). */
export interface ConfigMetrics {
  configLoaded: Gauge<string>;
  configStale: Gauge<string>;
  updates: Counter<string>;
  updateErrors: Counter<string>;
}

/** ControllerMetrics are the allocator gauges, per pool. */
export interface ControllerMetrics extends ConfigMetrics {
  registry: Registry;
  addressesTotal: Gauge<'pool'>;
  addressesInUse: Gauge<'pool'>;
}

/** SpeakerMetrics are announcement, layer 2 and BGP families. */
export interface SpeakerMetrics extends ConfigMetrics {
  registry: Registry;
  announced: Gauge<'service' | 'protocol' | 'node' | 'ip'>;
  l2RequestsReceived: Counter<'ip'>;
  l2ResponsesSent: Counter<'ip'>;
  l2GratuitousSent: Counter<'ip'>;
  l2KernelResponder: Gauge<string>;
  bgpSessionUp: Gauge<'peer'>;
  bgpUpdatesTotal: Gauge<'peer'>;
  bgpAnnouncedPrefixes: Gauge<'peer'>;
  liveSpeakers: Gauge<string>;
}

function configMetrics(registry: Registry): ConfigMetrics {
  return {
    configLoaded: new Gauge({ name: 'metallb_k8s_client_config_loaded_bool', help: '1 if the configuration was loaded at least once', registers: [registry] }),
    configStale: new Gauge({ name: 'metallb_k8s_client_config_stale_bool', help: '1 if running on a stale configuration, because the latest config failed to load', registers: [registry] }),
    updates: new Counter({ name: 'metallb_k8s_client_updates_total', help: 'Number of cluster object updates processed', registers: [registry] }),
    updateErrors: new Counter({ name: 'metallb_k8s_client_update_errors_total', help: 'Number of cluster object updates that failed for some reason', registers: [registry] }),
  };
}

/** newRegistry makes a registry with Node process metrics under the `metallb_` prefix. */
export function newRegistry(defaults = true): Registry {
  const registry = new Registry();
  if (defaults) collectDefaultMetrics({ register: registry, prefix: 'metallb_' });
  return registry;
}

/** controllerMetrics registers the controller's families. */
export function controllerMetrics(registry = newRegistry()): ControllerMetrics {
  return {
    registry,
    ...configMetrics(registry),
    addressesTotal: new Gauge({ name: 'metallb_allocator_addresses_total', help: 'Number of usable IP addresses, per pool', labelNames: ['pool'], registers: [registry] }),
    addressesInUse: new Gauge({ name: 'metallb_allocator_addresses_in_use_total', help: 'Number of IP addresses in use, per pool', labelNames: ['pool'], registers: [registry] }),
  };
}

/** speakerMetrics registers the speaker's families. */
export function speakerMetrics(registry = newRegistry()): SpeakerMetrics {
  const r = [registry];
  return {
    registry,
    ...configMetrics(registry),
    announced: new Gauge({ name: 'metallb_speaker_announced', help: 'Services being announced from this node by the desired protocol', labelNames: ['service', 'protocol', 'node', 'ip'], registers: r }),
    l2RequestsReceived: new Counter({ name: 'metallb_layer2_requests_received', help: 'Number of layer 2 requests received for owned IPs', labelNames: ['ip'], registers: r }),
    l2ResponsesSent: new Counter({ name: 'metallb_layer2_responses_sent', help: 'Number of layer 2 responses sent for owned IPs', labelNames: ['ip'], registers: r }),
    l2GratuitousSent: new Counter({ name: 'metallb_layer2_gratuitous_sent', help: 'Number of gratuitous layer 2 packets sent for owned IPs', labelNames: ['ip'], registers: r }),
    l2KernelResponder: new Gauge({ name: 'lbctl_layer2_kernel_responder', help: '1 while ARP/NDP requests are answered inside the kernel (tcx fast path), 0 when user space answers them all', registers: r }),
    bgpSessionUp: new Gauge({ name: 'metallb_bgp_session_up', help: 'BGP session state (1 is up, 0 is down)', labelNames: ['peer'], registers: r }),
    bgpUpdatesTotal: new Gauge({ name: 'metallb_bgp_updates_total', help: 'Number of BGP UPDATE messages sent', labelNames: ['peer'], registers: r }),
    bgpAnnouncedPrefixes: new Gauge({ name: 'metallb_bgp_announced_prefixes_total', help: 'Number of prefixes currently being advertised on the BGP session', labelNames: ['peer'], registers: r }),
    liveSpeakers: new Gauge({ name: 'lbctl_speaker_live_speakers', help: 'Number of speakers whose lease this speaker currently considers live', registers: r }),
  };
}
