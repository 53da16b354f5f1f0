// BGPPeer (v1beta1 and v1beta2) -> model peer, with MetalLB main's peerFromCR rules.
import type { Peer } from '../../model/config.js';
import type { LabelSelector } from '../../model/selector.js';
import type { BGPPeerSpecV1beta2, CRDObject, K8sLabelSelector } from './types.js';
import { quote, type Problems, type Where } from '../rules/problems.js';
import { checkMultiHop, optionalIP, peerTimers, requireASN } from '../rules/peer.js';
import { convertSelector, duplicateSelector, normaliseSelectors } from '../rules/selector.js';
import { parseGoDuration } from '../rules/duration.js';
import { dropUndefined } from '../rules/util.js';

/** SecretView is a Secret as ParseOptions carries it (data base64-encoded, as in the API). */
export interface SecretView {
  type?: string;
  data: Record<string, string>;
}

/** PeerContext is what peer parsing needs from the rest of the input. */
export interface PeerContext {
  namespace: string;
  bfdNames: Set<string>;
  /** secrets, when known; undefined means "not given": references are kept unresolved with a warning. */
  secrets?: Record<string, SecretView>;
}

/** crdSelectors converts and validates a CRD selector list, refusing duplicates. */
export function crdSelectors(list: K8sLabelSelector[] | undefined, where: Where, problems: Problems, normalise = true): LabelSelector[] {
  const out: LabelSelector[] = [];
  (list ?? []).forEach((s, i) => {
    const sel = convertSelector(s, { ...where, field: `${where.field}[${i}]` }, problems);
    if (sel) out.push(sel);
  });
  const dup = duplicateSelector(out);
  if (dup !== undefined) problems.error('config.selector.duplicate', { ...where, field: `${where.field}[${dup}]` }, 'duplicate definition of selector');
  out.forEach((sel, i) => {
    const seen = new Set<string>();
    sel.matchExpressions.forEach((e, j) => {
      const at = { ...where, field: `${where.field}[${i}].matchExpressions[${j}]` };
      const key = `${e.key} ${e.operator} ${[...e.values].sort().join(',')}`;
      if (seen.has(key)) problems.error('config.selector.duplicate', at, `duplicate definition of match expression on ${quote(e.key)}`);
      seen.add(key);
      const v = e.values.find((x, k) => e.values.indexOf(x) !== k);
      if (v !== undefined) problems.error('config.selector.duplicate', at, `duplicate definition of value ${quote(v)}`);
    });
  });
  return normalise ? normaliseSelectors(out) : out;
}

function unsupported(spec: BGPPeerSpecV1beta2, f: (x: string) => Where, problems: Problems): void {
  const say = (field: string, why: string): void => problems.error('config.peer.unsupported', f(field), why);
  if (spec.dynamicASN !== undefined) say('dynamicASN', 'dynamicASN is not supported by lbctl: set peerASN');
  if (spec.localASN !== undefined) say('localASN', 'localASN is not supported by lbctl');
  if (spec.interface !== undefined) say('interface', 'unnumbered BGP (interface) is not supported by lbctl: set peerAddress');
  if (spec.dualStackAddressFamily) say('dualStackAddressFamily', 'dualStackAddressFamily is not supported by lbctl');
  if (spec.disableMP) say('disableMP', 'disableMP is deprecated upstream and not supported by lbctl');
}

function connectSeconds(text: string | undefined, where: Where, problems: Problems): number | undefined {
  if (text === undefined) return undefined;
  const ns = parseGoDuration(text);
  if (ns === undefined || ns % 1_000_000_000n !== 0n || ns < 1_000_000_000n || ns > 65_535_000_000_000n) {
    problems.error('config.peer.timer', where, `invalid connect time ${quote(text)}: must be whole seconds between 1s and 65535s`);
    return undefined;
  }
  return Number(ns / 1_000_000_000n);
}

