import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeManifests } from '../../../src/state/dir/manifests.js';
import { roleOf } from '../../../src/state/dir/layout.js';
import { composeEffective, type Contribution } from '../../../src/state/dir/compose.js';
import { StateError } from '../../../src/state/errors.js';

test('multi-document files, Lists and default namespaces decode as kubectl apply would', () => {
  const text = [
    'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: LoadBalancer}',
    '',
    'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Node, metadata: {name: n1, namespace: x}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: config, namespace: metallb-system}}',
  ].join('\n---\n');
  const objs = decodeManifests('f.yaml', text);
  assert.equal(objs.map((o) => [o.kind, o.metadata.namespace, o.metadata.name]), [
    ['Service', 'default', 'a'], ['Node', undefined, 'n1'], ['ConfigMap', 'metallb-system', 'config'],
  ]);
});

const badDocs = [
  { desc: 'a YAML syntax error names the file', text: 'kind: [', want: /f\.yaml/ },
  { desc: 'a document without kind is rejected with its position', text: 'metadata: {name: a}', want: /f\.yaml\[0\]: missing kind/ },
  { desc: 'an object without a name is rejected', text: 'kind: Node\nmetadata: {name: n}\n---\nkind: Service\nmetadata: {}', want: /f\.yaml\[1\]: Service without metadata\.name/ },
  { desc: 'a scalar document is rejected', text: 'hello', want: /not a mapping/ },
];
for (const c of badDocs) {
  test(c.desc, () => {
    try {
      decodeManifests('f.yaml', c.text);
      assert.unreachable('should have thrown');
    } catch (err) {
      assert.instance(err, StateError);
      assert.is((err as StateError).code, 'state.bad-manifest');
      assert.match((err as Error).message, c.want);
    }
  });
}

const roles = [
  { rel: 'services.yaml', want: 'user' },
  { rel: 'sub/dir/x.yml', want: 'user' },
  { rel: 'a.json', want: 'user' },
  { rel: 'README.md', want: 'ignored' },
  { rel: '.git/config.yaml', want: 'ignored' },
  { rel: 'sub/.x.yaml.123.tmp', want: 'ignored' },
  { rel: '.lbctl/status/services/default/web.yaml', want: 'overlay' },
  { rel: '.lbctl/leases/lbctl-speaker-n1.yaml', want: 'lease' },
  { rel: '.lbctl/objects/ServiceL2Status/metallb-system/l2-n1.yaml', want: 'object' },
  { rel: '.lbctl/events/controller.jsonl', want: 'ignored' },
  { rel: '.lbctl/status/services/default/.web.yaml.1.tmp', want: 'ignored' },
];
for (const c of roles) {
  test(`the path ${c.rel} is a ${c.want} file`, () => assert.is(roleOf(c.rel), c.want));
}

const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'default', annotations: { keep: '1', hide: '2' } }, spec: {} };
test('an overlay replaces status and merges annotations, hiding keys set to null', () => {
  const m = new Map<string, Contribution>([
    ['a.yaml', { role: 'user', obj: svc }],
    ['.lbctl/status/services/default/a.yaml', { role: 'overlay', overlay: { status: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } }, annotations: { hide: null, add: '3' } } }],
  ]);
  const out = composeEffective(m)!;
  assert.equal(out.metadata.annotations, { keep: '1', add: '3' });
  assert.equal(out.status, { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } });
  assert.equal(svc.metadata.annotations, { keep: '1', hide: '2' }, 'input untouched');
});

test('an overlay without its Service yields no object', () => {
  assert.is(composeEffective(new Map([['o', { role: 'overlay', overlay: { status: {} } }]])), undefined);
});

test('when two user files define one object, the later path wins', () => {
  const a = { ...svc, spec: { from: 'a' } };
  const b = { ...svc, spec: { from: 'b' } };
  const m = new Map<string, Contribution>([['z.yaml', { role: 'user', obj: b }], ['a.yaml', { role: 'user', obj: a }]]);
  assert.equal(composeEffective(m)!.spec, { from: 'b' });
});

test.run();
