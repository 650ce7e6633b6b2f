/**
 * Where a shard gets its verdicts (`routing.verifyIn`): `queue` sends every answer to the
 * verification queue; `shard` checks every answer here, from the hunt's stored solutions;
 * `auto` checks here the answers to types that are cheap to check and queues the rest.
 */
import type { AnyPuzzleType } from '../protocol/index.js';
import { isReplyError } from '../redis/index.js';
import { cheapToVerify } from './registry.js';
import {
  verifyBatch,
  type StoredSolution,
  type VerificationClient,
  type Verdict,
  type VerifyJob,
} from './verification.js';

type Item = VerifyJob['items'][number];
export type VerifyIn = 'auto' | 'queue' | 'shard';

export interface CheckerDeps {
  /** reads a hunt's stored solutions */
  solutions: (hunt: string) => Promise<Map<string, StoredSolution>>;
  queue: VerificationClient;
  /** read on every call, so a routing change applies at once */
  mode: () => VerifyIn;
  /** told of what was checked here (the worker counts what it checks) */
  checked?: (correct: number, wrong: number) => void;
}

/** How long solutions read here are kept (they never change once stored, but a hunt may gain puzzles). */
const SOLUTIONS_TTL_MS = 5000;

export function answerChecker(deps: CheckerDeps): (items: Item[]) => Promise<Verdict[]> {
  const cache = new Map<string, { at: number; value: Promise<Map<string, StoredSolution>> }>();
  const load = (hunt: string): Promise<Map<string, StoredSolution>> => {
    const hit = cache.get(hunt);
    if (hit && Date.now() - hit.at < SOLUTIONS_TTL_MS) return hit.value;
    const value = deps.solutions(hunt);
    cache.set(hunt, { at: Date.now(), value });
    value.catch(() => cache.delete(hunt));
    const oldest = cache.keys().next();
    if (cache.size > 1000 && !oldest.done) cache.delete(oldest.value);
    return value;
  };

  const here = async (items: Item[]): Promise<Verdict[]> => {
    const unreadable = new Set<string>();
    for (const hunt of new Set(items.map((i) => i.hunt))) {
      try {
        // a hunt read before all its puzzles were stored is read again when an answer names a new one
        const known = await load(hunt);
        if (items.some((i) => i.hunt === hunt && !known.has(i.puzzle))) cache.delete(hunt);
      } catch (err) {
        // solutions Redis refuses to read (not a lost connection) fail for good, as a worker's job would: dead letters
        if (!isReplyError(err)) throw err;
        unreadable.add(hunt);
      }
    }
    if (unreadable.size > 0) {
      const readable = items.filter((i) => !unreadable.has(i.hunt));
      const got = readable.length > 0 ? await here(readable) : [];
      let k = 0;
      return items.map((i) => (unreadable.has(i.hunt) ? null : (got[k++] ?? null)));
    }
    const verdicts = await verifyBatch({ items }, load);
    deps.checked?.(verdicts.filter((v) => v === true).length, verdicts.filter((v) => v === false).length);
    return verdicts;
  };

  const typeOf = async (item: Item): Promise<AnyPuzzleType | undefined> => {
    try {
      return (await load(item.hunt)).get(item.puzzle)?.type;
    } catch (err) {
      if (isReplyError(err)) return undefined; // unreadable: checked here, where it becomes a dead letter
      throw err;
    }
  };

  const auto = async (items: Item[]): Promise<Verdict[]> => {
    const local: number[] = [];
    const queued: number[] = [];
    for (const [i, item] of items.entries()) {
      const type = await typeOf(item);
      // an unknown puzzle is checked here too: it is wrong wherever it is checked
      (type === undefined || cheapToVerify(type) ? local : queued).push(i);
    }
    const [a, b] = await Promise.all([
      local.length ? here(local.map((i) => items[i]!)) : [],
      queued.length ? deps.queue.verify(queued.map((i) => items[i]!)) : [],
    ]);
    const out = new Array<Verdict>(items.length).fill(null);
    local.forEach((at, k) => (out[at] = a[k] ?? null));
    queued.forEach((at, k) => (out[at] = b[k] ?? null));
    return out;
  };

  const byMode: Record<VerifyIn, (items: Item[]) => Promise<Verdict[]>> = {
    auto,
    shard: here,
    queue: (items) => deps.queue.verify(items),
  };
  return (items) => byMode[deps.mode()](items);
}
