// Writing one ServiceDecision back to the cluster: status first (what clients rely on), then the
// pool annotation, then events. Events repeat only when something changed for the service, so a
// reprocess-all pass over waiting services does not flood the event log.
import type { ClusterState } from '../state/types.js';
import { StateError } from '../state/errors.js';
import type { ServiceDecision } from './decision.js';
import { POOL_ANNOTATION } from './decide.js';

/** EVENT_SOURCE is the reporting component of the controller's events. */
export const EVENT_SOURCE = 'lbctl-controller';

/** ApplyResult says whether the writes went through, and if not whether to retry. */
export type ApplyResult = { ok: true; wrote: string[] } | { ok: false; retry: boolean; error: string };

/** DecisionWriter applies decisions and remembers which events each service already got. */
export class DecisionWriter {
  private readonly sent = new Map<string, Set<string>>();

  constructor(private readonly state: ClusterState) {}

  /** apply writes what the decision changed; a vanished service is not an error (it was deleted). */
  async apply(d: ServiceDecision, uid?: string): Promise<ApplyResult> {
    const [namespace, name] = splitKey(d.service);
    const wrote: string[] = [];
    try {
      // Issued together: they are independent (status subresource vs metadata), and a source may
      // merge them into one write (the directory source does).
      const writes: Promise<void>[] = [];
      if (d.statusChanged) { writes.push(this.state.patchServiceStatus(namespace, name, d.ingressIPs)); wrote.push('status'); }
      if (d.annotationChanged) { writes.push(this.state.patchServiceAnnotations(namespace, name, { [POOL_ANNOTATION]: d.poolAnnotation })); wrote.push('annotation'); }
      const results = await Promise.allSettled(writes);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      if (d.statusChanged) this.sent.delete(d.service);
    } catch (err) {
      if (err instanceof StateError && err.code === 'state.not-found') return { ok: true, wrote };
      const retry = !(err instanceof StateError) || err.transient;
      return { ok: false, retry, error: (err as Error).message };
    }
    await this.events(d, namespace, name, uid);
    return { ok: true, wrote };
  }

  /** forget drops the event memory of a deleted service. */
  forget(key: string): void {
    this.sent.delete(key);
  }

  private async events(d: ServiceDecision, namespace: string, name: string, uid?: string): Promise<void> {
    let seen = this.sent.get(d.service);
    for (const ev of d.events) {
      const sig = `${ev.type}|${ev.reason}|${ev.message}`;
      if (seen?.has(sig)) continue;
      if (!seen) this.sent.set(d.service, (seen = new Set()));
      seen.add(sig);
      // Events are best effort, as in Kubernetes: a failure never blocks the status.
      await this.state.recordEvent({ involved: { kind: 'Service', namespace, name, ...(uid ? { uid } : {}) }, type: ev.type, reason: ev.reason, message: ev.message, source: EVENT_SOURCE }).catch(() => undefined);
    }
  }
}

/** splitKey splits `namespace/name`. */
export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
