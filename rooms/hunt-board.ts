/** A hunt's leaderboard as players read it: the top N, a player's welcome, and the delta log for `since`. */
import type { RedisClient } from '../redis/index.js';
import { HuntError, type HuntStatus, type LbDelta, type LeaderboardEntry } from '../protocol/index.js';
import type { HuntKeys, Keys } from './keys.js';
import type { ScriptParams } from './params.js';
import { parseJson, readPuzzle, toEntries, type PlayerRecord, type StoredPuzzle, type WelcomeState } from './records.js';
import { readWelcome } from './scripts.js';
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

  /** Everything a `welcome` needs, read in one script so `seq` matches the board (one auto-pipelined call per join). */
  async welcome(id: string, player: string, topN: number): Promise<WelcomeState> {
    const read = await readWelcome(this.redis, this.keys, id, player, topN);
    if (!read?.meta.status) throw new HuntError('HUNT_NOT_FOUND');
    // this player's solves and reaches only: a welcome costs the same with 10 players or 10,000
    const stored: { p: StoredPuzzle; solved: boolean; reached: boolean }[] = [];
    for (let i = 0, at = 0; i + 1 < read.puzzles.length; i += 2, at++) {
      for (const p of readPuzzle(read.puzzles[i + 1]!)) stored.push({ p, solved: read.solved[at] !== null && read.solved[at] !== undefined, reached: read.reached[at] === 1 });
    }
    stored.sort((a, b) => a.p.index - b.p.index);
    const params = this.params();
    const puzzles = stored.map(({ p: { index: _i, ...p }, solved, reached }) => {
      const locked = p.location !== undefined && !reached;
      const points = params.points[p.difficulty] ?? p.points;
      return { ...p, points, prompt: locked ? null : p.prompt, solved, locked, hintCost: params.hintCost[p.difficulty] };
    });
    const names = new Map<string, string>();
    for (let i = 0; i < read.top.length; i += 2) names.set(read.top[i]!, parseJson<PlayerRecord>(read.names[i / 2])?.name ?? '');
    return {
      hunt: { id, name: read.meta.name ?? '', status: read.meta.status as HuntStatus },
      seq: Number(read.meta.seq ?? 0),
      puzzles,
      leaderboard: toEntries(read.top, names),
      you: { rank: read.rank === null ? null : read.rank + 1, score: read.score === null ? 0 : decodeScore(read.score) },
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
