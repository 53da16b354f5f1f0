// Child processes of the lab: started with their output going to a log file, stopped with a
// signal and a bounded wait, and always killed on teardown.
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';

/** Proc is one tracked child process. */
export interface Proc {
  name: string;
  child: ChildProcess;
  log: string;
  /** exited resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
}

/** track wires a child's output to `log` and records its exit. */
export function track(name: string, child: ChildProcess, log: string): Proc {
  const out = fs.createWriteStream(log, { flags: 'a' });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? String(code)));
    child.once('error', (err) => resolve(`error: ${err.message}`));
  });
  void exited.then(() => out.end());
  return { name, child, log, exited };
}

/** alive tells whether the process has not exited yet. */
export function alive(p: Proc): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}

/** stopProc sends `signal` and waits up to `ms`, then SIGKILLs; resolves when it is gone. */
export async function stopProc(p: Proc, signal: NodeJS.Signals = 'SIGTERM', ms = 5000): Promise<void> {
  if (!alive(p)) return;
  p.child.kill(signal);
  const timer = setTimeout(() => { if (alive(p)) p.child.kill('SIGKILL'); }, ms);
  await p.exited;
  clearTimeout(timer);
}

/** waitUntil polls `check` every `everyMs` until it returns a value, or throws after `ms`. */
export async function waitUntil<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms: number, everyMs = 20): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`lab: timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
