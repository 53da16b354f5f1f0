// Where the API server credentials come from: an explicit kubeconfig file, the in-cluster service
// account (the default inside a pod), or client-node's usual search (KUBECONFIG, ~/.kube/config).
import { existsSync, readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { StateError } from '../state/errors.js';

/** SA_DIR is where Kubernetes mounts a pod's service-account token and namespace. */
export const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** KubeConfigOptions choose the credentials. */
export interface KubeConfigOptions {
  /** kubeconfig is a kubeconfig file path; wins over everything else. */
  kubeconfig?: string;
  /** context overrides the kubeconfig's current-context. */
  context?: string;
  /** env is the environment to read (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /**
   * pathPrefix is prepended to the service-account paths (client-node's own parameter), so a test
   * can exercise the real in-cluster code path with files it wrote; empty in production.
   */
  pathPrefix?: string;
}

/** ConfigOrigin tells which rule chose the credentials (logged at start-up). */
export type ConfigOrigin = 'kubeconfig-flag' | 'in-cluster' | 'default-search';

/** chooseOrigin decides where credentials come from, with no I/O beyond the decision inputs. */
export function chooseOrigin(opts: KubeConfigOptions, inClusterTokenExists: boolean): ConfigOrigin {
  if (opts.kubeconfig) return 'kubeconfig-flag';
  const env = opts.env ?? process.env;
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && inClusterTokenExists && !env.KUBECONFIG) return 'in-cluster';
  return 'default-search';
}

/** loadKubeConfig loads credentials; throws StateError `state.read-failed` naming the file on failure. */
export function loadKubeConfig(opts: KubeConfigOptions = {}): { config: KubeConfig; origin: ConfigOrigin } {
  const kc = new KubeConfig();
  const prefix = opts.pathPrefix ?? '';
  const origin = chooseOrigin(opts, existsSync(`${prefix}${SA_DIR}/token`));
  try {
    if (origin === 'kubeconfig-flag') kc.loadFromFile(opts.kubeconfig as string);
    else if (origin === 'in-cluster') kc.loadFromCluster(prefix);
    else kc.loadFromDefault();
  } catch (err) {
    const where = origin === 'kubeconfig-flag' ? `kubeconfig "${opts.kubeconfig}"` : origin;
    throw new StateError('state.read-failed', `k8s: cannot load ${where}: ${(err as Error).message}`, { cause: err });
  }
  if (opts.context) kc.setCurrentContext(opts.context);
  if (!kc.getCurrentCluster()) {
    throw new StateError('state.read-failed', `k8s: no cluster in ${origin === 'kubeconfig-flag' ? `kubeconfig "${opts.kubeconfig}"` : 'the default kubeconfig'}; pass --kubeconfig or run in a pod`);
  }
  return { config: kc, origin };
}

/** podNamespace is the namespace of the pod this process runs in, when running in-cluster. */
export function podNamespace(pathPrefix = ''): string | undefined {
  try {
    return readFileSync(`${pathPrefix}${SA_DIR}/namespace`, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
