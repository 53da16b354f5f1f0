// Legacy peers, BFD profiles and community aliases -> BGPPeer (v1beta2), Secret, BFDProfile and
// Community objects. Values are copied as written (durations stay duration text, addresses stay as
// typed); the proof step, not this file, decides whether the meaning survived.
import type { LegacyBFDProfile, LegacyNodeSelector, LegacyPeer } from '../config/legacy/types.js';
import type { Peer } from '../model/index.js';
import { assertMapped } from './fields.js';
import { derivedName, type NameTable } from './names.js';
import { warn, type K8sObject, type MigrateWarning } from './types.js';
import type { YamlValue } from './yaml.js';

type Spec = { [key: string]: YamlValue };

/** PeerContext carries what peer conversion needs from the rest of the run. */
export interface PeerContext {
  namespace: string;
  names: NameTable;
  /** bfdNames maps legacy BFD profile names to their CRD names. */
  bfdNames: Map<string, string>;
  passwordSecrets: boolean;
  warnings: MigrateWarning[];
}

/** selectorsToCrd converts legacy node selectors to LabelSelectors, keeping only what was written. */
export function selectorsToCrd(selectors: LegacyNodeSelector[], origin: string): YamlValue[] {
  return selectors.map((sel, i) => {
    assertMapped('node-selector', sel, `${origin} node-selectors[${i}]`);
    const out: Spec = {};
    if (sel['match-labels'] !== undefined) out.matchLabels = { ...sel['match-labels'] };
    if (sel['match-expressions'] !== undefined) {
      out.matchExpressions = sel['match-expressions'].map((e, j) => {
        assertMapped('match-expression', e, `${origin} node-selectors[${i}].match-expressions[${j}]`);
        const expr: Spec = {};
        if (e.key !== undefined) expr.key = e.key;
        if (e.operator !== undefined) expr.operator = e.operator;
        if (e.values !== undefined) expr.values = [...e.values];
        return expr;
      });
    }
    return out;
  });
}

/** peerSpec maps every legacy peer field onto BGPPeer v1beta2 spec fields, in a fixed order. */
function peerSpec(p: LegacyPeer, origin: string, ctx: PeerContext): Spec {
  const spec: Spec = {};
  if (p['my-asn'] !== undefined) spec.myASN = p['my-asn'];
  if (p['peer-asn'] !== undefined) spec.peerASN = p['peer-asn'];
  if (p['peer-address'] !== undefined) spec.peerAddress = p['peer-address'];
  // 0 and absent both mean 179 in the legacy format; the CRD refuses 0.
  if (p['peer-port'] !== undefined && p['peer-port'] !== 0) spec.peerPort = p['peer-port'];
  if (p['source-address'] !== undefined) spec.sourceAddress = p['source-address'];
  if (p['hold-time'] !== undefined) spec.holdTime = p['hold-time'];
  else if (p['keepalive-time'] !== undefined) {
    // A CRD with only keepaliveTime derives hold = 3 x keepalive; legacy kept hold at 90s.
    spec.holdTime = '90s';
  }
  if (p['keepalive-time'] !== undefined) spec.keepaliveTime = p['keepalive-time'];
  if (p['router-id'] !== undefined) spec.routerID = p['router-id'];
  if (p['node-selectors'] !== undefined) spec.nodeSelectors = selectorsToCrd(p['node-selectors'], origin);
  if (p['bfd-profile'] !== undefined) spec.bfdProfile = ctx.bfdNames.get(p['bfd-profile']) ?? p['bfd-profile'];
  if (p['ebgp-multihop'] !== undefined) spec.ebgpMultiHop = p['ebgp-multihop'];
  return spec;
}

/**
 * peersToCrd builds one BGPPeer per legacy peer, named like the model names it (peerName), plus a
 * basic-auth Secret per password when asked. `modelPeers` are the parsed legacy peers, same order.
 */
export function peersToCrd(peers: LegacyPeer[], modelPeers: Peer[], ctx: PeerContext): K8sObject[] {
  const out: K8sObject[] = [];
  peers.forEach((p, i) => {
    const origin = `peer #${i + 1}`;
    assertMapped('peer', p, origin);
    const modelPeer = modelPeers[i];
    if (!modelPeer) throw new RangeError(`migrate: ${origin} has no parsed counterpart`);
    const name = ctx.names.claim('BGPPeer', modelPeer.name, `${origin} (${p['peer-address']} AS${p['peer-asn']})`);
    const spec = peerSpec(p, origin, ctx);
    if (p.password !== undefined) out.push(...placePassword(p.password, name, spec, origin, ctx));
    out.push({ apiVersion: 'metallb.io/v1beta2', kind: 'BGPPeer', metadata: { name, namespace: ctx.namespace }, spec });
  });
  return out;
}

/** placePassword puts the key in the spec (with a warning) or in a new Secret it returns. */
function placePassword(password: string, peer: string, spec: Spec, origin: string, ctx: PeerContext): K8sObject[] {
  if (!ctx.passwordSecrets) {
    spec.password = password;
    ctx.warnings.push(
      warn(
        'migrate.plaintext-password',
        `migrate: BGPPeer ${JSON.stringify(peer)} (${origin}): the BGP password is written in clear text in spec.password; ` +
          'use --password-secrets to put it in a kubernetes.io/basic-auth Secret instead',
        origin,
        'password',
      ),
    );
    return [];
  }
  const name = ctx.names.claim('Secret', derivedName(peer, 'bgp-password'), `${origin} password`);
  spec.passwordSecret = { name, namespace: ctx.namespace };
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: ctx.namespace },
      type: 'kubernetes.io/basic-auth',
      stringData: { password },
    },
  ];
}

/** bfdProfilesToCrd builds one BFDProfile per legacy profile; names were assigned by the caller. */
export function bfdProfilesToCrd(profiles: LegacyBFDProfile[], namespace: string, names: Map<string, string>): K8sObject[] {
  return profiles.map((b, i) => {
    assertMapped('bfd-profile', b, `bfd profile #${i + 1}`);
    const spec: Spec = {};
    if (b['receive-interval'] !== undefined) spec.receiveInterval = b['receive-interval'];
    if (b['transmit-interval'] !== undefined) spec.transmitInterval = b['transmit-interval'];
    if (b['detect-multiplier'] !== undefined) spec.detectMultiplier = b['detect-multiplier'];
    if (b['echo-interval'] !== undefined) spec.echoInterval = b['echo-interval'];
    if (b['echo-mode'] !== undefined) spec.echoMode = b['echo-mode'];
    if (b['passive-mode'] !== undefined) spec.passiveMode = b['passive-mode'];
    if (b['minimum-ttl'] !== undefined) spec.minimumTtl = b['minimum-ttl'];
    const name = names.get(b.name ?? '') ?? b.name ?? '';
    return { apiVersion: 'metallb.io/v1beta1', kind: 'BFDProfile', metadata: { name, namespace }, spec };
  });
}

/** COMMUNITY_OBJECT is the name of the one Community object that carries the legacy aliases. */
export const COMMUNITY_OBJECT = 'bgp-communities';

/** communitiesToCrd turns `bgp-communities` into one Community with entries sorted by alias. */
export function communitiesToCrd(aliases: Record<string, string>, namespace: string): K8sObject[] {
  const names = Object.keys(aliases).sort();
  if (names.length === 0) return [];
  const communities = names.map((name) => ({ name, value: aliases[name]! }));
  return [
    { apiVersion: 'metallb.io/v1beta1', kind: 'Community', metadata: { name: COMMUNITY_OBJECT, namespace }, spec: { communities } },
  ];
}
