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

function ofPlayer(v: unknown): WelcomeOfPlayer {
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
    !nullableStrings(solved) ||
    !Array.isArray(reached) ||
    (score !== null && typeof score !== 'string') ||
    (rank !== null && typeof rank !== 'number') ||
    (record !== null && typeof record !== 'string') ||
    !nullableStrings(taken) ||
    !nullableStrings(accepted) ||
    !strings(inbox) ||
    !Array.isArray(pending)
  ) {
    throw new Error('script welcome replied an unexpected shape');
  }
  return {
    solved,
    reached: reached.map(Number),
    score,
    rank,
    record,
    taken,
    accepted,
    inbox,
    pending: pending.map(Number),
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
  return {
    meta: metaMap,
    puzzles,
    top,
    names,
    hints,
    sequence,
    players: each.map(ofPlayer),
    heldPuzzles: held.puzzlesRev !== undefined && held.puzzlesRev === (metaMap.puzzlesRev ?? '0'),
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
