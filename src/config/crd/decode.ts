// metallb.io objects: recognise kind and version through schemas/crds.json, check metadata, and check
// the spec against that version's schema. The result is a typed CRDObject ready for build.ts.
import { crdIndex, checkSchema } from '../schema/registry.js';
import type { CRDKind, CRDObject } from './types.js';
import { quote, type Problems } from '../rules/problems.js';

/** METALLB_GROUP is the API group of every kind lbctl reads. */
export const METALLB_GROUP = 'metallb.io';

/** STATUS_KINDS are metallb.io kinds that carry only status; they hold no configuration. */
export const STATUS_KINDS: readonly string[] = ['ServiceL2Status', 'ServiceBGPStatus', 'ConfigurationState'];

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** isMetalLBObject tells whether a document's apiVersion is in the metallb.io group. */
export function isMetalLBObject(doc: unknown): doc is Record<string, unknown> {
  return isMap(doc) && typeof doc['apiVersion'] === 'string' && doc['apiVersion'].startsWith(`${METALLB_GROUP}/`);
}

/**
 * decodeCRD checks one metallb.io document and returns it typed, or undefined after recording why.
 * Objects outside `namespace` are refused: MetalLB only reads its own namespace, so they would be
 * silently ignored by a running cluster, which is never what the author meant.
 */
export function decodeCRD(doc: Record<string, unknown>, source: string, namespace: string, problems: Problems): CRDObject | undefined {
  const apiVersion = doc['apiVersion'] as string;
  const version = apiVersion.slice(METALLB_GROUP.length + 1);
  const kind = typeof doc['kind'] === 'string' ? doc['kind'] : '';
  const meta = isMap(doc['metadata']) ? doc['metadata'] : {};
  const name = typeof meta['name'] === 'string' ? meta['name'] : '';
  const object = name ? `${kind || 'object'} ${quote(name)}` : `${kind || 'object'} in ${source}`;
  if (STATUS_KINDS.includes(kind)) {
    problems.warn('config.ignored', { object }, `${kind} holds status only and is ignored`);
    return undefined;
  }
  const entry = crdIndex().find((k) => k.kind === kind);
  if (!entry) {
    problems.error('config.kind', { object, field: 'kind' }, `unknown ${METALLB_GROUP} kind ${quote(kind)}`);
    return undefined;
  }
  const ver = entry.versions.find((v) => v.name === version && v.served);
  if (!ver) {
    const known = entry.versions.map((v) => `${METALLB_GROUP}/${v.name}`).join(', ');
    problems.error('config.apiversion', { object, field: 'apiVersion' }, `${kind} is not served as ${quote(apiVersion)} (known: ${known})`);
    return undefined;
  }
  const before = problems.errors.length;
  if (!name) problems.error('config.metadata', { object, field: 'metadata.name' }, 'missing object name');
  else if (name.length > 253 || !subdomain.test(name)) problems.error('config.metadata', { object, field: 'metadata.name' }, `invalid object name ${quote(name)}: must be a lowercase DNS subdomain`);
  const ns = meta['namespace'];
  if (ns !== undefined && ns !== namespace) {
    problems.error('config.namespace', { object, field: 'metadata.namespace' }, `resource must be created in the ${quote(namespace)} namespace, not ${quote(ns)}`);
  }
  const labels = meta['labels'];
  if (labels !== undefined && !(isMap(labels) && Object.values(labels).every((v) => typeof v === 'string'))) {
    problems.error('config.metadata', { object, field: 'metadata.labels' }, 'labels must map strings to strings');
  }
  if (ver.deprecated) problems.warn('config.deprecated.apiversion', { object, field: 'apiVersion' }, `${apiVersion} ${kind} is deprecated upstream`);
  const spec = doc['spec'] ?? {};
  problems.adopt(checkSchema(ver.schema, spec, { prefix: `config: ${object}`, object, base: 'spec' }));
  if (problems.errors.length > before) return undefined;
  return {
    apiVersion,
    kind: kind as CRDKind,
    metadata: { name, namespace, labels: { ...((labels as Record<string, string> | undefined) ?? {}) } },
    spec: spec as CRDObject['spec'],
  };
}
