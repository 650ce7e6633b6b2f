/**
 * A three-way merge of JSON values for the config conflict view: what the user changed from
 * the version they started from is applied on top of the version saved meanwhile; where both
 * changed the same field, the user's edit wins (and is listed, so they can check it).
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function merge3(
  base: unknown,
  theirs: unknown,
  mine: unknown,
  path = '',
  clashes: string[] = [],
): { value: unknown; clashes: string[] } {
  if (same(mine, base)) return { value: theirs, clashes };
  if (same(theirs, base) || same(theirs, mine)) return { value: mine, clashes };
  if (isObject(base) && isObject(theirs) && isObject(mine)) {
    const out: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(base), ...Object.keys(theirs), ...Object.keys(mine)])) {
      const v = merge3(base[k], theirs[k], mine[k], path ? `${path}.${k}` : k, clashes).value;
      if (v !== undefined) out[k] = v;
    }
    return { value: out, clashes };
  }
  clashes.push(path || '(the whole value)');
  return { value: mine, clashes };
}
