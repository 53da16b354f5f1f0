// runController: the process entry of `lbctl controller`: open the source, start the daemon and
// the metrics/probe endpoint. The command only parses flags and handles signals.
import { createLogger } from '../log.js';
import { openSource } from '../state/open.js';
import { controllerMetrics } from '../metrics/metrics.js';
import { startMetricsServer, type MetricsServer } from '../metrics/server.js';
import { ControllerDaemon } from './daemon.js';

/** RunControllerOptions mirror the command's flags. */
export interface RunControllerOptions {
  source: string;
  kubeconfig?: string;
  namespace?: string;
  configMapName?: string;
  lbClass?: string;
  /** metricsListen `host:port`; empty disables the endpoint. */
  metricsListen?: string;
  durable?: boolean;
}

/** RunningController is a started controller. */
export interface RunningController {
  daemon: ControllerDaemon;
  metricsAddress?: string;
  source: string;
  stop(): Promise<void>;
}

/** runController starts everything and returns a handle to stop it. */
export async function runController(o: RunControllerOptions): Promise<RunningController> {
  const log = createLogger('controller');
  const src = await openSource(o.source, { component: 'lbctl-controller', instance: 'controller', namespace: o.namespace, kubeconfig: o.kubeconfig, durable: o.durable, logger: createLogger('source') });
  const daemon = new ControllerDaemon(src.state, { namespace: src.namespace, configMapName: o.configMapName, lbClass: o.lbClass, metrics: controllerMetrics(), logger: log });
  let server: MetricsServer | undefined;
  if (o.metricsListen) server = await startMetricsServer(o.metricsListen, daemon.metrics.registry, () => daemon.readiness());
  daemon.start();
  log.info({ source: src.describe, namespace: src.namespace, lbClass: o.lbClass, metrics: server?.address }, 'controller started');
  return {
    daemon,
    metricsAddress: server?.address,
    source: src.describe,
    stop: async () => {
      await daemon.stop();
      await server?.close();
      await src.state.close();
      log.info({ reason: 'signal' }, 'controller stopped');
    },
  };
}
