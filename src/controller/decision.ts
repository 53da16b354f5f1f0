// The ServiceDecision value and the small constructors decide.ts uses, so every exit path fills in
// the same fields the same way (ingress list, pool annotation, "did anything change").
import type { Allocator } from '../allocator/allocator.js';
import { serviceKey, type ServiceView } from '../model/cluster.js';
import { IP_ALLOCATED_FROM_POOL } from './annotations.js';

/** DecisionEvent is an event to record on the Service. */
export interface DecisionEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** DecisionOutcome is what happened to the service. */
export type DecisionOutcome = 'ignored' | 'cleared' | 'kept' | 'allocated' | 'failed';

/** ServiceDecision is the full, explained result of deciding one Service. */
export interface ServiceDecision {
  /** service is "namespace/name". */
  service: string;
  outcome: DecisionOutcome;
  /** reason is a stable code: otherClass, notLoadBalancer, noPools, kept, auto, fromPool, requested, invalidRequest, or an allocator FailureReason. */
  reason: string;
  /** ingressIPs is the desired status.loadBalancer.ingress list (IPv4 first). */
  ingressIPs: string[];
  pool?: string;
  /** poolAnnotation is the desired metallb.io/ip-allocated-from-pool value; null means absent. */
  poolAnnotation: string | null;
  /** statusChanged: ingressIPs differ from the service's current status. */
  statusChanged: boolean;
  /** annotationChanged: poolAnnotation differs from the service's current annotation. */
  annotationChanged: boolean;
  events: DecisionEvent[];
  /** reprocessAll: addresses were freed, so services waiting for one should be decided again. */
  reprocessAll: boolean;
  error?: string;
}

/** normal builds a Normal event. */
export function normal(reason: string, message: string): DecisionEvent {
  return { type: 'Normal', reason, message };
}

/** warning builds a Warning event. */
export function warning(reason: string, message: string): DecisionEvent {
  return { type: 'Warning', reason, message };
}

/** quoteList formats addresses as Go's %q does for a []string (MetalLB's event text): ["a" "b"]. */
export function quoteList(ips: readonly string[]): string {
  return `[${ips.map((ip) => JSON.stringify(ip)).join(' ')}]`;
}

/** sameSet compares address lists ignoring order. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

/** settled fills in a decision from what the service should end up with. */
export function settled(
  view: ServiceView,
  d: { outcome: DecisionOutcome; reason: string; ips: string[]; pool?: string; events: DecisionEvent[]; reprocessAll: boolean; error?: string },
): ServiceDecision {
  const poolAnnotation = d.pool ?? null;
  const out: ServiceDecision = {
    service: serviceKey(view),
    outcome: d.outcome,
    reason: d.reason,
    ingressIPs: d.ips,
    poolAnnotation,
    statusChanged: d.ips.join(',') !== view.ingressIPs.join(','),
    annotationChanged: (view.annotations[IP_ALLOCATED_FROM_POOL.current] ?? null) !== poolAnnotation,
    events: d.events,
    reprocessAll: d.reprocessAll,
  };
  if (d.pool !== undefined) out.pool = d.pool;
  if (d.error !== undefined) out.error = d.error;
  return out;
}

/** ignored leaves a service of another load-balancer class untouched. */
export function ignored(view: ServiceView): ServiceDecision {
  const pool = view.annotations[IP_ALLOCATED_FROM_POOL.current];
  return {
    service: serviceKey(view),
    outcome: 'ignored',
    reason: 'otherClass',
    ingressIPs: [...view.ingressIPs],
    poolAnnotation: pool ?? null,
    statusChanged: false,
    annotationChanged: false,
    events: [],
    reprocessAll: false,
  };
}

/** cleared releases a service's addresses and empties its status. */
export function cleared(view: ServiceView, allocator: Allocator, reason: string, events: DecisionEvent[]): ServiceDecision {
  const released = allocator.release(serviceKey(view));
  return settled(view, { outcome: 'cleared', reason, ips: [], events, reprocessAll: released.length > 0 });
}
