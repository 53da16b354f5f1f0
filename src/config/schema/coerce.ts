// Schema-driven strict decoding of a loaded YAML tree, the way yaml.v2's UnmarshalStrict fills Go
// structs: the JSON Schema says which type each field has, and plain scalars are resolved against it
// (YAML 1.1 booleans into bool fields, source text verbatim into string fields). Unknown keys, quoted
// values in bool/int fields, and maps where scalars belong are errors. Ranges and enums are left to
// ajv, which runs on the result with the same schema.
import { ConfigError } from '../../model/errors.js';
import { PlainScalar, isNullish, plainBool, plainInt } from '../yaml.js';
import { setOwn } from '../rules/util.js';

/** JSONSchema is the subset of JSON Schema keywords the coercer follows. */
export interface JSONSchema {
  $ref?: string;
  type?: string;
  anyOf?: JSONSchema[];
  properties?: Record<string, JSONSchema>;
  additionalProperties?: boolean | JSONSchema;
  items?: JSONSchema;
  $defs?: Record<string, JSONSchema>;
  [k: string]: unknown;
}

/** CoerceContext carries the root schema (for $ref) and where errors go. */
export interface CoerceContext {
  root: JSONSchema;
  /** prefix starts every message, e.g. `config: config.yaml`. */
  prefix: string;
  object: string;
  errors: ConfigError[];
}

function deref(ctx: CoerceContext, s: JSONSchema): JSONSchema {
  let cur = s;
  for (let hops = 0; cur.$ref !== undefined && hops < 16; hops++) {
    const name = cur.$ref.replace(/^#\/\$defs\//, '');
    cur = ctx.root.$defs?.[name] ?? {};
  }
  return cur;
}

/** describe names a loaded value for a message without dumping big structures. */
export function describe(v: unknown): string {
  if (v instanceof PlainScalar) return JSON.stringify(v.text);
  if (typeof v === 'string') return `quoted string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v)}`;
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a mapping';
  return String(v);
}

/** joinPath appends a key to a dotted field path. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function fail(ctx: CoerceContext, path: string, what: string): undefined {
  const field = path === '' ? undefined : path;
  const where = field === undefined ? '' : `${field}: `;
  ctx.errors.push(new ConfigError('config.decode', `${ctx.prefix}: ${where}${what}`, { object: ctx.object, field }));
  return undefined;
}

/**
 * coerce decodes `value` as `schema` says, returning typed data, or undefined (with an error pushed)
 * when it cannot. Absent and null values return undefined without an error (the field is unset).
 */
export function coerce(ctx: CoerceContext, schema: JSONSchema, value: unknown, path: string): unknown {
  const s = deref(ctx, schema);
  if (isNullish(value)) return undefined;
  // An anyOf with a boolean branch is a boolean to the decoder: the schema also admits the YAML 1.1
  // spellings as strings for YAML 1.2 tools, and the decoder resolves those before ajv sees them.
  const type = s.anyOf?.some((b) => b.type === 'boolean') ? 'boolean' : s.type;
  switch (type) {
    case 'object':
      return coerceObject(ctx, s, value, path);
    case 'array':
      return coerceArray(ctx, s, value, path);
    case 'string':
      if (typeof value === 'string') return value;
      if (value instanceof PlainScalar) return value.text;
      return fail(ctx, path, `expected a string, got ${describe(value)}`);
    case 'boolean': {
      // Native booleans and numbers arrive when objects (not text) are parsed.
      const b = value instanceof PlainScalar ? plainBool(value) : typeof value === 'boolean' ? value : undefined;
      return b ?? fail(ctx, path, `cannot decode ${describe(value)} as a boolean`);
    }
    case 'integer': {
      const n = value instanceof PlainScalar ? plainInt(value) : Number.isSafeInteger(value) ? (value as number) : undefined;
      return n ?? fail(ctx, path, `cannot decode ${describe(value)} as an integer`);
    }
    default:
      return value;
  }
}

function coerceObject(ctx: CoerceContext, s: JSONSchema, value: unknown, path: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof PlainScalar) {
    return fail(ctx, path, `expected a mapping, got ${describe(value)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const prop = s.properties?.[key];
    const sub = prop ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (!sub) {
      fail(ctx, joinPath(path, key), `unknown field ${JSON.stringify(key)}`);
      continue;
    }
    const got = coerce(ctx, sub, v, joinPath(path, key));
    // A map value that is null (`foo:` in match-labels) decodes to "" like yaml.v2 does.
    const filled = got === undefined && !prop && isNullish(v) && deref(ctx, sub).type === 'string' ? '' : got;
    if (filled !== undefined) setOwn(out, key, filled);
  }
  return out;
}

function coerceArray(ctx: CoerceContext, s: JSONSchema, value: unknown, path: string): unknown {
  if (!Array.isArray(value)) return fail(ctx, path, `expected a list, got ${describe(value)}`);
  const item = s.items ? deref(ctx, s.items) : {};
  const out: unknown[] = [];
  value.forEach((v, i) => {
    // yaml.v2 decodes a null list item into the element's zero value: `{}` for structs, "" for strings.
    if (isNullish(v)) {
      if (item.type === 'object') out.push({});
      else if (item.type === 'string') out.push('');
      else fail(ctx, joinPath(path, i), 'null is not allowed here');
      return;
    }
    const got = coerce(ctx, item, v, joinPath(path, i));
    if (got !== undefined) out.push(got);
  });
  return out;
}
