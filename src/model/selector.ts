// Kubernetes label selectors (metav1.LabelSelector) as plain data, and matching against labels.

/** SelectorOperator is one of the four set-based operators Kubernetes accepts. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** SelectorRequirement is one matchExpressions entry. */
export interface SelectorRequirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

/** LabelSelector selects objects by labels; an empty selector selects everything. */
export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: SelectorRequirement[];
}

/** Labels is an object's label map. */
export type Labels = Readonly<Record<string, string>>;

/** everything is the selector that matches every object. */
export function everything(): LabelSelector {
  return { matchLabels: {}, matchExpressions: [] };
}

/** matchesSelector tells whether one selector matches a label set (all terms must hold). */
export function matchesSelector(sel: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  return sel.matchExpressions.every((e) => matchesRequirement(e, labels));
}

function matchesRequirement(req: SelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'In':
      return has && req.values.includes(labels[req.key]!);
    case 'NotIn':
      return !has || !req.values.includes(labels[req.key]!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/**
 * matchesAny is how MetalLB reads a list of selectors: an empty list matches everything,
 * otherwise any one matching selector is enough.
 */
export function matchesAny(selectors: readonly LabelSelector[], labels: Labels): boolean {
  return selectors.length === 0 || selectors.some((s) => matchesSelector(s, labels));
}

/** formatSelector prints a selector like Kubernetes' String(): `bar in (quux),foo=bar`. */
export function formatSelector(sel: LabelSelector): string {
  const terms: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels)) terms.push(`${k}=${v}`);
  for (const e of sel.matchExpressions) {
    const vals = [...e.values].sort().join(',');
    if (e.operator === 'In') terms.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') terms.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') terms.push(e.key);
    else terms.push(`!${e.key}`);
  }
  return terms.sort().join(',');
}
