// migrateToCrds: the forward conversion as a list of named steps. Each step either hands a value to
// the next or throws a ConfigError/ConfigErrors; nothing here writes anywhere, so a failure at any
// step leaves no output behind. The proof step parses the generated objects with the parser of
// record and compares models, so what we emit is checked by the same code the daemons run.
import { decodeLegacy, DEFAULT_NAMESPACE, extractLegacyPayload, parseObjects, parseSources } from '../config/index.js';
import type { LegacyConfigFile } from '../config/index.js';
import { loadYAML, PlainScalar } from '../config/yaml.js';
import { ConfigError, ConfigErrors, type Config, type ParseResult } from '../model/index.js';
import { buildCrds, poolOrderWarning } from './crds.js';
import { diffConfigs, formatDifferences } from './diff.js';
import { expectFromLegacy } from './expect.js';
import { warn, type K8sObject, type MigrateWarning, type Rename } from './types.js';

/** ForwardOptions tune `lbctl migrate --to crds`. */
export interface ForwardOptions {
  /** source names the input in messages and the header (a file name, or `stdin`). */
  source: string;
  /** namespace overrides the ConfigMap's own namespace (default metallb-system). */
  namespace?: string;
  passwordSecrets: boolean;
}

/** ForwardResult is a proven conversion: the objects, what was renamed and what to look at. */
export interface ForwardResult {
  objects: K8sObject[];
  namespace: string;
  renames: Rename[];
  warnings: MigrateWarning[];
  /** model is the configuration both the input and the output parse to (after renames). */
  model: Config;
}

const str = (v: unknown): string | undefined => (v instanceof PlainScalar ? v.text : typeof v === 'string' ? v : undefined);
const field = (doc: unknown, key: string): unknown =>
  doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>)[key] : undefined;

/** documentsOf flattens a YAML stream: every document, and the items of any `List`. */
function documentsOf(docs: unknown[]): unknown[] {
  return docs.flatMap((d) => {
    const items = field(d, 'items');
    return str(field(d, 'kind'))?.endsWith('List') && Array.isArray(items) ? items : [d];
  });
}

function inputError(source: string, what: string): ConfigError {
  return new ConfigError('migrate.input', `migrate: ${source} ${what}`, { object: source });
}

/**
 * readLegacyInput finds the one legacy payload in the input (a ConfigMap, raw payload or Helm values,
 * possibly among other manifests or inside a List) and the namespace its ConfigMap declares.
 */
export function readLegacyInput(text: string, source: string): { payload: string; namespace?: string } {
  const docs = documentsOf(loadYAML(text, source));
  if (docs.some((d) => str(field(d, 'apiVersion'))?.startsWith('metallb.io/'))) {
    throw inputError(source, 'holds metallb.io objects; lbctl migrate converts a legacy config to CRDs (use --to configmap for the other way)');
  }
  const carriers = docs.filter((d) => extractLegacyPayload(d) !== undefined);
  if (carriers.length !== 1) {
    throw inputError(
      source,
      carriers.length === 0
        ? 'is not a legacy MetalLB config: expected a ConfigMap with data.config, a raw payload (address-pools, peers, ...) or Helm values with configInline'
        : `holds ${carriers.length} legacy configs; give one at a time`,
    );
  }
  const payload = extractLegacyPayload(carriers[0])!;
  const ns = str(field(field(carriers[0], 'metadata'), 'namespace'));
  return ns !== undefined && ns !== '' ? { payload, namespace: ns } : { payload };
}

function assertNotEmpty(legacy: LegacyConfigFile, source: string): void {
  const n = (legacy.peers?.length ?? 0) + (legacy['address-pools']?.length ?? 0) + (legacy['bfd-profiles']?.length ?? 0);
  if (n === 0 && Object.keys({ ...legacy['bgp-communities'], ...legacy.communities }).length === 0) {
    throw new ConfigError('migrate.empty', `migrate: ${source} holds an empty config; there is nothing to migrate`, { object: source });
  }
}

/** prove parses the generated objects and fails with every difference from the expected model. */
export function prove(objects: K8sObject[], expected: Config, namespace: string): ParseResult {
  let parsed;
  try {
    // Generated Secrets go in too: the parser resolves passwordSecret from them like from a cluster.
    parsed = parseObjects(objects, { namespace });
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ConfigError('migrate.proof', `migrate: the generated CRDs do not parse back (this is a bug in lbctl migrate):\n${detail}`);
  }
  const diffs = diffConfigs(expected, parsed.config);
  if (diffs.length > 0) {
    const lines = formatDifferences(diffs, 'legacy', 'CRDs');
    throw new ConfigError('migrate.proof', `migrate: the generated CRDs mean something other than the input:\n  ${lines.join('\n  ')}`);
  }
  return parsed;
}

/** migrateToCrds converts a legacy config text into proven CRD objects. Throws ConfigError(s). */
export function migrateToCrds(text: string, opts: ForwardOptions): ForwardResult {
  const input = readLegacyInput(text, opts.source);
  const namespace = opts.namespace ?? input.namespace ?? DEFAULT_NAMESPACE;
  // The parser of record sees the input exactly as `lbctl validate` would, so a config it refuses
  // fails here with the very same messages; decoding again only recovers what was written.
  const parsed = parseSources([{ name: opts.source, text }], { namespace });
  const legacy = decodeLegacy(input.payload, opts.source);
  assertNotEmpty(legacy, opts.source);
  const build = buildCrds(legacy, parsed.config, { namespace, passwordSecrets: opts.passwordSecrets });
  const refs = new Map<string, { name: string; namespace: string }>();
  for (const o of build.objects) {
    const ref = (o.spec as { passwordSecret?: { name: string; namespace: string } } | undefined)?.passwordSecret;
    if (o.kind === 'BGPPeer' && ref) refs.set(o.metadata.name, ref);
  }
  const expected = expectFromLegacy(parsed.config, build.renames, refs);
  prove(build.objects, expected, namespace);
  const poolNames = new Map(build.renames.filter((r) => r.kind === 'IPAddressPool').map((r) => [r.from, r.to]));
  const order = poolOrderWarning(parsed.config.pools.map((p) => ({ name: poolNames.get(p.name) ?? p.name, autoAssign: p.autoAssign })));
  const warnings = [
    // Our own arp-network warning says more (that the CRDs drop it), so the parser's is not repeated.
    ...parsed.warnings.filter((w) => w.code !== 'config.deprecated.arp-network').map((w) => warn(w.code, w.message, w.object, w.field)),
    ...build.warnings,
    ...(order ? [order] : []),
  ];
  return { objects: build.objects, namespace, renames: build.renames, warnings, model: expected };
}

/** errorLines flattens ConfigError / ConfigErrors (or anything thrown) into message lines. */
export function errorLines(err: unknown): string[] {
  if (err instanceof ConfigErrors) return err.errors.map((e) => e.message);
  if (err instanceof Error) return [err.message];
  return [String(err)];
}
