/**
 * Hunt state in Redis: creation, lifecycle, players, leaderboard, views. Every write that
 * touches scores or status goes through a Lua script of ./scripts.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  type Difficulty,
  type HuntStatus,
  type LbDelta,
  type LeaderboardEntry,
  type PublicPuzzle,
  type PuzzleSpec,
  type PuzzleLocation,
  type PuzzleType,
} from '../protocol/index.js';
import { HuntError, isErrorCode } from '../protocol/index.js';
import type { GeneratedPuzzle } from '../puzzles/index.js';
import type { Logger } from 'pino';
import { DeltaTicker } from './delta-ticker.js';
import { Keys, type HuntKeys } from './keys.js';
import { TRANSITIONS, type LifecycleAction } from './lifecycle.js';
import type { ScriptParams } from './params.js';
import { decodeScore } from './score.js';
import { adjustScore, failGeneration, joinPlayer, removePlayer, storePuzzle, transition } from './scripts.js';

export type { LifecycleAction } from './lifecycle.js';

/** A stored puzzle as the hunt keeps it: the public part players see. */
export type StoredPuzzle = GeneratedPuzzle['puzzle'];

export interface HuntView {
  id: string;
  name: string;
  status: HuntStatus;
  createdAt: string;
  launchedAt: string | null;
  endedAt: string | null;
  failure?: string;
  seq: number;
  generation: { done: number; total: number };
  puzzles: { id: string; type: PuzzleType; difficulty: Difficulty; points: number; location?: PuzzleLocation }[];
  players: number;
  /** answers whose verification failed for good, newest first (at most 100 kept) */
  deadLetters: { count: number; recent: { player: string; puzzle: string; id: string; reason: string; at: string }[] };
  schedule: { startsAt: string | null; endsAt: string | null };
}

export interface PlayerRecord {
  name: string;
  joinedAt: number;
  removed?: boolean;
}

export interface WelcomeState {
  hunt: { id: string; name: string; status: HuntStatus };
  seq: number;
  puzzles: PublicPuzzle[];
  leaderboard: LeaderboardEntry[];
  you: { rank: number | null; score: number };
}

export function newId(bytes = 6): string {
  return randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x');
}

function isoOrNull(ms: string | undefined): string | null {
  return ms ? new Date(Number(ms)).toISOString() : null;
}

/** A stored puzzle, or nothing when its record is unreadable (it is left out rather than failing the view). */
function readPuzzle(raw: string): StoredPuzzle[] {
  try {
    const p = JSON.parse(raw) as StoredPuzzle;
    return typeof p === 'object' && p !== null && typeof p.id === 'string' ? [p] : [];
  } catch {
    return [];
  }
}

function parseJson<T>(raw: string | null | undefined): T | null {
  return raw == null ? null : (JSON.parse(raw) as T);
}

export class HuntStore {
  readonly keys: Keys;

