// One collector for semantic findings, so every rule words its errors the same way:
// `config: <object>: <field>: <what is wrong, with the value>`.
import { ConfigError, ConfigErrors } from '../../model/errors.js';
import type { ConfigWarning } from '../../model/config.js';

/** Where names the object and the field a finding is about. */
export interface Where {
  /** object, e.g. `address pool "a"`, `peer #2`, `IPAddressPool "a"`. */
  object: string;
  field?: string;
}

/** Problems gathers errors and warnings found while building a config. */
export class Problems {
  readonly errors: ConfigError[] = [];
  readonly warnings: ConfigWarning[] = [];

  /** error records a permanent rejection (or a transient one: a reference that may appear later). */
  error(code: string, where: Where, text: string, transient = false): void {
    this.errors.push(new ConfigError(code, format(where, text), { object: where.object, field: where.field, transient }));
  }

  /** warn records a non-fatal finding (a deprecated spelling, an ignored object). */
  warn(code: string, where: Where, text: string): void {
    this.warnings.push({ code, message: format(where, text), object: where.object, field: where.field });
  }

  /** adopt takes errors produced elsewhere (decoders, schema checks). */
  adopt(errors: ConfigError[]): void {
    this.errors.push(...errors);
  }

  /** failIfAny throws ConfigErrors holding every error so far. */
  failIfAny(): void {
    if (this.errors.length > 0) throw new ConfigErrors([...this.errors], [...this.warnings]);
  }
}

function format(where: Where, text: string): string {
  return `config: ${where.object}: ${where.field ? `${where.field}: ` : ''}${text}`;
}

/** at returns a Where for a field of an object, joining a base path (e.g. `spec`). */
export function at(object: string, base: string, field?: string): Where {
  if (field === undefined || field === '') return { object, field: base || undefined };
  return { object, field: base ? `${base}.${field}` : field };
}

/** quote prints a user value for a message. */
export function quote(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}
