/**
 * Each player's own standing, `{"t":"you","rank","score","seq"}`, from a front node: per hunt
 * it serves, an order-statistic index of the whole board (server/rank-index.ts), seeded once
 * from the board, fed by every delta the shard publishes (the board values of what changed),
 * and seeded again after a gap. Once a second it looks up the rank of each player (each team,
 * in a team hunt) with a socket on this node and sends `you` where rank or score changed. So
 * a front's cost is per local player, whatever the hunt's size, and the rank is exact: the
 * index holds the board as it was when the delta at its seq was formed, so the rank is what
 * ZREVRANK + 1 answered then.
 */
import type { Logger } from 'pino';
import type { ServerMessage } from '../protocol/index.js';
import { decodeScore, type HuntStore } from '../rooms/index.js';
import { LINGER_MS, type BoardAt } from './fanout.js';
import { RankIndex } from './rank-index.js';

/** How often standings are looked at and sent: at most one `you` per player per period. */
export const STANDINGS_PERIOD_MS = 1000;

interface Standing {
  /** sockets on this node that follow it */
  watchers: number;
  /** what this node last told them (or what their welcome held) */
  rank: number | null;
  score: number | null;
}

interface HuntStandings {
  index: RankIndex;
  /** the board change (meta `zseq`) the index is at; null while it is (re)seeded */
  board: number | null;
  /** the clients' seq at that change: what a `you` carries */
  seq: number;
  /** deltas heard while seeding, applied over the snapshot in order */
  waiting: { at: BoardAt; values: Map<string, number | null> }[];
  seeding: boolean;
  /** by board member: the player, or the team in a team hunt */
  members: Map<string, Standing>;
  /** when its last member on this node left (the index is kept, fed, for `lingerMs`), else null */
  emptySince: number | null;
}

export interface StandingsOptions {
  store: HuntStore;
  /** sends a `you` to the sockets of a player or of a team's members on this node */
  send(member: string, json: string): void;
  log: Logger;
  /** told of each (re)seed and how many entries it read */
  onSeed?: (entries: number) => void;
  /** @default STANDINGS_PERIOD_MS */
  periodMs?: number;
  /** how long a hunt's index is kept after its last member here left, so a player who comes back costs no seed; @default LINGER_MS */
  lingerMs?: number;
}

export class Standings {
  private readonly hunts = new Map<string, HuntStandings>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly opts: StandingsOptions) {
    this.timer = setInterval(() => this.tick(), opts.periodMs ?? STANDINGS_PERIOD_MS);
    this.timer.unref();
  }

  /**
   * A socket follows a member's standing (its player, or its team); `known` is what its welcome
   * held, so the first `you` comes when that changes.
   */
  watch(hunt: string, member: string, known?: { rank: number | null; score: number }): void {
    let h = this.hunts.get(hunt);
    if (!h) {
      h = {
        index: new RankIndex(),
        board: null,
        seq: 0,
        waiting: [],
        seeding: false,
        members: new Map(),
        emptySince: null,
      };
      this.hunts.set(hunt, h);
      this.seed(hunt, h);
    }
    h.emptySince = null;
    const st = h.members.get(member);
    if (st) st.watchers++;
    else h.members.set(member, { watchers: 1, rank: known?.rank ?? null, score: known ? known.score : null });
  }

  unwatch(hunt: string, member: string): void {
    const h = this.hunts.get(hunt);
    const st = h?.members.get(member);
    if (!h || !st) return;
    if (--st.watchers > 0) return;
    h.members.delete(member);
    if (h.members.size === 0) h.emptySince = Date.now();
  }

  /**
   * A delta of the hunt (or board values alone), in the order the channel brought it; `values`
   * null, or `at.board` null, for one heard without them: the index is seeded again.
   */
  onDelta(hunt: string, at: BoardAt, values: Map<string, number | null> | null): void {
    const h = this.hunts.get(hunt);
    if (!h) return;
    const board = values === null ? null : at.board;
    if (h.board === null) {
      if (values && board !== null) h.waiting.push({ at, values });
      return;
    }
    if (board !== null && board <= h.board) return;
    const missed = board === null || values === null || board > h.board + 1;
    if (missed && h.emptySince !== null) {
      // nobody here to tell: drop it rather than read the board again for no one
      this.hunts.delete(hunt);
      return;
    }
    if (missed) {
      this.opts.log.warn({ hunt, from: h.board, to: board }, 'standings missed a delta; seeding the rank index again');
      h.board = null;
      h.waiting = values && board !== null ? [{ at, values }] : [];
      this.seed(hunt, h);
      return;
    }
    for (const [member, value] of values) h.index.set(member, value);
    h.board = board;
    h.seq = Math.max(h.seq, at.seq);
  }

  /** The rank (1-based) and score the index holds for a member, and the seq it is at; for tests and the tick. */
  standing(hunt: string, member: string): { rank: number; score: number; seq: number } | undefined {
    const h = this.hunts.get(hunt);
    if (!h || h.board === null) return undefined;
    const rank = h.index.rank(member);
    const value = h.index.value(member);
    if (rank === undefined || value === undefined) return undefined;
    return { rank: rank + 1, score: decodeScore(value), seq: h.seq };
  }

  private seed(hunt: string, h: HuntStandings): void {
    if (h.seeding) return;
    h.seeding = true;
    this.opts.store.board.snapshot(hunt).then(
      ({ seq, board, values }) => {
        h.seeding = false;
        if (this.hunts.get(hunt) !== h) return;
        this.opts.onSeed?.(values.size);
        h.index.clear();
        for (const [member, value] of values) h.index.set(member, value);
        h.board = board;
        h.seq = seq;
        const waiting = h.waiting.sort((a, b) => (a.at.board ?? 0) - (b.at.board ?? 0));
        h.waiting = [];
        for (const d of waiting) this.onDelta(hunt, d.at, d.values);
      },
      (err: unknown) => {
        // the next tick tries again
        h.seeding = false;
        this.opts.log.warn({ err, hunt }, 'rank index seed failed');
      },
    );
  }

  /** Sends `you` to each local member whose rank or score changed since it was last told. */
  private tick(): void {
    const now = Date.now();
    for (const [hunt, h] of this.hunts) {
      if (h.emptySince !== null) {
        if (now - h.emptySince >= (this.opts.lingerMs ?? LINGER_MS)) this.hunts.delete(hunt);
        continue;
      }
      if (h.seq === null) {
        this.seed(hunt, h);
        continue;
      }
      for (const [member, st] of h.members) {
        const at = this.standing(hunt, member);
        if (!at || (at.rank === st.rank && at.score === st.score)) continue;
        st.rank = at.rank;
        st.score = at.score;
        this.opts.send(member, JSON.stringify({ t: 'you', ...at } satisfies ServerMessage));
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.hunts.clear();
  }
}
