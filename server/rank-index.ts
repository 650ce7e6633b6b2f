/**
 * An order-statistic index of one hunt's board, kept on a front node: each member's board
 * value and its rank in Redis's own order (ZREVRANK), in O(log N) per update and per lookup.
 * A randomized treap whose nodes count their subtree.
 *
 * Order: the higher value first; of equal values, the member that sorts later first, as
 * ZREVRANGE does (Redis compares members byte by byte; ids here are ASCII, where JavaScript's
 * comparison agrees). The board's values already break score ties by time (rooms/score.ts), so
 * equal values are rare, but the index follows Redis there too.
 */

interface TreapNode {
  member: string;
  value: number;
  priority: number;
  size: number;
  left: TreapNode | null;
  right: TreapNode | null;
}

const sizeOf = (n: TreapNode | null): number => (n === null ? 0 : n.size);

/** True when (value, member) a ranks before b on the board. */
function ranksBefore(aValue: number, aMember: string, bValue: number, bMember: string): boolean {
  return aValue > bValue || (aValue === bValue && aMember > bMember);
}
const before = (aValue: number, aMember: string, b: TreapNode): boolean =>
  ranksBefore(aValue, aMember, b.value, b.member);

function resize(n: TreapNode): TreapNode {
  n.size = 1 + sizeOf(n.left) + sizeOf(n.right);
  return n;
}

/** Splits t into the nodes that rank before (value, member) and the rest. */
function split(t: TreapNode | null, value: number, member: string): [TreapNode | null, TreapNode | null] {
  if (t === null) return [null, null];
  if (ranksBefore(t.value, t.member, value, member)) {
    const [l, r] = split(t.right, value, member);
    t.right = l;
    return [resize(t), r];
  }
  const [l, r] = split(t.left, value, member);
  t.left = r;
  return [l, resize(t)];
}

/** Joins a and b, every node of a ranking before every node of b. */
function merge(a: TreapNode | null, b: TreapNode | null): TreapNode | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.priority > b.priority) {
    a.right = merge(a.right, b);
    return resize(a);
  }
  b.left = merge(a, b.left);
  return resize(b);
}

function insert(t: TreapNode | null, n: TreapNode): TreapNode {
  if (t === null) return n;
  if (n.priority > t.priority) {
    [n.left, n.right] = split(t, n.value, n.member);
    return resize(n);
  }
  if (before(n.value, n.member, t)) t.left = insert(t.left, n);
  else t.right = insert(t.right, n);
  return resize(t);
}

function remove(t: TreapNode | null, value: number, member: string): TreapNode | null {
  if (t === null) return null;
  if (t.member === member) return merge(t.left, t.right);
  if (before(value, member, t)) t.left = remove(t.left, value, member);
  else t.right = remove(t.right, value, member);
  return resize(t);
}

export class RankIndex {
  private root: TreapNode | null = null;
  private readonly values = new Map<string, number>();

  /** Entries on the board. */
  get size(): number {
    return this.values.size;
  }

  /** The member's board value (as ZSCORE gives it), or undefined when it is not on the board. */
  value(member: string): number | undefined {
    return this.values.get(member);
  }

  /** Puts the member on the board at `value`, or takes it off with null. */
  set(member: string, value: number | null): void {
    const old = this.values.get(member);
    if (old !== undefined) {
      if (old === value) return;
      this.root = remove(this.root, old, member);
      this.values.delete(member);
    }
    if (value === null) return;
    this.values.set(member, value);
    const node: TreapNode = { member, value, priority: Math.random(), size: 1, left: null, right: null };
    this.root = insert(this.root, node);
  }

  /** The member's 0-based rank, as ZREVRANK answers; undefined when it is not on the board. */
  rank(member: string): number | undefined {
    const value = this.values.get(member);
    if (value === undefined) return undefined;
    let n = this.root;
    let rank = 0;
    while (n !== null) {
      if (n.member === member) return rank + sizeOf(n.left);
      if (before(value, member, n)) n = n.left;
      else {
        rank += sizeOf(n.left) + 1;
        n = n.right;
      }
    }
    return undefined;
  }

  /** Empties the index. */
  clear(): void {
    this.root = null;
    this.values.clear();
  }
}
