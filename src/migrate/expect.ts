// What the model of the converted output must equal. The conversion changes a few things on purpose
// (coerced names, passwords moved into Secrets, peer names that only CRDs can carry); these
// functions apply exactly those changes to the input model, so the proof compares like with like and
// anything else that differs is a real loss.
import type { Config, Peer } from '../model/index.js';
import type { Rename } from './types.js';

function clone(c: Config): Config {
  return structuredClone(c);
}

/**
 * expectFromLegacy is the model the generated CRDs must parse to: the legacy model with the renames
 * applied and, for peers whose password went into a Secret, the Secret reference added.
 */
export function expectFromLegacy(
  legacy: Config,
  renames: Rename[],
  secretRefs: Map<string, { name: string; namespace: string }>,
): Config {
  const out = clone(legacy);
  const pools = new Map(renames.filter((r) => r.kind === 'IPAddressPool').map((r) => [r.from, r.to]));
  const bfd = new Map(renames.filter((r) => r.kind === 'BFDProfile').map((r) => [r.from, r.to]));
  for (const p of out.pools) p.name = pools.get(p.name) ?? p.name;
  for (const b of out.bfdProfiles) b.name = bfd.get(b.name) ?? b.name;
  for (const peer of out.peers) {
    if (peer.bfdProfile !== undefined) peer.bfdProfile = bfd.get(peer.bfdProfile) ?? peer.bfdProfile;
    const ref = secretRefs.get(peer.name);
    if (ref) peer.passwordSecret = { ...ref };
  }
  return out;
}

/**
 * withoutPeerNames blanks peer names and orders peers by content: the legacy format has no peer
 * names (the parser derives them from address, AS and port), so a rollback compares peers by what
 * they are, not by what they were called.
 */
export function withoutPeerNames(c: Config): Config {
  const out = clone(c);
  out.peers = out.peers
    .map((p): Peer => ({ ...p, name: '' }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
  return out;
}

/**
 * expectFromCrds is the model a legacy ConfigMap generated from CRDs must parse to (compare it with
 * withoutPeerNames of that model): peers lose their object names and Secret references (the key is
 * inlined), and pools lose their labels (they only fed selectors, which are resolved by now).
 */
export function expectFromCrds(crds: Config): Config {
  const out = withoutPeerNames(crds);
  for (const p of out.peers) delete p.passwordSecret;
  for (const pool of out.pools) pool.labels = {};
  return out;
}
