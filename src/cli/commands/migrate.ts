// `lbctl migrate`: thin shell over runMigrate. Reads the input (file or stdin) and the services file,
// prints warnings and the services report on stderr, and writes the output only after the whole
// conversion has been proven. Exit codes: 0 clean, 1 conversion failed (or --check saw a warning),
// 2 usage error (oclif's own code for bad flags).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Args, Command, Flags } from '@oclif/core';
import { errorLines, reportLines, runMigrate, type MigrateInput, type MigrateOutcome } from '../../migrate/index.js';
import { writeDirAtomic } from '../../migrate/write.js';
import { ConfigError } from '../../model/index.js';

async function readInput(file: string): Promise<MigrateInput> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return { source: 'stdin', text: Buffer.concat(chunks).toString('utf8') };
  }
  try {
    // Only the base name goes into messages and the header, so output does not depend on where it ran.
    return { source: path.basename(file), text: await readFile(file, 'utf8') };
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new ConfigError('migrate.read', `migrate: cannot read ${file}: ${why}`, { object: file });
  }
}

/** MigrateResult is what run() returns (and what tests inspect). */
export interface MigrateResult {
  ok: boolean;
  warnings: string[];
  written: string[];
}

/** Migrate converts the legacy ConfigMap to metallb.io CRDs and back, proven by re-parsing. */
export default class Migrate extends Command {
  static override summary = 'Convert a legacy MetalLB ConfigMap to metallb.io CRDs (or back), proven by parsing the result again.';

  static override description = [
    'Input: a ConfigMap manifest, the raw `config` payload, or Helm values with configInline (--to crds);',
    'metallb.io CRD manifests (--to configmap). Output goes to stdout, or one file per object with --output-dir.',
    'Exit status: 0 clean, 1 conversion failed (nothing is written), 2 usage error. With --check any warning fails.',
  ].join('\n');

  static override examples = [
    '<%= config.bin %> migrate config.yaml > crds.yaml',
    '<%= config.bin %> migrate config.yaml --password-secrets --output-dir ./metallb-crds',
    '<%= config.bin %> migrate config.yaml --services services.yaml --check',
    '<%= config.bin %> migrate crds.yaml --to configmap > configmap.yaml',
  ];

  static override args = {
    file: Args.string({ description: 'input file, or - for stdin', default: '-' }),
  };

  static override flags = {
    to: Flags.string({ description: 'direction of the conversion', options: ['crds', 'configmap'], default: 'crds' }),
    namespace: Flags.string({ char: 'n', description: 'namespace of the generated objects (default: the ConfigMap\'s, else metallb-system)' }),
    'output-dir': Flags.string({ char: 'd', description: 'write one file per object into this directory instead of stdout' }),
    output: Flags.string({ char: 'o', description: 'output format', options: ['yaml', 'json'], default: 'yaml' }),
    'password-secrets': Flags.boolean({ description: 'put BGP passwords into kubernetes.io/basic-auth Secrets referenced by passwordSecret', default: false }),
    services: Flags.string({ description: 'Service manifests (kubectl get svc -A -o yaml) to check against the new config' }),
    check: Flags.boolean({ description: 'fail (exit 1) on any warning; for CI', default: false }),
  };

  async run(): Promise<MigrateResult> {
    const { args, flags } = await this.parse(Migrate);
    if (args.file === '-' && process.stdin.isTTY) {
      this.error('no input: give a FILE, or pipe the config into stdin with -', { exit: 2 });
    }
    if (args.file === '-' && flags.services === '-') this.error('stdin can feed the input or --services, not both', { exit: 2 });
    if (flags['password-secrets'] && flags.to === 'configmap') {
      this.error('--password-secrets only applies to --to crds (the legacy format has no Secrets)', { exit: 2 });
    }
    let outcome: MigrateOutcome;
    try {
      const input = await readInput(args.file);
      const services = flags.services === undefined ? undefined : await readInput(flags.services);
      outcome = runMigrate({
        input,
        to: flags.to as 'crds' | 'configmap',
        ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
        output: flags.output as 'yaml' | 'json',
        perFile: flags['output-dir'] !== undefined,
        passwordSecrets: flags['password-secrets'],
        ...(services ? { services } : {}),
      });
    } catch (err) {
      for (const line of errorLines(err)) process.stderr.write(`error: ${line}\n`);
      this.exit(1);
    }
    const warnings = outcome.warnings.map((w) => w.message);
    for (const line of reportLines(outcome)) process.stderr.write(`${line}\n`);
    if (flags.check && warnings.length > 0) {
      process.stderr.write(`error: --check: ${warnings.length} warning(s); nothing written\n`);
      this.exit(1);
    }
    let written: string[] = [];
    if (outcome.files) {
      try {
        written = await writeDirAtomic(flags['output-dir']!, outcome.files);
      } catch (err) {
        process.stderr.write(`error: migrate: cannot write ${flags['output-dir']}: ${err instanceof Error ? err.message : String(err)}\n`);
        this.exit(1);
      }
    } else process.stdout.write(outcome.stream ?? '');
    return { ok: true, warnings, written };
  }
}
