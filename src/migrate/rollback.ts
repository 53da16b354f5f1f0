// migrateToConfigMap: the rollback direction (CRDs -> one legacy ConfigMap), with the same proof as
// the forward direction: the generated ConfigMap is parsed by the parser of record and must give
// the CRDs' model (minus what legacy cannot name: peer object names and Secret references).
import * as yaml from 'js-yaml';
import { DEFAULT_NAMESPACE, parseSources, type ConfigSource } from '../config/index.js';
import { ConfigError, ConfigErrors, type Config } from '../model/index.js';
import { diffConfigs, formatDifferences } from './diff.js';
import { expectFromCrds, withoutPeerNames } from './expect.js';
import { buildLegacy, formatBlockers } from './legacy-out.js';
import { warn, type K8sObject, type MigrateWarning } from './types.js';
import { asYaml, toYaml } from './yaml.js';

/** RollbackOptions tune `lbctl migrate --to configmap`. */
export interface RollbackOptions {
  namespace?: string;
  /** name of the ConfigMap (default `config`, what MetalLB reads). */
  name?: string;
}

/** RollbackResult is a proven legacy ConfigMap. */
export interface RollbackResult {
  configMap: K8sObject;
  warnings: MigrateWarning[];
  model: Config;
}

/**
 * inputNamespace is the namespace the metallb.io objects of the input declare, when they agree on
 * one; the generated ConfigMap goes there unless --namespace says otherwise.
 */
export function inputNamespace(sources: ConfigSource[]): string | undefined {
  const seen = new Set<string>();
  for (const src of sources) {
    let docs: unknown[];
    try {
      docs = yaml.loadAll(src.text, { schema: yaml.CORE_SCHEMA });
    } catch {
      return undefined; // the parser reports unreadable YAML with its own message
    }
    for (const d of docs.flatMap((x) => (Array.isArray(obj(x).items) ? (obj(x).items as unknown[]) : [x]))) {
      const o = obj(d);
      const ns = obj(o.metadata).namespace;
      if (typeof o.apiVersion === 'string' && o.apiVersion.startsWith('metallb.io/') && typeof ns === 'string') seen.add(ns);
    }
  }
  return seen.size === 1 ? [...seen][0] : undefined;
}

const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** migrateToConfigMap converts CRD sources into one proven legacy ConfigMap. Throws ConfigError(s). */
export function migrateToConfigMap(sources: ConfigSource[], opts: RollbackOptions = {}): RollbackResult {
  const namespace = opts.namespace ?? inputNamespace(sources) ?? DEFAULT_NAMESPACE;
  // Secrets in the input files are picked up by the parser, which inlines their keys into the model.
  const parsed = parseSources(sources, { namespace });
  const c = parsed.config;
  if (c.pools.length + c.peers.length + c.bfdProfiles.length + Object.keys(c.communities).length === 0) {
    const names = sources.map((s) => s.name).join(', ');
    throw new ConfigError('migrate.empty', `migrate: ${names} holds no MetalLB configuration (no pool, peer, BFD profile or community); there is nothing to roll back`);
  }
  const { payload, blockers } = buildLegacy(c);
  if (blockers.length > 0) {
    throw new ConfigErrors(formatBlockers(blockers).map((m) => new ConfigError('migrate.not-representable', m)));
  }
  const configMap: K8sObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: opts.name ?? 'config', namespace },
    data: { config: Object.keys(payload).length === 0 ? '' : toYaml(asYaml(payload)) },
  };
  const expected = expectFromCrds(parsed.config);
  let back;
  try {
    back = parseSources([{ name: 'generated ConfigMap', text: toYaml(asYaml(configMap)) }], { namespace });
  } catch (err) {
    throw new ConfigError('migrate.proof', `migrate: the generated ConfigMap does not parse back (this is a bug in lbctl migrate):\n${err instanceof Error ? err.message : String(err)}`);
  }
  const diffs = diffConfigs(expected, withoutPeerNames(back.config));
  if (diffs.length > 0) {
    throw new ConfigError('migrate.proof', `migrate: the generated ConfigMap means something other than the CRDs:\n  ${formatDifferences(diffs, 'CRDs', 'legacy').join('\n  ')}`);
  }
  const warnings = parsed.warnings.map((w) => warn(w.code, w.message, w.object, w.field));
  for (const p of parsed.config.peers.filter((p) => p.password !== undefined)) {
    warnings.push(warn('migrate.plaintext-password', `migrate: BGPPeer ${JSON.stringify(p.name)}: the legacy format keeps the BGP password in clear text in the ConfigMap`, p.name, 'password'));
  }
  return { configMap, warnings, model: expected };
}
