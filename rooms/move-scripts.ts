/** Typed wrappers of the moves lane's scripts: apply-moves (replays) and flush-moves (in parts). */
import type { RedisClient } from '../redis/index.js';
import type { StreamEvent } from './events.js';
import type { Keys } from './keys.js';
import { integers, SCRIPTS, strings } from './script-table.js';

/** Stream items of one hunt in one lane: `sid` is `<epoch>-<entry id>`, `n` the accepting node. */
export interface ApplyItem {
  sid: string;
  n: string;
  ev: StreamEvent[];
}

/** When a moves script runs and the parameters in force (check-ins score as answers do). */
export interface MovesAt {
  now: number;
  /** ScriptParams as JSON */
  params: string;
  /** the fence lane of the partition the moves were read from (`moveLane`); default 'm' */
  lane?: string;
}

/** Most players one flush-moves call writes; a flush of more goes in several calls (parts). */
export const FLUSH_MAX_PLAYERS = 500;

const LANE = /^m(\.\d{1,3})?$/;
function laneOf(at: MovesAt): string {
  const lane = at.lane ?? 'm';
  if (!LANE.test(lane)) throw new Error(`bad moves lane ${JSON.stringify(lane)}`);
  return lane;
}

export async function applyMoves(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  items: readonly ApplyItem[],
  at: MovesAt,
): Promise<{ moves: number }> {
  const [moves] = integers(
    'apply-moves',
    await SCRIPTS.applyMoves.run(redis, keys.hunt(hunt), [
      JSON.stringify(items),
      keys.huntChannel(hunt),
      at.now,
      at.params,
      laneOf(at),
    ]),
    1,
  );
  return { moves: moves ?? 0 };
}

/** One player's moves folded since the last flush: the count and the last position. */
export interface FoldedMove {
  player: string;
  lat: number;
  lng: number;
  n: number;
}

export interface FlushedMoves {
  moves: number;
  found: number;
  /** the last delta's seq: 0 none, -1 one waits for the fan-out tick */
  seq: number;
  /** reaches refused for now (`player:puzzle`) */
  refused: string[];
}

/**
 * Applies folded moves up to stream item `lastSid`, and checks the reaches the shard found: in
 * calls of at most FLUSH_MAX_PLAYERS players each (their reaches with them), one after the other,
 * the last of which moves the lane's fence (see flush-moves.lua for why a replay stays exact).
 */
export async function flushMoves(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  lastSid: string,
  moves: readonly FoldedMove[],
  reaches: readonly { player: string; puzzle: string; node: string }[],
  at: MovesAt,
): Promise<FlushedMoves> {
  const lane = laneOf(at);
  const parts = Math.max(1, Math.ceil(moves.length / FLUSH_MAX_PLAYERS));
  const partOf = new Map<string, number>();
  moves.forEach((m, i) => partOf.set(m.player, Math.floor(i / FLUSH_MAX_PLAYERS)));
  const reachesOf: (typeof reaches)[number][][] = Array.from({ length: parts }, () => []);
  // a reach goes with its player's moves (a reach without one, with the last part)
  for (const r of reaches) reachesOf[partOf.get(r.player) ?? parts - 1]?.push(r);
  const out: FlushedMoves = { moves: 0, found: 0, seq: 0, refused: [] };
  for (let i = 0; i < parts; i++) {
    const mode = parts === 1 ? 'last' : i < parts - 1 ? 'part' : 'lastof';
    const chunk = moves.slice(i * FLUSH_MAX_PLAYERS, (i + 1) * FLUSH_MAX_PLAYERS);
    const r = await flushPart(redis, keys, hunt, lastSid, chunk, reachesOf[i] ?? [], at, lane, mode);
    out.moves += r.moves;
    out.found += r.found;
    out.seq = out.seq === -1 || r.seq === -1 ? -1 : Math.max(out.seq, r.seq);
    out.refused.push(...r.refused);
  }
  return out;
}

async function flushPart(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  lastSid: string,
  moves: readonly FoldedMove[],
  reaches: readonly { player: string; puzzle: string; node: string }[],
  at: MovesAt,
  lane: string,
  mode: 'last' | 'part' | 'lastof',
): Promise<FlushedMoves> {
  // the moves as one JSON array, three values a player, the position already in its stored form:
  // as arguments of their own, 5,000 players were 15,000 that ioredis wrote one by one (5–12 ms of
  // the event loop every flush, in one piece); JSON.stringify writes them in under a millisecond
  // and Redis's cjson reads them about as fast as its protocol reads arguments
  const packed: (string | number)[] = [];
  for (const m of moves) packed.push(m.player, `${m.lat},${m.lng}`, m.n);
  const args: (string | number)[] = [
    lastSid,
    keys.huntChannel(hunt),
    JSON.stringify(packed),
    at.now,
    at.params,
    lane,
    mode,
  ];
  for (const r of reaches) args.push(r.player, r.puzzle, r.node);
  const reply = await SCRIPTS.flushMoves.run(redis, keys.hunt(hunt), args);
  const values: unknown[] = Array.isArray(reply) ? reply : [];
  const refused = values[3];
  if (!strings(refused)) throw new Error(`script flush-moves replied ${JSON.stringify(reply)}`);
  const [applied = 0, found = 0, seq = 0] = integers('flush-moves', values.slice(0, 3), 3);
  return { moves: applied, found, seq, refused };
}
