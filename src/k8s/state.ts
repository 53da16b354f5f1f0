// KubernetesState is the ClusterState on a real API server: one self-restarting informer per kind
// (shared by every watch() call), status and annotations written with JSON merge patches, leases
// and status records written with server-side apply (one idempotent call that creates or replaces),
// and Events through the recorder.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterState, EventRecord, KubeObject, LeaseRecord, ObjectKind, Unsubscribe, WatchEvent } from '../state/types.js';
import { StateError } from '../state/errors.js';
import { leaseToObject } from '../state/lease.js';
import { createLogger, type Logger } from '../log.js';
import { ApiError, KubeClient, PATCH_TYPES, type HttpVerb, type RequestOptions } from './client.js';
import { toStateError } from './errors.js';
import { KindFeed } from './feed.js';
import { collectionPath, createPath, KINDS, kindInfo, objectPath, type KindInfo } from './kinds.js';
import { EventRecorder } from './recorder.js';
import { ingressPatch, applyBodies } from './writes.js';
import type { BackoffPolicy } from './backoff.js';

/** KubernetesStateOptions configure the source. */
export interface KubernetesStateOptions {
  config: KubeConfig;
  /** namespace holds lbctl's ConfigMap, metallb.io objects, Secrets and Leases. */
  namespace: string;
  /** component is the field manager and event reporter: `lbctl-controller` or `lbctl-speaker`. */
  component: string;
  /** instance names this process in events (node name for speakers, pod name for the controller). */
  instance?: string;
  log?: Logger;
  backoff?: BackoffPolicy;
  requestTimeoutMs?: number;
  /**
   * ownerPod is this process's pod (downward API POD_NAME/POD_UID). Status records then carry it
   * as owner reference, so the garbage collector removes a dead speaker's records with its pod,
   * as MetalLB's do.
   */
  ownerPod?: { name: string; uid: string };
}

// The records a speaker publishes about its own announcements.
const OWNED_KINDS = new Set(['ServiceL2Status', 'ServiceBGPStatus']);

/** KubernetesState implements ClusterState against kube-apiserver. */
export class KubernetesState implements ClusterState {
  readonly client: KubeClient;
  private readonly feeds = new Map<ObjectKind, KindFeed>();
  private readonly recorder: EventRecorder;
  private readonly log: Logger;
  private closed = false;

  constructor(private readonly opts: KubernetesStateOptions) {
    this.log = opts.log ?? createLogger('k8s');
    this.client = new KubeClient(opts.config, opts.requestTimeoutMs);
    this.recorder = new EventRecorder(this.client, this.log, opts.instance);
  }

  /** feedRestarts reports how often each kind's informer was restarted after an error. */
  feedRestarts(): Record<string, number> {
    return Object.fromEntries([...this.feeds].map(([k, f]) => [k, f.restarts]));
  }

  watch(kinds: readonly ObjectKind[], onEvent: (ev: WatchEvent) => void): Unsubscribe {
    if (this.closed) throw new StateError('state.closed', 'k8s: watch on a closed source');
    const pending = new Set<ObjectKind>(kinds);
    const unsubs: (() => void)[] = [];
    let active = true;
    const maybeSynced = (kind: ObjectKind) => {
      if (!pending.delete(kind) || pending.size > 0 || !active) return;
      onEvent({ type: 'SYNCED' });
    };
    for (const kind of new Set(kinds)) {
      const feed = this.feed(kind);
      const listener = {
        onChange: (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject) => {
          if (active) onEvent({ type, object: structuredClone(object) });
        },
        onSynced: () => maybeSynced(kind),
      };
      if (!feed.isSynced) {
        unsubs.push(feed.subscribe(listener));
        continue;
      }
      // The feed already listed: replay its cache, then follow it. Both happen in one turn, so no
      // change can fall between the snapshot and the subscription.
      queueMicrotask(() => {
        if (!active) return;
        unsubs.push(feed.subscribe(listener));
        for (const object of feed.snapshot()) onEvent({ type: 'ADDED', object });
        maybeSynced(kind);
      });
    }
    if (pending.size === 0) queueMicrotask(() => active && onEvent({ type: 'SYNCED' }));
    return () => {
      active = false;
      for (const u of unsubs) u();
    };
  }

