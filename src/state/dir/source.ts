// DirSource: a folder of ordinary YAML manifests is the cluster. Reads come from the user's files
// plus `.lbctl/` (see layout.ts); changes are picked up through fs.watch and, as a safety net for
// missed notifications, a bounded periodic rescan. Writes go only to `.lbctl/`, one file per
// record, each replaced atomically after re-reading what is there, and are applied to this
// process's view at once.
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterState, EventRecord, KubeObject, LeaseRecord, ObjectKind, Unsubscribe, WatchEvent } from '../types.js';
import { WatchHub } from '../hub.js';
import { StateError } from '../errors.js';
import { leaseToObject } from '../lease.js';
import { objectKey } from '../objects.js';
import { createLogger, type Logger } from '../../log.js';
import { atomicWrite, removeFile } from './atomic.js';
import { composeEffective } from './compose.js';
import { annotationsChange, statusChange, writeOverlay, type OverlayChange } from './overlay.js';
import { EventLog } from './events.js';
import { FileIndex, type FileProblem } from './files.js';
import { DirWatcher } from './watcher.js';
import { leasePath, objectPath, overlayPath, STATE_DIR } from './layout.js';
import { encodeObject } from './manifests.js';

/** DirSourceOptions tune a directory source; every field has a default. */
export interface DirSourceOptions {
  /** writer names this process in event files (`controller`, `speaker-<node>`). */
  writer?: string;
  /** leaseNamespace is where leases appear (default metallb-system). */
  leaseNamespace?: string;
  /** rescanMs is the safety-net full rescan period (default 2000; 0 disables). */
  rescanMs?: number;
  /** debounceMs groups bursts of notifications for files under .lbctl/ (default 5). */
  debounceMs?: number;
  /** userDebounceMs is how long a user file must be quiet before it is read (default 50). */
  userDebounceMs?: number;
  /** watch enables fs.watch (default true; tests of the rescan path turn it off). */
  watch?: boolean;
  /** durable fsyncs status and status-record writes before renaming (default true; leases never). */
  durable?: boolean;
  logger?: Logger;
}

/** DirSource is the ClusterState of a directory. */
export class DirSource implements ClusterState {
  readonly root: string;
  private readonly hub = new WatchHub();
  private readonly files: FileIndex;
  private readonly events: EventLog;
  private readonly log: Logger;
  private readonly opts: Required<Omit<DirSourceOptions, 'logger'>>;
  private readonly fastDirty = new Set<string>();
  private readonly slowDirty = new Set<string>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly overlayBatches = new Map<string, { changes: OverlayChange[]; done: Promise<void> }>();
  private watcher: DirWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private fastTimer: NodeJS.Timeout | undefined;
  private slowTimer: NodeJS.Timeout | undefined;
  private slowSince: number | undefined;
  private closed = false;

  constructor(root: string, options: DirSourceOptions = {}) {
    this.root = path.resolve(root);
    this.opts = {
      writer: options.writer ?? `pid-${process.pid}`, leaseNamespace: options.leaseNamespace ?? 'metallb-system',
      rescanMs: options.rescanMs ?? 2000, debounceMs: options.debounceMs ?? 5, userDebounceMs: options.userDebounceMs ?? 50, watch: options.watch ?? true,
      durable: options.durable ?? true,
    };
    this.log = options.logger ?? createLogger('state-dir');
    if (!fs.statSync(this.root, { throwIfNoEntry: false })?.isDirectory()) {
      throw new StateError('state.read-failed', `state: source directory ${this.root} does not exist`, { object: this.root });
    }
    this.files = new FileIndex(this.root, 'default', (p) => this.problem(p));
    this.events = new EventLog(this.root, this.opts.writer);
    // The state folders exist from the start, so each has a watch before any daemon writes there.
    for (const sub of ['leases', 'objects', 'status/services', 'events']) fs.mkdirSync(path.join(this.root, STATE_DIR, sub), { recursive: true });
    if (this.opts.watch) this.watcher = new DirWatcher(this.root, (rel) => this.notify(rel), this.log);
    this.scan();
    this.hub.markReady();
    this.start();
  }

  watch(kinds: readonly ObjectKind[], onEvent: (ev: WatchEvent) => void): Unsubscribe {
    return this.hub.watch(kinds, onEvent);
  }