  /** deltas of joins, departures and adjustments wait here for their tick */
  readonly ticker: DeltaTicker;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    /** scoring and fan-out parameters in force now */
    private readonly params: () => ScriptParams,
    log: Logger,
    /** told of every delta the store forms */
    onDelta?: () => void,
  ) {
    this.keys = new Keys(prefix);
    this.ticker = new DeltaTicker(redis, this.keys, params, log, onDelta);
  }

  /** Sends the deltas still waiting for their tick. */
  close(): Promise<void> {
    return this.ticker.close();
  }

  private k(id: string): HuntKeys {
    return this.keys.hunt(id);
  }

  /** Creates a hunt in `generating`; returns its id and the puzzle slots to generate. */
  async create(name: string, specs: readonly PuzzleSpec[], seed: string): Promise<{ id: string; slots: { id: string; index: number; spec: PuzzleSpec }[] }> {
    const id = newId();
    const k = this.k(id);
    const slots = specs.map((spec, index) => ({ id: `p${index + 1}`, index, spec }));
    await this.redis
      .multi()
      .hset(k.meta, {
        name,
        status: 'generating',
        seq: 0,
        createdAt: Date.now(),
        genDone: 0,
        genTotal: specs.length,
        seed,
      })
      .sadd(this.keys.huntIndex, id)
      .exec();
    return { id, slots };
  }

  async exists(id: string): Promise<boolean> {
    return (await this.redis.exists(this.k(id).meta)) === 1;
  }

  async status(id: string): Promise<HuntStatus> {
    const status = await this.redis.hget(this.k(id).meta, 'status');
    if (!status) throw new HuntError('HUNT_NOT_FOUND');
    return status as HuntStatus;
  }

  async view(id: string): Promise<HuntView> {
    const k = this.k(id);
    const [meta, puzzles, players, dead] = await Promise.all([
      this.redis.hgetall(k.meta),
      this.redis.hvals(k.puzzles),
      this.redis.hlen(k.players),
      this.redis.lrange(k.dead, 0, 9),
    ]);
    if (!meta.status) throw new HuntError('HUNT_NOT_FOUND');
    const list = puzzles
      .flatMap(readPuzzle)
      .sort((a, b) => a.index - b.index)
      .map(({ id: pid, type, difficulty, points, location }) => ({ id: pid, type, difficulty, points, ...(location ? { location } : {}) }));
    return {
      id,
      name: meta.name ?? '',
      status: meta.status as HuntStatus,
      createdAt: new Date(Number(meta.createdAt)).toISOString(),
      launchedAt: isoOrNull(meta.launchedAt),
      endedAt: isoOrNull(meta.endedAt),
      ...(meta.failure ? { failure: meta.failure } : {}),
      seq: Number(meta.seq ?? 0),
      generation: { done: Number(meta.genDone ?? 0), total: Number(meta.genTotal ?? 0) },
      puzzles: list,
      players,
      deadLetters: {
        count: Number(meta.deadLetters ?? 0),
        recent: dead.map((raw) => {
          const d = JSON.parse(raw) as { player: string; puzzle: string; id: string; reason: string; at: number };
          return { ...d, at: new Date(d.at).toISOString() };
        }),
      },
      schedule: { startsAt: isoOrNull(meta.startsAt), endsAt: isoOrNull(meta.endsAt) },
    };
  }

  async list(): Promise<{ id: string; name: string; status: HuntStatus; players: number }[]> {
    const ids = await this.redis.smembers(this.keys.huntIndex);
    const pipe = this.redis.pipeline();
    for (const id of ids) {
      pipe.hmget(this.k(id).meta, 'name', 'status', 'createdAt');
      pipe.hlen(this.k(id).players);
    }
    const out = (await pipe.exec()) ?? [];
    return ids
      .map((id, i) => {
        const [name, status, createdAt] = out[i * 2]?.[1] as (string | null)[];
        return { id, name: name ?? '', status: (status ?? 'failed') as HuntStatus, players: Number(out[i * 2 + 1]?.[1] ?? 0), createdAt: Number(createdAt ?? 0) };
      })
      .sort((a, b) => b.createdAt - a.createdAt)
      .map(({ createdAt: _c, ...rest }) => rest);
  }

  async transition(id: string, action: LifecycleAction): Promise<HuntStatus> {
    const rule = TRANSITIONS[action];
    const { ok, status } = await transition(this.redis, this.keys, id, rule.to, rule.from, Date.now());
    if (ok) return rule.to;
    if (status === '') throw new HuntError('HUNT_NOT_FOUND');
    throw new HuntError('HUNT_INVALID_TRANSITION', `cannot ${action} a hunt that is ${status}`, { status });
  }

  async join(id: string, name: string): Promise<string> {
    const player = newId();
    const record: PlayerRecord = { name, joinedAt: Date.now() };
    this.ticker.note(id, await joinPlayer(this.redis, this.keys, id, player, JSON.stringify(record), Date.now(), this.params()));
    return player;
  }

  async player(id: string, player: string): Promise<PlayerRecord | null> {
    return parseJson<PlayerRecord>(await this.redis.hget(this.k(id).players, player));
  }

  async adjust(id: string, player: string, points: number, reason: string): Promise<number> {
    const { score, seq } = await adjustScore(this.redis, this.keys, id, player, points, reason, Date.now(), this.params());
    this.ticker.note(id, seq);
    return score;
  }

  async remove(id: string, player: string): Promise<void> {
    this.ticker.note(id, await removePlayer(this.redis, this.keys, id, player, Date.now(), this.params()));
  }

  /** The top of the board and the seq it reflects, read atomically. */
  async leaderboard(id: string, limit: number): Promise<{ seq: number; entries: LeaderboardEntry[] }> {
    const k = this.k(id);
    const out = await this.redis.multi().hget(k.meta, 'seq').zrevrange(k.board, 0, limit - 1, 'WITHSCORES').exec();
    const seq = out?.[0]?.[1] as string | null;
    if (seq === null || seq === undefined) throw new HuntError('HUNT_NOT_FOUND');
    const flat = out?.[1]?.[1] as string[];
    return { seq: Number(seq), entries: toEntries(flat, await this.names(k, flat)) };
  }

  /** Everything a `welcome` needs, read in one transaction so `seq` matches the board. */
  async welcome(id: string, player: string, topN: number): Promise<WelcomeState> {
    const k = this.k(id);
    const out = await this.redis
      .multi()
      .hgetall(k.meta)
      .hvals(k.puzzles)
      .hgetall(k.solves)
      .zrevrange(k.board, 0, topN - 1, 'WITHSCORES')
      .zscore(k.board, player)
      .zrevrank(k.board, player)
      .smembers(k.found)
      .exec();
    const meta = out?.[0]?.[1] as Record<string, string>;
    if (!meta?.status) throw new HuntError('HUNT_NOT_FOUND');
    const solves = out?.[2]?.[1] as Record<string, string>;
    const found = new Set(out?.[6]?.[1] as string[]);
    const params = this.params();
    const puzzles = (out?.[1]?.[1] as string[])
      .flatMap(readPuzzle)
      .sort((a, b) => a.index - b.index)
      .map(({ index: _i, ...p }) => {
        const locked = p.location !== undefined && !found.has(`${player}:${p.id}`);
        const points = params.points[p.difficulty] ?? p.points;
        return { ...p, points, prompt: locked ? null : p.prompt, solved: solves[`${player}:${p.id}`] !== undefined, locked, hintCost: params.hintCost[p.difficulty] };
      });
    const score = out?.[4]?.[1] as string | null;
    const rank = out?.[5]?.[1] as number | null;
    const top = out?.[3]?.[1] as string[];
    return {
      hunt: { id, name: meta.name ?? '', status: meta.status as HuntStatus },
      seq: Number(meta.seq ?? 0),
      puzzles,
      leaderboard: toEntries(top, await this.names(k, top)),
      you: { rank: rank === null ? null : rank + 1, score: score === null ? 0 : decodeScore(score) },
    };
  }

  /** Names of the players in a flat [player, score, ...] list, read for those players only. */
  private async names(k: HuntKeys, flat: string[]): Promise<Map<string, string>> {
    const ids = flat.filter((_, i) => i % 2 === 0);
    if (ids.length === 0) return new Map();
    const raw = await this.redis.hmget(k.players, ...ids);
    return new Map(ids.map((id, i) => [id, parseJson<PlayerRecord>(raw[i])?.name ?? '']));
  }

  /** Deltas after `since`, in order; null when the log no longer reaches back that far. */
  async deltasSince(id: string, since: number): Promise<LbDelta[] | null> {
    const raw = await this.redis.lrange(this.k(id).deltas, 0, -1);
    const deltas = raw.map((r) => JSON.parse(r) as LbDelta);
    const first = deltas[0];
    const last = deltas.at(-1);
    if (!first || !last) return since === 0 ? [] : null;
    // a client ahead of the log (its Redis state was lost, say) cannot be replayed: fresh welcome
    if (since > last.seq) return null;
    if (since === last.seq) return [];
    if (first.seq > since + 1) return null;
    return deltas.filter((d) => d.seq > since);
  }

  async answerKey(id: string): Promise<{ puzzle: string; type: PuzzleType; answer: string }[]> {
    const k = this.k(id);
    const [puzzles, solutions] = await Promise.all([this.redis.hgetall(k.puzzles), this.redis.hgetall(k.solutions)]);
    if (!(await this.exists(id))) throw new HuntError('HUNT_NOT_FOUND');
    return Object.values(puzzles)
      .flatMap(readPuzzle)
      .sort((a, b) => a.index - b.index)
      .map((p) => ({ puzzle: p.id, type: p.type, answer: (JSON.parse(solutions[p.id] ?? '{}') as { answer?: string }).answer ?? '' }));
  }

  /** Solutions and types of every puzzle, for verification. */
  async solutions(id: string): Promise<Map<string, { type: PuzzleType; answer: string; solution: unknown }>> {
    const k = this.k(id);
    const [puzzles, solutions] = await Promise.all([this.redis.hgetall(k.puzzles), this.redis.hgetall(k.solutions)]);
    const map = new Map<string, { type: PuzzleType; answer: string; solution: unknown }>();
    for (const [pid, raw] of Object.entries(puzzles)) {
      // one unreadable puzzle leaves it out (its answers are wrong), not the whole hunt's batch
      try {
        const sol = JSON.parse(solutions[pid] ?? '{}') as { answer: string; solution: unknown };
        map.set(pid, { type: (JSON.parse(raw) as StoredPuzzle).type, answer: sol.answer, solution: sol.solution });
      } catch {
        continue;
      }
    }
    return map;
  }

  async export(id: string): Promise<{ hunt: HuntView; players: { player: string; name: string; score: number; removed: boolean; joinedAt: string }[]; events: Record<string, unknown>[] }> {
    const k = this.k(id);
    const hunt = await this.view(id);
    const [players, board, log] = await Promise.all([this.redis.hgetall(k.players), this.redis.zrange(k.board, 0, -1, 'WITHSCORES'), this.redis.lrange(k.log, 0, -1)]);
    const scores = new Map<string, number>();
    for (let i = 0; i < board.length; i += 2) scores.set(board[i] as string, decodeScore(board[i + 1] as string));
    return {
      hunt,
      players: Object.entries(players).map(([player, raw]) => {
        const rec = JSON.parse(raw) as PlayerRecord;
        return { player, name: rec.name, score: scores.get(player) ?? 0, removed: rec.removed === true, joinedAt: new Date(rec.joinedAt).toISOString() };
      }),
      events: log.map((raw) => {
        const e = JSON.parse(raw) as Record<string, unknown> & { at: number };
        return { ...e, at: new Date(e.at).toISOString() };
      }),
    };
  }

  async storePuzzle(huntId: string, generated: GeneratedPuzzle): Promise<number> {
    const where = generated.puzzle.location;
    return storePuzzle(this.redis, this.keys, huntId, {
      id: generated.puzzle.id,
      public: JSON.stringify(generated.puzzle),
      solution: JSON.stringify({ answer: generated.answer, solution: generated.solution }),
      hints: JSON.stringify(generated.hints),
      location: where ? `${where.lat},${where.lng},${where.radius}` : '',
    });
  }

  async failGeneration(huntId: string, reason: string): Promise<void> {
    await failGeneration(this.redis, this.keys, huntId, reason);
  }
}

function toEntries(flat: string[], names: Map<string, string>): LeaderboardEntry[] {
  const entries: LeaderboardEntry[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const player = flat[i] as string;
    entries.push({ rank: i / 2 + 1, player, name: names.get(player) ?? '', score: decodeScore(flat[i + 1] as string) });
  }
  return entries;
}
