// The parser of record: every input (legacy ConfigMap, raw payload, Helm values, metallb.io CRDs)
// reaches the model through these functions. The CLI, both daemons and the migration tool use them.
// Pipeline: sources.ts sorts documents -> legacy/decode.ts or crd/decode.ts check shape against
// schemas/ -> legacy/build.ts or crd/build.ts apply MetalLB's rules -> assemble.ts checks what spans
// objects (names, overlaps, backend mode). Only ConfigErrors leave it.
import type { ParseResult, NodeView } from '../model/index.js';
import { ConfigError, ConfigErrors, emptyConfig } from '../model/index.js';
import { Problems } from './rules/problems.js';
import type { Part } from './rules/part.js';
import { collectDocument, collectText, emptyCollected, type Collected } from './sources.js';
import { buildLegacy } from './legacy/build.js';
import { buildCRDs } from './crd/build.js';
import { assemble } from './assemble.js';

export { decodeLegacy, decodeLegacyTree } from './legacy/decode.js';
export { extractLegacyPayload, locateLegacyPayload, emitYAML, LEGACY_TOP_KEYS } from './legacy/extract.js';
export { loadYAML, PlainScalar, toJSONValue } from './yaml.js';
export { crdIndex, checkSchema, schemaPath, type CRDIndexEntry } from './schema/registry.js';
export { parseGoDuration } from './rules/duration.js';
export { modelToJSON, redactConfig, PASSWORD_SET, type ModelJSON } from './json.js';
export type * from './legacy/types.js';
export type * from './crd/types.js';

/** ValidationMode is MetalLB's validator choice: the controller accepts both backends' fields. */
export type ValidationMode = 'controller' | 'native' | 'frr';

/** ParseOptions tune a parse. */
export interface ParseOptions {
  mode?: ValidationMode;
  /** namespace where metallb.io objects and the ConfigMap live (default metallb-system). */
  namespace?: string;
  /**
   * namespaces with labels. The model keeps serviceAllocation.namespaceSelectors unresolved (the
   * allocator matches them against live namespaces), so the parser does not need these today.
   */
  namespaces?: { name: string; labels: Record<string, string> }[];
  /**
   * nodes, for the checks that depend on which objects can meet on a node (FRR peer pairs, LOCAL_PREF
   * of ads with node selectors). Without nodes, selectors are apart only when their labels conflict.
   */
  nodes?: NodeView[];
  /**
   * secrets of the MetalLB namespace (name -> type and base64 data) for BGPPeer passwordSecret. When
   * given, a missing Secret is a transient error; when not, references stay unresolved (a warning).
   */
  secrets?: Record<string, { type?: string; data: Record<string, string> }>;
}

/** ConfigSource is one input file or stream: its name (for messages) and text. */
export interface ConfigSource {
  name: string;
  text: string;
}

function finish(collected: Collected, opts: ParseOptions, problems: Problems): ParseResult {
  const namespace = opts.namespace ?? DEFAULT_NAMESPACE;
  const parts: Part[] = [];
  if (collected.legacy.length > 1) {
    const where = collected.legacy.map((l) => l.source).join(', ');
    problems.error('config.legacy.multiple', { object: collected.legacy[1]!.source }, `only one legacy payload may be given, found ${collected.legacy.length} (${where})`);
  } else if (collected.legacy.length === 1) {
    parts.push(buildLegacy(collected.legacy[0]!.file, problems));
  }
  const fileSecrets = Object.keys(collected.secrets).length > 0;
  const secrets = opts.secrets || fileSecrets ? { ...(opts.secrets ?? {}), ...collected.secrets } : undefined;
  const nodes = opts.nodes || collected.nodes.length > 0 ? [...(opts.nodes ?? []), ...collected.nodes] : undefined;
  if (collected.crds.length > 0) parts.push(buildCRDs(collected.crds, { namespace, secrets, nodes }, problems));
  const config = parts.length === 0 ? emptyConfig() : assemble(parts, opts.mode ?? 'controller', nodes, problems);
  if (!secrets) {
    for (const p of config.peers) {
      if (p.passwordSecret) problems.warn('config.peer.secret-unresolved', { object: `BGPPeer ${JSON.stringify(p.name)}`, field: 'spec.passwordSecret' }, 'the password Secret was not given, so it was not checked');
    }
  }
  problems.failIfAny();
  return { config, warnings: problems.warnings };
}

/** DEFAULT_NAMESPACE is where MetalLB's objects and ConfigMap live unless told otherwise. */
export const DEFAULT_NAMESPACE = 'metallb-system';

/**
 * parseSources parses files that may mix formats (ConfigMap manifests, raw payloads, Helm values,
 * CRDs, multi-document YAML) into one validated model. Throws ConfigErrors listing every problem.
 */
export function parseSources(sources: ConfigSource[], opts: ParseOptions = {}): ParseResult {
  return guard(() => {
    const problems = new Problems();
    const collected = emptyCollected();
    for (const s of sources) collectText(s.text, s.name, opts.namespace ?? DEFAULT_NAMESPACE, collected, problems);
    return finish(collected, opts, problems);
  });
}

/** parseObjects parses already-decoded objects (as a cluster source hands them over). */
export function parseObjects(objects: unknown[], opts: ParseOptions = {}): ParseResult {
  return guard(() => {
    const problems = new Problems();
    const collected = emptyCollected();
    objects.forEach((o, i) => collectDocument(o, `object #${i + 1}`, opts.namespace ?? DEFAULT_NAMESPACE, collected, problems));
    return finish(collected, opts, problems);
  });
}

// Nothing but ConfigErrors may leave the parser: anything else is a bug, reported as one error so a
// daemon keeps its previous config instead of crashing.
function guard(run: () => ParseResult): ParseResult {
  try {
    return run();
  } catch (err) {
    if (err instanceof ConfigErrors) throw err;
    const text = err instanceof Error ? err.message : String(err);
    throw new ConfigErrors([new ConfigError('config.internal', `config: internal error while parsing: ${text}`)]);
  }
}

/**
 * onlyTransient tells whether every error of a failed parse may resolve by itself (a Secret, BFD
 * profile or Community not there yet): callers retry those instead of reporting the config invalid.
 */
export function onlyTransient(err: ConfigErrors): boolean {
  return err.errors.length > 0 && err.errors.every((e) => e.transient);
}
