// Backend-specific validation (MetalLB's validators): the native BGP speaker cannot do BFD, VRFs,
// connect times or graceful restart. Unlike MetalLB's native speaker, ours honours explicit keepalives
// and announces IPv6 (MP-BGP) and large communities, so those are not refused here. FRR needs one router ID and one local ASN per
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
    if (peer.vrf !== undefined) no(f('vrf', 'vrf'), 'a VRF');
    if (peer.connectTime !== undefined) no(f('connect-time', 'connectTime'), 'a connect time');
    if (peer.enableGracefulRestart) no(f('graceful-restart', 'enableGracefulRestart'), 'graceful restart');
  }
  for (const { where } of part.bfdProfiles) problems.error('config.mode.native', where, 'BFD profiles are not supported by the native BGP speaker (use --mode frr)');
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
