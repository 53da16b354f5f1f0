// SpeakerCache: the speaker's copy of Services, EndpointSlices and Nodes, fed by the watch stream.
import type { EndpointView, NodeView, ServiceView } from '../model/cluster.js';
import type { KubeObject, WatchEvent } from '../state/types.js';
import { keyOf } from '../state/objects.js';
import { serviceViewFromObject } from '../controller/service-view.js';
import { nodeViewFromObject, sliceViewFromObject, type SliceView } from './views.js';

/** SpeakerCache keeps the objects the announcement decisions read. */
export class SpeakerCache {
  readonly services = new Map<string, ServiceView>();
  readonly nodes = new Map<string, NodeView>();
  private readonly slices = new Map<string, SliceView>();
  private readonly bySvc = new Map<string, Set<string>>();

  /** update applies one event; returns the service keys it affected ('*' = every service). */
  update(ev: WatchEvent): string[] {
    if (ev.type === 'SYNCED') return [];
    const o = ev.object;
    const gone = ev.type === 'DELETED';
    if (o.kind === 'Service') return this.service(o, gone);
    if (o.kind === 'Node') {
      if (gone) this.nodes.delete(o.metadata.name);
      else this.nodes.set(o.metadata.name, nodeViewFromObject(o));
      return ['*'];
    }
    if (o.kind === 'EndpointSlice') return this.slice(o, gone);
    return [];
  }

  /** endpointsOf returns every endpoint of every slice of a service. */
  endpointsOf(key: string): EndpointView[] {
    const out: EndpointView[] = [];
    for (const s of this.bySvc.get(key) ?? []) out.push(...(this.slices.get(s)?.endpoints ?? []));
    return out;
  }

  private service(o: KubeObject, gone: boolean): string[] {
    const key = `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
    if (gone) { this.services.delete(key); return [key]; }
    try {
      this.services.set(key, serviceViewFromObject(o));
    } catch {
      this.services.delete(key); // unreadable manifest: nothing to announce for it
    }
    return [key];
  }

  private slice(o: KubeObject, gone: boolean): string[] {
    const k = keyOf(o);
    const old = this.slices.get(k);
    if (old?.service) this.bySvc.get(old.service)?.delete(k);
    const affected = old?.service ? [old.service] : [];
    if (gone) { this.slices.delete(k); return affected; }
    const view = sliceViewFromObject(o);
    this.slices.set(k, view);
    if (view.service) {
      let set = this.bySvc.get(view.service);
      if (!set) this.bySvc.set(view.service, (set = new Set()));
      set.add(k);
      affected.push(view.service);
    }
    return affected;
  }
}
