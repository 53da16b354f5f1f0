// A small, fully deterministic YAML writer for the manifests migrate emits. Key order is the order
// the objects were built in (so the output reads like a hand-written manifest and diffs stay small),
// sequences sit at their key's indentation (kubectl's style), and a string is written plain only
// when both YAML 1.1 readers (kubectl, yaml.v2) and YAML 1.2 readers (js-yaml) read it back as the
// same string: `64512:1` is a base-60 integer to YAML 1.1 and `yes` a boolean, so those are quoted.
import * as yaml from 'js-yaml';

/** YamlValue is the subset of data migrate writes: no null, no undefined, no cycles. */
export type YamlValue = string | number | boolean | YamlValue[] | { [key: string]: YamlValue };

const plainChars = /^[A-Za-z0-9][A-Za-z0-9._/:-]*$/;

/** isPlainSafe tells whether a string can be written without quotes and read back unchanged. */
export function isPlainSafe(s: string): boolean {
  if (!plainChars.test(s) || s.endsWith(':')) return false;
  if (fastPlain.some((re) => re.test(s)) && !yamlWords.has(s.toLowerCase())) return true;
  let known = readBackCache.get(s);
  if (known === undefined) {
    known = readsBack(s);
    if (readBackCache.size < 10_000) readBackCache.set(s, known);
  }
  return known;
}

// Loading a scalar with two schemas is slow (~0.1 ms), so the shapes that make up almost all of a
// manifest are recognised directly: words (apart from YAML keywords) and dotted IPv4 text are
// strings under every YAML version. Everything else is checked once and remembered.
const fastPlain = [/^[A-Za-z][A-Za-z0-9-]*$/, /^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)*(\/[A-Za-z0-9.-]+)*$/, /^[0-9]{1,3}(\.[0-9]{1,3}){3}(\/[0-9]{1,3})?$/];
const yamlWords = new Set(['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 'null']);
const readBackCache = new Map<string, boolean>();

function readsBack(s: string): boolean {
  for (const schema of [yaml.YAML11_SCHEMA, yaml.CORE_SCHEMA]) {
    try {
      if (yaml.load(s, { schema }) !== s) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** quoteScalar writes a string plain when that is safe, otherwise double-quoted (JSON escapes are valid YAML). */
export function quoteScalar(s: string): string {
  return isPlainSafe(s) ? s : JSON.stringify(s);
}

/**
 * isBlockSafe tells whether a multi-line string can be a literal block (`|`): it must not start with
 * a space (that would need an indentation indicator) and must have no tabs, CRs or trailing blanks.
 */
function isBlockSafe(s: string): boolean {
  return s.includes('\n') && !/^[ \n]/.test(s) && !/[\t\r]|[ ]\n|[ ]$|\n\n$/.test(s);
}

function blockHeader(s: string): string {
  return s.endsWith('\n') ? '|' : '|-';
}

function blockLines(s: string, indent: number): string[] {
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  return body.split('\n').map((l) => (l === '' ? '' : `${' '.repeat(indent)}${l}`));
}

function scalar(v: string | number | boolean): string {
  if (typeof v === 'string') return quoteScalar(v);
  if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`yaml: cannot write ${v}`);
  return String(v);
}

function isScalar(v: YamlValue): v is string | number | boolean {
  return typeof v !== 'object';
}

function isEmpty(v: YamlValue): boolean {
  return Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0;
}

function emptyForm(v: YamlValue): string {
  return Array.isArray(v) ? '[]' : '{}';
}

/** Lines of a mapping at `indent` spaces. */
function mappingLines(obj: { [key: string]: YamlValue }, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = quoteScalar(k);
    if (typeof v === 'string' && isBlockSafe(v)) out.push(`${pad}${key}: ${blockHeader(v)}`, ...blockLines(v, indent + 2));
    else if (isScalar(v)) out.push(`${pad}${key}: ${scalar(v)}`);
    else if (isEmpty(v)) out.push(`${pad}${key}: ${emptyForm(v)}`);
    else if (Array.isArray(v)) out.push(`${pad}${key}:`, ...sequenceLines(v, indent));
    else out.push(`${pad}${key}:`, ...mappingLines(v, indent + 2));
  }
  return out;
}

/** Lines of a sequence whose dashes sit at `indent` spaces. */
function sequenceLines(items: YamlValue[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  for (const item of items) {
    if (isScalar(item)) out.push(`${pad}- ${scalar(item)}`);
    else if (isEmpty(item)) out.push(`${pad}- ${emptyForm(item)}`);
    else if (Array.isArray(item)) out.push(`${pad}-`, ...sequenceLines(item, indent + 2));
    else {
      // The first key shares the dash's line; the rest line up under it.
      const inner = mappingLines(item, indent + 2);
      out.push(`${pad}- ${inner[0]!.slice(indent + 2)}`, ...inner.slice(1));
    }
  }
  return out;
}

/** asYaml drops undefined fields from decoded or typed data so it can be written. */
export function asYaml(value: unknown): YamlValue {
  return JSON.parse(JSON.stringify(value)) as YamlValue;
}

/** toYaml writes one document (without the `---` separator), ending in a newline. */
export function toYaml(doc: YamlValue): string {
  if (isScalar(doc)) return `${scalar(doc)}\n`;
  if (isEmpty(doc)) return `${emptyForm(doc)}\n`;
  const lines = Array.isArray(doc) ? sequenceLines(doc, 0) : mappingLines(doc, 0);
  return `${lines.join('\n')}\n`;
}

/** toMultiDocYaml writes a header comment and the documents, each introduced by `---`. */
export function toMultiDocYaml(header: string[], docs: YamlValue[]): string {
  const head = header.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n');
  const body = docs.map((d) => `---\n${toYaml(d)}`).join('');
  return `${head}${head ? '\n' : ''}${body}`;
}
