// WatchHub is the list+watch machinery shared by the sources: it keeps the current objects,
// assigns resource versions, and fans changes out to watchers of the matching kinds. A watcher
// first gets ADDED for every current object of its kinds and then one SYNCED, like an informer.
import type { KubeObject, ObjectKind, Unsubscribe, WatchEvent } from './types.js';
import { cloneObject, contentOf, keyOf } from './objects.js';
import { createHash } from 'node:crypto';

interface Watcher {
  kinds: ReadonlySet<string>;
  onEvent: (ev: WatchEvent) => void;
  synced: boolean;
}

/** WatchHub holds the current objects of a source and delivers changes to watchers. */
export class WatchHub {
  private readonly objects = new Map<string, { obj: KubeObject; content: string }>();
  private readonly watchers = new Set<Watcher>();
  private version = 0;
  private ready = false;

  /** markReady releases the initial list to watchers (a source calls it after its first full read). */
  markReady(): void {
    if (this.ready) return;
    this.ready = true;
    for (const w of this.watchers) this.sendInitial(w);
  }

  /** get returns a copy of the object with this key, if present. */
  get(key: string): KubeObject | undefined {
    const e = this.objects.get(key);
    return e ? cloneObject(e.obj) : undefined;
  }

  /** list returns copies of every object of a kind. */
  list(kind: string): KubeObject[] {
    return [...this.objects.values()].filter((e) => e.obj.kind === kind).map((e) => cloneObject(e.obj));
  }

  /** keys returns every key currently held. */
  keys(): string[] {
    return [...this.objects.keys()];
  }

  /** put stores an object; it emits ADDED or MODIFIED only if its content changed. */
  put(obj: KubeObject): void {
    const key = keyOf(obj);
    // A digest, not the JSON itself: with 10,000 Services the strings would double the memory.
    const content = createHash('sha1').update(contentOf(obj)).digest('base64');
    const prev = this.objects.get(key);
    if (prev && prev.content === content) return;
    const stored = cloneObject(obj);
    stored.metadata.resourceVersion = String(++this.version);
    stored.metadata.uid ??= prev?.obj.metadata.uid ?? uidFor(key);
    this.objects.set(key, { obj: stored, content });
    this.emit(stored.kind, { type: prev ? 'MODIFIED' : 'ADDED', object: stored });
  }

  /** remove deletes an object by key and emits DELETED if it was there. */
  remove(key: string): void {
    const prev = this.objects.get(key);
    if (!prev) return;
    this.objects.delete(key);
    this.emit(prev.obj.kind, { type: 'DELETED', object: prev.obj });
  }

  /** watch subscribes to kinds; the initial list is delivered asynchronously once ready. */
  watch(kinds: readonly ObjectKind[], onEvent: (ev: WatchEvent) => void): Unsubscribe {
    const w: Watcher = { kinds: new Set(kinds), onEvent, synced: false };
    this.watchers.add(w);
    if (this.ready) queueMicrotask(() => this.sendInitial(w));
    return () => { this.watchers.delete(w); };
  }

  /** close drops every watcher. */
  close(): void {
    this.watchers.clear();
  }

  private sendInitial(w: Watcher): void {
    if (w.synced || !this.watchers.has(w)) return;
    w.synced = true;
    for (const e of this.objects.values()) {
      if (w.kinds.has(e.obj.kind)) w.onEvent({ type: 'ADDED', object: cloneObject(e.obj) });
    }
    w.onEvent({ type: 'SYNCED' });
  }

  private emit(kind: string, ev: WatchEvent): void {
    for (const w of [...this.watchers]) {
      if (!w.synced || !w.kinds.has(kind)) continue;
      // Each watcher gets its own copy: a daemon mutating an event must not corrupt the index.
      w.onEvent(ev.type === 'SYNCED' ? ev : { type: ev.type, object: cloneObject(ev.object) });
    }
  }
}

function uidFor(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
