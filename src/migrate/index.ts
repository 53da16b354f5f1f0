// runMigrate: the whole `lbctl migrate` decision without any I/O. The CLI reads the files, calls this,
// and writes what it returns; tests call it directly. It either returns complete output or throws,
// which is how "any error writes nothing" is kept.
import * as yaml from 'js-yaml';
import { ConfigError, type Config } from '../model/index.js';
import { migrateToCrds } from './convert.js';
import { headerLines, renderFiles, renderStream, type OutputFormat, type RenderedFile } from './render.js';
import { migrateToConfigMap } from './rollback.js';
import { serviceRefs, servicesReport, type ServiceFinding } from './services.js';
import { warn, type K8sObject, type MigrateWarning, type Rename } from './types.js';

export { errorLines } from './convert.js';
export type { ServiceFinding } from './services.js';
export type { MigrateWarning, K8sObject } from './types.js';
export type { RenderedFile, OutputFormat } from './render.js';

/** MigrateInput is one text with the name used for it in messages and the header. */
export interface MigrateInput {
  source: string;
  text: string;
}

/** MigrateRequest is everything the command line says. */
export interface MigrateRequest {
  input: MigrateInput;
  to: 'crds' | 'configmap';
  namespace?: string;
  output: OutputFormat;
  /** perFile: render one file per object (for --output-dir) instead of one stream. */
  perFile: boolean;
  passwordSecrets: boolean;
  services?: MigrateInput;
}

/** MigrateOutcome is a finished, proven conversion ready to be written. */
export interface MigrateOutcome {
  objects: K8sObject[];
  /** stream is the stdout text (when not perFile). */
  stream?: string;
  /** files are the --output-dir files (when perFile). */
  files?: RenderedFile[];
  /** warnings include one per service finding; `--check` fails when there is any. */
  warnings: MigrateWarning[];
  findings: ServiceFinding[];
  /** model is the proven configuration of the output (what the daemons will run). */
  model: Config;
}

function loadServices(input: MigrateInput): unknown[] {
  try {
    return yaml.loadAll(input.text, { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    throw new ConfigError('migrate.bad-services', `migrate: ${input.source}: could not parse YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, {
      object: input.source,
    });
  }
}

/** Converted is what either direction hands to the report and rendering steps. */
interface Converted {
  objects: K8sObject[];
  warnings: MigrateWarning[];
  model: Config;
  renames: Rename[];
}

function convert(req: MigrateRequest): Converted {
  if (req.to === 'crds') {
    const r = migrateToCrds(req.input.text, {
      source: req.input.source,
      ...(req.namespace === undefined ? {} : { namespace: req.namespace }),
      passwordSecrets: req.passwordSecrets,
    });
    return { objects: r.objects, warnings: r.warnings, model: r.model, renames: r.renames };
  }
  const r = migrateToConfigMap([{ name: req.input.source, text: req.input.text }], req.namespace === undefined ? {} : { namespace: req.namespace });
  return { objects: [r.configMap], warnings: r.warnings, model: r.model, renames: [] };
}

/** runMigrate converts, proves, reports on services and renders. Throws ConfigError(s) on failure. */
export function runMigrate(req: MigrateRequest): MigrateOutcome {
  const { objects, warnings, model, renames } = convert(req);
  let findings: ServiceFinding[] = [];
  if (req.services) {
    const refs = serviceRefs(loadServices(req.services), req.services.source);
    const poolRenames = new Map(renames.filter((r) => r.kind === 'IPAddressPool').map((r) => [r.from, r.to]));
    findings = servicesReport(refs, model.pools, poolRenames);
  }
  const all = [...warnings, ...findings.map((f) => warn(`migrate.service-${f.reason}`, f.message, f.service))];
  const header = headerLines(req.to, req.input.source, warnings);
  const out: MigrateOutcome = { objects, warnings: all, findings, model };
  if (req.perFile) out.files = renderFiles(objects, req.output, header);
  else out.stream = renderStream(objects, req.output, header);
  return out;
}

/** reportLines is what the command prints on stderr: each warning, then the fix for each finding. */
export function reportLines(outcome: Pick<MigrateOutcome, 'warnings' | 'findings'>): string[] {
  const lines = outcome.warnings.map((w) => `warning: ${w.message}`);
  for (const f of outcome.findings) if (f.patch) lines.push(`  fix: ${f.patch}`);
  return lines;
}
