// metallb.io objects -> model part, in MetalLB main's order: BFD profiles, peers, communities, pools,
// L2 ads, BGP ads (with per-pool checks), then the BFD echo cross-check. Every kind is read in name
// order, as an API server lists it, so the result never depends on file order.
import type { BFDProfile } from '../../model/config.js';
import type { NodeView } from '../../model/cluster.js';
import type { BFDProfileSpec, CommunitySpec, CRDKind, CRDObject } from './types.js';
import { quote, type Problems, type Where } from '../rules/problems.js';
import { parseCommunity } from '../rules/community.js';
import { hasOwn, setOwn, dropUndefined } from '../rules/util.js';
import { checkDuplicatePeers } from '../rules/peer.js';
import { emptyPart, type Part, type PartPool } from '../rules/part.js';
import { peerFromCR, type SecretView } from './peer.js';
import { addressPoolFromCR, poolFromCR } from './pool.js';
import { attachBGP, attachL2, checkLocalPref } from './ads.js';

/** CRDContext carries what the CRD build needs from outside the objects themselves. */
export interface CRDContext {
  namespace: string;
  secrets?: Record<string, SecretView>;
  nodes?: NodeView[];
}

type ByKind = { [K in CRDKind]: CRDObject<K>[] };

function groupByKind(objects: CRDObject[], problems: Problems): ByKind {
  const by: ByKind = { IPAddressPool: [], L2Advertisement: [], BGPAdvertisement: [], BGPPeer: [], BFDProfile: [], Community: [], AddressPool: [] };
  for (const o of objects) (by[o.kind] as CRDObject[]).push(o);
  for (const list of Object.values(by) as CRDObject[][]) {
    list.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    list.forEach((o, i) => {
      if (i > 0 && list[i - 1]!.metadata.name === o.metadata.name) {
        problems.error('config.duplicate-object', { object: `${o.kind} ${quote(o.metadata.name)}`, field: 'metadata.name' }, `${o.kind} ${quote(o.metadata.name)} is defined more than once`);
      }
    });
    // Keep the first of each name so later checks do not repeat the same finding.
    const unique = list.filter((o, i) => i === 0 || list[i - 1]!.metadata.name !== o.metadata.name);
    list.splice(0, list.length, ...unique);
  }
  return by;
}

function bfdProfiles(list: CRDObject<'BFDProfile'>[]): Part['bfdProfiles'] {
  return list.map((o) => {
    const s = o.spec as BFDProfileSpec;
    const profile: BFDProfile = dropUndefined({
      name: o.metadata.name,
      receiveInterval: s.receiveInterval,
      transmitInterval: s.transmitInterval,
      detectMultiplier: s.detectMultiplier,
      echoInterval: s.echoInterval,
      echoMode: s.echoMode ?? false,
      passiveMode: s.passiveMode ?? false,
      minimumTtl: s.minimumTtl,
    });
    return { profile, where: { object: `BFDProfile ${quote(o.metadata.name)}` } };
  });
}

function communities(list: CRDObject<'Community'>[], problems: Problems): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of list) {
    ((o.spec as CommunitySpec).communities ?? []).forEach((c, i) => {
      const where: Where = { object: `Community ${quote(o.metadata.name)}`, field: `spec.communities[${i}]` };
      if (hasOwn(out, c.name)) return problems.error('config.community.duplicate', where, `duplicate definition of community ${quote(c.name)}`);
      const parsed = parseCommunity(c.value, true);
      if (parsed.ok) setOwn(out, c.name, parsed.canonical);
      else problems.error('config.community', where, `parsing community ${quote(c.name)}: invalid community ${quote(c.value)}: ${parsed.reason}`);
    });
  }
  return out;
}

function checkEchoV6(part: Part, problems: Problems): void {
  const echo = new Set(part.bfdProfiles.filter((b) => b.profile.echoMode).map((b) => b.profile.name));
  if (echo.size === 0) return;
  for (const p of part.pools) {
    if (!p.pool.cidrs.some((c) => c.ip.family === 6)) continue;
    for (const ad of p.pool.bgpAdvertisements) {
      const peer = part.peers.find(({ peer: x }) => (ad.peers.length === 0 || ad.peers.includes(x.name)) && x.bfdProfile !== undefined && echo.has(x.bfdProfile));
      if (peer) {
        problems.error('config.bfd.echo', p.where, `pool has IPv6 addresses announced to peer ${quote(peer.peer.name)} whose BFD profile ${quote(peer.peer.bfdProfile)} uses echo mode, which IPv6 does not support`);
      }
    }
  }
}

/** buildCRDs turns checked metallb.io objects into a model part; findings go to `problems`. */
export function buildCRDs(objects: CRDObject[], ctx: CRDContext, problems: Problems): Part {
  const by = groupByKind(objects, problems);
  const part = emptyPart('crd');
  part.bfdProfiles = bfdProfiles(by.BFDProfile);
  const bfdNames = new Set(part.bfdProfiles.map((b) => b.profile.name));
  for (const o of by.BGPPeer) {
    const peer = peerFromCR(o, { namespace: ctx.namespace, bfdNames, secrets: ctx.secrets }, problems);
    if (peer) part.peers.push({ peer, where: { object: `BGPPeer ${quote(o.metadata.name)}` } });
  }
  checkDuplicatePeers(part.peers, false, problems);
  part.communities = communities(by.Community, problems);
  const pools: PartPool[] = [];
  // Pools of both kinds are listed together in name order, as one allocation order.
  const poolObjs = [...by.IPAddressPool, ...by.AddressPool].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  for (const o of poolObjs) {
    const p = o.kind === 'IPAddressPool' ? poolFromCR(o as CRDObject<'IPAddressPool'>, problems) : addressPoolFromCR(o as CRDObject<'AddressPool'>, part.communities, problems);
    if (p) pools.push(p);
  }
  const selectable = pools.filter((p) => p.where.object.startsWith('IPAddressPool'));
  attachL2(by.L2Advertisement, selectable, problems);
  const sources = attachBGP(by.BGPAdvertisement, selectable, part.communities, problems);
  checkLocalPref(selectable, sources, ctx.nodes?.map((n) => n.labels), problems);
  part.pools = pools;
  checkEchoV6(part, problems);
  return part;
}
