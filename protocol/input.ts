/**
 * What the store can hold, checked at the edge before any schema runs: strings that are
 * well-formed Unicode (no lone UTF-16 surrogates, which Redis's cjson refuses), bounded depth
 * and bounded size. Iterative, so a hostile nesting cannot overflow the stack.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` holds no lone surrogate (String.prototype.isWellFormed where the runtime has it). */
export function isWellFormed(s: string): boolean {
  const native: unknown = Reflect.get(String.prototype, 'isWellFormed');
  return typeof native === 'function' ? native.call(s) === true : !LONE_SURROGATE.test(s);
}

export interface InputBounds {
  /** deepest nesting of arrays and objects; 1 is a flat object */
  maxDepth: number;
  /** most values (objects, arrays, keys and leaves) in the whole input */
  maxNodes: number;
}

/** Bounds of one WebSocket message: flat objects of a few fields. */
export const MESSAGE_BOUNDS: InputBounds = { maxDepth: 4, maxNodes: 64 };
/** Bounds of an HTTP body (a hunt spec, a config value, a batch of up to 1,000 events). */
export const BODY_BOUNDS: InputBounds = { maxDepth: 12, maxNodes: 100_000 };

/** Returns why `value` cannot be taken (a short text naming no client content), or null. */
export function inputProblem(value: unknown, bounds: InputBounds): string | null {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  let nodes = 0;
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { v, depth } = top;
    if (++nodes > bounds.maxNodes) return `more than ${bounds.maxNodes} values`;
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return 'a string is not well-formed Unicode (lone surrogate)';
    } else if (typeof v === 'object' && v !== null) {
      if (depth >= bounds.maxDepth) return `nested deeper than ${bounds.maxDepth} levels`;
      if (Array.isArray(v)) {
        for (const item of v) stack.push({ v: item, depth: depth + 1 });
      } else {
        for (const [key, item] of Object.entries(v)) {
          if (!isWellFormed(key)) return 'a key is not well-formed Unicode (lone surrogate)';
          nodes++;
          stack.push({ v: item, depth: depth + 1 });
        }
      }
    }
  }
  return null;
}

/** zod issues as one short line that repeats no client content (unknown keys are not named). */
export function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string; code?: string }[],
): string {
  const shown = issues.slice(0, 3).map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? String(p) : String(p).slice(0, 32))).join('.');
    const message = i.code === 'unrecognized_keys' ? 'unrecognized key' : i.message.slice(0, 120);
    return path ? `${path}: ${message}` : message;
  });
  const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
  return shown.join('; ') + more;
}

/** A JSON object (not null, not an array): its fields can be read as unknowns and checked one by one. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
