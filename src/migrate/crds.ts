// buildCrds: a decoded legacy payload (plus its parsed model, for the names the model gives peers)
// -> the full list of objects, in the order they are written: Secrets and BFD profiles before the
// peers that reference them, Community before the advertisements that use its aliases, pools before
// their advertisements. Inside one kind, objects keep the legacy order.
import type { LegacyConfigFile } from '../config/legacy/types.js';
import type { Config } from '../model/index.js';
import { bfdProfilesToCrd, communitiesToCrd, peersToCrd } from './crd-peers.js';
import { poolToCrd } from './crd-pools.js';
import { assertMapped } from './fields.js';
import { coerceOrFail, NameTable } from './names.js';
import { warn, type CrdBuild, type MigrateWarning, type Rename } from './types.js';

/** BuildOptions tune the conversion. */
export interface BuildOptions {
  namespace: string;
  /** passwordSecrets moves BGP passwords into kubernetes.io/basic-auth Secrets. */
  passwordSecrets: boolean;
}

/** buildCrds converts a decoded legacy payload; throws ConfigError on anything it cannot carry over. */
export function buildCrds(legacy: LegacyConfigFile, model: Config, opts: BuildOptions): CrdBuild {
  assertMapped('config', legacy, 'config');
  const names = new NameTable();
  const build: CrdBuild = { objects: [], renames: [], warnings: [] };
  const bfdNames = nameBfdProfiles(legacy, names, build.renames);
  const poolNames = namePools(legacy, names, build.renames);
  for (const r of build.renames) build.warnings.push(renameWarning(r));

  const peers = peersToCrd(legacy.peers ?? [], model.peers, {
    namespace: opts.namespace,
    names,
    bfdNames,
    passwordSecrets: opts.passwordSecrets,
    warnings: build.warnings,
  });
  const pools = (legacy['address-pools'] ?? []).map((p, i) =>
    poolToCrd(p, poolNames[i]!, poolOrigin(i, p.name), { namespace: opts.namespace, names, warnings: build.warnings }),
  );
  const byKind = (k: string) => peers.filter((o) => o.kind === k);
  build.objects = [
    ...byKind('Secret'),
    ...bfdProfilesToCrd(legacy['bfd-profiles'] ?? [], opts.namespace, bfdNames),
    // `communities` (v0.1-v0.2) and `bgp-communities` are one alias table; the parser refuses clashes.
    ...communitiesToCrd({ ...(legacy.communities ?? {}), ...(legacy['bgp-communities'] ?? {}) }, opts.namespace),
    ...byKind('BGPPeer'),
    ...pools.map((p) => p.pool),
    ...pools.flatMap((p) => p.l2),
    ...pools.flatMap((p) => p.bgp),
  ];
  return build;
}

function poolOrigin(i: number, name: string | undefined): string {
  return `pool #${i + 1} ${JSON.stringify(name ?? '')}`;
}

function namePools(legacy: LegacyConfigFile, names: NameTable, renames: Rename[]): string[] {
  return (legacy['address-pools'] ?? []).map((p, i) => {
    const from = p.name ?? '';
    const { name, renamed } = coerceOrFail(names, 'IPAddressPool', from, poolOrigin(i, p.name));
    if (renamed) renames.push({ kind: 'IPAddressPool', from, to: name });
    return name;
  });
}

function nameBfdProfiles(legacy: LegacyConfigFile, names: NameTable, renames: Rename[]): Map<string, string> {
  const out = new Map<string, string>();
  (legacy['bfd-profiles'] ?? []).forEach((b, i) => {
    const from = b.name ?? '';
    const { name, renamed } = coerceOrFail(names, 'BFDProfile', from, `bfd profile #${i + 1} ${JSON.stringify(from)}`);
    if (renamed) renames.push({ kind: 'BFDProfile', from, to: name });
    out.set(from, name);
  });
  return out;
}

function renameWarning(r: Rename): MigrateWarning {
  const hint =
    r.kind === 'IPAddressPool'
      ? '; Services that name it in the address-pool annotation must be updated (run with --services to list them)'
      : '';
  return warn(
    'migrate.renamed',
    `migrate: ${r.kind === 'IPAddressPool' ? 'pool' : 'bfd profile'} ${JSON.stringify(r.from)} is renamed to ` +
      `${JSON.stringify(r.to)} to be a valid Kubernetes name${hint}`,
    r.from,
    'name',
  );
}

/** listed prints at most `max` names, then how many more there are, so huge configs keep short messages. */
function listed(names: string[], max = 8, render: (n: string, i: number) => string = (n) => n): string {
  const shown = names.slice(0, max).map(render).join(', ');
  return names.length > max ? `${shown}, ... (${names.length - max} more)` : shown;
}

/** poolOrderWarning says when automatic allocation order changes because CRDs are read by name. */
export function poolOrderWarning(legacyOrder: { name: string; autoAssign: boolean }[]): MigrateWarning | undefined {
  const auto = legacyOrder.filter((p) => p.autoAssign).map((p) => p.name);
  const sorted = [...auto].sort();
  if (auto.length < 2 || auto.every((n, i) => n === sorted[i])) return undefined;
  return warn(
    'migrate.pool-order',
    `migrate: automatic allocation tries pools in order; the legacy order was ${listed(auto)} but IPAddressPools are ` +
      `read in name order (${listed(sorted)}); to keep the legacy order set spec.serviceAllocation.priority ` +
      `(1 = first) on ${listed(auto, 8, (n, i) => `${n}: ${i + 1}`)}`,
    'address-pools',
    'order',
  );
}
