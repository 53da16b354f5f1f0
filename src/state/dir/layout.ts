// Where things live in a directory source. User manifests are any *.yaml/*.yml/*.json files
// outside hidden folders; everything the daemons write lives under `.lbctl/`, one file per record,
// so a user's file is never rewritten by a daemon. Pure path arithmetic.
import path from 'node:path';

/** STATE_DIR is the folder (inside the source directory) that only the daemons write. */
export const STATE_DIR = '.lbctl';

/** FileRole says what a file under the source directory contributes. */
export type FileRole = 'user' | 'overlay' | 'lease' | 'object' | 'ignored';

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/** roleOf classifies a path relative to the source directory (always `/`-separated). */
export function roleOf(rel: string): FileRole {
  const parts = rel.split('/');
  const base = parts[parts.length - 1] ?? '';
  if (!MANIFEST_EXT.test(base) || base.startsWith('.')) return 'ignored';
  if (parts[0] === STATE_DIR) {
    if (parts[1] === 'status' && parts[2] === 'services' && parts.length === 5) return 'overlay';
    if (parts[1] === 'leases' && parts.length === 3) return 'lease';
    if (parts[1] === 'objects' && parts.length === 5) return 'object';
    return 'ignored';
  }
  // Other hidden folders (.git, editor swap dirs) are never manifests.
  if (parts.slice(0, -1).some((p) => p.startsWith('.'))) return 'ignored';
  return 'user';
}

/** overlayPath is where the daemons keep a Service's status and annotations. */
export function overlayPath(namespace: string, name: string): string {
  return [STATE_DIR, 'status', 'services', safe(namespace), `${safe(name)}.yaml`].join('/');
}

/** leasePath is where a lease lives. */
export function leasePath(name: string): string {
  return [STATE_DIR, 'leases', `${safe(name)}.yaml`].join('/');
}

/** objectPath is where a daemon-written object (ServiceL2Status, ...) lives. */
export function objectPath(kind: string, namespace: string, name: string): string {
  return [STATE_DIR, 'objects', safe(kind), safe(namespace || '_'), `${safe(name)}.yaml`].join('/');
}

/** eventsPath is the event log of one writer (one process: `controller`, `speaker-<node>`). */
export function eventsPath(writer: string): string {
  return [STATE_DIR, 'events', `${safe(writer)}.jsonl`].join('/');
}

/** toRel turns an absolute or OS path under root into the `/`-separated relative form. */
export function toRel(root: string, file: string): string {
  return path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
}

// Kubernetes names are DNS-1123 already; this only guards against `..` and separators in input.
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
}
