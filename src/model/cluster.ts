// Views of cluster objects that the controller and the speakers reason about. Kubernetes types never
// cross this line: adapters (src/k8s, the directory source) turn real objects into these.

/** NodeView is what announcers need of a Node. */
export interface NodeView {
  name: string;
  labels: Record<string, string>;
  /** networkUnavailable is the NetworkUnavailable=True condition. */
  networkUnavailable: boolean;
}

/** EndpointView is one endpoint of an EndpointSlice. */
export interface EndpointView {
  addresses: string[];
  nodeName?: string;
  /** ready: the `ready` condition (nil counts as ready). */
  ready: boolean;
  /** serving: the `serving` condition (terminating-but-serving still counts, as in MetalLB). */
  serving: boolean;
}

/** TrafficPolicy is spec.externalTrafficPolicy. */
export type TrafficPolicy = 'Cluster' | 'Local';

/** ServicePort is one spec.ports entry. */
export interface ServicePort {
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** ServiceView is the part of a Service that allocation and announcement look at. */
export interface ServiceView {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  type: string;
  loadBalancerClass?: string;
  loadBalancerIP?: string;
  ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
  ipFamilies: ('IPv4' | 'IPv6')[];
  ports: ServicePort[];
  externalTrafficPolicy: TrafficPolicy;
  /** selector is spec.selector; shared Local services must have identical ones. */
  selector: Record<string, string>;
  /** ingressIPs is status.loadBalancer.ingress[].ip as currently written. */
  ingressIPs: string[];
}

/** serviceKey is the "namespace/name" key used in logs, events and the allocator. */
export function serviceKey(s: Pick<ServiceView, 'namespace' | 'name'>): string {
  return `${s.namespace}/${s.name}`;
}

/** usableEndpoint is MetalLB's rule: ready, or terminating but still serving. */
export function usableEndpoint(e: EndpointView): boolean {
  return e.ready || e.serving;
}
