// Conversions between LeaseRecord (what liveness reasons about) and a coordination.k8s.io/v1 Lease
// object (what both sources store). Pure.
import type { KubeObject, LeaseRecord } from './types.js';

/** LEASE_DURATION_ANNOTATION keeps the exact (possibly sub-second) duration next to the integer field. */
export const LEASE_DURATION_ANNOTATION = 'lbctl.io/lease-duration-ms';

/** formatMicroTime renders ms since the epoch as Kubernetes MicroTime (RFC 3339, 6 fraction digits). */
export function formatMicroTime(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString(); // 2026-01-02T03:04:05.678Z
  return `${iso.slice(0, 23)}000Z`;
}

/** leaseToObject renders a lease as a Lease object in `namespace`. */
export function leaseToObject(lease: LeaseRecord, namespace: string): KubeObject {
  const durationMs = Math.round(lease.durationSeconds * 1000);
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: lease.name, namespace, annotations: { [LEASE_DURATION_ANNOTATION]: String(durationMs) } },
    spec: {
      holderIdentity: lease.holder,
      leaseDurationSeconds: Math.max(1, Math.ceil(lease.durationSeconds)),
      renewTime: formatMicroTime(lease.renewTime),
    },
  };
}

/** leaseFromObject reads a Lease object back; undefined when it has no holder or no renew time. */
export function leaseFromObject(obj: KubeObject): LeaseRecord | undefined {
  const spec = obj.spec as { holderIdentity?: unknown; leaseDurationSeconds?: unknown; renewTime?: unknown } | undefined;
  if (typeof spec?.holderIdentity !== 'string' || spec.holderIdentity === '') return undefined;
  const renew = typeof spec.renewTime === 'string' ? Date.parse(spec.renewTime) : NaN;
  if (!Number.isFinite(renew)) return undefined;
  const exactMs = Number(obj.metadata.annotations?.[LEASE_DURATION_ANNOTATION]);
  const seconds = Number.isFinite(exactMs) && exactMs > 0
    ? exactMs / 1000
    : typeof spec.leaseDurationSeconds === 'number' ? spec.leaseDurationSeconds : NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return { name: obj.metadata.name, holder: spec.holderIdentity, renewTime: renew, durationSeconds: seconds };
}
