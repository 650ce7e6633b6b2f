/** Typed wrapper of welcome.lua: one checked read for the welcomes of several players of a hunt. */
import type { RedisClient } from '../redis/index.js';
import type { Keys } from './keys.js';
import { SCRIPTS, strings } from './script-table.js';

/** One player's part of what `welcome.lua` reads. */
export interface WelcomeOfPlayer {
  /** per puzzle, in the order of `puzzles`: points this player scored there, or null */
  solved: (string | null)[];
  /** per puzzle: 1 when this player reached it */
  reached: number[];
  score: string | null;
  rank: number | null;
  /** the player's record as stored (JSON), or null for no such player */
  record: string | null;
  /** per puzzle: how many hints this player took there (null: none) */
  taken: (string | null)[];
  /** per puzzle: the answer accepted when this player solved it, or null */
  accepted: (string | null)[];
  /** the inbox fields this player may see (JSON arrays of messages) */
  inbox: string[];
  /** per puzzle: 1 when a judged submission of this player waits for review */
  pending: number[];
  /**
   * the per-puzzle lists as read, sparse: equal for two players exactly when their solves,
   * reaches, hints taken, accepted answers and pending submissions are (they share a puzzle list)
   */
  progress: string;
}

/** What `welcome.lua` reads, checked: flat Redis replies the board turns into welcomes. */
export interface WelcomesRead {
  meta: Record<string, string>;
  /** [id, JSON, id, JSON, ...] */
  puzzles: string[];
  /** [player, score, ...] */
  top: string[];
  /** player records (JSON) of the top, in its order */
  names: (string | null)[];
  /** [puzzle id, JSON array of hint texts, ...] */
  hints: string[];
  /** [id, sequence JSON, ...] for puzzles with sequencing */
  sequence: string[];
  /** one per player asked for, in order */
  players: WelcomeOfPlayer[];
  /** the caller's puzzles are current: `puzzles` holds the ids alone, `hints` and `sequence` are empty */
  heldPuzzles: boolean;
  /** the caller's top is current: `top` and `names` are empty */
  heldTop: boolean;
}

/** What one player's welcome reads. */
export type WelcomeRead = Omit<WelcomesRead, 'players' | 'heldPuzzles' | 'heldTop'> & WelcomeOfPlayer;

/** What the caller of `readWelcomes` holds already: the puzzles as of meta's `puzzlesRev`, the top as of meta's `seq`. */
export interface WelcomeHeld {
  puzzlesRev?: string | undefined;
  topSeq?: string | undefined;
}

const nullableStrings = (v: unknown): v is (string | null)[] =>
  Array.isArray(v) && v.every((x) => x === null || typeof x === 'string');

const fail = (): never => {
  throw new Error('script welcome replied an unexpected shape');
};

/** A per-puzzle list of `n` from welcome.lua's (index, value) pairs, `none` where it has nothing. */
function dense<T>(pairs: unknown, n: number, none: T, value: (v: unknown) => T): T[] {
  if (!Array.isArray(pairs) || pairs.length % 2 !== 0) return fail();
  const out = new Array<T>(n).fill(none);
  for (let i = 0; i < pairs.length; i += 2) {
    const at: unknown = pairs[i];
    if (typeof at !== 'number' || !Number.isInteger(at) || at < 0 || at >= n) return fail();
    out[at] = value(pairs[i + 1]);
  }
  return out;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : fail());
const one = (v: unknown): number => (v === 1 ? 1 : fail());

/**
 * What a player's puzzle list depends on, from the sparse lists: where they solved (not their
 * points, which differ from player to player), reached, took hints (a count of "0" as none),
 * the answers accepted and the pending submissions.
 */
function progressKey(solved: unknown, reached: unknown, taken: unknown, accepted: unknown, pending: unknown): string {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const where = (v: unknown): unknown[] => list(v).filter((_, i) => i % 2 === 0);
  const hints: unknown[] = [];
  const t = list(taken);
  for (let i = 0; i + 1 < t.length; i += 2) if (Number(t[i + 1]) > 0) hints.push(t[i], Number(t[i + 1]));
  return JSON.stringify([where(solved), where(reached), hints, list(accepted), where(pending)]);
}

/** One player's part; `n`: the puzzles' count (the per-puzzle lists come sparse). */
function ofPlayer(v: unknown, n: number): WelcomeOfPlayer {
  if (!Array.isArray(v)) throw new Error('script welcome replied an unexpected shape');
  const [
    solved,
    reached,
    score = null,
    rank = null,
    record = null,
    taken,
    accepted,
    inbox = [],
    pending = [],
  ]: unknown[] = v;
  if (
    (score !== null && typeof score !== 'string') ||
    (rank !== null && typeof rank !== 'number') ||
    (record !== null && typeof record !== 'string') ||
    !strings(inbox)
  )
    return fail();
  return {
    solved: dense<string | null>(solved, n, null, text),
    reached: dense(reached, n, 0, one),
    score,
    rank,
    record,
    taken: dense<string | null>(taken, n, null, text),
    accepted: dense<string | null>(accepted, n, null, text),
    inbox,
    pending: dense(pending, n, 0, one),
    progress: progressKey(solved, reached, taken, accepted, pending),
  };
}

/** One read for the welcomes of several players of one hunt; null when the hunt does not exist. */
export async function readWelcomes(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  players: readonly string[],
  topN: number,
  held: WelcomeHeld = {},
): Promise<WelcomesRead | null> {
  const reply = await SCRIPTS.welcome.run(redis, keys.hunt(hunt), [
    topN,
    held.puzzlesRev ?? '',
    held.topSeq ?? '',
    ...players,
  ]);
  if (reply === null) return null;
  if (!Array.isArray(reply) || reply.length !== 6 + players.length)
    throw new Error(`script welcome replied ${JSON.stringify(reply).slice(0, 200)}`);
  const [meta, puzzles, top, names, hints, sequence, ...each]: unknown[] = reply;
  if (
    !strings(meta) ||
    !strings(puzzles) ||
    !strings(top) ||
    !nullableStrings(names) ||
    !strings(hints) ||
    !strings(sequence)
  )
    throw new Error('script welcome replied an unexpected shape');
  const metaMap: Record<string, string> = {};
  for (let i = 0; i + 1 < meta.length; i += 2) metaMap[meta[i]!] = meta[i + 1]!;
  const heldPuzzles = held.puzzlesRev !== undefined && held.puzzlesRev === (metaMap.puzzlesRev ?? '0');
  // the ids alone when the caller holds the puzzles, else (id, JSON) pairs
  const puzzleCount = heldPuzzles ? puzzles.length : puzzles.length / 2;
  return {
    meta: metaMap,
    puzzles,
    top,
    names,
    hints,
    sequence,
    players: each.map((p) => ofPlayer(p, puzzleCount)),
    heldPuzzles,
    heldTop: held.topSeq !== undefined && held.topSeq === (metaMap.seq ?? '0'),
  };
}

/** One read for one player's welcome; null when the hunt does not exist. */
export async function readWelcome(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  player: string,
  topN: number,
): Promise<WelcomeRead | null> {
  const read = await readWelcomes(redis, keys, hunt, [player], topN);
  if (!read) return null;
  const { players, heldPuzzles: _p, heldTop: _t, ...shared } = read;
  return { ...shared, ...players[0]! };
}
