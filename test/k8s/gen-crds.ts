// Writes manifests/crds/*.yaml from schemas/ through src/k8s/crd-manifests.ts.
//   npx tsx test/k8s/gen-crds.ts          write the files
//   npx tsx test/k8s/gen-crds.ts --check  exit 1 when the committed files differ (CI / drift test)
// The list of kinds and versions comes from schemas/crds.json (the config layer's index) when it
// exists; otherwise from the spec schema files, named `<kind>.<version>.schema.json`.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCrd, crdFileName, GENERATED_HEADER, renderCrdYaml, type CrdInput } from '../../src/k8s/crd-manifests.js';
import { STATUS_ONLY_KINDS } from '../../src/k8s/crd-meta.js';
import { KINDS, kindInfo } from '../../src/k8s/kinds.js';
import type { JsonSchema } from '../../src/k8s/openapi.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const schemasDir = path.join(root, 'schemas');
/** CRD_DIR is where the generated manifests live. */
export const CRD_DIR = path.join(root, 'manifests', 'crds');

interface IndexEntry {
  kind: string; group: string; plural: string; singular: string;
  versions: { name: string; served: boolean; storage: boolean; deprecated?: boolean; schema: string }[];
}

const load = (file: string): JsonSchema => JSON.parse(readFileSync(path.join(schemasDir, file), 'utf8')) as JsonSchema;

// Without crds.json: every `<kind>.<version>.schema.json`; the storage version is the one
// kinds.ts watches, the others are served but deprecated (BGPPeer v1beta1).
function indexFromFiles(): IndexEntry[] {
  const byKind = new Map<string, IndexEntry>();
  for (const file of readdirSync(path.join(schemasDir, 'crd')).sort()) {
    const m = /^([a-z0-9]+)\.(v[0-9a-z]+)\.schema\.json$/.exec(file);
    if (!m) continue;
    const info = Object.values(KINDS).find((k) => k.kind.toLowerCase() === m[1] && k.group === 'metallb.io');
    if (!info) throw new Error(`gen-crds: ${file}: no kind in src/k8s/kinds.ts matches "${m[1]}"`);
    const e = byKind.get(info.kind) ?? { kind: info.kind, group: info.group, plural: info.plural, singular: info.kind.toLowerCase(), versions: [] };
    const storage = m[2] === info.version;
    e.versions.push({ name: m[2] as string, served: true, storage, deprecated: !storage || info.kind === 'AddressPool' ? true : undefined, schema: `crd/${file}` });
    byKind.set(info.kind, e);
  }
  return [...byKind.values()];
}

/** crdInputs lists every CRD to generate: the schema-backed kinds plus the status-only ones. */
export function crdInputs(): CrdInput[] {
  const indexFile = path.join(schemasDir, 'crds.json');
  const index = existsSync(indexFile) ? (load('crds.json') as unknown as { kinds: IndexEntry[] }).kinds : indexFromFiles();
  const inputs: CrdInput[] = index.map((e) => ({
    kind: e.kind, group: e.group, plural: e.plural, singular: e.singular,
    versions: e.versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage, deprecated: v.deprecated, spec: load(v.schema) })),
  }));
  for (const s of STATUS_ONLY_KINDS) {
    const info = kindInfo(s.kind)!;
    inputs.push({ kind: s.kind, group: info.group, plural: s.plural, singular: s.singular, versions: [{ name: info.version, served: true, storage: true }] });
  }
  return inputs.sort((a, b) => a.plural.localeCompare(b.plural));
}

/** renderAll returns file name -> content for manifests/crds/. */
export function renderAll(): Map<string, string> {
  const files = new Map<string, string>();
  const names: string[] = [];
  for (const input of crdInputs()) {
    const { crd } = buildCrd(input);
    const file = crdFileName(input);
    files.set(file, renderCrdYaml(crd));
    names.push(file);
  }
  files.set('kustomization.yaml', `${GENERATED_HEADER}apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${names.map((n) => `  - ${n}\n`).join('')}`);
  return files;
}

/** diffAgainstDisk lists the generated files that are missing, stale or extra in manifests/crds. */
export function diffAgainstDisk(files = renderAll()): string[] {
  const problems: string[] = [];
  for (const [f, text] of files) {
    const p = path.join(CRD_DIR, f);
    if (!existsSync(p)) problems.push(`${f}: missing`);
    else if (readFileSync(p, 'utf8') !== text) problems.push(`${f}: differs from the generator`);
  }
  if (existsSync(CRD_DIR)) for (const f of readdirSync(CRD_DIR)) if (!files.has(f)) problems.push(`${f}: not generated (stale file)`);
  return problems;
}

function main(): void {
  const files = renderAll();
  if (process.argv.includes('--check')) {
    const problems = diffAgainstDisk(files);
    for (const p of problems) console.error(`manifests/crds/${p}`);
    if (problems.length) {
      console.error('run `npx tsx test/k8s/gen-crds.ts` to regenerate');
      process.exit(1);
    }
    console.log(`manifests/crds: ${files.size} files up to date`);
    return;
  }
  mkdirSync(CRD_DIR, { recursive: true });
  for (const f of readdirSync(CRD_DIR)) if (!files.has(f)) rmSync(path.join(CRD_DIR, f));
  for (const [f, text] of files) writeFileSync(path.join(CRD_DIR, f), text);
  console.log(`wrote ${files.size} files to manifests/crds`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