  async patchServiceStatus(namespace: string, name: string, ingressIPs: string[]): Promise<void> {
    await this.call('patchServiceStatus', 'PATCH', objectPath(KINDS.Service, namespace, name, 'status'), `Service ${namespace}/${name}`,
      { body: ingressPatch(ingressIPs), contentType: PATCH_TYPES.merge });
  }

  async patchServiceAnnotations(namespace: string, name: string, annotations: Record<string, string | null>): Promise<void> {
    await this.call('patchServiceAnnotations', 'PATCH', objectPath(KINDS.Service, namespace, name), `Service ${namespace}/${name}`,
      { body: { metadata: { annotations } }, contentType: PATCH_TYPES.merge });
  }

  async recordEvent(ev: EventRecord): Promise<void> {
    if (this.closed) return;
    await this.recorder.record(ev);
  }

  async upsertLease(lease: LeaseRecord): Promise<void> {
    await this.upsertObject(leaseToObject(lease, this.opts.namespace));
  }

  async deleteLease(name: string): Promise<void> {
    await this.deleteObject('Lease', this.opts.namespace, name);
  }

  async upsertObject(obj: KubeObject): Promise<void> {
    const info = this.known(obj.kind, 'upsertObject');
    const ns = info.scope === 'cluster' ? undefined : (obj.metadata.namespace ?? this.opts.namespace);
    const what = `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata.name || obj.metadata.generateName || ''}`;
    const { main, status } = applyBodies(this.withOwner(obj), info, ns);
    if (!obj.metadata.name) {
      await this.call('upsertObject', 'POST', createPath(info, ns), what, { body: main });
      return;
    }
    const query = { fieldManager: this.opts.component, force: 'true' };
    await this.call('upsertObject', 'PATCH', objectPath(info, ns, obj.metadata.name), what, { body: main, contentType: PATCH_TYPES.apply, query });
    if (status) {
      await this.call('upsertObject', 'PATCH', objectPath(info, ns, obj.metadata.name, 'status'), what, { body: status, contentType: PATCH_TYPES.apply, query });
    }
  }

  async deleteObject(kind: string, namespace: string, name: string): Promise<void> {
    const info = this.known(kind, 'deleteObject');
    try {
      await this.call('deleteObject', 'DELETE', objectPath(info, namespace, name), `${kind} ${namespace}/${name}`, {});
    } catch (err) {
      if (err instanceof StateError && err.code === 'state.not-found') return; // already gone: deletes are idempotent
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const feeds = [...this.feeds.values()];
    this.feeds.clear();
    await Promise.all(feeds.map((f) => f.stop()));
  }

  private feed(kind: ObjectKind): KindFeed {
    let f = this.feeds.get(kind);
    if (!f) {
      const info = KINDS[kind];
      if (!info) throw new StateError('state.read-failed', `k8s: cannot watch unknown kind "${kind}"`);
      f = new KindFeed({ info, path: collectionPath(info, this.opts.namespace), config: this.opts.config, client: this.client, log: this.log, backoff: this.opts.backoff });
      this.feeds.set(kind, f);
      f.start();
    }
    return f;
  }

  private withOwner(obj: KubeObject): KubeObject {
    const pod = this.opts.ownerPod;
    if (!pod || !OWNED_KINDS.has(obj.kind) || obj.metadata.namespace !== undefined && obj.metadata.namespace !== this.opts.namespace) return obj;
    const ownerReferences = [{ apiVersion: 'v1', kind: 'Pod', name: pod.name, uid: pod.uid }];
    return { ...obj, metadata: { ...obj.metadata, ownerReferences } as KubeObject['metadata'] };
  }

  private known(kind: string, op: string): KindInfo {
    const info = kindInfo(kind);
    if (!info) throw new StateError('state.write-failed', `k8s: ${op}: kind "${kind}" is not one lbctl writes`, { object: kind });
    return info;
  }

  private async call(op: string, method: HttpVerb, path: string, what: string, req: RequestOptions): Promise<void> {
    if (this.closed) throw new StateError('state.closed', `k8s: ${op} ${what}: source is closed`, { object: what });
    try {
      await this.client.request(method, path, req);
    } catch (err) {
      if (err instanceof ApiError) throw toStateError(err, op, what, method !== 'GET');
      throw err;
    }
  }
}
