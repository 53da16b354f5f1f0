// ConfigInputs gathers, from the watch stream, the objects the config parser needs: the legacy
// ConfigMap (`config` in the MetalLB namespace), the metallb.io objects of that namespace, Secrets
// (BGPPeer passwordSecret) and Namespaces (serviceAllocation.namespaceSelectors). Both daemons use
// it, so they parse exactly the same inputs through the one parser of record.
import type { KubeObject, ObjectKind, WatchEvent } from './types.js';
import { keyOf } from './objects.js';
import { parseObjects, type ParseOptions, type ValidationMode } from '../config/index.js';
import type { Config, ConfigWarning, NodeView } from '../model/index.js';

/** CONFIG_KINDS are the metallb.io kinds that make up a CRD configuration. */
export const CONFIG_KINDS: readonly ObjectKind[] = ['IPAddressPool', 'L2Advertisement', 'BGPAdvertisement', 'BGPPeer', 'BFDProfile', 'Community', 'AddressPool'];

/** CONFIG_WATCH_KINDS are every kind ConfigInputs listens to. */
export const CONFIG_WATCH_KINDS: readonly ObjectKind[] = ['ConfigMap', 'Secret', 'Namespace', ...CONFIG_KINDS];

/** ConfigParse is the outcome of parsing the current inputs. */
export type ConfigParse =
  | { status: 'missing'; fingerprint: string }
  | { status: 'valid'; fingerprint: string; config: Config; warnings: ConfigWarning[]; legacy: boolean }
  | { status: 'invalid'; fingerprint: string; error: Error; legacy: boolean };

/** ConfigInputs tracks config-relevant objects; `update` says whether an event touched them. */
export class ConfigInputs {
  private readonly objects = new Map<string, KubeObject>();
  private readonly secrets = new Map<string, KubeObject>();
  private readonly namespaces = new Map<string, Record<string, string>>();
  private version = 0;

  constructor(readonly namespace = 'metallb-system', readonly configMapName = 'config') {}

  /** update applies one watch event; true when the config inputs changed. */
  update(ev: WatchEvent): boolean {
    if (ev.type === 'SYNCED') return false;
    const o = ev.object;
    const gone = ev.type === 'DELETED';
    if (o.kind === 'Namespace') {
      if (gone) this.namespaces.delete(o.metadata.name);
      else this.namespaces.set(o.metadata.name, { ...(o.metadata.labels ?? {}) });
      return this.bump();
    }
    if (o.metadata.namespace !== this.namespace) return false;
    const table = o.kind === 'Secret' ? this.secrets : this.relevant(o) ? this.objects : undefined;
    if (!table) return false;
    if (gone) table.delete(keyOf(o));
    else table.set(keyOf(o), o);
    return this.bump();
  }

  /** namespaceLabels returns a namespace's labels (empty when unknown). */
  namespaceLabels(name: string): Record<string, string> {
    return this.namespaces.get(name) ?? {};
  }

  /** generation changes whenever an input changed (cheap change detection). */
  get generation(): number {
    return this.version;
  }

  /** parse runs the parser of record over the current inputs in `mode`. */
  parse(mode: ValidationMode, nodes?: NodeView[]): ConfigParse {
    const fingerprint = String(this.version);
    const objs = [...this.objects.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    if (objs.length === 0) return { status: 'missing', fingerprint };
    const legacy = objs.some((o) => o.kind === 'ConfigMap');
    const opts: ParseOptions = {
      mode,
      namespace: this.namespace,
      namespaces: [...this.namespaces].map(([name, labels]) => ({ name, labels })),
      secrets: Object.fromEntries([...this.secrets.values()].map((s) => [s.metadata.name, { type: typeof s['type'] === 'string' ? s['type'] : undefined, data: decodeSecretData(s) }])),
    };
    if (nodes) opts.nodes = nodes;
    try {
      const res = parseObjects(objs, opts);
      return { status: 'valid', fingerprint, config: res.config, warnings: res.warnings, legacy };
    } catch (err) {
      return { status: 'invalid', fingerprint, error: err as Error, legacy };
    }
  }

  /** involvedObject names what a config problem is reported on (the ConfigMap, or the first CR). */
  involvedObject(): { kind: string; namespace: string; name: string } {
    const cm = [...this.objects.values()].find((o) => o.kind === 'ConfigMap');
    const first = cm ?? [...this.objects.values()][0];
    return first ? { kind: first.kind, namespace: this.namespace, name: first.metadata.name } : { kind: 'ConfigMap', namespace: this.namespace, name: this.configMapName };
  }

  private relevant(o: KubeObject): boolean {
    if (o.kind === 'ConfigMap') return o.metadata.name === this.configMapName;
    return (CONFIG_KINDS as readonly string[]).includes(o.kind);
  }

  private bump(): true {
    this.version++;
    return true;
  }
}

// The parser takes Secret data base64-encoded, as the API serves it; `stringData` (plain text,
// common in hand-written manifests of a directory source) is encoded to match.
function decodeSecretData(s: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((s.data ?? {}) as Record<string, unknown>)) out[k] = String(v);
  for (const [k, v] of Object.entries((s['stringData'] ?? {}) as Record<string, unknown>)) out[k] = Buffer.from(String(v)).toString('base64');
  return out;
}
