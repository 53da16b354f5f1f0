// One model from both formats: a legacy ConfigMap and the metallb.io objects that mean the same thing
// must parse to deep-equal configs (the migration tool and both daemons rely on it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseText } from './helpers.js';

const pairs: { desc: string; legacy: string; crds: string }[] = [
  {
    desc: 'a layer2 pool with a range',
    legacy: 'address-pools:\n- name: default\n  protocol: layer2\n  addresses: [192.168.1.240-192.168.1.250]\n',
    crds: `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: default, namespace: metallb-system}
spec: {addresses: [192.168.1.240-192.168.1.250]}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
spec: {ipAddressPools: [default]}
`,
  },
  {
    desc: 'BGP pools with ads, aliases, peers with timers and a BFD profile',
    legacy: `peers:
- my-asn: 64500
  peer-asn: 64501
  peer-address: 10.0.0.1
  hold-time: 120s
  router-id: 10.0.0.100
  password: s3cret
  bfd-profile: fast
  node-selectors:
  - match-labels: {rack: r1}
- my-asn: 64500
  peer-asn: 64502
  peer-address: 10.0.0.2
  peer-port: 1179
  keepalive-time: 10s
bgp-communities:
  noexport: 65535:65281
bfd-profiles:
- name: fast
  receive-interval: 100
  echo-mode: false
address-pools:
- name: a-public
  protocol: bgp
  auto-assign: false
  avoid-buggy-ips: true
  addresses: [198.51.100.0/24, 203.0.113.10-203.0.113.20]
  bgp-advertisements:
  - aggregation-length: 32
    localpref: 100
    communities: [noexport, "64500:1"]
  - aggregation-length: 30
    communities: [noexport]
- name: b-private
  protocol: bgp
  addresses: [192.0.2.0/26]
`,
    crds: `apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: peer-10-0-0-2-as64502-port1179, namespace: metallb-system}
spec: {myASN: 64500, peerASN: 64502, peerAddress: 10.0.0.2, peerPort: 1179, keepaliveTime: 10s, holdTime: 90s}
---
apiVersion: metallb.io/v1beta2
kind: BGPPeer
metadata: {name: peer-10-0-0-1-as64501, namespace: metallb-system}
spec:
  myASN: 64500
  peerASN: 64501
  peerAddress: 10.0.0.1
  holdTime: 2m
  routerID: 10.0.0.100
  password: s3cret
  bfdProfile: fast
  nodeSelectors: [{matchLabels: {rack: r1}}]
---
apiVersion: metallb.io/v1beta1
kind: BFDProfile
metadata: {name: fast, namespace: metallb-system}
spec: {receiveInterval: 100, echoMode: false}
---
apiVersion: metallb.io/v1beta1
kind: Community
metadata: {name: communities, namespace: metallb-system}
spec: {communities: [{name: noexport, value: "65535:65281"}]}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: b-private, namespace: metallb-system}
spec: {addresses: [192.0.2.0/26]}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: a-public, namespace: metallb-system}
spec: {addresses: [198.51.100.0/24, 203.0.113.10-203.0.113.20], autoAssign: false, avoidBuggyIPs: true}
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: ad1, namespace: metallb-system}
spec: {ipAddressPools: [a-public], localPref: 100, communities: ["64500:1", noexport]}
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: ad2, namespace: metallb-system}
spec: {ipAddressPools: [a-public], aggregationLength: 30, communities: ["65535:65281"]}
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata: {name: ad3, namespace: metallb-system}
spec: {ipAddressPools: [b-private]}
`,
  },
];

// The legacy part names peers by what they are; put both peer lists in name order for comparison.
function normalised(text: string): unknown {
  const { config } = parseText(text);
  return { ...config, peers: [...config.peers].sort((a, b) => a.name.localeCompare(b.name)) };
}

for (const p of pairs) {
  test(`equivalence: ${p.desc} gives the same model from the ConfigMap and from CRDs`, () => {
    assert.equal(normalised(p.crds), normalised(p.legacy));
  });
}

test('equivalence: the comparison can fail (a changed CRD field shows up)', () => {
  assert.not.equal(normalised(pairs[0]!.crds.replace('250]', '249]')), normalised(pairs[0]!.legacy));
});

test.run();
