// The dry run behind `lbctl allocate`: given a config and a pile of decoded manifests (Services,
// optionally Namespaces for namespaceSelectors), run one controller pass on a fresh Allocator and
// report, per Service in input order, the addresses, the pool, the error and the events. Status
// addresses are re-learned first; then Services are decided in file order, so the result is reproducible
// and the user controls who gets the last free address.
import { Allocator } from '../allocator/allocator.js';
import type { ServiceView } from '../model/cluster.js';
import { serviceKey } from '../model/cluster.js';
import type { Config } from '../model/config.js';
import type { DecideOptions } from './decide.js';
import { decidePass } from './decide-pass.js';
import type { DecisionEvent, DecisionOutcome } from './decision.js';
import { serviceViewFromObject } from './service-view.js';

/** DryRunEntry is the report for one Service. */
export interface DryRunEntry {
  /** service is "namespace/name" (or the document position when the manifest has no name). */
  service: string;
  ips: string[];
  pool: string | null;
  error: string | null;
  outcome: DecisionOutcome | 'invalid';
  reason: string;
  events: DecisionEvent[];
}

/** DryRunOptions tune a dry run. */
export interface DryRunOptions {
  lbClass?: string;
  /** namespaces adds namespace labels (merged with Namespace objects found among the manifests). */
  namespaces?: Record<string, Record<string, string>>;
}

type Json = Record<string, unknown>;

/** flattenManifests expands arrays and `*List` objects (kubectl get -o yaml) into single objects. */
export function flattenManifests(docs: readonly unknown[], depth = 0): Json[] {
  const out: Json[] = [];
  for (const d of docs) {
    if (Array.isArray(d) && depth < 3) out.push(...flattenManifests(d, depth + 1));
    else if (d !== null && typeof d === 'object' && !Array.isArray(d)) {
      const o = d as Json;
      if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items) && depth < 3) out.push(...flattenManifests(o.items, depth + 1));
      else out.push(o);
    }
  }
  return out;
}

function namespaceLabels(objects: readonly Json[], extra: DryRunOptions['namespaces']): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>(Object.entries(extra ?? {}));
  for (const o of objects) {
    if (o.kind !== 'Namespace') continue;
    const meta = (o.metadata ?? {}) as Json;
    const labels = (meta.labels ?? {}) as Record<string, string>;
    if (typeof meta.name === 'string') out.set(meta.name, { 'kubernetes.io/metadata.name': meta.name, ...labels });
  }
  return out;
}

function invalid(service: string, error: string): DryRunEntry {
  return { service, ips: [], pool: null, error, outcome: 'invalid', reason: 'invalidManifest', events: [] };
}

/** dryRun decides every Service among `docs` against `config`; one entry per Service, in input order. */
export function dryRun(config: Config, docs: readonly unknown[], opts: DryRunOptions = {}): DryRunEntry[] {
  const objects = flattenManifests(docs);
  const nsLabels = namespaceLabels(objects, opts.namespaces);
  const slots: (DryRunEntry | ServiceView)[] = [];
  const seen = new Set<string>();
  objects.forEach((o, i) => {
    if (o.kind !== undefined && o.kind !== 'Service') return;
    try {
      const view = serviceViewFromObject(o);
      const key = serviceKey(view);
      if (seen.has(key)) return slots.push(invalid(key, `service "${key}" appears more than once; only the first is used`));
      seen.add(key);
      slots.push(view);
    } catch (err) {
      slots.push(invalid(`#${i + 1}`, (err as Error).message));
    }
  });
  const views = slots.filter((s): s is ServiceView => 'namespace' in s);
  const optsFor = (v: ServiceView): DecideOptions => {
    const labels = nsLabels.get(v.namespace) ?? { 'kubernetes.io/metadata.name': v.namespace };
    return opts.lbClass === undefined ? { namespaceLabels: labels } : { lbClass: opts.lbClass, namespaceLabels: labels };
  };
  const decisions = new Map(decidePass(views, new Allocator(config), optsFor, true).map((d) => [d.service, d]));
  return slots.map((s) => {
    if (!('namespace' in s)) return s;
    const d = decisions.get(serviceKey(s))!;
    return { service: d.service, ips: d.ingressIPs, pool: d.poolAnnotation, error: d.error ?? null, outcome: d.outcome, reason: d.reason, events: d.events };
  });
}
