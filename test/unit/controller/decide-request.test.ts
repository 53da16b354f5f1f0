import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { requestFromView, canonicalSelector } from '../../../src/controller/decide-request.js';
import { serviceViewFromObject, ServiceViewError } from '../../../src/controller/service-view.js';
import { readAnnotation, ALLOW_SHARED_IP, deprecatedKeys } from '../../../src/controller/annotations.js';

const manifest = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'dns-tcp',
    namespace: 'infra',
    labels: { tier: 'edge' },
    annotations: { 'metallb.universe.tf/allow-shared-ip': 'dns', 'metallb.io/address-pool': 'public' },
  },
  spec: {
    type: 'LoadBalancer',
    ipFamilyPolicy: 'PreferDualStack',
    ipFamilies: ['IPv6', 'IPv4'],
    externalTrafficPolicy: 'Local',
    selector: { tier: 'dns', app: 'coredns' },
    ports: [{ name: 'dns', port: 53 }, { port: 53, protocol: 'UDP' }],
  },
  status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }, { hostname: 'lb.example' }] } },
};

test('a full manifest becomes a ServiceView with API defaults filled in', () => {
  const v = serviceViewFromObject(manifest);
  assert.equal(v, {
    namespace: 'infra',
    name: 'dns-tcp',
    labels: { tier: 'edge' },
    annotations: manifest.metadata.annotations,
    type: 'LoadBalancer',
    ipFamilies: ['IPv6', 'IPv4'],
    ipFamilyPolicy: 'PreferDualStack',
    ports: [{ protocol: 'TCP', port: 53 }, { protocol: 'UDP', port: 53 }],
    externalTrafficPolicy: 'Local',
    selector: { tier: 'dns', app: 'coredns' },
    ingressIPs: ['192.0.2.10'],
  });
});

test('a minimal manifest defaults to namespace default, ClusterIP and Cluster policy', () => {
  const v = serviceViewFromObject({ metadata: { name: 'x' } });
  assert.equal([v.namespace, v.type, v.externalTrafficPolicy, v.ports, v.ingressIPs], ['default', 'ClusterIP', 'Cluster', [], []]);
});

const badCases: { desc: string; input: unknown; field: string }[] = [
  { desc: 'a manifest without a name', input: { kind: 'Service', metadata: {} }, field: 'metadata.name' },
  { desc: 'a manifest of another kind', input: { kind: 'Pod', metadata: { name: 'x' } }, field: 'kind' },
  { desc: 'a port without a number', input: { metadata: { name: 'x' }, spec: { ports: [{ port: 'http' }] } }, field: 'spec.ports[0].port' },
  { desc: 'an unknown protocol', input: { metadata: { name: 'x' }, spec: { ports: [{ port: 1, protocol: 'ICMP' }] } }, field: 'spec.ports[0].protocol' },
  { desc: 'an unknown ipFamilyPolicy', input: { metadata: { name: 'x' }, spec: { ipFamilyPolicy: 'Both' } }, field: 'spec.ipFamilyPolicy' },
  { desc: 'an unknown ip family', input: { metadata: { name: 'x' }, spec: { ipFamilies: ['IPv5'] } }, field: 'spec.ipFamilies' },
  { desc: 'a non-string annotation', input: { metadata: { name: 'x', annotations: { a: 1 } } }, field: 'metadata.annotations.a' },
];

for (const c of badCases) {
  test(`serviceViewFromObject refuses ${c.desc}`, () => {
    try {
      serviceViewFromObject(c.input);
      assert.unreachable('should throw');
    } catch (e) {
      assert.instance(e, ServiceViewError);
      assert.is((e as ServiceViewError).code, 'service.invalid');
      assert.is((e as ServiceViewError).field, c.field);
    }
  });
}

test('the request carries ports, the deprecated sharing key, the Local backend and the pool', () => {
  const { request, invalid } = requestFromView(serviceViewFromObject(manifest), { team: 'a' });
  assert.is(invalid, undefined);
  assert.equal(request, {
    key: 'infra/dns-tcp',
    namespace: 'infra',
    labels: { tier: 'edge' },
    namespaceLabels: { team: 'a' },
    families: [6, 4],
    policy: 'PreferDualStack',
    ports: [{ protocol: 'TCP', port: 53 }, { protocol: 'UDP', port: 53 }],
    sharingKey: 'dns',
    trafficPolicy: 'Local',
    selector: 'app=coredns,tier=dns',
    requestedPool: 'public',
  });
});

