import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildEvent, eventKey, eventName, eventNamespace, repeatPatch } from '../../../src/k8s/events.js';
import type { EventRecord } from '../../../src/state/types.js';

const allocated: EventRecord = {
  involved: { kind: 'Service', namespace: 'default', name: 'web', uid: 'uid-1' },
  type: 'Normal', reason: 'IPAllocated', message: 'Assigned IP ["192.0.2.10"]', source: 'lbctl-controller',
};

test('events: an event is a core/v1 Event that kubectl describe links to the Service', () => {
  const ev = buildEvent(allocated, { now: new Date('2026-11-21T10:00:00.123Z'), name: 'web.abc', instance: 'pod-1' });
  assert.is(ev.apiVersion, 'v1');
  assert.is(ev.kind, 'Event');
  assert.equal(ev.metadata, { name: 'web.abc', namespace: 'default' });
  assert.equal(ev.involvedObject, { kind: 'Service', name: 'web', apiVersion: 'v1', namespace: 'default', uid: 'uid-1' });
  assert.is(ev.reason, 'IPAllocated');
  assert.is(ev.type, 'Normal');
  assert.equal(ev.source, { component: 'lbctl-controller', host: 'pod-1' });
  assert.is(ev.firstTimestamp, '2026-11-21T10:00:00Z', 'metav1.Time has second precision');
  assert.is(ev.count, 1);
});

test('events: events about cluster-scoped objects go to the default namespace', () => {
  const node: EventRecord = { ...allocated, involved: { kind: 'Node', name: 'n1' } };
  assert.is(eventNamespace(node), 'default');
  const ev = buildEvent(node, { now: new Date(0), name: 'n1.x' });
  assert.is((ev.involvedObject as Record<string, string>).namespace, undefined);
  assert.is(ev.metadata.namespace, 'default');
});

test('events: repeats share a key; a different message, reason or object does not', () => {
  const k = eventKey(allocated);
  assert.is(eventKey({ ...allocated }), k);
  assert.is.not(eventKey({ ...allocated, message: 'other' }), k);
  assert.is.not(eventKey({ ...allocated, reason: 'AllocationFailed' }), k);
  assert.is.not(eventKey({ ...allocated, involved: { ...allocated.involved, name: 'api' } }), k);
});

test('events: names are the object name plus a unique suffix and stay within 253 characters', () => {
  assert.match(eventName(allocated), /^web\.[0-9a-f]{16}$/);
  assert.is.not(eventName(allocated), eventName(allocated));
  const long = { ...allocated, involved: { ...allocated.involved, name: 'x'.repeat(253) } };
  assert.ok(eventName(long).length <= 253);
});

test('events: a repeat patch bumps the count and the last timestamp only', () => {
  assert.equal(repeatPatch(3, new Date('2026-01-01T00:00:05.900Z')), { count: 3, lastTimestamp: '2026-01-01T00:00:05Z' });
});

test.run();
