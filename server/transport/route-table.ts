/**
 * uWS-style URL patterns for the fallback transport: `/api/hunts/:id` (a `:name` is one
 * segment), `/*` (anything below). Of the routes that match, the most specific wins, segment
 * by segment (static, then `:param`, then `*`); then a route for the method over `any`; then
 * the first registered.
 */
export interface Match<H> {
  handler: H;
  /** the raw `:param` segments, in order */
  params: string[];
}

interface Entry<H> {
  method: string;
  segments: string[];
  wildcard: boolean;
  handler: H;
  order: number;
}

const STATIC = 2;
const PARAM = 1;

function split(path: string): string[] {
  const p = path.startsWith('/') ? path.slice(1) : path;
  return p === '' ? [] : p.split('/');
}

export class RouteTable<H> {
  private readonly entries: Entry<H>[] = [];

  /** `method` in lower case, or 'any' */
  add(method: string, pattern: string, handler: H): void {
    const segments = split(pattern);
    const wildcard = segments.at(-1) === '*';
    if (wildcard) segments.pop();
    this.entries.push({ method, segments, wildcard, handler, order: this.entries.length });
  }

  match(method: string, path: string): Match<H> | undefined {
    const parts = split(path);
    let best: { entry: Entry<H>; rank: number[]; params: string[] } | undefined;
    for (const entry of this.entries) {
      if (entry.method !== method && entry.method !== 'any') continue;
      const { segments } = entry;
      if (entry.wildcard ? parts.length < segments.length : parts.length !== segments.length) continue;
      const rank: number[] = [];
      const params: string[] = [];
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const seg = segments[i]!;
        if (seg.startsWith(':')) {
          rank.push(PARAM);
          params.push(parts[i]!);
        } else if (seg === parts[i]) rank.push(STATIC);
        else ok = false;
      }
      if (!ok) continue;
      // a wildcard ranks below any segment a longer pattern names
      rank.push(entry.wildcard ? 0 : 3, entry.method === method ? 1 : 0);
      if (!best || compare(rank, best.rank) > 0) best = { entry, rank, params };
    }
    return best && { handler: best.entry.handler, params: best.params };
  }
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
