// KindFeed keeps one client-node informer (ListWatch) for one kind alive and fans its events out.
// The informer lists, then watches from the list's resourceVersion and relists after 410 Gone by
// itself; what it does not do is survive an HTTP or network error: it reports ERROR and stops. The
// feed restarts it on a backoff schedule, so a restarted or unreachable API server costs a delay,
// never a dead watch. A 404 on the list of a metallb.io kind means "CRD not installed" and counts
// as an empty, synced list, so a ConfigMap-only cluster still syncs (the feed keeps retrying, and
// picks the kind up once its CRD is applied).
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeObject } from '../state/types.js';
import type { Logger } from '../log.js';
import { ApiError, type KubeClient } from './client.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { KindInfo } from './kinds.js';

/** FeedChange is one change the feed saw, in ClusterState terms. */
export type FeedChange = 'ADDED' | 'MODIFIED' | 'DELETED';

/** FeedListener receives changes; `onSynced` once the first list has been delivered. */
export interface FeedListener {
  onChange(type: FeedChange, obj: KubeObject): void;
  onSynced(): void;
}

/** FeedOptions configure a feed. */
export interface FeedOptions {
  info: KindInfo;
  path: string;
  config: KubeConfig;
  client: KubeClient;
  log: Logger;
  backoff?: BackoffPolicy;
}

/** KindFeed is a self-restarting informer for one kind. */
export class KindFeed {
  private readonly informer: ListWatch<KubernetesObject>;
  private readonly listeners = new Set<FeedListener>();
  private synced = false;
  private stopped = false;
  private attempt = 0;
  private listedThisRun = false;
  private missing = false;
  private timer: NodeJS.Timeout | undefined;
  /** restarts counts informer restarts after errors (for tests and logs). */
  restarts = 0;

  constructor(private readonly opts: FeedOptions) {
    const list = () => this.list();
    this.informer = new ListWatch<KubernetesObject>(opts.path, new Watch(opts.config), list as never, false);
    this.informer.on('add', (o) => this.emit('ADDED', o));
    this.informer.on('update', (o) => this.emit('MODIFIED', o));
    this.informer.on('delete', (o) => this.emit('DELETED', o));
    this.informer.on('error', (err) => this.onError(err));
  }

  /** isSynced tells whether the first list has completed. */
  get isSynced(): boolean {
    return this.synced;
  }

  /** start begins listing and watching (idempotent). */
  start(): void {
    if (this.stopped || this.timer) return;
    void this.run();
  }

  /** snapshot returns copies of the objects currently known. */
  snapshot(): KubeObject[] {
    return this.informer.list().map((o) => structuredClone(o) as unknown as KubeObject);
  }

  /** subscribe adds a listener; it returns the function that removes it. */
  subscribe(l: FeedListener): () => void {
    this.listeners.add(l);
    return () => { this.listeners.delete(l); };
  }

  /** listenerCount is how many subscribers are attached. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** stop ends the watch and any pending restart. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
    await this.informer.stop();
  }

  private async run(): Promise<void> {
    this.listedThisRun = false;
    await this.informer.start();
    if (this.stopped || !this.listedThisRun) return;
    if (!this.synced) {
      this.synced = true;
      for (const l of [...this.listeners]) l.onSynced();
    }
  }

  // The list function handed to the informer: raw JSON, and "CRD absent" turned into an empty list.
  private async list(): Promise<unknown> {
    const { info, client, path, log } = this.opts;
    try {
      const body = await client.request<{ items?: unknown[]; metadata?: { resourceVersion?: string } }>('GET', path);
      if (this.missing) log.info({ kind: info.kind }, 'kind is now served; watching it');
      this.missing = false;
      this.listedThisRun = true;
      this.attempt = 0;
      const items = (body?.items ?? []).map((o) => withKind(o as KubeObject, info));
      return { items, metadata: { resourceVersion: body?.metadata?.resourceVersion ?? '' } };
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && info.group === 'metallb.io') {
        if (!this.missing) log.info({ kind: info.kind, path }, 'CRD not installed; treating the kind as empty and retrying');
        this.missing = true;
        this.listedThisRun = true;
        return { items: [], metadata: { resourceVersion: '' } };
      }
      throw err;
    }
  }

  private emit(type: FeedChange, o: KubernetesObject): void {
    if (this.stopped) return;
    if (this.listedThisRun) this.attempt = 0;
    const obj = withKind(o as unknown as KubeObject, this.opts.info);
    for (const l of [...this.listeners]) l.onChange(type, obj);
  }

  private onError(err: unknown): void {
    if (this.stopped || this.timer) return;
    const delay = backoffDelay(this.attempt++, this.opts.backoff ?? DEFAULT_BACKOFF);
    this.restarts++;
    const e = err as { status?: number; statusCode?: number; message?: string };
    const level = this.missing ? 'debug' : 'warn';
    this.opts.log[level]({ kind: this.opts.info.kind, status: e?.status ?? e?.statusCode, err: e?.message, delayMs: delay },
      'watch stopped; restarting the informer after a delay');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped) void this.run();
    }, delay);
  }
}

// List items carry no kind/apiVersion (they are on the List); the daemons route by `kind`.
function withKind(o: KubeObject, info: KindInfo): KubeObject {
  if (o.kind && o.apiVersion) return o;
  return { ...o, kind: info.kind, apiVersion: info.group ? `${info.group}/${info.version}` : info.version };
}
