// Converts lbctl's JSON Schemas (draft 2020-12, the shape truth in schemas/) into the structural
// OpenAPI v3 subset a CustomResourceDefinition accepts. Structural means: every node has a type,
// no $ref, no `additionalProperties: false`, no uniqueItems, and no types inside anyOf/oneOf/not.
// What cannot be carried over is reported, never silently lost: the caller decides whether a
// dropped keyword is covered by a CEL rule. Pure.

/** JsonSchema is a JSON Schema node as parsed JSON. */
export type JsonSchema = { [k: string]: unknown };

/** Dropped records one keyword the conversion could not keep, and why. */
export interface Dropped {
  path: string;
  keyword: string;
  why: string;
}

/** ConversionError is a schema that cannot become structural (e.g. a $ref outside the file). */
export class ConversionError extends Error {
  override readonly name = 'ConversionError';
  readonly code = 'k8s.crd-schema';
  constructor(readonly path: string, message: string) {
    super(`k8s: crd schema ${path || '/'}: ${message}`);
  }
}

// Keywords OpenAPI v3 / apiextensions accept as they are.
const KEEP = new Set(['type', 'description', 'default', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern',
  'minItems', 'maxItems', 'minProperties', 'maxProperties', 'multipleOf', 'nullable', 'title', 'example']);
// Keywords that only document or identify the schema.
const IGNORE = new Set(['$schema', '$id', '$defs', 'definitions', '$comment', 'examples', 'deprecated', 'readOnly', 'writeOnly']);
// Formats the API server validates; others (ranges, our own names) are left to lbctl's parser.
const K8S_FORMATS = new Set(['int32', 'int64', 'float', 'double', 'byte', 'date', 'date-time', 'duration', 'uuid']);

/** toStructural converts a schema; `dropped` lists every keyword that had to go. */
export function toStructural(root: JsonSchema): { schema: JsonSchema; dropped: Dropped[] } {
  const dropped: Dropped[] = [];
  const schema = convert(root, root, '', dropped, new Set());
  return { schema, dropped };
}

function resolveRef(root: JsonSchema, ref: string, path: string): JsonSchema {
  const m = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  const defs = m ? (root[m[1] as string] as Record<string, JsonSchema> | undefined) : undefined;
  const target = m && defs ? defs[decodeURIComponent(m[2] as string)] : undefined;
  if (!target) throw new ConversionError(path, `cannot resolve $ref "${ref}" (only local #/$defs/NAME references are supported)`);
  return target;
}

function convert(node: JsonSchema, root: JsonSchema, path: string, dropped: Dropped[], refs: Set<string>): JsonSchema {
  let src = node;
  if (typeof node.$ref === 'string') {
    if (refs.has(node.$ref)) throw new ConversionError(path, `recursive $ref "${node.$ref}" cannot be inlined`);
    const { $ref, ...siblings } = node;
    const target = convert(resolveRef(root, $ref as string, path), root, path, dropped, new Set([...refs, $ref as string]));
    src = { ...target, ...siblings };
  }
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(src)) {
    if (KEEP.has(k)) out[k] = structuredClone(v);
    else if (k.startsWith('x-kubernetes-')) out[k] = structuredClone(v);
    else if (!IGNORE.has(k) && !handled(k)) dropped.push({ path, keyword: k, why: 'not expressible in a structural schema' });
  }
  applyType(src, out, path);
  if (typeof src.format === 'string') {
    if (K8S_FORMATS.has(src.format)) out.format = src.format;
    else dropped.push({ path, keyword: 'format', why: `format "${src.format}" is checked by lbctl, not the API server` });
  }
  if ('const' in src) out.enum = [structuredClone(src.const)];
  if (typeof src.exclusiveMinimum === 'number') Object.assign(out, { minimum: src.exclusiveMinimum, exclusiveMinimum: true });
  if (typeof src.exclusiveMaximum === 'number') Object.assign(out, { maximum: src.exclusiveMaximum, exclusiveMaximum: true });
  convertChildren(src, out, root, path, dropped, refs);
  if (out.type === undefined && !out['x-kubernetes-int-or-string']) out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

function handled(k: string): boolean {
  return ['$ref', 'type', 'format', 'const', 'exclusiveMinimum', 'exclusiveMaximum', 'properties', 'required', 'items',
    'additionalProperties', 'uniqueItems'].includes(k);
}

// JSON Schema allows a list of types; OpenAPI has one type plus `nullable`.
function applyType(src: JsonSchema, out: JsonSchema, path: string): void {
  if (src.type === undefined) return;
  const types = (Array.isArray(src.type) ? src.type : [src.type]) as string[];
  const real = types.filter((t) => t !== 'null');
  if (real.length !== 1) throw new ConversionError(path, `type ${JSON.stringify(src.type)} is not structural (exactly one non-null type needed)`);
  out.type = real[0];
  if (real.length < types.length) out.nullable = true;
}

function convertChildren(src: JsonSchema, out: JsonSchema, root: JsonSchema, path: string, dropped: Dropped[], refs: Set<string>): void {
  if (src.properties && typeof src.properties === 'object') {
    const props: Record<string, JsonSchema> = {};
    for (const [name, child] of Object.entries(src.properties as Record<string, JsonSchema>)) {
      props[name] = convert(child, root, `${path}/${name}`, dropped, refs);
    }
    out.properties = props;
    if (Array.isArray(src.required) && src.required.length) out.required = [...(src.required as string[])];
  }
  if (src.items && typeof src.items === 'object' && !Array.isArray(src.items)) {
    out.items = convert(src.items as JsonSchema, root, `${path}[]`, dropped, refs);
    // A set of scalars is how Kubernetes spells uniqueItems (uniqueItems itself is forbidden).
    if (src.uniqueItems === true) {
      const itemType = (out.items as JsonSchema).type;
      if (itemType === 'string' || itemType === 'integer' || itemType === 'number') out['x-kubernetes-list-type'] = 'set';
      else dropped.push({ path, keyword: 'uniqueItems', why: 'only lists of scalars can be sets' });
    }
  }
  const ap = src.additionalProperties;
  if (ap && typeof ap === 'object') {
    if (out.properties) dropped.push({ path, keyword: 'additionalProperties', why: 'cannot be combined with properties' });
    else out.additionalProperties = convert(ap as JsonSchema, root, `${path}{}`, dropped, refs);
  } else if (ap === true && !out.properties) {
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  // `additionalProperties: false` is the API server's default (pruning), so it needs no keyword.
}
