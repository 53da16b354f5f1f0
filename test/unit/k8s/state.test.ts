// KubernetesState's guards that need no API server: unknown kinds and a closed source are refused
// with typed errors before any request is made.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesState } from '../../../src/k8s/state.js';
import { StateError } from '../../../src/state/errors.js';
import { createLogger } from '../../../src/log.js';

function offline(): KubernetesState {
  const config = new KubeConfig();
  // Port 9 (discard) on loopback: nothing listens there, so a request is refused at once.
  config.loadFromOptions({ clusters: [{ name: 'c', server: 'https://127.0.0.1:9', skipTLSVerify: true }], users: [{ name: 'u', token: 't' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return new KubernetesState({ config, namespace: 'metallb-system', component: 'lbctl-test', log: createLogger('t', 'silent') });
}

test('state: writing a kind lbctl does not handle is refused, naming the kind', async () => {
  const s = offline();
  const err = await s.upsertObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }).catch((e) => e);
  assert.instance(err, StateError);
  assert.is(err.code, 'state.write-failed');
  assert.match(err.message, /kind "Pod" is not one lbctl writes/);
  await s.close();
});

test('state: after close, writes reject with state.closed and watch throws', async () => {
  const s = offline();
  await s.close();
  const err = await s.patchServiceStatus('default', 'web', ['192.0.2.1']).catch((e) => e);
  assert.instance(err, StateError);
  assert.is(err.code, 'state.closed');
  assert.throws(() => s.watch(['Service'], () => {}), (e: unknown) => e instanceof StateError && e.code === 'state.closed');
  await s.recordEvent({ involved: { kind: 'Service', name: 'web', namespace: 'default' }, type: 'Normal', reason: 'x', message: 'y', source: 'z' });
});

test('state: an unreachable API server makes writes fail as transient, naming the object', async () => {
  const s = offline();
  const err = await s.patchServiceAnnotations('default', 'web', { a: 'b' }).catch((e) => e);
  assert.instance(err, StateError);
  assert.is(err.transient, true);
  assert.is(err.object, 'Service default/web');
  assert.match(err.message, /patchServiceAnnotations Service default\/web: no response/);
  await s.close();
});

test.run();
