// Entry point of the Kubernetes source: what `lbctl controller|speaker --source k8s` call.
import { createLogger, type Logger } from '../log.js';
import type { ClusterState } from '../state/types.js';
import { loadKubeConfig, podNamespace } from './kubeconfig.js';
import { KubernetesState } from './state.js';

/** DEFAULT_NAMESPACE is MetalLB's namespace, which lbctl keeps for drop-in compatibility. */
export const DEFAULT_NAMESPACE = 'metallb-system';

/** CreateKubernetesStateOptions are the daemon flags that concern the API connection. */
export interface CreateKubernetesStateOptions {
  /** kubeconfig path (`--kubeconfig`); without it: in-cluster, then KUBECONFIG / ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
  /** namespace of lbctl's objects (`--namespace`); default: METALLB_NAMESPACE, the pod's, or metallb-system. */
  namespace?: string;
  /** component: `lbctl-controller` or `lbctl-speaker` (field manager and event source). */
  component: string;
  /** instance: node name (speaker) or pod name (controller), shown in events. */
  instance?: string;
  log?: Logger;
}

/**
 * createKubernetesState builds the ClusterState for a daemon running against kube-apiserver.
 * POD_NAME and POD_UID (downward API, set in manifests/speaker.yaml) make the pod the owner of the
 * status records it writes.
 */
export function createKubernetesState(opts: CreateKubernetesStateOptions): ClusterState & { readonly namespace: string } {
  const log = opts.log ?? createLogger('k8s');
  const { config, origin } = loadKubeConfig({ kubeconfig: opts.kubeconfig, context: opts.context });
  const namespace = opts.namespace ?? process.env.METALLB_NAMESPACE ?? (origin === 'in-cluster' ? podNamespace() : undefined) ?? DEFAULT_NAMESPACE;
  log.info({ origin, server: config.getCurrentCluster()?.server, namespace }, 'connecting to the Kubernetes API');
  const { POD_NAME, POD_UID } = process.env;
  const ownerPod = POD_NAME && POD_UID ? { name: POD_NAME, uid: POD_UID } : undefined;
  const state = new KubernetesState({ config, namespace, component: opts.component, instance: opts.instance, log, ownerPod });
  return Object.assign(state, { namespace });
}

export { KubernetesState } from './state.js';
export { loadKubeConfig } from './kubeconfig.js';
