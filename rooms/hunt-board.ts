/** A hunt's leaderboard as players read it: the top N, a player's welcome, and the delta log for `since`. */
import type { RedisClient } from '../redis/index.js';
import { HuntError, type LbDelta, type LeaderboardEntry, type PublicPuzzle } from '../protocol/index.js';
import type { HuntKeys, Keys } from './keys.js';
import type { ScriptParams } from './params.js';
import { boardName, readPlayer, toEntries, type PlayerRecord, type WelcomeState } from './records.js';
import { readWelcomes, type WelcomeOfPlayer, type WelcomesRead } from './scripts.js';
import { playerView } from './sequence.js';
import { decodeScore } from './score.js';
import { huntStatus } from './stored.js';
import { deltasAfter, readDelta, type DeltasRead } from './delta-log.js';
import { welcomeMessages } from './hunt-messages.js';
import { WelcomeCache } from './welcome-cache.js';
import { MAX_LISTS_PER_HUNT, WelcomeLists, type Parsed } from './welcome-lists.js';

/** Most players whose welcomes one script call reads. */
const MAX_WELCOMES_PER_READ = 500;
/** A player's welcome, and their record from the same read (null: no such player). */
export interface WelcomeRead {
  state: WelcomeState;
  record: PlayerRecord | null;
}

interface WelcomeWaiter {
  player: string;
  resolve: (read: WelcomeRead) => void;
  reject: (err: unknown) => void;
}

/** The welcomes of one hunt (and top N) that wait for a read. */
interface WelcomeGroup {
  hunt: string;
  topN: number;
  waiters: WelcomeWaiter[];
}

