// Publisher: tells the cluster which node announces what. Per service and protocol it keeps one
// status record (ServiceL2Status / ServiceBGPStatus, as MetalLB 0.14.9+/0.15+), records the event
// `nodeAssigned` when this node starts announcing, and keeps metallb_speaker_announced in line.
// Writes are queued in order and never block announcing; a failed write is logged (the record is
// rewritten when the announcement next changes).
import type { ClusterState, KubeObject } from '../state/types.js';
import type { Logger } from '../log.js';
import type { SpeakerMetrics } from '../metrics/metrics.js';

/** Protocol is how an IP is announced. */
export type Protocol = 'layer2' | 'bgp';

/** Announcement is one service announced from this node by one protocol. */
export interface Announcement {
  key: string;
  protocol: Protocol;
  ips: string[];
  /** interfaces (layer 2) when restricted by the advertisements. */
  interfaces?: string[];
  /** peers (BGP) the prefixes go to. */
  peers?: string[];
}

/** SPEAKER_EVENT_SOURCE is the reporting component of the speaker's events. */
export const SPEAKER_EVENT_SOURCE = 'lbctl-speaker';

/** NODE_LABEL is MetalLB's status-record label naming the announcing node. */
export const NODE_LABEL = 'metallb.io/node';
const SVC_NAME_LABEL = 'metallb.io/service-name';
const SVC_NS_LABEL = 'metallb.io/service-namespace';

/** statusRecord renders the record for one announcement (deterministic name, so no list is needed). */
export function statusRecord(a: Announcement, node: string, namespace: string): KubeObject {
  const [svcNs, svcName] = [a.key.slice(0, a.key.indexOf('/')), a.key.slice(a.key.indexOf('/') + 1)];
  const l2 = a.protocol === 'layer2';
  const status: Record<string, unknown> = { node, serviceName: svcName, serviceNamespace: svcNs };
  if (l2 && a.interfaces) status['interfaces'] = a.interfaces.map((name) => ({ name }));
  if (!l2) status['peers'] = a.peers ?? [];
  return {
    apiVersion: 'metallb.io/v1beta1',
    kind: l2 ? 'ServiceL2Status' : 'ServiceBGPStatus',
    metadata: { name: recordName(a.protocol, node, a.key), namespace, labels: { [NODE_LABEL]: node, [SVC_NAME_LABEL]: svcName, [SVC_NS_LABEL]: svcNs } },
    status,
  };
}

/** recordName is `l2-<node>-<ns>-<name>` or `bgp-<node>-<ns>-<name>`. */
export function recordName(protocol: Protocol, node: string, key: string): string {
  return `${protocol === 'layer2' ? 'l2' : 'bgp'}-${node}-${key.replace('/', '-')}`;
}

/** Publisher diffs desired announcements against what it published last. */
export class Publisher {
  private readonly published = new Map<string, Announcement>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly state: ClusterState, private readonly node: string, private readonly namespace: string, private readonly metrics: SpeakerMetrics, private readonly log: Logger) {}

  /** publish makes the records, events and metrics match `desired`. */
  publish(desired: readonly Announcement[]): void {
    const want = new Map(desired.map((a) => [`${a.protocol}|${a.key}`, a]));
    for (const [id, old] of this.published) {
      if (want.has(id)) continue;
      this.published.delete(id);
      this.setMetric(old, false);
      this.enqueue(() => this.state.deleteObject(old.protocol === 'layer2' ? 'ServiceL2Status' : 'ServiceBGPStatus', this.namespace, recordName(old.protocol, this.node, old.key)));
    }
    for (const [id, a] of want) {
      const old = this.published.get(id);
      if (old && JSON.stringify(old) === JSON.stringify(a)) continue;
      if (old) this.setMetric(old, false);
      this.published.set(id, a);
      this.setMetric(a, true);
      this.enqueue(() => this.state.upsertObject(statusRecord(a, this.node, this.namespace)));
      if (!old) this.enqueue(() => this.event(a));
    }
  }

  /** forgetStale deletes this node's records left over from a previous run that are not published now. */
  forgetStale(records: readonly KubeObject[]): void {
    for (const r of records) {
      if (r.metadata.labels?.[NODE_LABEL] !== this.node) continue;
      const still = [...this.published.values()].some((a) => recordName(a.protocol, this.node, a.key) === r.metadata.name);
      if (!still) this.enqueue(() => this.state.deleteObject(r.kind, r.metadata.namespace ?? this.namespace, r.metadata.name));
    }
  }

  /**
   * collectDead deletes the records of nodes whose lease has expired (a crashed speaker cannot
   * remove its own). Only the first live node in name order does it, so the others stay quiet; a
   * dead node writes nothing, so this never races with the record's owner.
   */
  collectDead(records: readonly KubeObject[], live: ReadonlySet<string>): void {
    if ([...live].sort()[0] !== this.node) return;
    for (const r of records) {
      const owner = r.metadata.labels?.[NODE_LABEL];
      if (!owner || live.has(owner)) continue;
      this.log.info({ record: r.metadata.name, node: owner, reason: 'nodeNotLive' }, 'removing the status record of a dead speaker');
      this.enqueue(() => this.state.deleteObject(r.kind, r.metadata.namespace ?? this.namespace, r.metadata.name));
    }
  }

  /** announcements lists what is published now. */
  announcements(): Announcement[] {
    return [...this.published.values()];
  }

  /** flush resolves when queued writes are done. */
  async flush(): Promise<void> {
    await this.chain;
  }

  private setMetric(a: Announcement, on: boolean): void {
    for (const ip of a.ips) {
      const labels = { service: a.key, protocol: a.protocol, node: this.node, ip };
      if (on) this.metrics.announced.set(labels, 1);
      else this.metrics.announced.remove(labels);
    }
  }

  private event(a: Announcement): Promise<void> {
    const [namespace, name] = [a.key.slice(0, a.key.indexOf('/')), a.key.slice(a.key.indexOf('/') + 1)];
    return this.state.recordEvent({ involved: { kind: 'Service', namespace, name }, type: 'Normal', reason: 'nodeAssigned', message: `announcing from node "${this.node}" with protocol "${a.protocol}"`, source: SPEAKER_EVENT_SOURCE });
  }

  private enqueue(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch((err: Error) => this.log.warn({ err: err.message }, 'publishing announcement status failed'));
  }
}
