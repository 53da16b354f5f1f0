// Where a legacy payload hides in what users hand us: a whole ConfigMap manifest (`data.config`), the
// raw payload itself, or a Helm values file (`configInline`, a map or a string).
import { PlainScalar } from '../yaml.js';

/** LEGACY_TOP_KEYS are the keys a legacy payload may have at its top level. */
export const LEGACY_TOP_KEYS: readonly string[] = ['peers', 'bgp-communities', 'address-pools', 'bfd-profiles', 'communities'];

/** PayloadKind says where a payload came from. */
export type PayloadKind = 'configmap' | 'raw' | 'helm';

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof PlainScalar);
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return v instanceof PlainScalar ? v.text : undefined;
}

/** isRawPayload tells whether a document looks like a bare legacy payload (only legacy top keys). */
export function isRawPayload(doc: unknown): doc is Record<string, unknown> {
  if (!isMap(doc)) return false;
  const keys = Object.keys(doc);
  return keys.length > 0 && keys.every((k) => LEGACY_TOP_KEYS.includes(k));
}

/** isConfigMap tells whether a document is a v1 ConfigMap manifest. */
export function isConfigMap(doc: unknown): doc is Record<string, unknown> {
  return isMap(doc) && text(doc['kind']) === 'ConfigMap' && text(doc['apiVersion']) === 'v1';
}

/** isHelmValues tells whether a document is a Helm values file with a `configInline` key. */
export function isHelmValues(doc: unknown): doc is Record<string, unknown> {
  return isMap(doc) && doc['apiVersion'] === undefined && Object.prototype.hasOwnProperty.call(doc, 'configInline');
}

/**
 * locateLegacyPayload finds the payload in a loaded document: its kind, and either its text
 * (ConfigMap data, string configInline) or its already loaded tree (raw payload, map configInline).
 */
export function locateLegacyPayload(doc: unknown): { kind: PayloadKind; text?: string; tree?: unknown } | undefined {
  if (isConfigMap(doc)) {
    const data = doc['data'];
    const payload = isMap(data) ? text(data['config']) : undefined;
    return payload === undefined ? undefined : { kind: 'configmap', text: payload };
  }
  if (isHelmValues(doc)) {
    const inline = doc['configInline'];
    const t = text(inline);
    if (t !== undefined) return { kind: 'helm', text: t };
    return { kind: 'helm', tree: inline ?? {} };
  }
  if (isRawPayload(doc)) return { kind: 'raw', tree: doc };
  return undefined;
}

/**
 * extractLegacyPayload returns the legacy payload text carried by a document (a ConfigMap manifest,
 * a raw payload, or Helm values with configInline), or undefined when the document carries none.
 * Trees are re-emitted as YAML that keeps unquoted scalars unquoted, so decoding the text again gives
 * the same answers (`auto-assign: no` stays a boolean, `password: "0123"` stays a string).
 */
export function extractLegacyPayload(doc: unknown): string | undefined {
  const found = locateLegacyPayload(doc);
  if (!found) return undefined;
  return found.text ?? emitYAML(found.tree);
}

/** emitYAML prints a loaded tree as block YAML; plain scalars verbatim, strings double-quoted. */
export function emitYAML(tree: unknown): string {
  const lines: string[] = [];
  emit(tree, 0, lines, new Set());
  return `${lines.join('\n')}\n`;
}

function scalar(v: unknown): string | undefined {
  if (v instanceof PlainScalar) return v.text === '' ? 'null' : v.text;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.length === 0) return '[]';
  if (isMap(v) && Object.keys(v).length === 0) return '{}';
  return undefined;
}

function emit(v: unknown, indent: number, lines: string[], stack: Set<object>): void {
  const pad = ' '.repeat(indent);
  const s = scalar(v);
  if (s !== undefined) {
    lines.push(`${pad}${s}`);
    return;
  }
  const obj = v as object;
  if (stack.has(obj)) throw new RangeError('emitYAML: alias cycle');
  stack.add(obj);
  const entries: [string | undefined, unknown][] = Array.isArray(v) ? v.map((x) => [undefined, x]) : Object.entries(v as object);
  for (const [k, val] of entries) {
    const head = k === undefined ? `${pad}- ` : `${pad}${JSON.stringify(k)}:`;
    const inline = scalar(val);
    if (inline !== undefined) lines.push(k === undefined ? `${head}${inline}` : `${head} ${inline}`);
    else {
      lines.push(k === undefined ? `${pad}-` : head);
      emit(val, indent + 2, lines, stack);
    }
  }
  stack.delete(obj);
}