test('a Cluster service has an empty backend key whatever its selector', () => {
  const v = serviceViewFromObject({ metadata: { name: 'x' }, spec: { type: 'LoadBalancer', selector: { a: 'b' } } });
  assert.is(requestFromView(v).request.selector, '');
});

const ipCases: { desc: string; annotations?: Record<string, string>; lbip?: string; ips?: string[]; invalid?: RegExp; families?: number[] }[] = [
  { desc: 'spec.loadBalancerIP alone', lbip: '192.0.2.1', ips: ['192.0.2.1'], families: [4] },
  { desc: 'the new annotation with two families, spaces trimmed', annotations: { 'metallb.io/loadBalancerIPs': ' 192.0.2.1 , 2001:db8::1' }, ips: ['192.0.2.1', '2001:db8::1'], families: [4, 6] },
  { desc: 'the old annotation', annotations: { 'metallb.universe.tf/loadBalancerIPs': '2001:db8::1' }, ips: ['2001:db8::1'], families: [6] },
  { desc: 'the new annotation wins over the old one', annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.9', 'metallb.universe.tf/loadBalancerIPs': '192.0.2.1' }, ips: ['192.0.2.9'] },
  { desc: 'both spec.loadBalancerIP and the annotation', lbip: '192.0.2.1', annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.1' }, invalid: /can not have both spec\.loadBalancerIP and the metallb\.io\/loadBalancerIPs/ },
  { desc: 'two addresses of one family', annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.1,192.0.2.2' }, invalid: /same family/ },
  { desc: 'three addresses', annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.1,2001:db8::1,192.0.2.3' }, invalid: /3 addresses/ },
  { desc: 'a malformed address', annotations: { 'metallb.io/loadBalancerIPs': '192.0.2.300' }, invalid: /"192\.0\.2\.300" is not an IP address/ },
  { desc: 'an empty annotation', annotations: { 'metallb.io/loadBalancerIPs': '' }, invalid: /"" is not an IP address/ },
];

for (const c of ipCases) {
  test(`requested IPs: ${c.desc}`, () => {
    const v = serviceViewFromObject({ metadata: { name: 'x', annotations: c.annotations ?? {} }, spec: { type: 'LoadBalancer', ...(c.lbip ? { loadBalancerIP: c.lbip } : {}) } });
    const { request, invalid } = requestFromView(v);
    if (c.invalid) assert.match(invalid ?? '', c.invalid);
    else {
      assert.is(invalid, undefined);
      assert.equal(request.requestedIPs, c.ips);
      if (c.families) assert.equal(request.families, c.families);
    }
  });
}

test('without spec.ipFamilies the families come from the status addresses', () => {
  const v = serviceViewFromObject({ metadata: { name: 'x' }, spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '2001:db8::7' }] } } });
  assert.equal(requestFromView(v).request.families, [6]);
  const plain = serviceViewFromObject({ metadata: { name: 'x' }, spec: { type: 'LoadBalancer' } });
  assert.equal(requestFromView(plain).request.families, [4]);
});

test('annotation helpers read the current name first, even when empty', () => {
  assert.equal(readAnnotation({ 'metallb.io/allow-shared-ip': '', 'metallb.universe.tf/allow-shared-ip': 'k' }, ALLOW_SHARED_IP), { value: '', key: 'metallb.io/allow-shared-ip', deprecated: false });
  assert.equal(readAnnotation({ 'metallb.universe.tf/allow-shared-ip': 'k' }, ALLOW_SHARED_IP)?.deprecated, true);
  assert.equal(deprecatedKeys({ 'metallb.universe.tf/b': '', 'metallb.io/a': '', 'metallb.universe.tf/a': '' }), ['metallb.universe.tf/a', 'metallb.universe.tf/b']);
  assert.is(canonicalSelector({ b: '2', a: '1' }), 'a=1,b=2');
});

test.run();
