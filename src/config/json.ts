// The public MODEL contract printed by `lbctl validate --output json` (schemas/model.schema.json):
// CIDRs as strings, no bigints, unset optionals as null, and BGP passwords shown only as "<set>".
import { formatCIDR } from '../model/ip.js';
import type { BFDProfile, Config, Peer, Pool } from '../model/config.js';
import type { LabelSelector } from '../model/selector.js';

/** PASSWORD_SET is what stands in for a configured password everywhere lbctl prints a config. */
export const PASSWORD_SET = '<set>';

/** redactConfig returns a copy of a config whose peer passwords are replaced by "<set>". */
export function redactConfig(config: Config): Config {
  return {
    ...config,
    peers: config.peers.map((p) => (p.password === undefined ? { ...p } : { ...p, password: PASSWORD_SET })),
  };
}

/** SelectorJSON is a label selector in the MODEL contract. */
export interface SelectorJSON {
  matchLabels: Record<string, string>;
  matchExpressions: { key: string; operator: string; values: string[] }[];
}

function selectors(list: LabelSelector[]): SelectorJSON[] {
  return list.map((s) => ({ matchLabels: { ...s.matchLabels }, matchExpressions: s.matchExpressions.map((e) => ({ ...e, values: [...e.values] })) }));
}

function poolJSON(p: Pool): Record<string, unknown> {
  return {
    name: p.name,
    addresses: [...p.addresses],
    cidrs: p.cidrs.map(formatCIDR),
    autoAssign: p.autoAssign,
    avoidBuggyIPs: p.avoidBuggyIPs,
    serviceAllocation: p.serviceAllocation
      ? {
          priority: p.serviceAllocation.priority,
          namespaces: [...p.serviceAllocation.namespaces],
          namespaceSelectors: selectors(p.serviceAllocation.namespaceSelectors),
          serviceSelectors: selectors(p.serviceAllocation.serviceSelectors),
        }
      : null,
    labels: { ...p.labels },
    bgpAdvertisements: p.bgpAdvertisements.map((a) => ({
      aggregationLength: a.aggregationLength,
      aggregationLengthV6: a.aggregationLengthV6,
      localPref: a.localPref,
      communities: [...a.communities],
      nodeSelectors: selectors(a.nodeSelectors),
      peers: [...a.peers],
      serviceSelectors: selectors(a.serviceSelectors),
    })),
    l2Advertisements: p.l2Advertisements.map((a) => ({
      nodeSelectors: selectors(a.nodeSelectors),
      interfaces: [...a.interfaces],
      serviceSelectors: selectors(a.serviceSelectors),
    })),
  };
}

function peerJSON(p: Peer): Record<string, unknown> {
  return {
    name: p.name,
    myASN: p.myASN,
    peerASN: p.peerASN,
    peerAddress: p.peerAddress,
    peerPort: p.peerPort,
    holdTime: p.holdTime,
    keepaliveTime: p.keepaliveTime,
    keepaliveExplicit: p.keepaliveExplicit,
    routerID: p.routerID ?? null,
    sourceAddress: p.sourceAddress ?? null,
    ebgpMultiHop: p.ebgpMultiHop,
    bfdProfile: p.bfdProfile ?? null,
    nodeSelectors: selectors(p.nodeSelectors),
    password: p.password === undefined ? null : PASSWORD_SET,
    passwordSecret: p.passwordSecret ? { ...p.passwordSecret } : null,
    vrf: p.vrf ?? null,
    connectTime: p.connectTime ?? null,
    enableGracefulRestart: p.enableGracefulRestart ?? false,
  };
}

function bfdJSON(b: BFDProfile): Record<string, unknown> {
  return {
    name: b.name,
    receiveInterval: b.receiveInterval ?? null,
    transmitInterval: b.transmitInterval ?? null,
    detectMultiplier: b.detectMultiplier ?? null,
    echoInterval: b.echoInterval ?? null,
    echoMode: b.echoMode,
    passiveMode: b.passiveMode,
    minimumTtl: b.minimumTtl ?? null,
  };
}

/** ModelJSON is the MODEL contract object (see schemas/model.schema.json). */
export interface ModelJSON {
  pools: Record<string, unknown>[];
  peers: Record<string, unknown>[];
  bfdProfiles: Record<string, unknown>[];
  communities: Record<string, string>;
}

/** modelToJSON renders a config as the MODEL contract: JSON-safe, password values never included. */
export function modelToJSON(config: Config): ModelJSON {
  return {
    pools: config.pools.map(poolJSON),
    peers: config.peers.map(peerJSON),
    bfdProfiles: config.bfdProfiles.map(bfdJSON),
    communities: { ...config.communities },
  };
}
