// Generates lbctl's CustomResourceDefinitions from the JSON Schemas in schemas/ (the shape truth):
// spec schemas converted to structural OpenAPI v3 (defaults kept), status schemas and printer
// columns from crd-meta.ts, and CEL rules from crd-rules.ts placed where they apply. Pure: the
// runner (test/k8s/gen-crds.ts) reads the files and writes manifests/crds/; a unit test fails when
// the committed manifests drift from this output.
import * as yaml from 'js-yaml';
import { CEL_RULES, SCHEMA_BOUNDS, type CelRule, type SchemaBound } from './crd-rules.js';
import { PRESENTATION } from './crd-meta.js';
import { ConversionError, toStructural, type Dropped, type JsonSchema } from './openapi.js';

/** CrdVersionInput is one served version: its spec JSON Schema (absent for status-only kinds). */
export interface CrdVersionInput {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  spec?: JsonSchema;
}

/** CrdInput is one kind to generate. */
export interface CrdInput {
  kind: string;
  group: string;
  plural: string;
  singular: string;
  versions: CrdVersionInput[];
}

/** GeneratedCrd is the CRD object plus what the conversion could not keep. */
export interface GeneratedCrd {
  name: string;
  crd: Record<string, unknown>;
  dropped: Dropped[];
}

/** buildCrd turns one kind into a CustomResourceDefinition (apiextensions.k8s.io/v1). */
export function buildCrd(input: CrdInput): GeneratedCrd {
  const present = PRESENTATION[input.kind];
  if (!present) throw new ConversionError(input.kind, `no presentation entry for kind ${input.kind} in crd-meta.ts`);
  const storage = input.versions.find((v) => v.storage);
  if (!storage || input.versions.filter((v) => v.storage).length !== 1) throw new ConversionError(input.kind, 'exactly one storage version is required');
  const dropped: Dropped[] = [];
  const versions = input.versions.map((v) => {
    const schema = objectSchema(input.kind, v, dropped);
    const key = `${input.kind}/${v.name}`;
    for (const bound of SCHEMA_BOUNDS[key] ?? []) Object.assign(nodeAt(schema, bound, key), bound.extra);
    for (const rule of CEL_RULES[key] ?? []) placeRule(schema, rule, key);
    const out: Record<string, unknown> = { name: v.name, served: v.served, storage: v.storage };
    if (v.deprecated) {
      out.deprecated = true;
      out.deprecationWarning = `${input.group}/${v.name} ${input.kind} is deprecated; use ${input.group}/${storage.name}`;
    }
    out.schema = { openAPIV3Schema: schema };
    if (present.status) out.subresources = { status: {} };
    out.additionalPrinterColumns = present.columns.map((c) => ({ ...c }));
    return out;
  });
  const name = `${input.plural}.${input.group}`;
  const spec: Record<string, unknown> = {
    group: input.group,
    names: { kind: input.kind, listKind: `${input.kind}List`, plural: input.plural, singular: input.singular },
    scope: 'Namespaced',
    versions,
  };
  // Versions differ only by fields the newer one adds, so the API server may relabel objects
  // between them (strategy None) and no conversion webhook has to run.
  if (versions.length > 1) spec.conversion = { strategy: 'None' };
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name, labels: { 'app.kubernetes.io/name': 'lbctl', 'app.kubernetes.io/component': 'crd' } },
    spec,
  };
  return { name, crd, dropped };
}

function objectSchema(kind: string, v: CrdVersionInput, dropped: Dropped[]): JsonSchema {
  const present = PRESENTATION[kind]!;
  const properties: Record<string, JsonSchema> = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };
  if (v.spec) {
    const conv = toStructural(v.spec);
    dropped.push(...conv.dropped.map((d) => ({ ...d, path: `${kind}/${v.name}: spec${d.path}` })));
    properties.spec = { ...conv.schema };
    delete properties.spec.title;
  } else {
    properties.spec = { type: 'object' };
  }
  if (present.status) properties.status = toStructural(present.status).schema;
  const schema: JsonSchema = { type: 'object', description: `${kind} (metallb.io, served by lbctl).`, properties };
  if (v.spec && present.specRequired) schema.required = ['spec'];
  return schema;
}

// Walks `spec.communities[].value` to the schema node it names.
function nodeAt(root: JsonSchema, at: Pick<SchemaBound, 'path'>, where: string): JsonSchema {
  let node: JsonSchema | undefined = root;
  for (const seg of at.path.split('.')) {
    const name = seg.replace(/\[\]$/, '');
    node = (node?.properties as Record<string, JsonSchema> | undefined)?.[name];
    if (node && seg.endsWith('[]')) node = node.items as JsonSchema | undefined;
    if (!node) throw new ConversionError(where, `CEL rule path "${at.path}" does not exist in the schema`);
  }
  return node;
}

// Appends a rule (and the bounds it needs) to the node it names.
function placeRule(root: JsonSchema, rule: CelRule, where: string): void {
  const node = nodeAt(root, rule, where);
  Object.assign(node, rule.extra ?? {});
  const list = (node['x-kubernetes-validations'] as unknown[] | undefined) ?? [];
  list.push({ rule: rule.rule, message: rule.message });
  node['x-kubernetes-validations'] = list;
}

/** crdFileName is the manifest file of a CRD: `<group>_<plural>.yaml`, as controller-gen names them. */
export function crdFileName(input: Pick<CrdInput, 'group' | 'plural'>): string {
  return `${input.group}_${input.plural}.yaml`;
}

/** GENERATED_HEADER starts every generated file (the drift test compares whole files). */
export const GENERATED_HEADER = '# Generated by `npx tsx test/k8s/gen-crds.ts` from schemas/ (src/k8s/crd-manifests.ts). Do not edit.\n';

/** renderCrdYaml renders a CRD as a YAML document with the generated header. */
export function renderCrdYaml(crd: Record<string, unknown>): string {
  return GENERATED_HEADER + yaml.dump(crd, { lineWidth: -1, noRefs: true, sortKeys: false });
}
