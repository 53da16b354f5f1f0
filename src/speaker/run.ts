// runSpeaker: the process entry of `lbctl speaker`: open the source, build the announcers for the
// chosen protocols, start the daemon and the metrics/probe endpoint.
import { createLogger } from '../log.js';
import { openSource } from '../state/open.js';
import { speakerMetrics } from '../metrics/metrics.js';
import { startMetricsServer, type MetricsServer } from '../metrics/server.js';
import { SpeakerDaemon } from './daemon.js';
import { realBgp, realLayer2, type KernelResponderMode } from './wiring.js';
import type { Reader } from '../sys/packet-socket.js';
import type { PlacementMode } from './election.js';
import type { FrrBackendOptions } from './frr/backend.js';
import type { StoreLossMode } from './lease-table.js';

/** RunSpeakerOptions mirror the command's flags. */
export interface RunSpeakerOptions {
  source: string;
  node: string;
  kubeconfig?: string;
  namespace?: string;
  configMapName?: string;
  lbClass?: string;
  metricsListen?: string;
  leaseRenewMs?: number;
  leaseDurationMs?: number;
  /** onStoreLoss: keep announcing with a frozen view (default) or fence while renewals fail. */
  onStoreLoss?: StoreLossMode;
  layer2: boolean;
  bgp: boolean;
  bgpMode: 'native' | 'frr';
  frr?: Partial<FrrBackendOptions>;
  placement?: PlacementMode;
  ignoreExcludeLB?: boolean;
  excludeInterfaces?: RegExp;
  /** l2Reader picks the packet reader of the layer 2 responders (default stream). */
  l2Reader?: Reader;
  /** kernelResponder: the in-kernel ARP/NDP fast path (default auto). */
  kernelResponder?: KernelResponderMode;
  durable?: boolean;
}

/** RunningSpeaker is a started speaker. */
export interface RunningSpeaker {
  daemon: SpeakerDaemon;
  metricsAddress?: string;
  stop(): Promise<void>;
}

/** runSpeaker starts everything and returns a handle to stop it. */
export async function runSpeaker(o: RunSpeakerOptions): Promise<RunningSpeaker> {
  const log = createLogger('speaker').child({ node: o.node });
  const src = await openSource(o.source, { component: 'lbctl-speaker', instance: o.node, namespace: o.namespace, kubeconfig: o.kubeconfig, durable: o.durable, logger: createLogger('source') });
  const daemon = new SpeakerDaemon(src.state, {
    node: o.node, namespace: src.namespace, configMapName: o.configMapName, lbClass: o.lbClass, mode: o.bgpMode,
    lease: { renewMs: o.leaseRenewMs, durationMs: o.leaseDurationMs, onStoreLoss: o.onStoreLoss },
    layer2: o.layer2 ? realLayer2({ exclude: o.excludeInterfaces, reader: o.l2Reader, kernelResponder: o.kernelResponder, logger: log.child({ part: 'layer2' }) }) : undefined,
    bgp: o.bgp ? realBgp({ mode: o.bgpMode, node: o.node, logger: log.child({ part: 'bgp' }), frr: o.frr }) : undefined,
    placement: o.placement, ignoreExcludeLB: o.ignoreExcludeLB, metrics: speakerMetrics(), logger: log,
  });
  let server: MetricsServer | undefined;
  if (o.metricsListen) server = await startMetricsServer(o.metricsListen, daemon.metrics.registry, () => daemon.readiness());
  daemon.start();
  log.info({ source: src.describe, onStoreLoss: daemon.liveness.mode, namespace: src.namespace, layer2: o.layer2, bgp: o.bgp ? o.bgpMode : false, metrics: server?.address }, 'speaker started');
  return {
    daemon,
    metricsAddress: server?.address,
    stop: async () => {
      await daemon.stop();
      await server?.close();
      await src.state.close();
      log.info({ reason: 'stopped' }, 'speaker stopped');
    },
  };
}