export class HuntBoard {
  /** welcomes asked for in this turn, by hunt and top N: read together at the end of the turn */
  private waitingWelcomes = new Map<string, WelcomeGroup>();
  private welcomeTick: NodeJS.Immediate | undefined;
  /** groups (hunt and top N) with a read in flight: who asks meanwhile waits for the next read, together */
  private readonly reading = new Set<string>();
  /** each hunt's puzzle list and top, as of the last read */
  private readonly cache = new WelcomeCache();
  /** each hunt's parsed puzzles and built lists, kept across reads */
  private readonly lists = new WelcomeLists();

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
    const out = await this.redis
      .multi()
      .hget(k.meta, 'seq')
      .zrevrange(k.board, 0, limit - 1, 'WITHSCORES')
      .exec();
    const seq = out?.[0]?.[1];
    if (typeof seq !== 'string') throw new HuntError('HUNT_NOT_FOUND');
    const top = out?.[1]?.[1];
    const flat = Array.isArray(top) ? top.filter((v): v is string => typeof v === 'string') : [];
    const { names, teams } = await this.names(k, flat);
    return { seq: Number(seq), entries: toEntries(flat, names, teams) };
  }

  /**
   * The whole board, the seq of the last delta and the board's change count (`zseq`), read at
   * once: what a front's rank index is seeded from (once per front per hunt, and again after a
   * gap). The board may be ahead by changes the next delta carries; applying that delta over it
   * gives the board at its change.
   */
  async snapshot(id: string): Promise<{ seq: number; board: number; values: Map<string, number> }> {
    const k = this.k(id);
    const out = await this.redis.multi().hmget(k.meta, 'seq', 'zseq').zrange(k.board, 0, -1, 'WITHSCORES').exec();
    const counts = out?.[0]?.[1];
    const flat = out?.[1]?.[1];
    if (out?.[0]?.[0] || out?.[1]?.[0] || !Array.isArray(flat) || !Array.isArray(counts))
      throw new Error(`board snapshot of hunt ${id} failed`);
    const [seq, board]: unknown[] = counts;
    const values = new Map<string, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const member: unknown = flat[i];
      const value = Number(flat[i + 1]);
      if (typeof member === 'string' && Number.isFinite(value)) values.set(member, value);
    }
    const count = (v: unknown): number => (typeof v === 'string' ? Number(v) : 0);
    return { seq: count(seq), board: count(board), values };
  }

  /**
   * Everything a `welcome` needs, read in one script so `seq` matches the board. The welcomes
   * of one hunt asked for in the same turn (a burst of joins) share one script call, and the
   * hunt's puzzles and top names are read and parsed once for all of them. The player's record
   * comes with it, so a joining socket needs no read of its own.
   */
  welcome(id: string, player: string, topN: number): Promise<WelcomeRead> {
    return new Promise((resolve, reject) => {
      const key = `${topN}:${id}`;
      let group = this.waitingWelcomes.get(key);
      if (!group) this.waitingWelcomes.set(key, (group = { hunt: id, topN, waiters: [] }));
      group.waiters.push({ player, resolve, reject });
      this.welcomeTick ??= setImmediate(() => this.readWelcomes());
    });
  }

  private readWelcomes(): void {
    this.welcomeTick = undefined;
    const groups = this.waitingWelcomes;
    this.waitingWelcomes = new Map();
    for (const [key, group] of groups) {
      if (this.reading.has(key)) {
        // a read of this hunt is in flight: these go in the next one, with whoever else comes
        const next = this.waitingWelcomes.get(key);
        if (next) next.waiters.push(...group.waiters);
        else this.waitingWelcomes.set(key, group);
        continue;
      }
      this.reading.add(key);
      void this.readGroup(group).finally(() => {
        this.reading.delete(key);
        if (this.waitingWelcomes.has(key)) this.welcomeTick ??= setImmediate(() => this.readWelcomes());
      });
    }
  }

  /** One group's welcomes, at most MAX_WELCOMES_PER_READ players per script call, each player read once. */
  private async readGroup({ hunt, topN, waiters }: WelcomeGroup): Promise<void> {
    const byPlayer = new Map<string, WelcomeWaiter[]>();
    for (const w of waiters) {
      const same = byPlayer.get(w.player);
      if (same) same.push(w);
      else byPlayer.set(w.player, [w]);
    }
    const players = [...byPlayer.keys()];
    const reads: Promise<void>[] = [];
    for (let at = 0; at < players.length; at += MAX_WELCOMES_PER_READ) {
      const part = players.slice(at, at + MAX_WELCOMES_PER_READ);
      const each = (fn: (w: WelcomeWaiter, i: number) => void): void =>
        part.forEach((p, i) => byPlayer.get(p)?.forEach((w) => fn(w, i)));
      const { held, parts } = this.cache.held(hunt, topN);
      reads.push(
        readWelcomes(this.redis, this.keys, hunt, part, topN, held)
          .then((got) => {
            if (!got?.meta.status) return each((w) => w.reject(new HuntError('HUNT_NOT_FOUND')));
            const read = this.cache.complete(hunt, topN, got, parts);
            const shared = this.shared(hunt, read);
            // players at the same point of the hunt (a burst of new ones: all of them) share one puzzle list
            const lists = shared.lists;
            each((w, i) => {
              const mine = read.players[i]!;
              w.resolve({ state: this.welcomeOf(shared, mine, lists), record: readPlayer(mine.record) });
            });
          })
          // a reject after a resolve changes nothing
          .catch((err: unknown) => each((w) => w.reject(err))),
      );
    }
    await Promise.all(reads);
  }

  /** What every welcome of one read has in common; the puzzles parsed (and lists built) once per `puzzlesRev`. */
  private shared(
    id: string,
    read: WelcomesRead,
  ): Parsed & {
    hunt: WelcomeState['hunt'];
    seq: number;
    launchedAt: number | null;
    now: number;
    leaderboard: LeaderboardEntry[];
    lists: Map<string, PublicPuzzle[]>;
  } {
    const launched = Number(read.meta.launchedAt);
    const launchedAt = read.meta.launchedAt && Number.isFinite(launched) ? launched : null;
    const now = Date.now();
    const { parsed, lists } = this.lists.of(id, read, launchedAt, now, this.params());
    const names = new Map<string, string>();
    const teams = new Set<string>();
    for (let i = 0; i < read.top.length; i += 2) {
      const n = boardName(read.names[i / 2]);
      names.set(read.top[i]!, n.name);
      if (n.team) teams.add(read.top[i]!);
    }
    return {
      ...parsed,
      hunt: { id, name: read.meta.name ?? '', status: huntStatus(read.meta.status) ?? 'failed' },
      seq: Number(read.meta.seq ?? 0),
      launchedAt,
      now,
      leaderboard: toEntries(read.top, names, teams),
      lists,
    };
  }

  /**
   * One player's welcome: their solves and reaches only, so it costs the same with 10 players or
   * 10,000. `lists` holds the puzzle lists built for this read by what was solved and reached:
   * players at the same point get the same array (and the gateway serializes it once).
   */
  private welcomeOf(
    shared: ReturnType<HuntBoard['shared']>,
    mine: WelcomeOfPlayer,
    lists: Map<string, PublicPuzzle[]>,
  ): WelcomeState {
    const solvedAt = (at: number): boolean => mine.solved[at] !== null && mine.solved[at] !== undefined;
    const reachedAt = (at: number): boolean => mine.reached[at] === 1;
    const takenAt = (at: number): number => Number(mine.taken[at] ?? 0) || 0;
    const pendingAt = (at: number): boolean => mine.pending[at] === 1;
    // what tells players apart here: solves, reaches, pending submissions, hints taken and the answers accepted
    const progress = mine.progress;
    let puzzles = lists.get(progress);
    if (!puzzles) {
      const params = this.params();
      const solvedById = (id: string): boolean => {
        const at = shared.positions.get(id);
        return at !== undefined && solvedAt(at);
      };
      puzzles = shared.puzzles.map(({ p, at }) => {
        const solved = solvedAt(at);
        const view = playerView(p, {
          seq: shared.sequences.get(p.id) ?? null,
          launchedAt: shared.launchedAt,
          now: shared.now,
          solved,
          solvedById,
          reached: reachedAt(at),
          pending: pendingAt(at),
          params,
        });
        const texts = shared.hints.get(p.id) ?? [];
        const taken = Math.min(takenAt(at), texts.length);
        const answer = mine.accepted[at];
        return {
          ...view,
          hints: texts.slice(0, taken),
          hintsLeft: texts.length - taken,
          ...(solved && typeof answer === 'string' ? { answer } : {}),
        };
      });
      // bounded when stored, not only at a read's start: one read may bring hundreds of points of progress
      if (lists.size < MAX_LISTS_PER_HUNT) lists.set(progress, puzzles);
    }
    return {
      hunt: shared.hunt,
      seq: shared.seq,
      puzzles,
      leaderboard: shared.leaderboard,
      you: {
        rank: mine.rank === null ? null : mine.rank + 1,
        score: mine.score === null ? 0 : decodeScore(mine.score),
      },
      messages: welcomeMessages(mine.inbox),
    };
  }

  /** Names of the players (or teams) in a flat [id, score, ...] list, read for those only. */
  private async names(k: HuntKeys, flat: string[]): Promise<{ names: Map<string, string>; teams: Set<string> }> {
    const ids = flat.filter((_, i) => i % 2 === 0);
    const names = new Map<string, string>();
    const teams = new Set<string>();
    if (ids.length === 0) return { names, teams };
    const [players, teamRecords] = await Promise.all([
      this.redis.hmget(k.players, ...ids),
      this.redis.hmget(k.teams, ...ids),
    ]);
    ids.forEach((id, i) => {
      const team = teamRecords[i];
      if (team != null) teams.add(id);
      names.set(id, boardName(team ?? players[i]).name);
    });
    return { names, teams };
  }

  /**
   * Deltas after `since`, in order; null when the log no longer reaches back that far (or,
   * with `most`, when they are more than that). Reads only those deltas, not the whole log.
   */
  async deltasSince(id: string, since: number, most = Number.MAX_SAFE_INTEGER): Promise<LbDelta[] | null> {
    const { raw } = await this.deltasAfter(id, since, most);
    if (raw === null) return null;
    const deltas: LbDelta[] = [];
    for (const r of raw) {
      const d = readDelta(r);
      if (d) deltas.push(d);
    }
    return deltas;
  }

  /** The deltas after `since` as stored (JSON text, ready to send), and the log's seq range. */
  deltasAfter(id: string, since: number, most: number): Promise<DeltasRead> {
    return deltasAfter(this.redis, this.k(id), since, most);
  }
}
