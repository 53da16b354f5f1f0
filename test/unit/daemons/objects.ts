// Builders of plain manifests for the daemon tests.
import type { KubeObject } from '../../../src/state/types.js';

/** legacyConfig is the legacy ConfigMap with the given payload. */
export function legacyConfig(payload: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config', namespace: 'metallb-system' }, data: { config: payload } };
}

/** l2Pool is a legacy payload with one layer2 pool. */
export function l2Pool(addresses: string[], name = 'lan'): string {
  return `address-pools:\n- name: ${name}\n  protocol: layer2\n  addresses:\n${addresses.map((a) => `  - ${a}`).join('\n')}\n`;
}

/** service is a LoadBalancer Service (options for class, requested IP, policy, status). */
export function service(name: string, o: { ns?: string; ips?: string[]; lbClass?: string; policy?: 'Local' | 'Cluster'; annotations?: Record<string, string>; type?: string; port?: number } = {}): KubeObject {
  const spec: Record<string, unknown> = { type: o.type ?? 'LoadBalancer', ports: [{ port: o.port ?? 80, protocol: 'TCP' }], selector: { app: name }, ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' };
  if (o.lbClass) spec['loadBalancerClass'] = o.lbClass;
  if (o.policy) spec['externalTrafficPolicy'] = o.policy;
  const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: o.ns ?? 'default', ...(o.annotations ? { annotations: o.annotations } : {}) }, spec };
  if (o.ips) svc.status = { loadBalancer: { ingress: o.ips.map((ip) => ({ ip })) } };
  return svc;
}

/** node is a Node with labels. */
export function node(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } } };
}

/** slice is an EndpointSlice for a service with ready endpoints on the given nodes. */
export function slice(svc: string, nodes: string[], ns = 'default'): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: `${svc}-abc`, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    endpoints: nodes.map((n, i) => ({ addresses: [`10.244.${i}.10`], nodeName: n, conditions: { ready: true } })),
  };
}
