// Legacy payload -> model part, applying MetalLB v0.12.1's rules in its order (BFD profiles, peers,
// communities, pools), but collecting every finding instead of stopping at the first.
import { peerName, type BFDProfile, type Peer } from '../../model/config.js';
import type { LegacyBFDProfile, LegacyConfigFile, LegacyNodeSelector, LegacyPeer } from './types.js';
import { Problems, quote, type Where } from '../rules/problems.js';
import { checkDuplicatePeers, checkMultiHop, optionalIP, peerTimers, requireASN } from '../rules/peer.js';
import { convertSelector, normaliseSelectors } from '../rules/selector.js';
import { parseCommunity } from '../rules/community.js';
import { emptyPart, type Part } from '../rules/part.js';
import { dropUndefined, hasOwn, setOwn } from '../rules/util.js';
import { buildLegacyPool } from './pool.js';
import type { LabelSelector } from '../../model/selector.js';

/** buildLegacy turns a decoded payload into a model part; findings go to `problems`. */
export function buildLegacy(file: LegacyConfigFile, problems: Problems): Part {
  const part = emptyPart('legacy');
  part.bfdProfiles = buildBFDProfiles(file['bfd-profiles'] ?? [], problems);
  const bfdNames = new Set(part.bfdProfiles.map((b) => b.profile.name));
  part.peers = buildPeers(file.peers ?? [], bfdNames, problems);
  part.communities = buildAliases(mergeAliases(file, problems), problems);
  (file['address-pools'] ?? []).forEach((raw, i) => {
    const built = buildLegacyPool(raw, i, part.communities, problems);
    if (built) part.pools.push(built);
  });
  return part;
}

function buildBFDProfiles(list: LegacyBFDProfile[], problems: Problems): Part['bfdProfiles'] {
  const out: Part['bfdProfiles'] = [];
  const seen = new Set<string>();
  list.forEach((b, i) => {
    const where: Where = { object: b.name ? `bfd profile ${quote(b.name)}` : `bfd profile #${i + 1}` };
    if (!b.name) return problems.error('config.bfd.name', { ...where, field: 'name' }, 'missing bfd profile name');
    if (seen.has(b.name)) return problems.error('config.bfd.duplicate', { ...where, field: 'name' }, `found duplicate bfd profile name ${quote(b.name)}`);
    seen.add(b.name);
    const profile: BFDProfile = {
      name: b.name,
      receiveInterval: b['receive-interval'],
      transmitInterval: b['transmit-interval'],
      detectMultiplier: b['detect-multiplier'],
      echoInterval: b['echo-interval'],
      echoMode: b['echo-mode'] ?? false,
      passiveMode: b['passive-mode'] ?? false,
      minimumTtl: b['minimum-ttl'],
    };
    out.push({ profile: dropUndefined(profile), where });
  });
  return out;
}

function selectors(list: LegacyNodeSelector[] | undefined, where: Where, problems: Problems): LabelSelector[] {
  const out: LabelSelector[] = [];
  (list ?? []).forEach((s, i) => {
    const sel = convertSelector({ matchLabels: s['match-labels'], matchExpressions: s['match-expressions'] }, { ...where, field: `node-selectors[${i}]` }, problems);
    if (sel) out.push(sel);
  });
  return normaliseSelectors(out);
}

function buildPeer(p: LegacyPeer, where: Where, bfdNames: Set<string>, problems: Problems): Peer | undefined {
  const f = (field: string): Where => ({ ...where, field });
  const before = problems.errors.length;
  const myASN = requireASN(p['my-asn'], f('my-asn'), 'local', problems);
  const peerASN = requireASN(p['peer-asn'], f('peer-asn'), 'peer', problems);
  const addr = optionalIP(p['peer-address'], f('peer-address'), 'peer IP', problems);
  if (addr === undefined) problems.error('config.peer.ip', f('peer-address'), 'missing peer address');
  const timers = peerTimers({ hold: p['hold-time'], keepalive: p['keepalive-time'], style: 'legacy' }, { hold: f('hold-time'), keepalive: f('keepalive-time') }, problems);
  const routerID = optionalIP(p['router-id'], f('router-id'), 'router ID', problems);
  const sourceAddress = optionalIP(p['source-address'], f('source-address'), 'source IP', problems);
  const nodeSelectors = selectors(p['node-selectors'], where, problems);
  const bfd = p['bfd-profile'] || undefined;
  if (bfd !== undefined && !bfdNames.has(bfd)) problems.error('config.peer.bfd', f('bfd-profile'), `peer references non existing bfd profile ${quote(bfd)}`);
  if (problems.errors.length > before || !myASN || !peerASN || !addr || !timers) return undefined;
  const peer: Peer = dropUndefined({
    name: '',
    myASN,
    peerASN,
    peerAddress: addr,
    peerPort: p['peer-port'] || 179,
    ...timers,
    routerID: routerID ?? undefined,
    sourceAddress: sourceAddress ?? undefined,
    ebgpMultiHop: p['ebgp-multihop'] ?? false,
    bfdProfile: bfd,
    nodeSelectors,
    password: p.password || undefined,
  });
  checkMultiHop(peer, f('ebgp-multihop'), problems);
  return peer;
}

function buildPeers(list: LegacyPeer[], bfdNames: Set<string>, problems: Problems): Part['peers'] {
  const out: Part['peers'] = [];
  list.forEach((p, i) => {
    const where: Where = { object: `peer #${i + 1}` };
    const peer = buildPeer(p, where, bfdNames, problems);
    if (peer) out.push({ peer, where });
  });
  checkDuplicatePeers(out, false, problems);
  // Legacy peers have no names: derive them from what they are, with a suffix when two collide.
  const used = new Map<string, number>();
  for (const { peer } of out) {
    const base = peerName(peer);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    peer.name = n === 1 ? base : `${base}-${n}`;
  }
  return out;
}

// `communities` was the v0.1-v0.2 name of the alias table; both are read, a clash is an error.
function mergeAliases(file: LegacyConfigFile, problems: Problems): Record<string, string> {
  const out: Record<string, string> = { ...(file['bgp-communities'] ?? {}) };
  if (file.communities === undefined) return out;
  problems.warn('config.deprecated.communities', { object: 'communities' }, 'the top-level "communities" key is deprecated since MetalLB v0.3: write "bgp-communities"');
  for (const [k, v] of Object.entries(file.communities)) {
    if (hasOwn(out, k) && out[k] !== v) problems.error('config.community.duplicate', { object: 'communities', field: k }, `duplicate definition of community ${quote(k)} in communities and bgp-communities`);
    else setOwn(out, k, v);
  }
  return out;
}

function buildAliases(aliases: Record<string, string>, problems: Problems): Record<string, string> {
  const out: Record<string, string> = {};
  // Go walked this map in random order; sorting makes the first reported error stable.
  for (const name of Object.keys(aliases).sort()) {
    const c = parseCommunity(aliases[name]!, false);
    if (c.ok) setOwn(out, name, c.canonical);
    else problems.error('config.community', { object: 'bgp-communities', field: name }, `parsing community ${quote(name)}: invalid community ${quote(aliases[name])}: ${c.reason}`);
  }
  return out;
}
