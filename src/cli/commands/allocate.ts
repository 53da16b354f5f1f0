// `lbctl allocate`: a dry run of the controller. Reads the config files (any format the parser of
// record accepts), the Service manifests (multi-document YAML, a List, or an array; existing status
// honoured) and optionally Nodes, then prints which addresses each Service would get and why.
// Exit codes: 0 the dry run ran (per-service failures are results), 1 unreadable or invalid input.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Flags } from '@oclif/core';
import * as yaml from 'js-yaml';
import { parseSources, type ConfigSource } from '../../config/index.js';
import { dryRun, type DryRunEntry } from '../../controller/decide-dryrun.js';
import { ConfigErrors } from '../../model/errors.js';

/** AllocateResult is what run() returns (and what tests inspect). */
export interface AllocateResult {
  entries: DryRunEntry[];
  warnings: string[];
}

async function source(file: string): Promise<ConfigSource> {
  return { name: path.basename(file), text: await readFile(file, 'utf8') };
}

/** readServices reads the services file, or stdin for `-` (kubectl get svc -A -o yaml | lbctl allocate ... -s -). */
async function readServices(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** renderTable prints the entries as an aligned table with a closing summary line. */
export function renderTable(entries: readonly DryRunEntry[]): string {
  const rows = [['SERVICE', 'IPS', 'POOL', 'RESULT']];
  for (const e of entries) {
    const head = e.reason === e.outcome ? e.outcome : `${e.outcome} (${e.reason})`;
    const result = e.error !== null ? `${head}: ${e.error}` : head;
    rows.push([e.service, e.ips.join(',') || '-', e.pool ?? '-', result]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '));
  const count = (o: string) => entries.filter((e) => e.outcome === o).length;
  const warnings = entries.flatMap((e) => e.events.filter((ev) => ev.type === 'Warning').map((ev) => `  ${e.service}: ${ev.reason}: ${ev.message}`));
  if (warnings.length > 0) lines.push('', 'warnings:', ...warnings);
  lines.push('', `${entries.length} services: ${count('allocated')} allocated, ${count('kept')} kept, ${count('failed') + count('invalid')} failed, ${count('cleared') + count('ignored')} not load-balanced here`);
  return lines.join('\n');
}

/** Allocate is the dry-run command. */
export default class Allocate extends Command {
  static override summary = 'Show which IP each Service would get from a config (a dry run of the controller).';

  static override description = [
    'Services that already have an address in status re-learn it first, as the controller does on start.',
    'Namespace objects in the services file give labels for serviceAllocation.namespaceSelectors.',
    'Exit status: 0 when the dry run ran (a Service that gets no IP is a result, not an error), 1 for invalid input.',
  ].join('\n');

  static override examples = [
    '<%= config.bin %> allocate --config metallb.yaml --services services.yaml',
    'kubectl get svc -A -o yaml | <%= config.bin %> allocate -c pools.yaml -c l2.yaml -s - -o json',
  ];

  static override flags = {
    config: Flags.string({ char: 'c', description: 'config file (ConfigMap, raw payload, Helm values or metallb.io CRDs); repeatable', required: true, multiple: true }),
    services: Flags.string({ char: 's', description: 'Service manifests (multi-document YAML, a List, or a YAML/JSON array); - reads stdin', required: true }),
    nodes: Flags.string({ description: 'Node manifests (for config checks that depend on nodes)' }),
    output: Flags.string({ char: 'o', description: 'output format', options: ['text', 'json'], default: 'text' }),
    'lb-class': Flags.string({ description: 'handle only Services of this spec.loadBalancerClass (default: only Services without one)' }),
    namespace: Flags.string({ char: 'n', description: 'namespace of the metallb.io objects', default: 'metallb-system' }),
  };

  async run(): Promise<AllocateResult> {
    const { flags } = await this.parse(Allocate);
    let result: AllocateResult;
    try {
      const sources = await Promise.all([...flags.config, ...(flags.nodes ? [flags.nodes] : [])].map(source));
      const parsed = parseSources(sources, { namespace: flags.namespace });
      const docs = yaml.loadAll(await readServices(flags.services));
      const entries = dryRun(parsed.config, docs, flags['lb-class'] === undefined ? {} : { lbClass: flags['lb-class'] });
      result = { entries, warnings: parsed.warnings.map((w) => w.message) };
    } catch (err) {
      const lines = err instanceof ConfigErrors ? err.errors.map((e) => e.message) : [(err as Error).message];
      for (const line of lines) process.stderr.write(`error: ${line}\n`);
      return this.exit(1);
    }
    for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    this.log(flags.output === 'json' ? JSON.stringify(result.entries.map(jsonEntry), null, 2) : renderTable(result.entries));
    return result;
  }
}

/** jsonEntry is the documented JSON shape: service, ips, pool, error, events (plus outcome and reason). */
function jsonEntry(e: DryRunEntry): Record<string, unknown> {
  return { service: e.service, ips: e.ips, pool: e.pool, error: e.error, events: e.events, outcome: e.outcome, reason: e.reason };
}
