// Request bodies for the writes KubernetesState makes. Pure.
import type { KubeObject } from '../state/types.js';
import { apiVersionOf, type KindInfo } from './kinds.js';

/**
 * ingressPatch is the merge patch that sets status.loadBalancer.ingress to exactly these IPs
 * (a merge patch replaces lists whole; null removes the field, which is how "no IP" is written).
 */
export function ingressPatch(ips: string[]): Record<string, unknown> {
  return { status: { loadBalancer: { ingress: ips.length ? ips.map((ip) => ({ ip })) : null } } };
}

/**
 * applyBodies splits an object into its server-side-apply bodies: the object without status, and
 * (for kinds with a status subresource) the status alone, because the API server ignores status on
 * the main resource and everything but status on `/status`. Server-assigned metadata is dropped.
 */
export function applyBodies(obj: KubeObject, info: KindInfo, namespace: string | undefined): { main: KubeObject; status?: KubeObject } {
  const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, ...meta } = obj.metadata;
  const metadata = namespace === undefined ? { ...meta, namespace: undefined } : { ...meta, namespace };
  if (metadata.namespace === undefined) delete metadata.namespace;
  const apiVersion = obj.apiVersion || apiVersionOf(info);
  const { status, ...rest } = obj;
  const main: KubeObject = { ...rest, apiVersion, kind: info.kind, metadata };
  if (!info.statusSubresource || status === undefined) {
    return { main: info.statusSubresource ? main : { ...main, ...(status === undefined ? {} : { status }) } };
  }
  return { main, status: { apiVersion, kind: info.kind, metadata: { name: meta.name, ...(namespace ? { namespace } : {}) }, status } };
}
