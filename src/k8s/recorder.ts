// EventRecorder writes Events for the ClusterState's recordEvent. Repeats of the same event within
// the recorder's memory bump `count` on the existing Event (as client-go's recorder does), so a
// service that fails allocation on every reprocess shows one line with a growing count in
// `kubectl describe`, not hundreds of Events. Best effort: failures are logged, never thrown.
import type { EventRecord } from '../state/types.js';
import type { Logger } from '../log.js';
import { ApiError, PATCH_TYPES, type KubeClient } from './client.js';
import { buildEvent, eventKey, eventName, eventNamespace, repeatPatch } from './events.js';
import { kindInfo, objectPath } from './kinds.js';

interface Seen {
  name: string;
  namespace: string;
  count: number;
}

/** EventRecorder creates or updates core/v1 Events. */
export class EventRecorder {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
    private readonly instance: string | undefined,
    private readonly maxRemembered = 1000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** record writes one occurrence of ev. */
  async record(ev: EventRecord): Promise<void> {
    const key = eventKey(ev);
    const prev = this.seen.get(key);
    try {
      if (prev && (await this.bump(prev))) return;
      await this.create(key, ev);
    } catch (err) {
      const e = err as ApiError;
      this.log.warn({ reason: ev.reason, object: `${ev.involved.kind} ${ev.involved.namespace ?? ''}/${ev.involved.name}`, status: e.status, err: e.message },
        'could not record event');
    }
  }

  private async bump(prev: Seen): Promise<boolean> {
    const path = `/api/v1/namespaces/${encodeURIComponent(prev.namespace)}/events/${encodeURIComponent(prev.name)}`;
    try {
      await this.client.request('PATCH', path, { body: repeatPatch(prev.count + 1, this.now()), contentType: PATCH_TYPES.merge });
      prev.count++;
      return true;
    } catch (err) {
      // Events expire (the API server's event TTL, 1 h by default): start a new one.
      if (err instanceof ApiError && err.status === 404) return false;
      throw err;
    }
  }

  private async create(key: string, ev: EventRecord): Promise<void> {
    const namespace = eventNamespace(ev);
    const name = eventName(ev);
    const uid = ev.involved.uid ?? (await this.lookupUid(ev));
    const body = buildEvent(uid ? { ...ev, involved: { ...ev.involved, uid } } : ev, { now: this.now(), name, instance: this.instance });
    await this.client.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, { body });
    this.seen.delete(key);
    this.seen.set(key, { name, namespace, count: 1 });
    // Forget the oldest entries (Map keeps insertion order), so memory stays bounded.
    while (this.seen.size > this.maxRemembered) this.seen.delete(this.seen.keys().next().value as string);
  }

  // `kubectl describe` finds events by involvedObject name, kind, namespace AND uid, so an event
  // without the uid would be invisible there. Callers that do not know it get it looked up.
  private async lookupUid(ev: EventRecord): Promise<string | undefined> {
    const info = kindInfo(ev.involved.kind);
    if (!info) return undefined;
    try {
      const obj = await this.client.request<{ metadata?: { uid?: string } }>('GET', objectPath(info, ev.involved.namespace, ev.involved.name));
      return obj?.metadata?.uid;
    } catch {
      return undefined;
    }
  }
}
