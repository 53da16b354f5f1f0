// Typed errors shared by every layer. Callers branch on `code`, users read `message`.

/** ConfigError is a permanent config rejection naming the object, the field and the bad value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** code is stable: callers branch on it. */
  readonly code: string;
  /** object names the offending object, e.g. `pool "a"` or `IPAddressPool metallb-system/a`. */
  readonly object: string | undefined;
  /** field is the path of the offending field, e.g. `addresses[1]`. */
  readonly field: string | undefined;
  /** transient marks errors that may resolve by themselves (a referenced Secret not there yet). */
  readonly transient: boolean;

  constructor(code: string, message: string, opts: { object?: string; field?: string; transient?: boolean } = {}) {
    super(message);
    this.code = code;
    this.object = opts.object;
    this.field = opts.field;
    this.transient = opts.transient ?? false;
  }
}

/** ConfigErrors gathers several ConfigErrors so one run reports every problem it found. */
export class ConfigErrors extends Error {
  override readonly name = 'ConfigErrors';
  readonly code = 'config.invalid';
  readonly errors: ConfigError[];
  /** warnings noticed before the parse failed (deprecated spellings...), so they can be shown too. */
  readonly warnings: { code: string; message: string; object?: string; field?: string }[];

  constructor(errors: ConfigError[], warnings: { code: string; message: string; object?: string; field?: string }[] = []) {
    super(errors.map((e) => e.message).join('\n'));
    this.errors = errors;
    this.warnings = warnings;
  }
}
