// FileIndex remembers what every file under a source directory contributed, re-reads only files
// whose identity (inode, size, mtime) changed, and reports which object keys were affected.
// A user file that fails to parse keeps its last good contribution (an editor may be half-way
// through saving it) and is retried on the next scan.
import fs from 'node:fs';
import path from 'node:path';
import * as yaml from 'js-yaml';
import type { KubeObject } from '../types.js';
import { keyOf, objectKey } from '../objects.js';
import { StateError } from '../errors.js';
import { roleOf, STATE_DIR } from './layout.js';
import { decodeManifests } from './manifests.js';
import { parseOverlay, type Contribution } from './compose.js';

interface FileEntry {
  sig: string;
  keys: Set<string>;
}

/** FileProblem is a file that could not be used, reported once per change of the file. */
export interface FileProblem {
  file: string;
  error: StateError;
}

/** FileIndex is the per-file bookkeeping of a directory source. */
export class FileIndex {
  private readonly files = new Map<string, FileEntry>();
  /** contributions: object key → file → what that file says about it. */
  readonly contributions = new Map<string, Map<string, Contribution>>();

  constructor(private readonly root: string, private readonly defaultNamespace: string, private readonly onProblem: (p: FileProblem) => void) {}

  /** ingest re-reads one relative path (present or gone) and returns the keys it affected. */
  ingest(rel: string, affected: Set<string>): void {
    const role = roleOf(rel);
    if (role === 'ignored') return;
    const sig = signature(path.join(this.root, rel));
    const prev = this.files.get(rel);
    if (sig === undefined) { if (prev) this.drop(rel, prev, affected); return; }
    if (prev?.sig === sig) return;
    let contribs: [string, Contribution][];
    try {
      contribs = this.read(rel, role);
    } catch (err) {
      const error = err instanceof StateError ? err : new StateError('state.read-failed', `state: ${rel}: ${(err as Error).message}`, { transient: true, object: rel });
      // Keep the last good content but remember the new signature, so the problem is reported
      // once; the periodic scan clears the signature below to retry transient read failures.
      this.files.set(rel, { sig: error.transient ? '' : sig, keys: prev?.keys ?? new Set() });
      this.onProblem({ file: rel, error });
      return;
    }
    if (prev) this.drop(rel, prev, affected);
    const keys = new Set<string>();
    for (const [key, c] of contribs) {
      keys.add(key);
      affected.add(key);
      let m = this.contributions.get(key);
      if (!m) this.contributions.set(key, (m = new Map()));
      m.set(rel, c);
    }
    this.files.set(rel, { sig, keys });
  }

  /** scanAll walks the whole tree, ingesting every file and dropping the ones that are gone; returns the folders seen. */
  scanAll(affected: Set<string>): Set<string> {
    const seen = new Set<string>();
    const dirs = new Set<string>();
    walk(this.root, '', seen, dirs);
    for (const rel of seen) this.ingest(rel, affected);
    for (const rel of [...this.files.keys()]) if (!seen.has(rel)) this.ingest(rel, affected);
    return dirs;
  }

  private read(rel: string, role: ReturnType<typeof roleOf>): [string, Contribution][] {
    const text = fs.readFileSync(path.join(this.root, rel), 'utf8');
    if (role === 'overlay') {
      const [, , , ns, file] = rel.split('/');
      const name = file!.replace(/\.ya?ml$|\.json$/i, '');
      const doc = yaml.load(text) as { metadata?: { namespace?: string; name?: string } } | null;
      const key = objectKey('Service', doc?.metadata?.namespace ?? ns, doc?.metadata?.name ?? name);
      return [[key, { role: 'overlay', overlay: parseOverlay(doc) }]];
    }
    const objs: KubeObject[] = decodeManifests(rel, text, this.defaultNamespace);
    return objs.map((obj) => [keyOf(obj), role === 'user' ? { role: 'user', obj } : { role: 'daemon', obj }]);
  }

  private drop(rel: string, prev: FileEntry, affected: Set<string>): void {
    for (const key of prev.keys) {
      affected.add(key);
      const m = this.contributions.get(key);
      m?.delete(rel);
      if (m && m.size === 0) this.contributions.delete(key);
    }
    this.files.delete(rel);
  }
}

function signature(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return undefined;
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
}

// Hidden folders other than .lbctl are skipped without being read (.git can be large).
function walk(root: string, rel: string, out: Set<string>, dirs: Set<string>): void {
  dirs.add(rel);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name.startsWith('.') && !(rel === '' && e.name === STATE_DIR) && !rel.startsWith(STATE_DIR)) continue;
      walk(root, child, out, dirs);
    } else if ((e.isFile() || (e.isSymbolicLink() && isFileBehind(path.join(root, child)))) && roleOf(child) !== 'ignored') {
      // Symlinked files count (a ConfigMap volume mount is symlinks into a hidden ..data folder);
      // symlinked folders do not, so a link cycle cannot make the walk endless.
      out.add(child);
    }
  }
}

function isFileBehind(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
