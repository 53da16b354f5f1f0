// The model diff behind the proof: two Config models are turned into plain comparable data (CIDRs as
// text, named lists keyed by name so order does not matter, passwords compared but never printed)
// and walked side by side. Every difference comes back as one line naming the path and both values.
import { formatCIDR, type Config } from '../model/index.js';

/** Difference is one place where two models disagree. */
export interface Difference {
  /** path like `pools[web].bgpAdvertisements[0].localPref`. */
  path: string;
  /** left and right are printable values (`<absent>` when missing, `<redacted>` for passwords). */
  left: string;
  right: string;
}

type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };

/** comparable turns a model into plain data: CIDRs printed, undefined fields removed. */
export function comparable(config: Config): Plain {
  return JSON.parse(
    JSON.stringify(config, (key, value: unknown) => {
      if (key === 'cidrs' && Array.isArray(value)) return value.map((c) => formatCIDR(c));
      return typeof value === 'bigint' ? value.toString() : value;
    }),
  ) as Plain;
}

function isNamedList(v: Plain[]): v is { name: string }[] & Plain[] {
  return v.length > 0 && v.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e) && typeof e.name === 'string');
}

function uniqueNames(l: Plain[]): boolean {
  const names = l.map((e) => (e as { name: string }).name);
  return new Set(names).size === names.length;
}

function show(path: string, v: Plain | undefined): string {
  if (v === undefined) return '<absent>';
  if (/(^|\.)password$/.test(path)) return '<redacted>';
  return JSON.stringify(v);
}

function walk(path: string, a: Plain | undefined, b: Plain | undefined, out: Difference[]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    // Named lists (pools, peers, profiles) compare by name: order is handled by the caller's warning.
    if ((isNamedList(a) || a.length === 0) && (isNamedList(b) || b.length === 0) && a.length + b.length > 0 && uniqueNames(a) && uniqueNames(b)) {
      const byName = (l: Plain[]) => new Map(l.map((e) => [(e as { name: string }).name, e]));
      const ma = byName(a);
      const mb = byName(b);
      for (const n of [...new Set([...ma.keys(), ...mb.keys()])].sort()) walk(`${path}[${n}]`, ma.get(n), mb.get(n), out);
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(`${path}[${i}]`, a[i], b[i], out);
    return;
  }
  const isObj = (v: Plain | undefined): v is { [k: string]: Plain } => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      walk(path === '' ? k : `${path}.${k}`, a[k], b[k], out);
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, left: show(path, a), right: show(path, b) });
}

/** diffConfigs lists every difference between two models, ignoring the order of named lists. */
export function diffConfigs(left: Config, right: Config): Difference[] {
  const out: Difference[] = [];
  walk('', comparable(left), comparable(right), out);
  return out;
}

/** formatDifferences prints differences one per line, with the two sides labelled. */
export function formatDifferences(diffs: Difference[], leftLabel: string, rightLabel: string): string[] {
  return diffs.map((d) => `${d.path}: ${leftLabel} ${d.left}, ${rightLabel} ${d.right}`);
}
