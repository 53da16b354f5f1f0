// The set of used slots of one CIDR, stored as disjoint, non-adjacent intervals in a treap keyed by
// interval start. Because adjacent used slots merge, the lowest free slot is always "0, or the end
// of the first interval plus one": finding it costs one walk to the leftmost node, O(log n) expected
// in the number of intervals, and filling a pool in order keeps a single node. Priorities come from a
// fixed-seed generator so the tree shape, and any timing, is reproducible.

interface Node {
  start: bigint;
  end: bigint;
  readonly pri: number;
  left: Node | null;
  right: Node | null;
}

/** IntervalSet is a set of non-negative bigints (slots) with fast lowest-absent lookup. */
export class IntervalSet {
  private root: Node | null = null;
  private seed = 0x2545f491;
  private members = 0n;
  private nodes = 0;

  /** size is the number of members (exact). */
  get size(): bigint {
    return this.members;
  }

  /** intervalCount is the number of stored intervals (a measure of fragmentation). */
  get intervalCount(): number {
    return this.nodes;
  }

  /** has tells whether a slot is a member. */
  has(x: bigint): boolean {
    const f = this.floor(x);
    return f !== null && f.end >= x;
  }

  /** lowestAbsent returns the lowest slot in [0, limit) that is not a member, or undefined. */
  lowestAbsent(limit: bigint): bigint | undefined {
    let n = this.root;
    if (n === null) return limit > 0n ? 0n : undefined;
    while (n.left !== null) n = n.left;
    const candidate = n.start > 0n ? 0n : n.end + 1n;
    return candidate < limit ? candidate : undefined;
  }

  /** add inserts a slot; returns false when it was already a member. */
  add(x: bigint): boolean {
    const f = this.floor(x);
    if (f !== null && f.end >= x) return false;
    const s = this.ceiling(x + 1n);
    const joinsLeft = f !== null && f.end === x - 1n;
    const joinsRight = s !== null && s.start === x + 1n;
    if (joinsLeft && joinsRight) {
      f.end = s.end;
      this.removeNode(s.start);
    } else if (joinsLeft) {
      f.end = x;
    } else if (joinsRight) {
      s.start = x; // still between its neighbours, so the tree order holds
    } else {
      this.insertNode({ start: x, end: x, pri: this.nextPriority(), left: null, right: null });
    }
    this.members += 1n;
    return true;
  }

  /** delete removes a slot; returns false when it was not a member. */
  delete(x: bigint): boolean {
    const f = this.floor(x);
    if (f === null || f.end < x) return false;
    if (f.start === x && f.end === x) this.removeNode(x);
    else if (f.start === x) f.start = x + 1n;
    else if (f.end === x) f.end = x - 1n;
    else {
      const tail: Node = { start: x + 1n, end: f.end, pri: this.nextPriority(), left: null, right: null };
      f.end = x - 1n;
      this.insertNode(tail);
    }
    this.members -= 1n;
    return true;
  }

  /** height is the depth of the tree (diagnostics: tests check it stays logarithmic). */
  height(): number {
    const depth = (n: Node | null): number => (n === null ? 0 : 1 + Math.max(depth(n.left), depth(n.right)));
    return depth(this.root);
  }

  /** intervals lists the stored intervals in order (for tests and diagnostics). */
  intervals(): [bigint, bigint][] {
    const out: [bigint, bigint][] = [];
    const stack: Node[] = [];
    let n = this.root;
    while (n !== null || stack.length > 0) {
      while (n !== null) {
        stack.push(n);
        n = n.left;
      }
      const top = stack.pop()!;
      out.push([top.start, top.end]);
      n = top.right;
    }
    return out;
  }

  /** floor is the node with the greatest start <= x. */
  private floor(x: bigint): Node | null {
    let n = this.root;
    let best: Node | null = null;
    while (n !== null) {
      if (n.start <= x) {
        best = n;
        n = n.right;
      } else n = n.left;
    }
    return best;
  }

  /** ceiling is the node with the least start >= x. */
  private ceiling(x: bigint): Node | null {
    let n = this.root;
    let best: Node | null = null;
    while (n !== null) {
      if (n.start >= x) {
        best = n;
        n = n.left;
      } else n = n.right;
    }
    return best;
  }

  private insertNode(node: Node): void {
    const [l, r] = split(this.root, node.start);
    this.root = merge(merge(l, node), r);
    this.nodes += 1;
  }

  private removeNode(start: bigint): void {
    const [l, rest] = split(this.root, start);
    const [, r] = split(rest, start + 1n);
    this.root = merge(l, r);
    this.nodes -= 1;
  }

  private nextPriority(): number {
    // xorshift32: deterministic, cheap, good enough to keep the treap balanced.
    let s = this.seed;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.seed = s >>> 0;
    return this.seed;
  }
}

/** split divides a tree into nodes with start < key and start >= key. */
function split(n: Node | null, key: bigint): [Node | null, Node | null] {
  if (n === null) return [null, null];
  if (n.start < key) {
    const [l, r] = split(n.right, key);
    n.right = l;
    return [n, r];
  }
  const [l, r] = split(n.left, key);
  n.left = r;
  return [l, n];
}

/** merge joins two trees where every start in a is below every start in b. */
function merge(a: Node | null, b: Node | null): Node | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.pri > b.pri) {
    a.right = merge(a.right, b);
    return a;
  }
  b.left = merge(a, b.left);
  return b;
}
