// Legacy address pools -> IPAddressPool plus the advertisements their protocol implied. A legacy
// layer2 pool was announced from every node on every interface, which is exactly an L2Advertisement
// with no selectors; a bgp pool without advertisements got one default advertisement.
import type { LegacyBGPAdvertisement, LegacyPool } from '../config/legacy/types.js';
import { ConfigError } from '../model/index.js';
import { assertMapped } from './fields.js';
import { derivedName, type NameTable } from './names.js';
import { warn, type K8sObject, type MigrateWarning } from './types.js';
import type { YamlValue } from './yaml.js';

type Spec = { [key: string]: YamlValue };

/** PoolContext carries what pool conversion needs from the rest of the run. */
export interface PoolContext {
  namespace: string;
  names: NameTable;
  warnings: MigrateWarning[];
}

/** PoolObjects are the objects one legacy pool turns into, kept apart so the caller can order by kind. */
export interface PoolObjects {
  pool: K8sObject;
  l2: K8sObject[];
  bgp: K8sObject[];
}

/** protocolOf classifies a legacy protocol, or throws for anything that would never be announced. */
export function protocolOf(pool: LegacyPool, origin: string): 'layer2' | 'bgp' {
  const p = pool.protocol;
  if (p === 'layer2' || p === 'arp' || p === 'ndp') return 'layer2';
  if (p === 'bgp') return 'bgp';
  const what = p === undefined ? 'has no protocol' : `has protocol ${JSON.stringify(p)}`;
  throw new ConfigError(
    'migrate.unknown-protocol',
    `migrate: ${origin} ${what}; only layer2 and bgp are announced, so its IPs would be allocated but never reachable`,
    { object: origin, field: 'protocol' },
  );
}

function poolSpec(pool: LegacyPool, origin: string, ctx: PoolContext): Spec {
  const spec: Spec = { addresses: [...(pool.addresses ?? []), ...(pool.cidr ?? [])] };
  if (pool['auto-assign'] !== undefined) spec.autoAssign = pool['auto-assign'];
  if (pool['avoid-buggy-ips'] !== undefined) spec.avoidBuggyIPs = pool['avoid-buggy-ips'];
  if (pool['arp-network'] !== undefined) {
    ctx.warnings.push(
      warn(
        'migrate.dropped-arp-network',
        `migrate: ${origin}: arp-network ${JSON.stringify(pool['arp-network'])} has had no effect since MetalLB v0.6 ` +
          'and has no CRD field; it is dropped',
        origin,
        'arp-network',
      ),
    );
  }
  return spec;
}

function bgpAdSpec(ad: LegacyBGPAdvertisement, pool: string, origin: string): Spec {
  assertMapped('bgp-advertisement', ad, origin);
  const spec: Spec = {};
  if (ad['aggregation-length'] !== undefined) spec.aggregationLength = ad['aggregation-length'];
  if (ad['aggregation-length-v6'] !== undefined) spec.aggregationLengthV6 = ad['aggregation-length-v6'];
  if (ad.localpref !== undefined) spec.localPref = ad.localpref;
  if (ad.communities !== undefined) spec.communities = [...ad.communities];
  spec.ipAddressPools = [pool];
  return spec;
}

/**
 * poolToCrd converts one legacy pool whose CRD name is already chosen. `origin` names the pool in
 * messages (`pool #2 "My_Pool"`).
 */
export function poolToCrd(pool: LegacyPool, name: string, origin: string, ctx: PoolContext): PoolObjects {
  assertMapped('pool', pool, origin);
  const protocol = protocolOf(pool, origin);
  const meta = (n: string) => ({ name: n, namespace: ctx.namespace });
  const out: PoolObjects = {
    pool: { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: meta(name), spec: poolSpec(pool, origin, ctx) },
    l2: [],
    bgp: [],
  };
  if (protocol === 'layer2') {
    const adName = ctx.names.claim('L2Advertisement', derivedName(name, 'l2'), origin);
    out.l2.push({ apiVersion: 'metallb.io/v1beta1', kind: 'L2Advertisement', metadata: meta(adName), spec: { ipAddressPools: [name] } });
    return out;
  }
  // The parser appends the v0.1-v0.2 `advertisements` after `bgp-advertisements`; so do we.
  const ads = [...(pool['bgp-advertisements'] ?? []), ...(pool.advertisements ?? [])];
  const list = ads.length === 0 ? [{}] : ads;
  list.forEach((ad, j) => {
    const suffix = list.length === 1 ? 'bgp' : `bgp-${j + 1}`;
    const adOrigin = `${origin} advertisement #${j + 1}`;
    const adName = ctx.names.claim('BGPAdvertisement', derivedName(name, suffix), adOrigin);
    out.bgp.push({ apiVersion: 'metallb.io/v1beta1', kind: 'BGPAdvertisement', metadata: meta(adName), spec: bgpAdSpec(ad, name, adOrigin) });
  });
  return out;
}
