// Sorting what the user handed over into what it is: a legacy payload (ConfigMap, raw, Helm values),
// metallb.io objects, and the cluster objects some rules need (Namespaces, Secrets, Nodes). Anything
// else in a manifest stream is ignored with a warning, so whole deployment files can be validated.
import type { NodeView } from '../model/cluster.js';
import type { ConfigError } from '../model/errors.js';
import { ConfigErrors } from '../model/errors.js';
import { PlainScalar, loadYAML, toJSONValue } from './yaml.js';
import { locateLegacyPayload } from './legacy/extract.js';
import { decodeLegacyTree } from './legacy/decode.js';
import type { LegacyConfigFile } from './legacy/types.js';
import { decodeCRD, isMetalLBObject } from './crd/decode.js';
import type { CRDObject } from './crd/types.js';
import type { SecretView } from './crd/peer.js';
import { quote, type Problems } from './rules/problems.js';
import { setOwn } from './rules/util.js';

/** Collected is everything found in the inputs, ready for the builders. */
export interface Collected {
  legacy: { file: LegacyConfigFile; source: string }[];
  crds: CRDObject[];
  namespaces: { name: string; labels: Record<string, string> }[];
  secrets: Record<string, SecretView>;
  nodes: NodeView[];
}

/** emptyCollected starts a collection. */
export function emptyCollected(): Collected {
  return { legacy: [], crds: [], namespaces: [], secrets: {}, nodes: [] };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PlainScalar);
}

function adoptErrors(err: unknown, problems: Problems): void {
  if (err instanceof ConfigErrors) problems.adopt(err.errors as ConfigError[]);
  else throw err;
}

function addLegacy(found: { text?: string; tree?: unknown }, source: string, out: Collected, problems: Problems): void {
  let tree = found.tree;
  if (found.text !== undefined) {
    const docs = loadYAML(found.text, source);
    if (docs.length > 1) return problems.error('config.decode', { object: source }, `the legacy payload holds ${docs.length} YAML documents, expected one`);
    tree = docs[0] ?? {};
  }
  const { file, errors } = decodeLegacyTree(tree, source);
  if (errors.length > 0) return problems.adopt(errors);
  out.legacy.push({ file, source });
}

function labelsOf(meta: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(meta['labels'])) for (const [k, v] of Object.entries(meta['labels'])) if (typeof v === 'string') setOwn(out, k, v);
  return out;
}

function addClusterObject(doc: Record<string, unknown>, source: string, namespace: string, out: Collected, problems: Problems): void {
  const meta = isMap(doc['metadata']) ? doc['metadata'] : {};
  const name = typeof meta['name'] === 'string' ? meta['name'] : '';
  const kind = String(doc['kind'] ?? '');
  if (doc['apiVersion'] === 'v1' && kind === 'Namespace') out.namespaces.push({ name, labels: labelsOf(meta) });
  else if (doc['apiVersion'] === 'v1' && kind === 'Node') out.nodes.push({ name, labels: labelsOf(meta), networkUnavailable: false });
  else if (doc['apiVersion'] === 'v1' && kind === 'Secret' && (meta['namespace'] ?? namespace) === namespace) {
    const data: Record<string, string> = {};
    if (isMap(doc['data'])) for (const [k, v] of Object.entries(doc['data'])) if (typeof v === 'string') setOwn(data, k, v);
    if (isMap(doc['stringData'])) for (const [k, v] of Object.entries(doc['stringData'])) if (typeof v === 'string') setOwn(data, k, Buffer.from(v).toString('base64'));
    setOwn(out.secrets, name, { type: typeof doc['type'] === 'string' ? doc['type'] : undefined, data });
  } else problems.warn('config.ignored', { object: `${kind || 'document'} ${quote(name)} in ${source}` }, 'not a MetalLB configuration object; ignored');
}

/**
 * collectDocument sorts one loaded document (plain scalars possibly unresolved) into `out`.
 * A document without apiVersion and kind is a legacy payload (raw, or Helm values with configInline).
 */
export function collectDocument(doc: unknown, source: string, namespace: string, out: Collected, problems: Problems, depth = 0): void {
  try {
    const found = locateLegacyPayload(doc);
    const label = isMap(doc) && isMap(doc['metadata']) ? `${source}: ConfigMap ${quote(String(doc['metadata']['name'] ?? ''))}` : source;
    if (found) return addLegacy(found, found.kind === 'configmap' ? label : source, out, problems);
    if (isMap(doc) && doc['apiVersion'] === undefined && doc['kind'] === undefined) return addLegacy({ tree: doc }, source, out, problems);
    const json = toJSONValue(doc, source);
    if (!isMap(json)) return problems.error('config.document', { object: source }, 'a document must be a mapping (a Kubernetes object or a legacy payload)');
    if (typeof json['kind'] === 'string' && json['kind'].endsWith('List') && Array.isArray(json['items']) && depth < 2) {
      for (const item of json['items']) collectDocument(item, source, namespace, out, problems, depth + 1);
      return;
    }
    if (isMetalLBObject(json)) {
      const obj = decodeCRD(json, source, namespace, problems);
      if (obj) out.crds.push(obj);
      return;
    }
    if (json['kind'] === 'ConfigMap') return problems.warn('config.ignored', { object: label }, 'ConfigMap has no "config" key; ignored');
    addClusterObject(json, source, namespace, out, problems);
  } catch (err) {
    adoptErrors(err, problems);
  }
}

/** collectText loads every YAML document of one source and sorts each. */
export function collectText(text: string, source: string, namespace: string, out: Collected, problems: Problems): void {
  let docs: unknown[];
  try {
    docs = loadYAML(text, source);
  } catch (err) {
    return adoptErrors(err, problems);
  }
  docs.forEach((d, i) => collectDocument(d, docs.length > 1 ? `${source}#${i + 1}` : source, namespace, out, problems));
}
