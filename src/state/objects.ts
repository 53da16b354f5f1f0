// Small pure helpers over KubeObject shared by both sources and by the daemons.
import type { KubeObject } from './types.js';

/** CLUSTER_SCOPED lists the kinds that have no namespace. */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['Node', 'Namespace']);

/** objectKey is the `Kind/namespace/name` identity of an object (namespace empty when cluster-scoped). */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${CLUSTER_SCOPED.has(kind) ? '' : namespace ?? ''}/${name}`;
}

/** keyOf is objectKey for a whole object. */
export function keyOf(obj: KubeObject): string {
  return objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name);
}

/** describe names an object in messages and logs: `Service default/web`, `Node n1`. */
export function describe(obj: Pick<KubeObject, 'kind' | 'metadata'>): string {
  const ns = obj.metadata.namespace;
  return ns && !CLUSTER_SCOPED.has(obj.kind) ? `${obj.kind} ${ns}/${obj.metadata.name}` : `${obj.kind} ${obj.metadata.name}`;
}

/** contentOf renders an object without the fields a source assigns, so two renderings compare by content. */
export function contentOf(obj: KubeObject): string {
  const { resourceVersion: _rv, uid: _uid, ...meta } = obj.metadata;
  return JSON.stringify({ ...obj, metadata: meta });
}

/** cloneObject deep-copies an object so watchers cannot mutate a source's index. */
export function cloneObject<T extends KubeObject>(obj: T): T {
  return structuredClone(obj);
}

/** ingressIPsOf reads status.loadBalancer.ingress[].ip (non-empty strings only). */
export function ingressIPsOf(obj: KubeObject): string[] {
  const ingress = (obj.status as { loadBalancer?: { ingress?: { ip?: unknown }[] } } | undefined)?.loadBalancer?.ingress;
  if (!Array.isArray(ingress)) return [];
  return ingress.map((i) => i?.ip).filter((ip): ip is string => typeof ip === 'string' && ip !== '');
}

/** mergeAnnotations applies a patch where null removes a key; returns a new record. */
export function mergeAnnotations(base: Record<string, string> | undefined, patch: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = { ...(base ?? {}) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}
