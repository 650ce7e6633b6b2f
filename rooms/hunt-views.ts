/** What game masters read of hunts: the hunt view, the list, the answer key, the export, and solutions for verification. */
import type { RedisClient } from '../redis/index.js';
import { DEFAULT_MAX_PLAYERS, HuntError, type AnyPuzzleType, type HuntStatus } from '../protocol/index.js';
import { parseSequence } from './sequence.js';
import { ONLINE_TTL_MS } from './hunt-field.js';
import type { HuntKeys, Keys } from './keys.js';
import { isoOrNull, readPlayer, readPuzzle, type HuntView } from './records.js';
import { deadLetter, huntStatus, logEntry, readJson, storedSolution } from './stored.js';
import { decodeScore } from './score.js';
import { readTeam } from './hunt-teams.js';

export class HuntViews {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private k(id: string): HuntKeys {
    return this.keys.hunt(id);
  }

  async exists(id: string): Promise<boolean> {
    return (await this.redis.exists(this.k(id).meta)) === 1;
  }

  async view(id: string): Promise<HuntView> {
    const k = this.k(id);
    const [meta, puzzles, players, dead, sequence] = await Promise.all([
      this.redis.hgetall(k.meta),
      this.redis.hvals(k.puzzles),
      this.redis.hlen(k.players),
      this.redis.lrange(k.dead, 0, 9),
      this.redis.hgetall(k.sequence),
    ]);
    const status = huntStatus(meta.status);
    if (!status) throw new HuntError('HUNT_NOT_FOUND');
    const list = puzzles
      .flatMap(readPuzzle)
      .sort((a, b) => a.index - b.index)
      .map(({ id: pid, type, difficulty, points, title, location }) => {
        const seq = parseSequence(sequence[pid]);
        return {
          id: pid,
          type,
          difficulty,
          points,
          ...(title === undefined ? {} : { title }),
          ...(location ? { location } : {}),
          ...(seq?.a ? { after: seq.a } : {}),
          ...(seq?.o === undefined ? {} : { opensAfterS: seq.o }),
          ...(seq?.c === undefined ? {} : { closesAfterS: seq.c }),
        };
      });
    return {
      id,
      name: meta.name ?? '',
      status,
      createdAt: new Date(Number(meta.createdAt)).toISOString(),
      launchedAt: isoOrNull(meta.launchedAt),
      endedAt: isoOrNull(meta.endedAt),
      ...(meta.failure ? { failure: meta.failure } : {}),
      seq: Number(meta.seq ?? 0),
      generation: { done: Number(meta.genDone ?? 0), total: Number(meta.genTotal ?? 0) },
      puzzles: list,
      players,
      pendingSubmissions: Number(meta.pendingSubmissions ?? 0),
      deadLetters: {
        count: Number(meta.deadLetters ?? 0),
        recent: dead.flatMap((raw) => {
          const d = readJson(deadLetter, raw);
          return d ? [{ ...d, at: new Date(d.at).toISOString() }] : [];
        }),
      },
      schedule: { startsAt: isoOrNull(meta.startsAt), endsAt: isoOrNull(meta.endsAt) },
      maxPlayers: Number(meta.maxPlayers ?? DEFAULT_MAX_PLAYERS),
      passcode: meta.passcode || null,
      teams: meta.teamMax ? { maxSize: Number(meta.teamMax) } : null,
      owner: meta.owner ?? 'admin',
    };
  }

  /** Every hunt, newest first; with `only`, those of them (ids of hunts that are gone are left out). */
  /**
   * The hunt's own figures for the console: players joined (not removed), online (marked by a
   * front node within ONLINE_TTL_MS), and answers checked
   * and solves over about the last minute (this minute's counts plus the share of the last
   * minute's that still falls within 60 s).
   */
  async figures(
    id: string,
    now: number,
  ): Promise<{ players: number; online: number; answersPerMinute: number; solvesPerMinute: number }> {
    const k = this.k(id);
    const [exists, players, removed, online, pace] = await Promise.all([
      this.redis.exists(k.meta),
      this.redis.hlen(k.players),
      this.redis.scard(k.removed),
      this.redis.zcount(k.online, now - ONLINE_TTL_MS, '+inf'),
      this.redis.hgetall(k.pace),
    ]);
    if (exists !== 1) throw new HuntError('HUNT_NOT_FOUND');
    const minute = Math.floor(now / 60_000);
    const left = 1 - (now % 60_000) / 60_000;
    const count = (field: string): number => Math.max(0, Number(pace[field] ?? 0) || 0);
    const at = Number(pace.m ?? -1);
    const rate = (cur: string, prev: string): number =>
      Math.round(at === minute ? count(cur) + count(prev) * left : at === minute - 1 ? count(cur) * left : 0);
    return {
      players: Math.max(0, players - removed),
      online,
      answersPerMinute: rate('a', 'pa'),
      solvesPerMinute: rate('s', 'ps'),
    };
  }

