// Service manifest (plain JSON, as in YAML files or from the API) -> ServiceView. Defaults follow the
// API server: type ClusterIP, protocol TCP, externalTrafficPolicy Cluster, namespace "default".
import type { ServicePort, ServiceView } from '../model/cluster.js';

/** ServiceViewError is a manifest that cannot be read as a Service; names the field and value. */
export class ServiceViewError extends Error {
  override readonly name = 'ServiceViewError';
  readonly code = 'service.invalid';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

function strMap(v: unknown, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) {
    if (typeof val !== 'string') throw new ServiceViewError(`service: ${field}.${k} must be a string, got ${JSON.stringify(val)}`, `${field}.${k}`);
    out[k] = val;
  }
  return out;
}

const policies = ['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const;
const protocols = ['TCP', 'UDP', 'SCTP'] as const;

function ports(v: unknown, who: string): ServicePort[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ServiceViewError(`service ${who}: spec.ports must be a list`, 'spec.ports');
  return v.map((p, i) => {
    const o = obj(p);
    const protocol = (o.protocol ?? 'TCP') as ServicePort['protocol'];
    if (!protocols.includes(protocol)) throw new ServiceViewError(`service ${who}: spec.ports[${i}].protocol ${JSON.stringify(o.protocol)} is not TCP, UDP or SCTP`, `spec.ports[${i}].protocol`);
    if (typeof o.port !== 'number' || !Number.isInteger(o.port)) throw new ServiceViewError(`service ${who}: spec.ports[${i}].port ${JSON.stringify(o.port)} is not a port number`, `spec.ports[${i}].port`);
    return { protocol, port: o.port };
  });
}

function ingress(status: Json): string[] {
  const list = obj(status.loadBalancer).ingress;
  if (!Array.isArray(list)) return [];
  return list.map((e) => obj(e).ip).filter((ip): ip is string => typeof ip === 'string' && ip !== '');
}

/** serviceViewFromObject reads a Service manifest; throws ServiceViewError when it is not one. */
export function serviceViewFromObject(input: unknown): ServiceView {
  const o = obj(input);
  if (o.kind !== undefined && o.kind !== 'Service') throw new ServiceViewError(`service: kind ${JSON.stringify(o.kind)} is not Service`, 'kind');
  const meta = obj(o.metadata);
  if (typeof meta.name !== 'string' || meta.name === '') throw new ServiceViewError('service: metadata.name is missing', 'metadata.name');
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default';
  const who = `${namespace}/${meta.name}`;
  const spec = obj(o.spec);
  const policy = spec.ipFamilyPolicy;
  if (policy !== undefined && !policies.includes(policy as (typeof policies)[number])) {
    throw new ServiceViewError(`service ${who}: spec.ipFamilyPolicy ${JSON.stringify(policy)} is not one of ${policies.join(', ')}`, 'spec.ipFamilyPolicy');
  }
  const families = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
  for (const f of families) if (f !== 'IPv4' && f !== 'IPv6') throw new ServiceViewError(`service ${who}: spec.ipFamilies entry ${JSON.stringify(f)} is not IPv4 or IPv6`, 'spec.ipFamilies');
  const view: ServiceView = {
    namespace,
    name: meta.name,
    labels: strMap(meta.labels, 'metadata.labels'),
    annotations: strMap(meta.annotations, 'metadata.annotations'),
    type: typeof spec.type === 'string' ? spec.type : 'ClusterIP',
    ipFamilies: families as ServiceView['ipFamilies'],
    ports: ports(spec.ports, who),
    externalTrafficPolicy: spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    selector: strMap(spec.selector, 'spec.selector'),
    ingressIPs: ingress(obj(o.status)),
  };
  if (typeof spec.loadBalancerClass === 'string') view.loadBalancerClass = spec.loadBalancerClass;
  if (typeof spec.loadBalancerIP === 'string' && spec.loadBalancerIP !== '') view.loadBalancerIP = spec.loadBalancerIP;
  if (policy !== undefined) view.ipFamilyPolicy = policy as ServiceView['ipFamilyPolicy'];
  return view;
}
