// The FRR backend's only contact with the outside: running a command (frr-reload.py, vtysh) and
// writing the config file. Both are parameters of FrrBackend so unit tests can pass fakes.
import { spawn } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** CommandResult is how a command ended. */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** timedOut is true when the command was killed after the timeout. */
  timedOut: boolean;
}

/** CommandRunner runs argv[0] with the rest as arguments, bounded by timeoutMs. */
export type CommandRunner = (argv: readonly string[], timeoutMs: number) => Promise<CommandResult>;

/** FileWriter replaces a file's content atomically with the given mode. */
export type FileWriter = (file: string, text: string, mode: number) => Promise<void>;

/** runCommand is the real CommandRunner: no shell, output collected, killed at the timeout. */
export const runCommand: CommandRunner = (argv, timeoutMs) =>
  new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr + String(err), timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });

/**
 * writeFileAtomic writes next to the target and renames, so frr-reload never reads half a file;
 * mode 0600 because the config holds BGP passwords.
 */
export const writeFileAtomic: FileWriter = async (file, text, mode) => {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode });
  await rename(tmp, file);
};