function password(spec: BGPPeerSpecV1beta2, f: (x: string) => Where, ctx: PeerContext, problems: Problems): Pick<Peer, 'password' | 'passwordSecret'> {
  const ref = spec.passwordSecret;
  if (!ref || (!ref.name && !ref.namespace)) return { password: spec.password || undefined };
  if (spec.password) {
    problems.error('config.peer.password', f('passwordSecret'), 'password and passwordSecret are mutually exclusive');
    return {};
  }
  const passwordSecret = { name: ref.name ?? '', namespace: ref.namespace ?? ctx.namespace };
  if (!ctx.secrets) return { passwordSecret };
  const secret = passwordSecret.namespace === ctx.namespace ? ctx.secrets[passwordSecret.name] : undefined;
  const id = quote(`${passwordSecret.namespace}/${passwordSecret.name}`);
  if (!secret) {
    problems.error('config.peer.secret', f('passwordSecret'), `secret ${id} not found`, true);
    return {};
  }
  if (secret.type !== 'kubernetes.io/basic-auth') {
    problems.error('config.peer.secret', f('passwordSecret'), `secret ${id} has type ${quote(secret.type ?? '')}, expected "kubernetes.io/basic-auth"`);
    return {};
  }
  const data = secret.data['password'];
  if (data === undefined) {
    problems.error('config.peer.secret', f('passwordSecret'), `secret ${id} has no "password" key`);
    return {};
  }
  return { passwordSecret, password: Buffer.from(data, 'base64').toString('utf8') };
}

/** peerFromCR validates one BGPPeer (either version) and returns its model peer. */
export function peerFromCR(obj: CRDObject<'BGPPeer'>, ctx: PeerContext, problems: Problems): Peer | undefined {
  const spec = obj.spec as BGPPeerSpecV1beta2;
  const where: Where = { object: `BGPPeer ${quote(obj.metadata.name)}` };
  const f = (field: string): Where => ({ ...where, field: `spec.${field}` });
  const before = problems.errors.length;
  unsupported(spec, f, problems);
  const myASN = requireASN(spec.myASN, f('myASN'), 'local', problems);
  const peerASN = spec.dynamicASN === undefined ? requireASN(spec.peerASN, f('peerASN'), 'peer', problems) : undefined;
  const addr = optionalIP(spec.peerAddress, f('peerAddress'), 'peer IP', problems);
  if (addr === undefined && spec.interface === undefined) problems.error('config.peer.ip', f('peerAddress'), 'missing peer address');
  const timers = peerTimers({ hold: spec.holdTime, keepalive: spec.keepaliveTime, style: 'crd' }, { hold: f('holdTime'), keepalive: f('keepaliveTime') }, problems);
  const connectTime = connectSeconds(spec.connectTime, f('connectTime'), problems);
  const routerID = optionalIP(spec.routerID, f('routerID'), 'router ID', problems);
  const sourceAddress = optionalIP(spec.sourceAddress, f('sourceAddress'), 'source IP', problems);
  const nodeSelectors = crdSelectors(spec.nodeSelectors, f('nodeSelectors'), problems);
  const bfd = spec.bfdProfile || undefined;
  if (bfd !== undefined && !ctx.bfdNames.has(bfd)) problems.error('config.peer.bfd', f('bfdProfile'), `peer references non existing bfd profile ${quote(bfd)}`, true);
  const secret = password(spec, f, ctx, problems);
  if (problems.errors.length > before || !myASN || !peerASN || !addr || !timers) return undefined;
  const peer: Peer = dropUndefined({
    name: obj.metadata.name,
    myASN,
    peerASN,
    peerAddress: addr,
    peerPort: spec.peerPort || 179,
    ...timers,
    routerID: routerID ?? undefined,
    sourceAddress: sourceAddress ?? undefined,
    ebgpMultiHop: spec.ebgpMultiHop ?? false,
    bfdProfile: bfd,
    nodeSelectors,
    ...secret,
    vrf: spec.vrf || undefined,
    connectTime,
    enableGracefulRestart: spec.enableGracefulRestart,
  });
  checkMultiHop(peer, f('ebgpMultiHop'), problems);
  return peer;
}
