// Backend-specific validation (MetalLB's validators): the native BGP speaker cannot do BFD, explicit
// keepalives, VRFs, IPv6 BGP pools or large communities; FRR needs one router ID and one local ASN per
// node (per VRF) and one session per neighbour address. The controller checks neither ("controller").
import type { NodeView } from '../../model/cluster.js';
import { quote, type Problems } from './problems.js';
import { selectorListsMayMeet } from './selector.js';
import type { Part, PartPeer } from './part.js';

/** Mode is the validator to apply: the controller accepts what either backend can do. */
export type Mode = 'controller' | 'native' | 'frr';

function nativeChecks(part: Part, problems: Problems): void {
  const crd = part.format === 'crd';
  for (const { peer, where } of part.peers) {
    const f = (legacy: string, spec: string): { object: string; field: string } => ({ ...where, field: crd ? `spec.${spec}` : legacy });
    const no = (field: { object: string; field: string }, what: string): void => problems.error('config.mode.native', field, `${what} is not supported by the native BGP speaker (use --mode frr)`);
    if (peer.bfdProfile !== undefined) no(f('bfd-profile', 'bfdProfile'), 'a BFD profile');
    if (peer.keepaliveExplicit && (!crd || peer.keepaliveTime !== 0)) no(f('keepalive-time', 'keepaliveTime'), 'an explicit keepalive time');
    if (peer.vrf !== undefined) no(f('vrf', 'vrf'), 'a VRF');
    if (peer.connectTime !== undefined) no(f('connect-time', 'connectTime'), 'a connect time');
    if (peer.enableGracefulRestart) no(f('graceful-restart', 'enableGracefulRestart'), 'graceful restart');
  }
  for (const { where } of part.bfdProfiles) problems.error('config.mode.native', where, 'BFD profiles are not supported by the native BGP speaker (use --mode frr)');
  for (const p of part.pools) {
    if (p.pool.bgpAdvertisements.length === 0) continue;
    const v6 = p.pool.cidrs.find((c) => c.ip.family === 6);
    if (v6) problems.error('config.mode.native', { ...p.where, field: crd ? 'spec.addresses' : 'addresses' }, 'native bgp mode does not support ipv6: the pool is announced over BGP and holds IPv6 addresses');
    const large = p.pool.bgpAdvertisements.flatMap((a) => a.communities).find((c) => c.startsWith('large:'));
    if (large) problems.error('config.mode.native', p.where, `large community ${quote(large)} is not supported by the native BGP speaker`);
  }
  for (const [alias, value] of Object.entries(part.communities)) {
    if (value.startsWith('large:')) problems.error('config.mode.native', { object: 'communities', field: alias }, `large community ${quote(value)} is not supported by the native BGP speaker`);
  }
}

function mayMeet(a: PartPeer, b: PartPeer, part: Part, nodes?: NodeView[]): boolean {
  // Legacy FRR checks compared every peer with every other; CRD checks only peers that share a node.
  if (part.format === 'legacy') return true;
  return selectorListsMayMeet(a.peer.nodeSelectors, b.peer.nodeSelectors, nodes?.map((n) => n.labels));
}

function frrChecks(part: Part, nodes: NodeView[] | undefined, problems: Problems): void {
  const peers = part.peers;
  peers.forEach((b, j) => {
    for (const a of peers.slice(0, j)) {
      if (!mayMeet(a, b, part, nodes)) continue;
      const field = (legacy: string, spec: string): string => (part.format === 'crd' ? `spec.${spec}` : legacy);
      const sameVrf = (a.peer.vrf ?? '') === (b.peer.vrf ?? '');
      if ((a.peer.routerID ?? '') !== (b.peer.routerID ?? '')) {
        problems.error('config.mode.frr', { ...b.where, field: field('router-id', 'routerID') }, `router ID ${quote(b.peer.routerID ?? '')} differs from ${quote(a.peer.routerID ?? '')} of ${a.where.object}: FRR runs one BGP router per node`);
      } else if (sameVrf && a.peer.myASN !== b.peer.myASN) {
        problems.error('config.mode.frr', { ...b.where, field: field('my-asn', 'myASN') }, `local ASN ${b.peer.myASN} differs from ${a.peer.myASN} of ${a.where.object}: FRR runs one BGP router per node`);
      } else if (sameVrf && a.peer.peerAddress === b.peer.peerAddress) {
        problems.error('config.mode.frr', { ...b.where, field: field('peer-address', 'peerAddress') }, `FRR mode doesn't support duplicate BGPPeers: ${b.peer.peerAddress} is already a neighbour in ${a.where.object}`);
      } else continue;
      return;
    }
  });
}

/** validateMode applies the chosen backend's restrictions to one part. */
export function validateMode(mode: Mode, part: Part, nodes: NodeView[] | undefined, problems: Problems): void {
  if (mode === 'native') nativeChecks(part, problems);
  else if (mode === 'frr') frrChecks(part, nodes, problems);
}
