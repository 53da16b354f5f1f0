// The only file of src/migrate that touches the disk. Output appears whole or not at all: everything
// is first written under a temporary name in the destination's own directory (same filesystem, so
// rename(2) is atomic) and only renamed into place once every byte is on disk.
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RenderedFile } from './render.js';

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * writeFileAtomic writes `content` to `file` through a temporary sibling and a rename, so readers
 * see the old file or the new one, never a partial or empty one.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, content, { flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * writeDirAtomic writes every file into `dir`. A missing `dir` appears in one rename of a fully
 * written temporary directory; an existing one receives each file by rename (files of other names
 * are left alone). Returns the paths written.
 */
export async function writeDirAtomic(dir: string, files: RenderedFile[]): Promise<string[]> {
  const parent = path.dirname(path.resolve(dir));
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(path.join(parent, `.${path.basename(dir)}.tmp-`));
  try {
    for (const f of files) {
      if (f.name.includes('/') || f.name.startsWith('.')) throw new Error(`migrate: refusing file name ${JSON.stringify(f.name)}`);
      await writeFile(path.join(tmp, f.name), f.content, { flag: 'wx' });
    }
    if (!(await exists(dir))) {
      await rename(tmp, dir);
    } else {
      for (const name of await readdir(tmp)) await rename(path.join(tmp, name), path.join(dir, name));
      await rm(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return files.map((f) => path.join(dir, f.name));
}
