/** Type guards shared by every part: a check that narrows, in place of a cast. */

/** True when `value` is one of `list` (a fixed `as const` list of names), narrowed to it. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && list.some((item) => item === value);
}

/** The item at `i`, or an error naming `what` when the index is outside the list. */
export function itemAt<T>(list: readonly T[], i: number, what = 'list'): T {
  if (i < 0 || i >= list.length) throw new RangeError(`${what}: index ${i} is outside 0..${list.length - 1}`);
  return list[i]!;
}
