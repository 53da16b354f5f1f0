// Small helpers for plain-data records used as maps and for deep-equality keys.

/** hasOwn is Object.hasOwn for records used as maps (keys come from user input, even `__proto__`). */
export function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** setOwn sets an own enumerable property, safe for any key including `__proto__`. */
export function setOwn<T>(o: Record<string, T>, k: string, v: T): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** dropUndefined removes keys whose value is undefined, so models compare with deep equality. */
export function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** stableKey is a JSON text of a value with object keys sorted, for deep-equality checks. */
export function stableKey(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : val,
  );
}
