// How the effective object for one key is built from the files that mention it. Pure.
//  - user manifests give the object; if two user files define it, the last path in sort order wins;
//  - a status overlay (written by the controller) replaces a Service's `status` and merges its
//    annotations on top of the user's (a null value hides a user annotation);
//  - leases and status records come from `.lbctl/` alone.
import type { KubeObject } from '../types.js';
import { mergeAnnotations } from '../objects.js';

/** Overlay is the content of `.lbctl/status/services/<ns>/<name>.yaml`. */
export interface Overlay {
  status?: unknown;
  annotations?: Record<string, string | null>;
}

/** Contribution is what one file says about one key. */
export type Contribution =
  | { role: 'user'; obj: KubeObject }
  | { role: 'daemon'; obj: KubeObject }
  | { role: 'overlay'; overlay: Overlay };

/** composeEffective builds the object for one key from its contributions (file path → contribution). */
export function composeEffective(contributions: ReadonlyMap<string, Contribution>): KubeObject | undefined {
  let user: KubeObject | undefined;
  let userFile = '';
  let daemon: KubeObject | undefined;
  let overlay: Overlay | undefined;
  for (const [file, c] of contributions) {
    if (c.role === 'user' && file >= userFile) { user = c.obj; userFile = file; }
    else if (c.role === 'daemon') daemon = c.obj;
    else if (c.role === 'overlay') overlay = c.overlay;
  }
  const base = user ?? daemon;
  if (!base) return undefined;
  if (!overlay || base.kind !== 'Service' || !user) return base;
  const out: KubeObject = { ...base, metadata: { ...base.metadata } };
  if (overlay.annotations) {
    const merged = mergeAnnotations(base.metadata.annotations, overlay.annotations);
    if (Object.keys(merged).length) out.metadata.annotations = merged;
    else delete out.metadata.annotations;
  }
  if (overlay.status !== undefined) out.status = overlay.status;
  return out;
}

/** parseOverlay reads an overlay document, ignoring anything that is not ours. */
export function parseOverlay(doc: unknown): Overlay {
  const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  const out: Overlay = {};
  if (d['status'] !== undefined) out.status = d['status'];
  const ann = d['annotations'];
  if (typeof ann === 'object' && ann !== null) {
    out.annotations = {};
    for (const [k, v] of Object.entries(ann)) out.annotations[k] = v === null ? null : String(v);
  }
  return out;
}
