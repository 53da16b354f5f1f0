// openSource turns a `--source` flag into a ClusterState: `dir:PATH` (the directory source) or
// `k8s` (the Kubernetes source, loaded lazily so directory runs never load client-node).
import type { ClusterState } from './types.js';
import { DirSource } from './dir/index.js';
import { StateError } from './errors.js';
import type { Logger } from '../log.js';

/** OpenSourceOptions are the daemon flags that concern the source. */
export interface OpenSourceOptions {
  /** component: `lbctl-controller` or `lbctl-speaker`. */
  component: string;
  /** instance names this process (node name for speakers): event file names, event source host. */
  instance: string;
  namespace?: string;
  kubeconfig?: string;
  /** durable: fsync directory-source writes (default true). */
  durable?: boolean;
  logger?: Logger;
}

/** OpenedSource is a ClusterState plus what it is, for logs. */
export interface OpenedSource {
  state: ClusterState;
  kind: 'dir' | 'k8s';
  describe: string;
  namespace: string;
}

/** parseSourceSpec validates `dir:PATH` / `k8s` without opening anything. */
export function parseSourceSpec(spec: string): { kind: 'dir'; path: string } | { kind: 'k8s' } {
  if (spec === 'k8s' || spec === 'kubernetes') return { kind: 'k8s' };
  if (spec.startsWith('dir:') && spec.length > 4) return { kind: 'dir', path: spec.slice(4) };
  throw new StateError('state.read-failed', `state: --source ${JSON.stringify(spec)} is neither dir:PATH nor k8s`, { object: spec });
}

/** openSource opens the source named by `spec`. */
export async function openSource(spec: string, opts: OpenSourceOptions): Promise<OpenedSource> {
  const parsed = parseSourceSpec(spec);
  const namespace = opts.namespace ?? 'metallb-system';
  if (parsed.kind === 'dir') {
    const writer = opts.component === 'lbctl-controller' ? 'controller' : `speaker-${opts.instance}`;
    const state = new DirSource(parsed.path, { writer, leaseNamespace: namespace, durable: opts.durable, logger: opts.logger });
    return { state, kind: 'dir', describe: `directory ${state.root}`, namespace };
  }
  const k8s = await import('../k8s/index.js');
  const state = k8s.createKubernetesState({ kubeconfig: opts.kubeconfig, namespace: opts.namespace, component: opts.component, instance: opts.instance, log: opts.logger });
  return { state, kind: 'k8s', describe: 'Kubernetes API', namespace: state.namespace };
}
