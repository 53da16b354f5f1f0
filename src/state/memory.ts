// MemoryState is an in-process ClusterState: the daemons' unit tests and the controller benchmark
// run on it, and it documents the contract in executable form. `unreachable` simulates a store
// that rejects every write (transient), for the liveness fencing tests.
import type { ClusterState, EventRecord, KubeObject, LeaseRecord, ObjectKind, Unsubscribe, WatchEvent } from './types.js';
import { WatchHub } from './hub.js';
import { StateError } from './errors.js';
import { leaseToObject } from './lease.js';
import { mergeAnnotations, objectKey } from './objects.js';

/** MemoryState keeps every object in memory and records events and writes for inspection. */
export class MemoryState implements ClusterState {
  readonly hub = new WatchHub();
  /** events recorded through recordEvent, oldest first. */
  readonly events: EventRecord[] = [];
  /** writes counts successful writes by operation name (API write-rate accounting). */
  readonly writes = new Map<string, number>();
  /** unreachable makes every write reject with a transient StateError. */
  unreachable = false;
  private closed = false;

  constructor(readonly leaseNamespace = 'metallb-system', initial: KubeObject[] = []) {
    for (const o of initial) this.hub.put(o);
    this.hub.markReady();
  }

  /** put creates or replaces an object, as a user's `kubectl apply` would. */
  put(obj: KubeObject): void {
    this.hub.put(obj);
  }

  /** remove deletes an object, as `kubectl delete` would. */
  remove(kind: string, namespace: string | undefined, name: string): void {
    this.hub.remove(objectKey(kind, namespace, name));
  }

  /** get returns a copy of one object. */
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.hub.get(objectKey(kind, namespace, name));
  }

  watch(kinds: readonly ObjectKind[], onEvent: (ev: WatchEvent) => void): Unsubscribe {
    return this.hub.watch(kinds, onEvent);
  }

  async patchServiceStatus(namespace: string, name: string, ingressIPs: string[]): Promise<void> {
    const svc = this.service('patchServiceStatus', namespace, name);
    svc.status = { ...(svc.status ?? {}), loadBalancer: ingressIPs.length ? { ingress: ingressIPs.map((ip) => ({ ip })) } : {} };
    this.hub.put(svc);
  }

  async patchServiceAnnotations(namespace: string, name: string, annotations: Record<string, string | null>): Promise<void> {
    const svc = this.service('patchServiceAnnotations', namespace, name);
    svc.metadata.annotations = mergeAnnotations(svc.metadata.annotations, annotations);
    this.hub.put(svc);
  }

  async recordEvent(ev: EventRecord): Promise<void> {
    this.check('recordEvent');
    this.events.push(structuredClone(ev));
  }

  async upsertLease(lease: LeaseRecord): Promise<void> {
    this.check('upsertLease');
    this.hub.put(leaseToObject(lease, this.leaseNamespace));
  }

  async deleteLease(name: string): Promise<void> {
    this.check('deleteLease');
    this.hub.remove(objectKey('Lease', this.leaseNamespace, name));
  }

  async upsertObject(obj: KubeObject): Promise<void> {
    this.check('upsertObject');
    this.hub.put(obj);
  }

  async deleteObject(kind: string, namespace: string, name: string): Promise<void> {
    this.check('deleteObject');
    this.hub.remove(objectKey(kind, namespace, name));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.hub.close();
  }

  private service(op: string, namespace: string, name: string): KubeObject {
    this.check(op);
    const svc = this.hub.get(objectKey('Service', namespace, name));
    if (!svc) throw new StateError('state.not-found', `state: ${op}: Service ${namespace}/${name} not found`, { object: `Service ${namespace}/${name}` });
    return svc;
  }

  private check(op: string): void {
    if (this.closed) throw new StateError('state.closed', `state: ${op} after close`);
    if (this.unreachable) throw new StateError('state.write-failed', `state: ${op}: store unreachable`, { transient: true });
    this.writes.set(op, (this.writes.get(op) ?? 0) + 1);
  }
}

