// The parser of record: every input (legacy ConfigMap, raw payload, Helm values, metallb.io CRDs)
// reaches the model through these functions. The CLI, both daemons and the migration tool use them.
// (Interface fixed first so other modules can build against it; the config work fills it in.)
import type { ParseResult, NodeView } from '../model/index.js';

/** ValidationMode is MetalLB's validator choice: the controller accepts both backends' fields. */
export type ValidationMode = 'controller' | 'native' | 'frr';

/** ParseOptions tune a parse. */
export interface ParseOptions {
  mode?: ValidationMode;
  /** namespace where metallb.io objects and the ConfigMap live (default metallb-system). */
  namespace?: string;
  /** namespaces with labels, to resolve serviceAllocation.namespaceSelectors. */
  namespaces?: { name: string; labels: Record<string, string> }[];
  /** nodes, for mode checks that depend on which peers can meet on a node. */
  nodes?: NodeView[];
  /** secrets (name → data) for BGPPeer passwordSecret. */
  secrets?: Record<string, { type?: string; data: Record<string, string> }>;
}

/** ConfigSource is one input file or stream: its name (for messages) and text. */
export interface ConfigSource {
  name: string;
  text: string;
}

/**
 * parseSources parses files that may mix formats (ConfigMap manifests, raw payloads, Helm values,
 * CRDs, multi-document YAML) into one validated model. Throws ConfigErrors listing every problem.
 */
export function parseSources(sources: ConfigSource[], opts: ParseOptions = {}): ParseResult {
  void sources;
  void opts;
  throw new Error('config: parser not implemented yet');
}

/** parseObjects parses already-decoded objects (as a cluster source hands them over). */
export function parseObjects(objects: unknown[], opts: ParseOptions = {}): ParseResult {
  void objects;
  void opts;
  throw new Error('config: parser not implemented yet');
}
