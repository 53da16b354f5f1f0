// MetalLB's rule for putting one more service on an address (checkSharing + sharingOK), with a
// distinct reason for each refusal so events and tests can say exactly why.
import type { PortSpec, SharingRefusal } from './types.js';

/** SharingState is what an address records about its current users. */
export interface SharingState {
  sharingKey: string;
  trafficPolicy: 'Cluster' | 'Local';
  selector: string;
  /** services holding the address (usually one: small arrays beat Sets in memory and time). */
  services: readonly string[];
  /** ports lists each `PROTO/port` held on this address with the service holding it. */
  ports: readonly PortHold[];
}

/** PortHold is one (protocol, port) held on an address: `[portKey, service]`. */
export type PortHold = readonly [port: string, service: string];

/** SharingCandidate is the service that wants the address. */
export interface SharingCandidate {
  key: string;
  sharingKey: string;
  trafficPolicy: 'Cluster' | 'Local';
  selector: string;
  ports: readonly PortSpec[];
}

/** SharingVerdict is the outcome of checkSharing; refusals carry a reason and a message. */
export type SharingVerdict = { ok: true } | { ok: false; reason: SharingRefusal; message: string };

/** portKey is how ports are recorded on an address: `TCP/80`. */
export function portKey(p: PortSpec): string {
  return `${p.protocol}/${p.port}`;
}

/**
 * checkSharing tells whether `want` may use an address in state `have` (undefined = unused).
 * The keys must agree unless `want` is the only user (it may change its own keys in place), and no
 * (protocol, port) may be held by another service; TCP/80 and UDP/80 are different ports.
 */
export function checkSharing(have: SharingState | undefined, want: SharingCandidate, ip: string): SharingVerdict {
  if (have === undefined || have.services.length === 0) return { ok: true };
  const soleUser = have.services.length === 1 && have.services[0] === want.key;
  if (!soleUser) {
    const refusal = keyRefusal(have, want);
    if (refusal !== undefined) {
      const others = have.services.filter((s) => s !== want.key).sort();
      return { ok: false, reason: refusal, message: `allocator: ip "${ip}" is in use by ${quoteAll(others)} and cannot be shared (${refusalText[refusal]})` };
    }
  }
  for (const p of want.ports) {
    const key = portKey(p);
    const clash = have.ports.find(([port, holder]) => port === key && holder !== want.key);
    if (clash !== undefined) {
      return { ok: false, reason: 'portInUse', message: `allocator: port ${key} is already in use on ip "${ip}" by "${clash[1]}"` };
    }
  }
  return { ok: true };
}

function keyRefusal(have: SharingState, want: SharingCandidate): SharingRefusal | undefined {
  if (have.sharingKey === '' || want.sharingKey === '') return 'notShared';
  if (have.sharingKey !== want.sharingKey) return 'sharingKeyDiffers';
  if (have.trafficPolicy !== want.trafficPolicy) return 'trafficPolicyDiffers';
  if (have.trafficPolicy === 'Local' && have.selector !== want.selector) return 'selectorDiffers';
  return undefined;
}

const refusalText: Record<SharingRefusal, string> = {
  notShared: 'a service without an allow-shared-ip key never shares',
  sharingKeyDiffers: 'the allow-shared-ip keys differ',
  trafficPolicyDiffers: 'one service uses externalTrafficPolicy Local and the other Cluster',
  selectorDiffers: 'Local services must have identical selectors',
  portInUse: 'a port is already in use',
};

function quoteAll(keys: string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}
