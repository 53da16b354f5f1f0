// Decoding manifest files into objects: multi-document YAML or JSON, `List` kinds expanded,
// namespaces defaulted as `kubectl apply` would. Pure.
import * as yaml from 'js-yaml';
import type { KubeObject } from '../types.js';
import { CLUSTER_SCOPED } from '../objects.js';
import { StateError } from '../errors.js';

/** decodeManifests parses one file's text; throws StateError `state.bad-manifest` naming the file. */
export function decodeManifests(file: string, text: string, defaultNamespace = 'default'): KubeObject[] {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text);
  } catch (err) {
    throw new StateError('state.bad-manifest', `state: ${file}: ${(err as Error).message.split('\n')[0]}`, { object: file, cause: err });
  }
  const out: KubeObject[] = [];
  docs.forEach((doc, i) => expand(doc, `${file}[${i}]`, out));
  for (const o of out) {
    if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace ||= defaultNamespace;
    else delete o.metadata.namespace;
  }
  return out;
}

function expand(doc: unknown, where: string, out: KubeObject[]): void {
  if (doc === null || doc === undefined) return;
  if (!isObject(doc)) throw new StateError('state.bad-manifest', `state: ${where}: document is not a mapping`, { object: where });
  const kind = doc['kind'];
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(doc['items'])) {
    (doc['items'] as unknown[]).forEach((item, i) => expand(item, `${where}.items[${i}]`, out));
    return;
  }
  const meta = doc['metadata'];
  if (typeof kind !== 'string' || kind === '') throw new StateError('state.bad-manifest', `state: ${where}: missing kind`, { object: where });
  if (!isObject(meta) || typeof meta['name'] !== 'string' || meta['name'] === '') {
    throw new StateError('state.bad-manifest', `state: ${where}: ${kind} without metadata.name`, { object: where });
  }
  out.push({ ...doc, apiVersion: String(doc['apiVersion'] ?? ''), kind, metadata: { ...meta, name: meta['name'] } } as KubeObject);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** encodeObject renders one object as YAML for a daemon-written file. */
export function encodeObject(obj: unknown): string {
  return yaml.dump(obj, { noRefs: true, sortKeys: false, lineWidth: -1 } as yaml.DumpOptions);
}
