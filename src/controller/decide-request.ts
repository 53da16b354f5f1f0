// ServiceView -> AllocationRequest: the keys MetalLB derives from a Service (ports, sharing key,
// backend), the requested IPs and pool, and the problems found on the way (deprecated annotations,
// contradictory requests). Pure: no allocator state is read here.
import type { AllocationRequest, FamilyPolicy, PortSpec } from '../allocator/types.js';
import type { ServiceView } from '../model/cluster.js';
import type { Family } from '../model/ip.js';
import { parseIP } from '../model/ip.js';
import type { Labels } from '../model/selector.js';
import { ADDRESS_POOL, ALLOW_SHARED_IP, LOAD_BALANCER_IPS, readAnnotation } from './annotations.js';

/** RequestBuild is a request plus the reason it is unusable, if it is. */
export interface RequestBuild {
  request: AllocationRequest;
  /** invalid explains a request that must not be allocated (e.g. both loadBalancerIP and the annotation). */
  invalid?: string;
}

/** canonicalSelector renders spec.selector as MetalLB's backend key: `k=v` sorted by key, comma-joined. */
export function canonicalSelector(selector: Readonly<Record<string, string>>): string {
  return Object.keys(selector)
    .sort()
    .map((k) => `${k}=${selector[k]}`)
    .join(',');
}

/**
 * serviceFamilies returns the service's families, primary first. ipFamilies wins; when a manifest
 * omits it (dry runs), a dual-stack policy means both, and the given addresses (requested, else those
 * in status) give their families.
 */
export function serviceFamilies(view: ServiceView, requested: readonly string[]): Family[] {
  if (view.ipFamilies.length > 0) return view.ipFamilies.map((f) => (f === 'IPv6' ? 6 : 4));
  if (view.ipFamilyPolicy === 'PreferDualStack' || view.ipFamilyPolicy === 'RequireDualStack') return [4, 6];
  const fams = requested.map((t) => parseIP(t.trim())?.family).filter((f): f is Family => f !== undefined);
  return fams.length > 0 ? [...new Set(fams)] : [4];
}

/** requestedIPs reads the loadBalancerIPs annotation or spec.loadBalancerIP, refusing contradictions. */
export function requestedIPs(view: ServiceView): { ips: string[]; invalid?: string } {
  const ann = readAnnotation(view.annotations, LOAD_BALANCER_IPS);
  if (ann !== undefined && view.loadBalancerIP !== undefined) {
    return { ips: [], invalid: `service can not have both spec.loadBalancerIP and the ${ann.key} annotation` };
  }
  if (ann === undefined) return { ips: view.loadBalancerIP !== undefined ? [view.loadBalancerIP.trim()] : [] };
  const ips = ann.value.split(',').map((s) => s.trim());
  const bad = ips.find((s) => parseIP(s) === undefined);
  if (bad !== undefined) return { ips: [], invalid: `${ann.key}: ${JSON.stringify(bad)} is not an IP address` };
  if (ips.length > 2) return { ips: [], invalid: `${ann.key}: ${ips.length} addresses given; at most 2 (one per family)` };
  if (ips.length === 2 && parseIP(ips[0]!)!.family === parseIP(ips[1]!)!.family) {
    return { ips: [], invalid: `${ann.key}: "${ips[0]}" and "${ips[1]}" are of the same family` };
  }
  return { ips };
}

function ports(view: ServiceView): PortSpec[] {
  return view.ports.map((p) => ({ protocol: p.protocol, port: p.port }));
}

/** requestFromView builds the allocation request for a service. */
export function requestFromView(view: ServiceView, namespaceLabels?: Labels): RequestBuild {
  const wanted = requestedIPs(view);
  const pool = readAnnotation(view.annotations, ADDRESS_POOL);
  const request: AllocationRequest = {
    key: `${view.namespace}/${view.name}`,
    namespace: view.namespace,
    labels: view.labels,
    families: serviceFamilies(view, wanted.ips.length > 0 ? wanted.ips : view.ingressIPs),
    policy: (view.ipFamilyPolicy ?? 'SingleStack') as FamilyPolicy,
    ports: ports(view),
    sharingKey: readAnnotation(view.annotations, ALLOW_SHARED_IP)?.value ?? '',
    trafficPolicy: view.externalTrafficPolicy,
    selector: view.externalTrafficPolicy === 'Local' ? canonicalSelector(view.selector) : '',
  };
  if (namespaceLabels !== undefined) request.namespaceLabels = namespaceLabels;
  if (wanted.ips.length > 0) request.requestedIPs = wanted.ips;
  if (pool !== undefined && pool.value !== '') request.requestedPool = pool.value;
  return wanted.invalid === undefined ? { request } : { request, invalid: wanted.invalid };
}
