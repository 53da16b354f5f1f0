// ConfigInputs: which watched objects feed the parser, and what a parse of them says.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigInputs } from '../../../src/state/config-inputs.js';
import type { KubeObject } from '../../../src/state/types.js';

const cm = (name: string, ns: string, payload: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { config: payload } });
const POOL = 'address-pools:\n- {name: lan, protocol: layer2, addresses: [192.0.2.0/28]}\n';

const relevance = [
  { desc: 'the named ConfigMap in the MetalLB namespace is a config input', obj: cm('config', 'metallb-system', POOL), want: true },
  { desc: 'a ConfigMap with another name is not', obj: cm('other', 'metallb-system', POOL), want: false },
  { desc: 'the ConfigMap in another namespace is not', obj: cm('config', 'default', POOL), want: false },
  { desc: 'an IPAddressPool in the namespace is', obj: { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'metallb-system' }, spec: { addresses: ['192.0.2.0/28'] } }, want: true },
  { desc: 'a Namespace anywhere is (namespace selectors)', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { a: 'b' } } }, want: true },
  { desc: 'a Service is not', obj: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'metallb-system' } }, want: false },
];
for (const c of relevance) {
  test(c.desc, () => {
    const inputs = new ConfigInputs();
    assert.is(inputs.update({ type: 'ADDED', object: c.obj }), c.want);
  });
}

test('no config objects at all is "missing", not an empty config', () => {
  assert.is(new ConfigInputs().parse('controller').status, 'missing');
});

test('a valid ConfigMap parses, and is marked legacy', () => {
  const inputs = new ConfigInputs();
  inputs.update({ type: 'ADDED', object: cm('config', 'metallb-system', POOL) });
  const r = inputs.parse('controller');
  assert.is(r.status, 'valid');
  if (r.status === 'valid') { assert.is(r.legacy, true); assert.equal(r.config.pools.map((p) => p.name), ['lan']); }
});

test('an invalid ConfigMap parses to invalid with the error, and deleting it makes the config missing', () => {
  const inputs = new ConfigInputs();
  const bad = cm('config', 'metallb-system', 'address-pools: [{name: lan, protocol: layer2, addresses: [nope]}]');
  inputs.update({ type: 'ADDED', object: bad });
  const r = inputs.parse('controller');
  assert.is(r.status, 'invalid');
  if (r.status === 'invalid') assert.match(r.error.message, /nope/);
  const gen = inputs.generation;
  inputs.update({ type: 'DELETED', object: bad });
  assert.ok(inputs.generation > gen);
  assert.is(inputs.parse('controller').status, 'missing');
});

test('namespace labels are remembered for serviceAllocation selectors', () => {
  const inputs = new ConfigInputs();
  inputs.update({ type: 'ADDED', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { tier: 'gold' } } } });
  assert.equal(inputs.namespaceLabels('team'), { tier: 'gold' });
  assert.equal(inputs.namespaceLabels('unknown'), {});
});

test.run();
