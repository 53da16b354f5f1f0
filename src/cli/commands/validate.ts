// `lbctl validate FILE... [--mode controller|native|frr] [--output text|json]`: parse every input with
// the parser of record and report. Exit 0 valid, 1 invalid, 2 usage error.
import { Command, Flags } from '@oclif/core';
import { modelToJSON, parseSources, type ModelJSON, type ValidationMode } from '../../config/index.js';
import { ConfigErrors, type ConfigWarning } from '../../model/index.js';
import { EXIT, UsageError, printJSON, printLines, readInputs, stderrWriter, stdoutWriter, type ExitCode, type InputFile, type Writer } from '../io.js';

/** ValidateErrorJSON is one error in the JSON report. */
export interface ValidateErrorJSON {
  code: string;
  message: string;
  object: string | null;
  field: string | null;
  transient: boolean;
}

/** ValidateReport is what `--output json` prints. */
export type ValidateReport =
  | { valid: true; config: ModelJSON; warnings: ConfigWarning[] }
  | { valid: false; errors: ValidateErrorJSON[]; warnings: ConfigWarning[] };

/** ValidateOptions are the flags that change the verdict. */
export interface ValidateOptions {
  mode: ValidationMode;
  namespace?: string;
}

/** validateFiles parses the inputs and returns the report and its exit code (no printing). */
export function validateFiles(files: InputFile[], opts: ValidateOptions): { report: ValidateReport; exitCode: ExitCode } {
  try {
    const { config, warnings } = parseSources(files, { mode: opts.mode, namespace: opts.namespace });
    return { report: { valid: true, config: modelToJSON(config), warnings }, exitCode: EXIT.ok };
  } catch (err) {
    if (!(err instanceof ConfigErrors)) throw err;
    const errors = err.errors.map((e) => ({ code: e.code, message: e.message, object: e.object ?? null, field: e.field ?? null, transient: e.transient }));
    return { report: { valid: false, errors, warnings: err.warnings }, exitCode: EXIT.invalid };
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;
}

function summary(config: ModelJSON): string[] {
  const lines = [
    `valid: ${plural(config.pools.length, 'pool')}, ${plural(config.peers.length, 'peer')}, ${plural(config.bfdProfiles.length, 'BFD profile')}, ${plural(Object.keys(config.communities).length, 'community alias')}`,
  ];
  for (const p of config.pools) {
    const how = [(p['bgpAdvertisements'] as unknown[]).length > 0 ? 'bgp' : '', (p['l2Advertisements'] as unknown[]).length > 0 ? 'layer2' : ''].filter(Boolean).join('+') || 'not announced';
    lines.push(`  pool ${p['name'] as string} (${how}): ${(p['cidrs'] as string[]).join(', ')}`);
  }
  for (const p of config.peers) {
    lines.push(`  peer ${p['name'] as string}: AS${p['myASN'] as number} -> AS${p['peerASN'] as number} at ${p['peerAddress'] as string}:${p['peerPort'] as number}`);
  }
  return lines;
}

/** printReport prints a report as text (summary on stdout, errors and warnings on stderr) or JSON. */
export function printReport(report: ValidateReport, output: 'text' | 'json', out: Writer = stdoutWriter, err: Writer = stderrWriter): void {
  if (output === 'json') return printJSON(report, out);
  printLines(report.warnings.map((w) => `warning: ${w.message}`), err);
  if (report.valid) printLines(summary(report.config), out);
  else printLines([...report.errors.map((e) => `error: ${e.message}`), `invalid: ${plural(report.errors.length, 'error')}`], err);
}

/** Validate checks MetalLB configuration files (legacy ConfigMap or metallb.io CRDs). */
export default class Validate extends Command {
  static override summary = 'Check MetalLB configuration files: a legacy ConfigMap (manifest, payload or Helm values) or metallb.io CRDs.';

  static override description = [
    'Files may mix formats and hold several YAML documents; - reads stdin.',
    'Exit status: 0 valid, 1 invalid, 2 usage error. Passwords are never printed.',
    'With --output json the report is {"valid":true,"config":MODEL} or {"valid":false,"errors":[...]} (see schemas/model.schema.json).',
  ].join('\n');

  static override examples = [
    '<%= config.bin %> validate config.yaml',
    '<%= config.bin %> validate pools.yaml peers.yaml --mode frr',
    'kubectl get cm -n metallb-system config -o yaml | <%= config.bin %> validate - --output json',
  ];

  static override usage = 'validate FILE... [--mode controller|native|frr] [--output text|json] [--namespace NS]';

  // Any number of FILE arguments (or `-`), so the command takes its argv unparsed.
  static override strict = false;

  static override flags = {
    mode: Flags.string({ options: ['controller', 'native', 'frr'], default: 'controller', description: 'validator: controller (either backend), native BGP speaker, or FRR' }),
    output: Flags.string({ char: 'o', options: ['text', 'json'], default: 'text', description: 'report format' }),
    namespace: Flags.string({ char: 'n', default: 'metallb-system', description: 'namespace the metallb.io objects must live in' }),
  };

  async run(): Promise<ValidateReport> {
    const { argv, flags } = await this.parse(Validate);
    const output = flags.output as 'text' | 'json';
    let files: InputFile[];
    try {
      files = await readInputs(argv as string[]);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      stderrWriter(`error: ${err.message}\n`);
      return this.exit(EXIT.usage);
    }
    const { report, exitCode } = validateFiles(files, { mode: flags.mode as ValidationMode, namespace: flags.namespace });
    printReport(report, output);
    if (exitCode !== EXIT.ok) this.exit(exitCode);
    return report;
  }
}

