// One application of a rendered frr.conf: write the file, run frr-reload.py, classify the result.
// Errors quote FRR's output, which can contain config lines, so passwords are redacted here.
import path from 'node:path';
import type { CommandRunner, FileWriter } from './io.js';
import { batchScript } from './batch.js';

/** ApplyTarget says where FRR is: the config file, the vty socket directory, the daemon to reload. */
export interface ApplyTarget {
  configPath: string;
  vtyshSocketDir?: string;
  /** daemon limits frr-reload.py to one daemon (`bgpd` for a standalone bgpd). */
  daemon?: string;
  /** reloadCommand replaces frr-reload.py's argv; the config path is appended. */
  reloadCommand?: string[];
  /** vtyshCommand replaces `vtysh [--vty_socket DIR]` (arguments are appended). */
  vtyshCommand?: string[];
  commandTimeoutMs: number;
}

/** ApplyResult is how one reload ended; `error` is safe to log. */
export type ApplyResult = { ok: true } | { ok: false; error: string };

/** defaultReloadCommand builds the frr-reload.py invocation (Debian's frr-pythontools path). */
export function defaultReloadCommand(o: Pick<ApplyTarget, 'configPath' | 'vtyshSocketDir' | 'daemon'>): string[] {
  const dir = path.dirname(o.configPath);
  const argv = ['python3', '/usr/lib/frr/frr-reload.py', '--reload', '--bindir', '/usr/bin', '--confdir', dir, '--rundir', dir];
  if (o.vtyshSocketDir) argv.push('--vty_socket', o.vtyshSocketDir);
  if (o.daemon) argv.push('--daemon', o.daemon);
  return argv;
}

/** vtyshArgv is the vtysh invocation prefix for a target. */
export function vtyshArgv(t: Pick<ApplyTarget, 'vtyshCommand' | 'vtyshSocketDir'>): string[] {
  return t.vtyshCommand ?? ['vtysh', ...(t.vtyshSocketDir ? ['--vty_socket', t.vtyshSocketDir] : [])];
}

/** redactPasswords hides `password <key>` in text that may quote config lines (FRR errors do). */
export function redactPasswords(text: string): string {
  return text.replace(/(password\s+)\S+/g, '$1<redacted>');
}

/**
 * applyConfig writes `text` (mode 0600: it holds BGP passwords) and runs the reload. frr-reload.py
 * exits non-zero when any line failed, which is treated as a failure to retry: FRR 8.4 rejects some
 * lines on their first application (e.g. `neighbor X graceful-restart`) and accepts the retry.
 */
export async function applyConfig(text: string, target: ApplyTarget, io: { run: CommandRunner; write: FileWriter }, prev?: string): Promise<ApplyResult> {
  const argv = [...(target.reloadCommand ?? defaultReloadCommand(target)), target.configPath];
  if (prev !== undefined) await runBatch(prev, text, target, io);
  try {
    await io.write(target.configPath, text, 0o600);
  } catch (err) {
    return { ok: false, error: `writing ${target.configPath}: ${String(err)}` };
  }
  const res = await io.run(argv, target.commandTimeoutMs);
  if (res.code === 0) return { ok: true };
  const said = redactPasswords((res.stderr || res.stdout).trim().slice(-400));
  return { ok: false, error: `exit ${res.code}${res.timedOut ? ' (timed out)' : ''}: ${said}` };
}

/**
 * runBatch runs batch.ts's script with one `vtysh -f`. Best effort: a failure (say, a line FRR no
 * longer has) only means frr-reload does the rest line by line.
 */
async function runBatch(prev: string, next: string, target: ApplyTarget, io: { run: CommandRunner; write: FileWriter }): Promise<void> {
  const batch = batchScript(prev, next);
  if (!batch) return;
  const file = `${target.configPath}.batch`;
  try {
    await io.write(file, batch.script, 0o600);
    await io.run([...vtyshArgv(target), '-f', file], target.commandTimeoutMs);
  } catch {
    // frr-reload.py below is authoritative and removes whatever is left.
  }
}
