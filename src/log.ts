// One logger factory for every process: pino JSON, one event per line. The level comes from
// LBCTL_LOG_LEVEL (tests set `silent`). BGP passwords are redacted wherever they appear.
import { pino, type Logger } from 'pino';

/** createLogger returns a child logger tagged with the component name. */
export function createLogger(component: string, level = process.env.LBCTL_LOG_LEVEL ?? 'info'): Logger {
  return root(level).child({ component });
}

let base: Logger | undefined;
function root(level: string): Logger {
  base ??= pino({
    level,
    base: { pid: process.pid },
    redact: { paths: ['password', '*.password', '*.*.password', 'peer.password'], censor: '<redacted>' },
  });
  return base;
}

export type { Logger };
