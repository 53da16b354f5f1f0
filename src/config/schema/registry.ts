// The JSON Schemas in schemas/ are the single source of shape truth. This module loads them once,
// compiles them with ajv (draft 2020-12, strict) and turns ajv's findings into ConfigErrors that
// name the object, the field and the value.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { ConfigError } from '../../model/errors.js';
import type { JSONSchema } from './coerce.js';

// src/config/schema and dist/config/schema are both three levels below the package root.
const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schemas');

/** CRDVersionEntry is one served version of a kind in schemas/crds.json. */
export interface CRDVersionEntry {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  /** schema is the spec schema file, relative to schemas/. */
  schema: string;
}

/** CRDIndexEntry names one kind: its group, plural and versions. */
export interface CRDIndexEntry {
  kind: string;
  group: string;
  plural: string;
  singular: string;
  scope: 'Namespaced';
  versions: CRDVersionEntry[];
}

let ajv: InstanceType<typeof Ajv2020> | undefined;
const compiled = new Map<string, ValidateFunction>();
const raw = new Map<string, JSONSchema>();

/** schemaPath returns the absolute path of a schema file (for docs and tools). */
export function schemaPath(file: string): string {
  return path.join(schemaDir, file);
}

/** loadSchema reads one schema file from schemas/ (cached). */
export function loadSchema(file: string): JSONSchema {
  let s = raw.get(file);
  if (!s) {
    s = JSON.parse(readFileSync(schemaPath(file), 'utf8')) as JSONSchema;
    raw.set(file, s);
  }
  return s;
}

/** crdIndex reads schemas/crds.json: every kind and version lbctl understands. */
export function crdIndex(): CRDIndexEntry[] {
  return (loadSchema('crds.json') as unknown as { kinds: CRDIndexEntry[] }).kinds;
}

/** validator returns the compiled ajv validator of one schema file. */
export function validator(file: string): ValidateFunction {
  let v = compiled.get(file);
  if (!v) {
    ajv ??= new Ajv2020({ allErrors: true, strict: true });
    v = ajv.compile(loadSchema(file));
    compiled.set(file, v);
  }
  return v;
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** pointerToPath turns `/peers/0/my-asn` into `peers[0].my-asn`. */
export function pointerToPath(pointer: string, base = ''): string {
  let out = base;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out = /^[0-9]+$/.test(key) ? `${out}[${key}]` : out === '' ? key : `${out}.${key}`;
  }
  return out;
}

function describeValue(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

function messageOf(e: ErrorObject, data: unknown, base: string): { field: string; text: string } {
  if (e.keyword === 'additionalProperties') {
    const extra = String((e.params as { additionalProperty: string }).additionalProperty);
    return { field: pointerToPath(`${e.instancePath}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`, base), text: `unknown field ${JSON.stringify(extra)}` };
  }
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    return { field: pointerToPath(`${e.instancePath}/${missing}`, base), text: 'required field is missing' };
  }
  const value = valueAt(data, e.instancePath);
  const allowed = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(', ')})` : '';
  return { field: pointerToPath(e.instancePath, base), text: `value ${describeValue(value)} ${e.message ?? 'is invalid'}${allowed}` };
}

/**
 * checkSchema validates data against a schema file and returns ConfigErrors (empty when valid).
 * `prefix` starts each message; `base` prefixes field paths (e.g. `spec`).
 */
export function checkSchema(file: string, data: unknown, opts: { prefix: string; object: string; base?: string }): ConfigError[] {
  const v = validator(file);
  if (v(data)) return [];
  const seen = new Set<string>();
  const out: ConfigError[] = [];
  for (const e of v.errors ?? []) {
    // $ref-ed definitions report the same fault once per path; keep the first of each.
    const { field, text } = messageOf(e, data, opts.base ?? '');
    const msg = `${opts.prefix}: ${field === '' ? '' : `${field}: `}${text}`;
    if (seen.has(msg)) continue;
    seen.add(msg);
    out.push(new ConfigError('config.schema', msg, { object: opts.object, field: field || undefined }));
  }
  return out;
}
