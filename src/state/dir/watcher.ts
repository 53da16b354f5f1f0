// DirWatcher: one non-recursive fs.watch per folder of the source. Node 20's recursive watch on
// Linux misses most atomic replacements (write temp + rename), which is exactly how leases and
// status are written, so each folder gets its own inotify watch instead; `sync` adds watches for
// new folders and drops those of removed ones after every full scan.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../log.js';

/** DirWatcher reports changed paths (relative, `/`-separated); undefined means "rescan all". */
export class DirWatcher {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private failed = false;

  constructor(private readonly root: string, private readonly onChange: (rel: string | undefined) => void, private readonly log: Logger) {}

  /** sync watches exactly the given folders (relative; '' is the root). */
  sync(dirs: ReadonlySet<string>): void {
    for (const [rel, w] of this.watchers) {
      if (dirs.has(rel)) continue;
      w.close();
      this.watchers.delete(rel);
    }
    for (const rel of dirs) if (!this.watchers.has(rel)) this.add(rel);
  }

  /** close stops every watch. */
  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private add(rel: string): void {
    try {
      const w = fs.watch(path.join(this.root, rel), (_ev, file) => {
        if (file === null) this.onChange(undefined);
        else this.onChange(rel ? `${rel}/${String(file)}` : String(file));
      });
      w.on('error', () => { w.close(); this.watchers.delete(rel); this.onChange(undefined); });
      this.watchers.set(rel, w);
    } catch (err) {
      // Out of inotify watches, or the folder vanished: the periodic rescan still covers it.
      if (!this.failed) this.log.warn({ dir: rel, err: (err as Error).message }, 'file watch unavailable; relying on periodic rescan');
      this.failed = true;
    }
  }
}