  /** get returns the current object (tests and the lab read state through it). */
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.hub.get(objectKey(kind, namespace, name));
  }

  /** list returns every current object of a kind. */
  list(kind: string): KubeObject[] {
    return this.hub.list(kind);
  }

  async patchServiceStatus(namespace: string, name: string, ingressIPs: string[]): Promise<void> {
    await this.patchOverlay(namespace, name, statusChange(ingressIPs));
  }

  async patchServiceAnnotations(namespace: string, name: string, annotations: Record<string, string | null>): Promise<void> {
    await this.patchOverlay(namespace, name, annotationsChange(annotations));
  }

  async recordEvent(ev: EventRecord): Promise<void> {
    await this.guard('recordEvent', 'events', () => this.events.record(ev));
  }

  async upsertLease(lease: LeaseRecord): Promise<void> {
    const rel = leasePath(lease.name);
    await this.write(rel, 'upsertLease', async () => atomicWrite(this.abs(rel), encodeObject(leaseToObject(lease, this.opts.leaseNamespace)), false));
  }

  async deleteLease(name: string): Promise<void> {
    const rel = leasePath(name);
    await this.write(rel, 'deleteLease', () => removeFile(this.abs(rel)));
  }

  async upsertObject(obj: KubeObject): Promise<void> {
    const rel = objectPath(obj.kind, obj.metadata.namespace ?? '', obj.metadata.name);
    const { resourceVersion: _rv, uid: _uid, ...meta } = obj.metadata;
    await this.write(rel, 'upsertObject', () => atomicWrite(this.abs(rel), encodeObject({ ...obj, metadata: meta }), this.opts.durable));
  }

  async deleteObject(kind: string, namespace: string, name: string): Promise<void> {
    const rel = objectPath(kind, namespace, name);
    await this.write(rel, 'deleteObject', () => removeFile(this.abs(rel)));
  }

  /** flush resolves once every queued write and buffered event is on disk. */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
    await this.events.flush();
  }

  /** rescan forces a full read now (tests; the timer does it periodically). */
  rescan(): void {
    this.scan();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    clearTimeout(this.timer);
    clearTimeout(this.fastTimer);
    clearTimeout(this.slowTimer);
    await Promise.allSettled([...this.queues.values(), this.events.flush()]);
    this.hub.close();
  }

  private start(): void {
    if (this.opts.rescanMs > 0) this.armRescan(this.opts.rescanMs);
  }

  // The safety-net rescan stats every file; on a large tree it backs off so that it never takes
  // more than ~5% of the time (a 100 ms scan runs every 2 s at most).
  private armRescan(ms: number): void {
    this.timer = setTimeout(() => {
      const t0 = performance.now();
      this.scan();
      if (!this.closed) this.armRescan(Math.max(this.opts.rescanMs, 20 * (performance.now() - t0)));
    }, ms);
    this.timer.unref();
  }

  // Daemon files (.lbctl/, written by atomic rename) are read 5 ms after a notification: leases
  // decide failover time. User files wait until they have been quiet for 50 ms (at most 500 ms
  // after the first change): an editor that truncates and then writes must not make a Service
  // vanish for a moment, which would free its address.
  private notify(file: string | undefined): void {
    if (this.closed) return;
    const fast = file !== undefined && file.startsWith(`${STATE_DIR}/`);
    if (fast) {
      this.fastDirty.add(file);
      this.fastTimer ??= setTimeout(() => { this.fastTimer = undefined; this.ingestDirty(this.fastDirty); }, this.opts.debounceMs);
      return;
    }
    this.slowDirty.add(file ?? '*');
    const now = Date.now();
    this.slowSince ??= now;
    clearTimeout(this.slowTimer);
    const wait = Math.max(0, Math.min(this.opts.userDebounceMs, this.slowSince + 10 * this.opts.userDebounceMs - now));
    this.slowTimer = setTimeout(() => { this.slowTimer = undefined; this.slowSince = undefined; this.ingestDirty(this.slowDirty); }, wait);
  }

  private ingestDirty(dirty: Set<string>): void {
    if (this.closed) return;
    if (dirty.has('*')) { dirty.clear(); this.scan(); return; }
    const affected = new Set<string>();
    let newDir = false;
    for (const rel of dirty) {
      if (fs.statSync(this.abs(rel), { throwIfNoEntry: false })?.isDirectory()) newDir = true;
      else this.files.ingest(rel, affected);
    }
    dirty.clear();
    this.apply(affected);
    if (newDir) this.scan(); // a new folder needs a watch of its own and may already hold files
  }

  private scan(): void {
    if (this.closed) return;
    const affected = new Set<string>();
    const dirs = this.files.scanAll(affected);
    this.watcher?.sync(dirs);
    this.apply(affected);
  }

  private apply(affected: Set<string>): void {
    for (const key of affected) {
      const obj = composeEffective(this.files.contributions.get(key) ?? new Map());
      if (obj) this.hub.put(obj);
      else this.hub.remove(key);
    }
  }

  private problem(p: FileProblem): void {
    this.log.warn({ file: p.file, code: p.error.code, err: p.error.message }, 'manifest ignored; keeping its last good content');
  }

  private abs(rel: string): string {
    return path.join(this.root, ...rel.split('/'));
  }

  // Patches that arrive while an earlier write of the same overlay is queued (status and
  // annotations of one decision) are merged into one file write.
  private patchOverlay(namespace: string, name: string, change: OverlayChange): Promise<void> {
    if (!this.hub.get(objectKey('Service', namespace, name))) {
      return Promise.reject(new StateError('state.not-found', `state: Service ${namespace}/${name} not found in ${this.root}`, { object: `Service ${namespace}/${name}` }));
    }
    const rel = overlayPath(namespace, name);
    const waiting = this.overlayBatches.get(rel);
    if (waiting) {
      waiting.changes.push(change);
      return waiting.done;
    }
    const batch = { changes: [change], done: Promise.resolve() };
    this.overlayBatches.set(rel, batch);
    batch.done = this.write(rel, 'patchService', () => {
      this.overlayBatches.delete(rel); // later patches start a new batch
      return writeOverlay(this.abs(rel), namespace, name, batch.changes, this.opts.durable);
    });
    return batch.done;
  }

  // Writes to one file are serialised in this process; after each, the file is ingested at once
  // so this process sees its own write without waiting for the file notification.
  private write(rel: string, op: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.queues.get(rel) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(() => this.guard(op, rel, fn)).then(() => {
      const affected = new Set<string>();
      this.files.ingest(rel, affected);
      this.apply(affected);
    });
    this.queues.set(rel, next);
    void next.finally(() => { if (this.queues.get(rel) === next) this.queues.delete(rel); }).catch(() => undefined);
    return next;
  }

  private async guard(op: string, what: string, fn: () => Promise<void>): Promise<void> {
    if (this.closed) throw new StateError('state.closed', `state: ${op} after close`);
    try {
      await fn();
    } catch (err) {
      throw new StateError('state.write-failed', `state: ${op} ${what}: ${(err as Error).message}`, { transient: true, object: what, cause: err });
    }
  }
}

