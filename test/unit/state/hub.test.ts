// WatchHub: informer semantics shared by every source.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WatchHub } from '../../../src/state/hub.js';
import type { KubeObject, WatchEvent } from '../../../src/state/types.js';

const obj = (kind: string, name: string, spec: unknown = {}): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'default' }, spec });
const names = (evs: WatchEvent[]) => evs.map((e) => (e.type === 'SYNCED' ? 'SYNCED' : `${e.type} ${e.object.kind}/${e.object.metadata.name}`));
const tick = () => new Promise((r) => setTimeout(r, 0));

test('a watcher gets only its kinds: the current objects, SYNCED, then changes', async () => {
  const hub = new WatchHub();
  hub.put(obj('Service', 'a'));
  hub.put(obj('Node', 'n'));
  hub.markReady();
  const evs: WatchEvent[] = [];
  hub.watch(['Service'], (e) => evs.push(e));
  hub.put(obj('Service', 'b')); // before the initial list is delivered: part of it, not a change
  await tick();
  hub.put(obj('Service', 'a', { x: 1 }));
  hub.put(obj('Node', 'm'));
  hub.remove('Service/default/b');
  assert.equal(names(evs), ['ADDED Service/a', 'ADDED Service/b', 'SYNCED', 'MODIFIED Service/a', 'DELETED Service/b']);
});

test('storing identical content emits nothing and keeps the resource version', async () => {
  const hub = new WatchHub();
  hub.markReady();
  const evs: WatchEvent[] = [];
  hub.watch(['Service'], (e) => evs.push(e));
  await tick();
  hub.put(obj('Service', 'a', { x: 1 }));
  const rv = hub.get('Service/default/a')!.metadata.resourceVersion;
  hub.put(obj('Service', 'a', { x: 1 }));
  assert.equal(names(evs), ['SYNCED', 'ADDED Service/a']);
  assert.is(hub.get('Service/default/a')!.metadata.resourceVersion, rv);
});

test('watchers get copies: mutating an event does not change the stored object', async () => {
  const hub = new WatchHub();
  hub.markReady();
  let got: KubeObject | undefined;
  hub.watch(['Service'], (e) => { if (e.type !== 'SYNCED') got = e.object; });
  await tick();
  hub.put(obj('Service', 'a', { x: 1 }));
  got!.spec.x = 99;
  assert.equal(hub.get('Service/default/a')!.spec, { x: 1 });
});

test('nothing is delivered before the source is ready, and an unsubscribed watcher hears nothing', async () => {
  const hub = new WatchHub();
  const evs: WatchEvent[] = [];
  const stop = hub.watch(['Service'], (e) => evs.push(e));
  hub.put(obj('Service', 'a'));
  await tick();
  assert.equal(evs, []);
  hub.markReady();
  assert.equal(names(evs), ['ADDED Service/a', 'SYNCED']);
  stop();
  hub.put(obj('Service', 'b'));
  assert.is(evs.length, 2);
});

test.run();
