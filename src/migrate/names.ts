// Object names for the generated CRDs. Kubernetes wants DNS-1123 subdomains (lowercase letters,
// digits, `-` and `.`, each dot-separated part starting and ending with a letter or digit, at most
// 253 characters); legacy names were free text. We repair names the least surprising way
// (`My_Pool` -> `my-pool`) and refuse a repair that makes two different originals collide, because
// picking a winner would silently merge two pools.
import { ConfigError } from '../model/index.js';

/** MAX_NAME is the longest Kubernetes object name (DNS-1123 subdomain). */
export const MAX_NAME = 253;

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** isValidName tells whether a string is already a valid object name. */
export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME && subdomain.test(name);
}

/**
 * coerceName repairs a free-text name into a DNS-1123 subdomain: lowercase, every run of other
 * characters becomes one `-`, each dot-separated part is trimmed of `-`, empty parts are dropped and
 * the result is cut to `max` characters. Returns undefined when no letter or digit is left.
 */
export function coerceName(name: string, max = MAX_NAME): string | undefined {
  if (isValidName(name) && name.length <= max) return name;
  const parts = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .split('.')
    .map((p) => p.replace(/-+/g, '-').replace(/^-+|-+$/g, ''))
    .filter((p) => p !== '');
  let out = parts.join('.').slice(0, max);
  // Cutting may leave a trailing `-` or `.`; names must end with a letter or digit.
  out = out.replace(/[-.]+$/, '');
  return out === '' ? undefined : out;
}

/** derivedName joins a base name and a suffix, shortening the base so the result stays a valid name. */
export function derivedName(base: string, suffix: string): string {
  const room = MAX_NAME - suffix.length - 1;
  const head = base.length > room ? base.slice(0, room).replace(/[-.]+$/, '') : base;
  return `${head}-${suffix}`;
}


/**
 * NameTable hands out object names per kind and refuses collisions, naming both originals.
 * Kubernetes names are unique per kind and namespace, so each kind has its own table.
 */
export class NameTable {
  /** byKind maps kind -> name -> the legacy object that got it (e.g. `pool #1 "My_Pool"`). */
  private readonly byKind = new Map<string, Map<string, string>>();

  /** claim reserves `name` for the object `origin` describes; throws ConfigError naming both on a clash. */
  claim(kind: string, name: string, origin: string): string {
    let names = this.byKind.get(kind);
    if (!names) this.byKind.set(kind, (names = new Map()));
    const prev = names.get(name);
    if (prev) {
      throw new ConfigError(
        'migrate.name-collision',
        `migrate: ${prev} and ${origin} would both become ${kind} ${JSON.stringify(name)}; rename one of them in the legacy config`,
        { object: origin, field: 'name' },
      );
    }
    names.set(name, origin);
    return name;
  }
}

/**
 * coerceOrFail coerces a legacy name and claims it, or throws ConfigError when nothing usable is left.
 * Returns the new name; `renamed` tells the caller whether it differs from the original.
 */
export function coerceOrFail(
  table: NameTable,
  kind: string,
  original: string,
  origin: string,
): { name: string; renamed: boolean } {
  const name = coerceName(original);
  if (name === undefined) {
    throw new ConfigError(
      'migrate.bad-name',
      `migrate: ${origin}: name ${JSON.stringify(original)} has no letter or digit to build a Kubernetes name from`,
      { object: origin, field: 'name' },
    );
  }
  return { name: table.claim(kind, name, origin), renamed: name !== original };
}
