// YAML loading that keeps what MetalLB's decoder (gopkg.in/yaml.v2, YAML 1.1) could see and js-yaml's
// YAML 1.2 core schema would lose: whether a scalar was quoted, and its exact text. Plain (unquoted)
// scalars load as PlainScalar; quoted and block scalars load as strings. The typed decoders then
// resolve a PlainScalar against the field it lands in: `yes` into a bool is true, `"yes"` into a bool
// is an error, and `password: 0123` stays the string "0123".
import * as yaml from 'js-yaml';
import { ConfigError, ConfigErrors } from '../model/errors.js';

/** PlainScalar is an unquoted YAML scalar, kept as its source text until a field gives it a type. */
export class PlainScalar {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

// Plain scalars are interned per load, so a key written after a merge (`<<: *base`) is the very
// object js-yaml recorded as overridable and may override the merged value, as in yaml.v2.
let interned: Map<string, PlainScalar> | undefined;
function plain(text: string): PlainScalar {
  let p = interned?.get(text);
  if (!p) {
    p = new PlainScalar(text);
    interned?.set(text, p);
  }
  return p;
}

const plainTag = yaml.defineScalarTag<PlainScalar>('tag:lbctl.dev,2026:plain', {
  implicit: true,
  implicitFirstChars: null,
  resolve: (source) => plain(source),
  identify: (d) => d instanceof PlainScalar,
  represent: (d: PlainScalar) => d.text,
});

function keyText(key: unknown): string | undefined {
  if (key instanceof PlainScalar) return key.text;
  return typeof key === 'string' ? key : undefined;
}

// Mappings become ordinary objects keyed by the key's text; duplicates are refused by js-yaml itself
// (json: false), which is what UnmarshalStrict does. defineProperty keeps `__proto__` an own key.
const mapTag = yaml.defineMappingTag<Record<string, unknown>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  addPair: (carrier, key, value) => {
    const k = keyText(key);
    if (k === undefined) return 'mapping keys must be scalars';
    if (k === '__proto__') Object.defineProperty(carrier, k, { value, enumerable: true, writable: true, configurable: true });
    else carrier[k] = value;
    return '';
  },
  has: (carrier, key) => {
    const k = keyText(key);
    return k !== undefined && Object.prototype.hasOwnProperty.call(carrier, k);
  },
  keys: (result) => Object.keys(result).map(plain),
  get: (result, key) => result[keyText(key) ?? ''],
  identify: (d) => d !== null && typeof d === 'object' && !Array.isArray(d) && !(d instanceof PlainScalar),
});

// Merge keys (`<<: *base`) work as in yaml.v2; the merge tag must precede the catch-all plain tag.
const schema = yaml.FAILSAFE_SCHEMA.withTags(yaml.mergeTag, plainTag, mapTag);

/** YAML_LIMITS bound the work one document may cause (alias bombs, deep nesting). */
export const YAML_LIMITS = { maxAliases: 1000, maxDepth: 64, maxNodes: 200_000 };

/**
 * loadYAML parses every document of a YAML stream with plain scalars kept as PlainScalar.
 * Empty documents are dropped. Throws ConfigErrors (code config.yaml) naming the source and position.
 */
export function loadYAML(text: string, source: string): unknown[] {
  let docs: unknown[];
  interned = new Map();
  try {
    docs = yaml.loadAll(text, { schema, filename: source, maxAliases: YAML_LIMITS.maxAliases, maxDepth: YAML_LIMITS.maxDepth });
  } catch (err) {
    const reason = err instanceof yaml.YAMLException ? compactYAMLError(err) : String(err);
    throw new ConfigErrors([new ConfigError('config.yaml', `config: ${source}: could not parse YAML: ${reason}`, { object: source })]);
  } finally {
    interned = undefined;
  }
  return docs.filter((d) => !isNullish(d));
}

function compactYAMLError(err: InstanceType<typeof yaml.YAMLException>): string {
  const mark = err.mark as { line?: number; column?: number } | undefined;
  const at = mark && typeof mark.line === 'number' ? ` (line ${mark.line + 1}, column ${(mark.column ?? 0) + 1})` : '';
  return `${err.reason}${at}`;
}

const nullTexts = new Set(['', '~', 'null', 'Null', 'NULL']);
const trueTexts = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const falseTexts = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

/** isNullish tells whether a loaded value is YAML null (absent, `~`, `null`, or an empty plain value). */
export function isNullish(v: unknown): boolean {
  return v === undefined || v === null || (v instanceof PlainScalar && nullTexts.has(v.text));
}

/** plainBool resolves a plain scalar as a YAML 1.1 boolean (yes/no/on/off/y/n too), or undefined. */
export function plainBool(p: PlainScalar): boolean | undefined {
  if (trueTexts.has(p.text)) return true;
  if (falseTexts.has(p.text)) return false;
  return undefined;
}

/**
 * plainInt resolves a plain scalar as a YAML 1.1 integer the way yaml.v2 does (underscores ignored,
 * 0x/0o/0b prefixes, a leading 0 meaning octal), or undefined when it is not a safe integer.
 */
export function plainInt(p: PlainScalar): number | undefined {
  const t = p.text.replace(/_/g, '');
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]+|[1-9][0-9]*|0)$/.exec(t);
  if (!m || p.text.startsWith('_')) return undefined;
  const digits = m[2]!;
  const literal = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits.replace(/^0([XOB])/, (_, c: string) => `0${c.toLowerCase()}`);
  const big = BigInt(literal) * (m[1] === '-' ? -1n : 1n);
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** resolvePlain gives a plain scalar its YAML 1.1 type: null, boolean, integer, float or string. */
export function resolvePlain(p: PlainScalar): null | boolean | number | string {
  if (nullTexts.has(p.text)) return null;
  const b = plainBool(p);
  if (b !== undefined) return b;
  const i = plainInt(p);
  if (i !== undefined) return i;
  if (/^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/.test(p.text)) return Number(p.text.replace(/_/g, ''));
  return p.text;
}

/**
 * toJSONValue turns a loaded tree into plain JSON data (plain scalars resolved as YAML 1.1, as
 * Kubernetes' YAML reader does). Alias cycles and oversized trees are ConfigErrors, never hangs.
 */
export function toJSONValue(tree: unknown, source: string): unknown {
  let nodes = 0;
  const stack = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (++nodes > YAML_LIMITS.maxNodes) throw yamlError(source, `document expands to more than ${YAML_LIMITS.maxNodes} nodes`);
    if (v instanceof PlainScalar) return resolvePlain(v);
    if (v === null || typeof v !== 'object') return v;
    if (stack.has(v)) throw yamlError(source, 'document contains an alias cycle');
    stack.add(v);
    try {
      if (Array.isArray(v)) return v.map(walk);
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(v)) {
        if (k === '__proto__') Object.defineProperty(out, k, { value: walk(val), enumerable: true, writable: true, configurable: true });
        else out[k] = walk(val);
      }
      return out;
    } finally {
      stack.delete(v);
    }
  };
  return walk(tree);
}

function yamlError(source: string, what: string): ConfigErrors {
  return new ConfigErrors([new ConfigError('config.yaml', `config: ${source}: ${what}`, { object: source })]);
}
