// The services report: which existing Services the migration affects. A Service that names a renamed
// pool in its address-pool annotation would stop being allocated after the switch, and a Service whose
// current ingress IP lies outside every new pool would have that IP taken away; both need a human.
import { cidrContains, ConfigError, parseIP, type Pool } from '../model/index.js';

/** POOL_ANNOTATIONS are the annotation keys that request a pool (current first, then deprecated). */
export const POOL_ANNOTATIONS = ['metallb.io/address-pool', 'metallb.universe.tf/address-pool'];

/** ServiceRef is what the report needs of one Service manifest. */
export interface ServiceRef {
  namespace: string;
  name: string;
  annotations: Record<string, string>;
  ingressIPs: string[];
}

/** ServiceFinding is one Service that needs attention, with the reason and (when known) the fix. */
export interface ServiceFinding {
  service: string;
  reason: 'renamed-pool' | 'unknown-pool' | 'uncovered-ip';
  message: string;
  /** patch is a kubectl command that fixes the Service, for renamed pools. */
  patch?: string;
}

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** serviceRefs extracts Services from decoded documents: Service objects, and items of a List. */
export function serviceRefs(docs: unknown[], source: string): ServiceRef[] {
  const out: ServiceRef[] = [];
  for (const doc of docs) {
    const o = obj(doc);
    if (Array.isArray(o.items)) out.push(...serviceRefs(o.items, source));
    else if (o.kind === 'Service') out.push(toRef(o));
    else if (doc !== null && doc !== undefined) {
      throw new ConfigError('migrate.bad-services', `migrate: ${source}: expected Service objects or a List of them, found kind ${JSON.stringify(o.kind ?? null)}`, {
        object: source,
        field: 'kind',
      });
    }
  }
  return out;
}

function toRef(o: Record<string, unknown>): ServiceRef {
  const meta = obj(o.metadata);
  const annotations = Object.fromEntries(Object.entries(obj(meta.annotations)).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const ingress = obj(obj(o.status).loadBalancer).ingress;
  const ingressIPs = Array.isArray(ingress) ? ingress.map((i) => obj(i).ip).filter((ip): ip is string => typeof ip === 'string') : [];
  return { namespace: typeof meta.namespace === 'string' ? meta.namespace : 'default', name: String(meta.name ?? ''), annotations, ingressIPs };
}

/** patchCommand is the kubectl command that points a Service's pool annotation at the new name. */
export function patchCommand(svc: ServiceRef, key: string, pool: string): string {
  const patch = JSON.stringify({ metadata: { annotations: { [key]: pool } } });
  return `kubectl -n ${svc.namespace} patch service ${svc.name} --type merge -p '${patch}'`;
}

/**
 * servicesReport checks every Service against the new pools: pool annotations naming a renamed or
 * missing pool, and ingress IPs outside every new pool. `renames` maps old pool names to new ones.
 */
export function servicesReport(services: ServiceRef[], pools: Pool[], renames: Map<string, string>): ServiceFinding[] {
  const names = new Set(pools.map((p) => p.name));
  const out: ServiceFinding[] = [];
  for (const svc of services) {
    const key = `${svc.namespace}/${svc.name}`;
    for (const ann of POOL_ANNOTATIONS) {
      const want = svc.annotations[ann];
      if (want === undefined || names.has(want)) continue;
      const renamed = renames.get(want);
      if (renamed !== undefined) {
        out.push({
          service: key,
          reason: 'renamed-pool',
          message: `migrate: service ${key}: annotation ${ann} names pool ${JSON.stringify(want)}, which is now ${JSON.stringify(renamed)}`,
          patch: patchCommand(svc, ann, renamed),
        });
      } else {
        out.push({ service: key, reason: 'unknown-pool', message: `migrate: service ${key}: annotation ${ann} names pool ${JSON.stringify(want)}, which the new config does not have` });
      }
    }
    for (const ip of svc.ingressIPs) {
      const parsed = parseIP(ip);
      if (parsed && pools.some((p) => p.cidrs.some((c) => cidrContains(c, parsed)))) continue;
      out.push({
        service: key,
        reason: 'uncovered-ip',
        message: `migrate: service ${key}: ingress IP ${ip} is not in any pool of the new config; it would be taken away and the service re-allocated`,
      });
    }
  }
  return out;
}
