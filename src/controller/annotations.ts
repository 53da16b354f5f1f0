// Service annotations the controller reads and writes. MetalLB 0.14.9 moved from the
// `metallb.universe.tf/` prefix to `metallb.io/`; both are read (the new one wins when both exist,
// even when empty) and the old spelling earns a deprecation warning.

/** PREFIX is the current annotation prefix. */
export const PREFIX = 'metallb.io/';

/** LEGACY_PREFIX is the deprecated annotation prefix, still read. */
export const LEGACY_PREFIX = 'metallb.universe.tf/';

/** AnnotationPair is one annotation under its current and its deprecated name. */
export interface AnnotationPair {
  readonly current: string;
  readonly deprecated: string;
}

function pair(suffix: string): AnnotationPair {
  return { current: PREFIX + suffix, deprecated: LEGACY_PREFIX + suffix };
}

/** LOAD_BALANCER_IPS requests 1 or 2 comma-separated addresses (of different families). */
export const LOAD_BALANCER_IPS = pair('loadBalancerIPs');

/** ADDRESS_POOL requests allocation from a named pool. */
export const ADDRESS_POOL = pair('address-pool');

/** ALLOW_SHARED_IP is the sharing key: services with the same key may share an address. */
export const ALLOW_SHARED_IP = pair('allow-shared-ip');

/** IP_ALLOCATED_FROM_POOL is written by the controller: the pool the addresses came from. */
export const IP_ALLOCATED_FROM_POOL = pair('ip-allocated-from-pool');

/** AnnotationValue is a read annotation and the key it was found under. */
export interface AnnotationValue {
  value: string;
  key: string;
  deprecated: boolean;
}

/** readAnnotation reads the current name first, then the deprecated one; a present empty value counts. */
export function readAnnotation(annotations: Readonly<Record<string, string>>, p: AnnotationPair): AnnotationValue | undefined {
  if (Object.prototype.hasOwnProperty.call(annotations, p.current)) return { value: annotations[p.current]!, key: p.current, deprecated: false };
  if (Object.prototype.hasOwnProperty.call(annotations, p.deprecated)) return { value: annotations[p.deprecated]!, key: p.deprecated, deprecated: true };
  return undefined;
}

/** deprecatedKeys lists the `metallb.universe.tf/` annotations a service carries, sorted. */
export function deprecatedKeys(annotations: Readonly<Record<string, string>>): string[] {
  return Object.keys(annotations).filter((k) => k.startsWith(LEGACY_PREFIX)).sort();
}
