/** A hunt's leaderboard as players read it: the top N, a player's welcome, and the delta log for `since`. */
import type { RedisClient } from '../redis/index.js';
import { HuntError, type HuntStatus, type LbDelta, type LeaderboardEntry } from '../protocol/index.js';
import type { HuntKeys, Keys } from './keys.js';
import type { ScriptParams } from './params.js';
import { parseJson, readPuzzle, toEntries, type PlayerRecord, type WelcomeState } from './records.js';
import { decodeScore } from './score.js';

export class HuntBoard {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly params: () => ScriptParams,
  ) {}

  private k(id: string): HuntKeys {
    return this.keys.hunt(id);
  }

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
      .zrevrange(k.board, 0, topN - 1, 'WITHSCORES')
      .zscore(k.board, player)
      .zrevrank(k.board, player)
      .exec();
    const meta = out?.[0]?.[1] as Record<string, string>;
    if (!meta?.status) throw new HuntError('HUNT_NOT_FOUND');
    const stored = (out?.[1]?.[1] as string[]).flatMap(readPuzzle).sort((a, b) => a.index - b.index);
    // this player's solves and reaches only: a welcome costs the same with 10 players or 10,000
    const mine = stored.map((p) => `${player}:${p.id}`);
    const top = out?.[2]?.[1] as string[];
    // one more round trip for all three: this player's solves and reaches, and the top's names
    const [solved, reached, names] = await Promise.all([
      mine.length ? this.redis.hmget(k.solves, ...mine) : Promise.resolve([] as (string | null)[]),
      mine.length ? this.redis.smismember(k.found, ...mine) : Promise.resolve([] as number[]),
      this.names(k, top),
    ]);
    const params = this.params();
    const puzzles = stored.map(({ index: _i, ...p }, i) => {
      const locked = p.location !== undefined && reached[i] !== 1;
      const points = params.points[p.difficulty] ?? p.points;
      return { ...p, points, prompt: locked ? null : p.prompt, solved: solved[i] !== null && solved[i] !== undefined, locked, hintCost: params.hintCost[p.difficulty] };
    });
    const score = out?.[3]?.[1] as string | null;
    const rank = out?.[4]?.[1] as number | null;
    return {
      hunt: { id, name: meta.name ?? '', status: meta.status as HuntStatus },
      seq: Number(meta.seq ?? 0),
      puzzles,
      leaderboard: toEntries(top, names),
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
}
