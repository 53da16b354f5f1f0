// Backend validators: MetalLB v0.12.1's validate_test.go (TestValidate for the native speaker,
// TestValidateFRR for FRR) as one table for the ConfigMap, and main's rules for the CRDs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { errorsOf, modelOf } from './helpers.js';
import type { ValidationMode } from '../../../src/config/index.js';

type Case = { desc: string; mode: ValidationMode; raw: string; err?: RegExp };

const legacyCases: Case[] = [
  { desc: 'native: peer with bfd profile', mode: 'native', raw: 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.1\n  bfd-profile: foo\nbfd-profiles:\n- name: foo\n', err: /peer #1: bfd-profile: a BFD profile is not supported by the native BGP speaker/ },
  { desc: 'native: bfd profile set', mode: 'native', raw: 'bfd-profiles:\n- name: foo\n', err: /bfd profile "foo": BFD profiles are not supported by the native BGP speaker/ },
  // MetalLB's native speaker refused these two; ours announces IPv6 over MP-BGP and honours keepalives.
  { desc: 'native: v6 address (MP-BGP)', mode: 'native', raw: 'address-pools:\n- name: p\n  protocol: bgp\n  addresses: [2001:db8::/64]\n' },
  { desc: 'native: keepalive time', mode: 'native', raw: 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.1\n  hold-time: 9s\n  keepalive-time: 3s\n' },
  { desc: 'native: should pass', mode: 'native', raw: 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.1\n' },
  { desc: 'native: an IPv6 layer2 pool is fine', mode: 'native', raw: 'address-pools:\n- name: p\n  protocol: layer2\n  addresses: [2001:db8::/64]\n' },
  { desc: 'native: ebgp-multihop and aggregation-length-v6 are not refused', mode: 'native', raw: 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.1\n  ebgp-multihop: true\naddress-pools:\n- name: p\n  protocol: bgp\n  addresses: [10.1.0.0/24]\n  bgp-advertisements:\n  - aggregation-length-v6: 64\n' },
  { desc: 'frr: peer with routerid', mode: 'frr', raw: 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.1\n  router-id: 10.0.0.9\n' },
  { desc: 'frr: routerid set, one different', mode: 'frr', raw: 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.1\n  router-id: 10.0.0.9\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.2\n  router-id: 10.0.0.8\n', err: /peer #2: router-id: router ID "10\.0\.0\.8" differs from "10\.0\.0\.9" of peer #1/ },
  { desc: 'frr: routerid set, one not set', mode: 'frr', raw: 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.1\n  router-id: 10.0.0.9\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.2\n', err: /router ID "" differs from "10\.0\.0\.9"/ },
  { desc: 'frr: bfd profile set', mode: 'frr', raw: 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.1\n  bfd-profile: foo\nbfd-profiles:\n- name: foo\n' },
  { desc: 'frr: myAsn set, all equals', mode: 'frr', raw: [1, 2, 3].map((i) => `- my-asn: 123\n  peer-asn: 2\n  peer-address: 10.0.0.${i}\n`).join('').replace(/^/, 'peers:\n') },
  { desc: 'frr: myAsn set, one different', mode: 'frr', raw: 'peers:\n- my-asn: 123\n  peer-asn: 2\n  peer-address: 10.0.0.1\n- my-asn: 124\n  peer-asn: 2\n  peer-address: 10.0.0.2\n', err: /local ASN 124 differs from 123/ },
  { desc: 'frr: duplicate BGPPeer address', mode: 'frr', raw: 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.1\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.1\n  peer-port: 1179\n', err: /FRR mode doesn't support duplicate BGPPeers: 10\.0\.0\.1/ },
  { desc: 'controller: both backends\' features are accepted', mode: 'controller', raw: 'peers:\n- my-asn: 1\n  peer-asn: 2\n  peer-address: 10.0.0.1\n  keepalive-time: 1s\n  router-id: 10.0.0.9\n- my-asn: 3\n  peer-asn: 2\n  peer-address: 10.0.0.2\n' },
];

const H = (kind: string, name: string, spec: string, version = 'v1beta1'): string => `---\napiVersion: metallb.io/${version}\nkind: ${kind}\nmetadata: {name: ${name}}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
const peer = (name: string, spec: string): string => H('BGPPeer', name, `myASN: 64500\npeerASN: 64501\n${spec}`, 'v1beta2');

const crdCases: Case[] = [
  { desc: 'native CRD: vrf is refused', mode: 'native', raw: peer('p', 'peerAddress: 10.0.0.1\nvrf: red'), err: /BGPPeer "p": spec\.vrf: a VRF is not supported/ },
  { desc: 'native CRD: an explicit keepalive of 0 is allowed', mode: 'native', raw: peer('p', 'peerAddress: 10.0.0.1\nholdTime: 0s\nkeepaliveTime: 0s') },
  { desc: 'native CRD: graceful restart is refused', mode: 'native', raw: peer('p', 'peerAddress: 10.0.0.1\nenableGracefulRestart: true'), err: /graceful restart is not supported/ },
  { desc: 'native CRD: a large community alias (our speaker sends LARGE_COMMUNITIES)', mode: 'native', raw: H('Community', 'c', 'communities: [{name: big, value: "large:1:2:3"}]') },
  { desc: 'native CRD: an IPv6 pool without BGP ads is fine', mode: 'native', raw: H('IPAddressPool', 'a', 'addresses: [2001:db8::/64]') + H('L2Advertisement', 'l2', '{}') },
  { desc: 'native CRD: an IPv6 pool selected by a BGP ad (MP-BGP)', mode: 'native', raw: H('IPAddressPool', 'a', 'addresses: [2001:db8::/64]') + H('BGPAdvertisement', 'ad', '{}') },
  { desc: 'frr CRD: peers on disjoint nodes may differ in router ID', mode: 'frr', raw: peer('p1', 'peerAddress: 10.0.0.1\nrouterID: 10.0.0.9\nnodeSelectors: [{matchLabels: {rack: a}}]') + peer('p2', 'peerAddress: 10.0.0.2\nrouterID: 10.0.0.8\nnodeSelectors: [{matchLabels: {rack: b}}]') },
  { desc: 'frr CRD: peers that can share a node must share the router ID', mode: 'frr', raw: peer('p1', 'peerAddress: 10.0.0.1\nrouterID: 10.0.0.9') + peer('p2', 'peerAddress: 10.0.0.2\nrouterID: 10.0.0.8'), err: /BGPPeer "p2": spec\.routerID: router ID "10\.0\.0\.8" differs/ },
  { desc: 'frr CRD: the same address in two VRFs is fine', mode: 'frr', raw: peer('p1', 'peerAddress: 10.0.0.1\nvrf: red') + peer('p2', 'peerAddress: 10.0.0.1\nvrf: blue') },
  { desc: 'frr CRD: different local ASNs in different VRFs are fine', mode: 'frr', raw: peer('p1', 'peerAddress: 10.0.0.1\nvrf: red') + H('BGPPeer', 'p2', 'myASN: 64999\npeerASN: 1\npeerAddress: 10.0.0.2', 'v1beta2') },
  { desc: 'frr CRD: the same address twice in one VRF is refused', mode: 'frr', raw: peer('p1', 'peerAddress: 10.0.0.1') + peer('p2', 'peerAddress: 10.0.0.1\npeerPort: 1179'), err: /duplicate BGPPeers/ },
];

for (const c of [...legacyCases, ...crdCases]) {
  test(`mode ${c.desc} is ${c.err ? 'refused' : 'accepted'}`, () => {
    if (c.err) {
      assert.match(errorsOf(c.raw, { mode: c.mode }).message, c.err);
      // The controller accepts everything either backend could run.
      modelOf(c.raw, { mode: 'controller' });
    } else modelOf(c.raw, { mode: c.mode });
  });
}

test.run();
