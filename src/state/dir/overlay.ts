// The Service status overlay file (`.lbctl/status/services/<ns>/<name>.yaml`): the changes a patch
// makes to it, and the read-merge-write that applies a batch of them. Re-reading just before
// writing keeps whatever the file holds now; the write itself is atomic.
import { promises as fsp } from 'node:fs';
import * as yaml from 'js-yaml';
import { atomicWrite } from './atomic.js';
import { parseOverlay } from './compose.js';
import { encodeObject } from './manifests.js';

/** OverlayChange edits an overlay document in place. */
export type OverlayChange = (doc: Record<string, unknown>) => void;

/** statusChange sets status.loadBalancer.ingress (an empty list clears it). */
export function statusChange(ingressIPs: string[]): OverlayChange {
  return (doc) => {
    const status = { ...((doc['status'] as object | undefined) ?? {}) } as Record<string, unknown>;
    status['loadBalancer'] = ingressIPs.length ? { ingress: ingressIPs.map((ip) => ({ ip })) } : {};
    doc['status'] = status;
  };
}

/** annotationsChange merges annotations; null hides a key (also one the user's file sets). */
export function annotationsChange(annotations: Record<string, string | null>): OverlayChange {
  return (doc) => {
    doc['annotations'] = { ...(parseOverlay(doc).annotations ?? {}), ...annotations };
  };
}

/** writeOverlay re-reads `file`, applies `changes` in order and replaces the file atomically. */
export async function writeOverlay(file: string, namespace: string, name: string, changes: readonly OverlayChange[], durable: boolean): Promise<void> {
  const text = await fsp.readFile(file, 'utf8').catch(() => '');
  const cur = (text ? yaml.load(text) : null) as Record<string, unknown> | null;
  const doc: Record<string, unknown> = { apiVersion: 'lbctl.io/v1', kind: 'ServiceStatusOverlay', ...(cur ?? {}), metadata: { namespace, name } };
  for (const c of changes) c(doc);
  await atomicWrite(file, encodeObject(doc), durable);
}
