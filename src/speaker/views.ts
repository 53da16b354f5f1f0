// Reading Nodes and EndpointSlices (plain JSON from any source) into the views the election and
// the BGP decisions take. Pure; malformed fields read as absent rather than failing the speaker.
import type { EndpointView, NodeView } from '../model/cluster.js';
import type { KubeObject } from '../state/types.js';

/** SERVICE_NAME_LABEL links an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** nodeViewFromObject reads a Node: labels and the NetworkUnavailable=True condition. */
export function nodeViewFromObject(o: KubeObject): NodeView {
  const conditions = Array.isArray(o.status?.conditions) ? (o.status.conditions as { type?: unknown; status?: unknown }[]) : [];
  return {
    name: o.metadata.name,
    labels: { ...(o.metadata.labels ?? {}) },
    networkUnavailable: conditions.some((c) => c?.type === 'NetworkUnavailable' && c?.status === 'True'),
  };
}

/** SliceView is one EndpointSlice reduced to its service and endpoints. */
export interface SliceView {
  /** service is `namespace/name`, or undefined when the slice has no service-name label. */
  service?: string;
  endpoints: EndpointView[];
}

/** sliceViewFromObject reads an EndpointSlice (discovery.k8s.io/v1); nil ready counts as ready. */
export function sliceViewFromObject(o: KubeObject): SliceView {
  const name = o.metadata.labels?.[SERVICE_NAME_LABEL];
  const list = Array.isArray(o['endpoints']) ? (o['endpoints'] as Record<string, unknown>[]) : [];
  const endpoints = list.map((e): EndpointView => {
    const cond = (e['conditions'] ?? {}) as { ready?: unknown; serving?: unknown };
    const ready = cond.ready === undefined || cond.ready === null ? true : cond.ready === true;
    const serving = cond.serving === undefined || cond.serving === null ? ready : cond.serving === true;
    const view: EndpointView = { addresses: Array.isArray(e['addresses']) ? (e['addresses'] as unknown[]).map(String) : [], ready, serving };
    if (typeof e['nodeName'] === 'string') view.nodeName = e['nodeName'];
    return view;
  });
  const out: SliceView = { endpoints };
  if (name) out.service = `${o.metadata.namespace ?? 'default'}/${name}`;
  return out;
}
