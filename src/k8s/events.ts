// Kubernetes Event objects for lbctl's EventRecords, built the way `kubectl describe` reads them:
// core/v1 Events in the involved object's namespace, with involvedObject, reason, message, type,
// source.component and a count that grows when the same event repeats. Pure.
import { randomBytes } from 'node:crypto';
import type { EventRecord, KubeObject } from '../state/types.js';
import { kindInfo, apiVersionOf } from './kinds.js';

/** eventNamespace is where an event about this object lives (cluster-scoped objects: `default`). */
export function eventNamespace(ev: EventRecord): string {
  return ev.involved.namespace || 'default';
}

/** eventKey identifies repeats: same object, type, reason, message and reporter. */
export function eventKey(ev: EventRecord): string {
  const i = ev.involved;
  return JSON.stringify([i.kind, i.namespace ?? '', i.name, i.uid ?? '', ev.type, ev.reason, ev.message, ev.source]);
}

/** eventName follows client-go's recorder: `<object>.<unique hex>`. */
export function eventName(ev: EventRecord, suffix: string = randomBytes(8).toString('hex')): string {
  // Object names are at most 253 characters; the suffix keeps the result within that.
  return `${ev.involved.name.slice(0, 230)}.${suffix}`;
}

/** EventContext is what the recorder adds: time, name and which instance reported. */
export interface EventContext {
  now: Date;
  name: string;
  /** instance is the reporting instance (the pod or node name), shown as the event's host. */
  instance?: string;
}

/** buildEvent renders one EventRecord as a new core/v1 Event with count 1. */
export function buildEvent(ev: EventRecord, ctx: EventContext): KubeObject {
  const info = kindInfo(ev.involved.kind);
  const ts = ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z'); // metav1.Time has second precision
  const involvedObject: Record<string, string> = {
    kind: ev.involved.kind,
    name: ev.involved.name,
    apiVersion: info ? apiVersionOf(info) : 'v1',
  };
  if (ev.involved.namespace) involvedObject.namespace = ev.involved.namespace;
  if (ev.involved.uid) involvedObject.uid = ev.involved.uid;
  const source: Record<string, string> = { component: ev.source };
  if (ctx.instance) source.host = ctx.instance;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: ctx.name, namespace: eventNamespace(ev) },
    involvedObject,
    reason: ev.reason,
    message: ev.message.slice(0, 1024),
    type: ev.type,
    source,
    reportingComponent: ev.source,
    reportingInstance: (ctx.instance ?? '').slice(0, 128),
    firstTimestamp: ts,
    lastTimestamp: ts,
    count: 1,
  };
}

/** repeatPatch is the merge patch that records one more occurrence of an existing event. */
export function repeatPatch(count: number, now: Date): Record<string, unknown> {
  return { count, lastTimestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}
