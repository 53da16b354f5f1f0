// Atomic file replacement: write a temporary file in the same folder, optionally fsync it, then
// rename it over the target. Readers see the old file or the new one, never half of either.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

// Folders this process already created: saves a mkdir per write (thousands at start-up).
const knownDirs = new Set<string>();

/** atomicWrite replaces `file` with `text`; `durable` fsyncs the data before the rename. */
export async function atomicWrite(file: string, text: string, durable: boolean): Promise<void> {
  const dir = path.dirname(file);
  try {
    await replace(dir, file, text, durable);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    knownDirs.delete(dir); // the folder went away under us: recreate it once
    await replace(dir, file, text, durable);
  }
}

async function replace(dir: string, file: string, text: string, durable: boolean): Promise<void> {
  if (!knownDirs.has(dir)) {
    await fsp.mkdir(dir, { recursive: true });
    knownDirs.add(dir);
  }
  // Dot-prefixed, so watchers and scans ignore the temporary (layout.roleOf skips hidden names).
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await fsp.open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(text, 'utf8');
    if (durable) await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}

/** removeFile deletes a file; a missing file is fine (deletes are idempotent). */
export async function removeFile(file: string): Promise<void> {
  await fsp.rm(file, { force: true });
}
