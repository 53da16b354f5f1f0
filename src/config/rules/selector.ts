// Label selectors as Kubernetes validates them (metav1.LabelSelectorAsSelector): label key and value
// syntax, the four operators, In/NotIn need values, Exists/DoesNotExist take none.
import { formatSelector, matchesSelector, type LabelSelector, type SelectorOperator } from '../../model/selector.js';
import { quote, type Problems, type Where } from './problems.js';

/** RawSelector is a selector as written, before validation (legacy or CRD spelling mapped in). */
export interface RawSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

const nameRe = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const operators: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** labelKeyProblem explains why a label key is invalid, or returns undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !prefix.split('.').every((l) => dnsLabel.test(l))) {
      return `label key ${quote(key)} has an invalid prefix (a DNS subdomain is required)`;
    }
  }
  if (name.length > 63 || !nameRe.test(name)) return `label key ${quote(key)} is invalid (name part: up to 63 alphanumerics, '-', '_', '.')`;
  return undefined;
}

/** labelValueProblem explains why a label value is invalid, or returns undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  return value.length <= 63 && nameRe.test(value) ? undefined : `label value ${quote(value)} is invalid (up to 63 alphanumerics, '-', '_', '.')`;
}

/** convertSelector validates a selector and returns its model form (undefined after an error). */
export function convertSelector(raw: RawSelector, where: Where, problems: Problems): LabelSelector | undefined {
  const before = problems.errors.length;
  const bad = (text: string): void => problems.error('config.selector', where, `invalid node selector: ${text}`);
  const matchLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.matchLabels ?? {})) {
    const p = labelKeyProblem(k) ?? labelValueProblem(v);
    if (p) bad(p);
    else matchLabels[k] = v;
  }
  const matchExpressions: LabelSelector['matchExpressions'] = [];
  for (const e of raw.matchExpressions ?? []) {
    const values = e.values ?? [];
    if (!e.key) bad('a match expression has no key');
    else if (labelKeyProblem(e.key)) bad(labelKeyProblem(e.key)!);
    else if (!e.operator) bad(`the expression on ${quote(e.key)} has no operator`);
    else if (!operators.includes(e.operator as SelectorOperator)) bad(`${quote(e.operator)} is not a valid selector operator (In, NotIn, Exists, DoesNotExist)`);
    else if ((e.operator === 'In' || e.operator === 'NotIn') && values.length === 0) bad(`operator ${e.operator} on ${quote(e.key)} needs at least one value`);
    else if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && values.length > 0) bad(`operator ${e.operator} on ${quote(e.key)} takes no values`);
    else if (values.some((v) => labelValueProblem(v))) bad(values.map(labelValueProblem).find((x) => x)!);
    else matchExpressions.push({ key: e.key, operator: e.operator as SelectorOperator, values: [...values] });
  }
  return problems.errors.length > before ? undefined : { matchLabels, matchExpressions };
}

/**
 * normaliseSelectors applies MetalLB's list reading (any selector may match) to the model: a list that
 * holds an empty selector matches every object, which the model writes as the empty list.
 */
export function normaliseSelectors(list: LabelSelector[]): LabelSelector[] {
  const empty = (s: LabelSelector): boolean => Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
  return list.some(empty) ? [] : list;
}

/** duplicateSelector returns the index of the first selector equal to an earlier one (values sorted). */
export function duplicateSelector(list: LabelSelector[]): number | undefined {
  const seen = new Set<string>();
  for (const [i, s] of list.entries()) {
    const k = formatSelector(s);
    if (seen.has(k)) return i;
    seen.add(k);
  }
  return undefined;
}

/**
 * selectorListsMayMeet tells whether two selector lists could select a common object. With known
 * objects it is exact; without, two lists are apart only when every pair of their selectors demands
 * different values for one matchLabels key.
 */
export function selectorListsMayMeet(a: LabelSelector[], b: LabelSelector[], objects?: Record<string, string>[]): boolean {
  if (objects) {
    const any = (l: LabelSelector[], labels: Record<string, string>): boolean => l.length === 0 || l.some((s) => matchesSelector(s, labels));
    return objects.some((o) => any(a, o) && any(b, o));
  }
  if (a.length === 0 || b.length === 0) return true;
  const apart = (x: LabelSelector, y: LabelSelector): boolean =>
    Object.entries(x.matchLabels).some(([k, v]) => k in y.matchLabels && y.matchLabels[k] !== v);
  return a.some((x) => b.some((y) => !apart(x, y)));
}
