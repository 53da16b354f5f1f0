// The REST coordinates of every kind the daemons read or write: API group, version, plural, and
// whether lbctl watches it cluster-wide or only in its own namespace. Pure: paths are computed,
// nothing is fetched. Versions are the storage versions MetalLB serves (BGPPeer: v1beta2).
import type { ObjectKind } from '../state/types.js';

/** Scope says where a kind is read: `cluster` (cluster-scoped), `all` (every namespace), `own` (lbctl's namespace). */
export type Scope = 'cluster' | 'all' | 'own';

/** KindInfo is the REST identity of one kind. */
export interface KindInfo {
  kind: ObjectKind;
  /** group is '' for the core API. */
  group: string;
  version: string;
  plural: string;
  scope: Scope;
  /** statusSubresource: status is written through `/status` (Service, metallb.io status records). */
  statusSubresource: boolean;
}

const METALLB = 'metallb.io';

/** KINDS maps every ObjectKind to its REST identity. */
export const KINDS: Readonly<Record<ObjectKind, KindInfo>> = {
  Service: { kind: 'Service', group: '', version: 'v1', plural: 'services', scope: 'all', statusSubresource: true },
  EndpointSlice: { kind: 'EndpointSlice', group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', scope: 'all', statusSubresource: false },
  Node: { kind: 'Node', group: '', version: 'v1', plural: 'nodes', scope: 'cluster', statusSubresource: true },
  Namespace: { kind: 'Namespace', group: '', version: 'v1', plural: 'namespaces', scope: 'cluster', statusSubresource: true },
  ConfigMap: { kind: 'ConfigMap', group: '', version: 'v1', plural: 'configmaps', scope: 'own', statusSubresource: false },
  Secret: { kind: 'Secret', group: '', version: 'v1', plural: 'secrets', scope: 'own', statusSubresource: false },
  Lease: { kind: 'Lease', group: 'coordination.k8s.io', version: 'v1', plural: 'leases', scope: 'own', statusSubresource: false },
  IPAddressPool: { kind: 'IPAddressPool', group: METALLB, version: 'v1beta1', plural: 'ipaddresspools', scope: 'own', statusSubresource: true },
  L2Advertisement: { kind: 'L2Advertisement', group: METALLB, version: 'v1beta1', plural: 'l2advertisements', scope: 'own', statusSubresource: false },
  BGPAdvertisement: { kind: 'BGPAdvertisement', group: METALLB, version: 'v1beta1', plural: 'bgpadvertisements', scope: 'own', statusSubresource: false },
  BGPPeer: { kind: 'BGPPeer', group: METALLB, version: 'v1beta2', plural: 'bgppeers', scope: 'own', statusSubresource: false },
  BFDProfile: { kind: 'BFDProfile', group: METALLB, version: 'v1beta1', plural: 'bfdprofiles', scope: 'own', statusSubresource: false },
  Community: { kind: 'Community', group: METALLB, version: 'v1beta1', plural: 'communities', scope: 'own', statusSubresource: false },
  AddressPool: { kind: 'AddressPool', group: METALLB, version: 'v1beta1', plural: 'addresspools', scope: 'own', statusSubresource: false },
  ServiceL2Status: { kind: 'ServiceL2Status', group: METALLB, version: 'v1beta1', plural: 'servicel2statuses', scope: 'own', statusSubresource: true },
  ServiceBGPStatus: { kind: 'ServiceBGPStatus', group: METALLB, version: 'v1beta1', plural: 'servicebgpstatuses', scope: 'own', statusSubresource: true },
  ConfigurationState: { kind: 'ConfigurationState', group: METALLB, version: 'v1beta1', plural: 'configurationstates', scope: 'own', statusSubresource: true },
};

/** kindInfo looks a kind up by name; undefined for kinds lbctl does not handle. */
export function kindInfo(kind: string): KindInfo | undefined {
  return Object.hasOwn(KINDS, kind) ? KINDS[kind as ObjectKind] : undefined;
}

/** apiVersionOf renders `group/version` (just `version` for the core group). */
export function apiVersionOf(info: Pick<KindInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

function groupPrefix(info: KindInfo): string {
  return info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
}

/** collectionPath is the list/watch path: cluster-wide for `cluster`/`all`, namespaced for `own`. */
export function collectionPath(info: KindInfo, ownNamespace: string): string {
  if (info.scope === 'own') return `${groupPrefix(info)}/namespaces/${encodeURIComponent(ownNamespace)}/${info.plural}`;
  return `${groupPrefix(info)}/${info.plural}`;
}

/** objectPath is the path of one object; `sub` appends a subresource such as `status`. */
export function objectPath(info: KindInfo, namespace: string | undefined, name: string, sub?: string): string {
  const ns = info.scope === 'cluster' ? '' : `/namespaces/${encodeURIComponent(namespace ?? '')}`;
  const tail = sub ? `/${sub}` : '';
  return `${groupPrefix(info)}${ns}/${info.plural}/${encodeURIComponent(name)}${tail}`;
}

/** createPath is the collection an object of this kind is POSTed to. */
export function createPath(info: KindInfo, namespace: string | undefined): string {
  const ns = info.scope === 'cluster' ? '' : `/namespaces/${encodeURIComponent(namespace ?? '')}`;
  return `${groupPrefix(info)}${ns}/${info.plural}`;
}