  async list(only?: readonly string[]): Promise<{ id: string; name: string; status: HuntStatus; players: number }[]> {
    const ids = only ? [...only] : await this.redis.smembers(this.keys.huntIndex);
    // one command per hunt, all in flight at once, not one pipeline: every hunt lives in its own cluster slot
    const rows = await Promise.all(
      ids.map((id) =>
        Promise.all([
          this.redis.hmget(this.k(id).meta, 'name', 'status', 'createdAt'),
          this.redis.hlen(this.k(id).players),
        ]),
      ),
    );
    return ids
      .flatMap((id, i) => {
        const [[name, status, createdAt] = [], players = 0] = rows[i] ?? [];
        if (only && !status) return [];
        return [
          { id, name: name ?? '', status: huntStatus(status) ?? 'failed', players, createdAt: Number(createdAt ?? 0) },
        ];
      })
      .sort((a, b) => b.createdAt - a.createdAt)
      .map(({ createdAt: _c, ...rest }) => rest);
  }

  async answerKey(id: string): Promise<{ puzzle: string; type: AnyPuzzleType; answer: string }[]> {
    const k = this.k(id);
    const [puzzles, solutions] = await Promise.all([this.redis.hgetall(k.puzzles), this.redis.hgetall(k.solutions)]);
    if (!(await this.exists(id))) throw new HuntError('HUNT_NOT_FOUND');
    return Object.values(puzzles)
      .flatMap(readPuzzle)
      .sort((a, b) => a.index - b.index)
      .map((p) => ({ puzzle: p.id, type: p.type, answer: readJson(storedSolution, solutions[p.id])?.answer ?? '' }));
  }

  /** Solutions and types of every puzzle, for verification. */
  async solutions(id: string): Promise<Map<string, { type: AnyPuzzleType; answer: string; solution: unknown }>> {
    const k = this.k(id);
    const [puzzles, solutions] = await Promise.all([this.redis.hgetall(k.puzzles), this.redis.hgetall(k.solutions)]);
    const map = new Map<string, { type: AnyPuzzleType; answer: string; solution: unknown }>();
    for (const [pid, raw] of Object.entries(puzzles)) {
      // one unreadable puzzle leaves it out (its answers are wrong), not the whole hunt's batch
      const [puzzle] = readPuzzle(raw);
      const sol = readJson(storedSolution, solutions[pid]);
      if (puzzle && sol) map.set(pid, { type: puzzle.type, answer: sol.answer, solution: sol.solution });
    }
    return map;
  }

  /**
   * Every player (in a team hunt with their team, or the team they left when removed), every
   * team with its members and score, and every event of the log.
   */
  async export(id: string): Promise<{
    hunt: HuntView;
    players: { player: string; name: string; score: number; removed: boolean; joinedAt: string; team?: string }[];
    teams: { team: string; name: string; score: number; members: string[]; createdAt: string }[];
    events: Record<string, unknown>[];
  }> {
    const k = this.k(id);
    const hunt = await this.view(id);
    const [players, board, log, teams] = await Promise.all([
      this.redis.hgetall(k.players),
      this.redis.zrange(k.board, 0, -1, 'WITHSCORES'),
      this.redis.lrange(k.log, 0, -1),
      this.redis.hgetall(k.teams),
    ]);
    const scores = new Map<string, number>();
    for (let i = 0; i + 1 < board.length; i += 2) scores.set(board[i]!, decodeScore(board[i + 1]!));
    return {
      hunt,
      players: Object.entries(players).flatMap(([player, raw]) => {
        const rec = readPlayer(raw);
        if (!rec) return [];
        const left = rec.leftTeam;
        const team = rec.team ?? (typeof left === 'string' ? left : undefined);
        return [
          {
            player,
            name: rec.name,
            score: scores.get(team ?? player) ?? 0,
            removed: rec.removed === true,
            joinedAt: new Date(rec.joinedAt).toISOString(),
            ...(team === undefined ? {} : { team }),
          },
        ];
      }),
      teams: Object.entries(teams).flatMap(([team, raw]) => {
        const t = readTeam(raw);
        return t
          ? [
              {
                team,
                name: t.name,
                score: scores.get(team) ?? 0,
                members: t.members,
                createdAt: new Date(t.createdAt).toISOString(),
              },
            ]
          : [];
      }),
      events: log.flatMap((raw) => {
        const e = readJson(logEntry, raw);
        return e ? [{ ...e, at: new Date(e.at).toISOString() }] : [];
      }),
    };
  }
}
