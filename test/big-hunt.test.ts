/**
 * One big hunt (more than fanout.fullBoardMax entries on its board): clients' `lb` deltas carry
 * the top N only and the entries that left it (none at all for a tick that changed nothing
 * there), each player hears its own exact standing by
 * `{"t":"you"}` at most once a second, seq rises by one without gaps on every front, and a
 * reconnect with `since` replays the same top-only deltas.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { entryId, PlayerSocket, type LbDelta, type ServerMessage } from '../client/index.js';
import { DEFAULT_FANOUT } from '../config/index.js';
import { decodeScore } from '../rooms/index.js';
import {
  liveHunt,
  metricValue,
  restoreConfigs,
  setConfig,
  settledSeq,
  startCluster,
  until,
  type Cluster,
} from './helpers.js';

const isLb = (m: ServerMessage): m is LbDelta => m.t === 'lb';
const TOP = 5;

interface Seat {
  player: string;
  token: string;
  ws: PlayerSocket;
  /** when its welcome came */
  at: number;
  /** arrival times of its `you` frames */
  yous: number[];
}

describe('one big hunt', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
  });
  afterAll(() => c.close());
  afterEach(() => restoreConfigs(c, { fanout: DEFAULT_FANOUT }));

  const seat = async (hunt: string, name: string, node: number): Promise<Seat> => {
    const j = await c.gm(node).join(hunt, name);
    const ws = await PlayerSocket.connect(c.url(node), j.token);
    await ws.waitType('welcome');
    const s: Seat = { ...j, ws, at: Date.now(), yous: [] };
    ws.ws.on('message', (data) => {
      if (String(data).startsWith('{"t":"you"')) s.yous.push(Date.now());
    });
    return s;
  };
  const adjust = (hunt: string, player: string, points: number): Promise<unknown> =>
    c.gm().request('POST', `/api/hunts/${hunt}/players/${player}/adjust`, { points, reason: 'test' });

  /** Checks one client's view: lb entries in the top N or leaving it, seq by one from `from`, none naming `hidden`. */
  const checkView = (ws: PlayerSocket, from: number, top: Set<string>, hidden: Set<string>): void => {
    let seq = from;
    for (const d of ws.received.filter(isLb)) {
      if (d.seq <= from) continue;
      expect(d.seq).toBe(seq + 1);
      seq = d.seq;
      // a delta tells something: a tick that changed nothing shown sends none
      expect(d.changes.length).toBeGreaterThan(0);
      for (const ch of d.changes) {
        const id = entryId(ch);
        expect(hidden.has(id), `${id} reached another player`).toBe(false);
        if (ch.rank !== null && ch.rank <= TOP) top.add(id);
        else {
          // only an entry that this client saw in the top may come with a rank past it: it left
          expect(top.has(id), `${id} at rank ${ch.rank} was never in the top`).toBe(true);
          top.delete(id);
        }
      }
    }
  };

  it('gives clients the top N only, each player its exact standing at most once a second, and replays the same', async () => {
    await setConfig(c, 'fanout', { fullBoardMax: 5, topN: TOP });
    const hunt = await liveHunt(c.gm(), 1);
    const board = `${c.prefix}:{h:${hunt.id}}:board`;
    const seats: Seat[] = [];
    // the other test of this file may have seeded its own hunt's index first: count this hunt's
    const seedsBefore = c.nodes.map((n) => metricValue(n.metrics.render(), 'hunt_rank_index_seeds_total'));
    for (let i = 0; i < 30; i++) seats.push(await seat(hunt.id, `p${i}`, i % 2));
    for (const s of seats) {
      const w = s.ws.received.find((m) => m.t === 'welcome');
      expect(w?.t === 'welcome' && w.leaderboard.length).toBeLessThanOrEqual(TOP);
    }
    // one player goes away for a while and comes back with `since`
    const away = seats[0]!;
    const awaySeq = away.ws.lastSeq;
    const awayTop = new Set<string>();
    const welcome = away.ws.received.find((m) => m.t === 'welcome');
    if (welcome?.t === 'welcome') for (const e of welcome.leaderboard) awayTop.add(entryId(e));
    checkView(away.ws, welcome?.t === 'welcome' ? welcome.seq : 0, awayTop, new Set());
    away.ws.close();

    // scores in rounds, with equal scores among them
    for (let round = 0; round < 3; round++)
      await Promise.all(
        seats.map((s, i) => ((i + round) % 3 === 0 ? adjust(hunt.id, s.player, (i % 5) * 10 + 10) : 0)),
      );
    // a stretch where the top keeps moving: many rank changes a second
    const until3s = Date.now() + 3000;
    for (let n = 0; Date.now() < until3s; n++) await adjust(hunt.id, seats[1 + (n % 6)]!.player, 7);
    // outsiders join and score without reaching the top: nobody's lb may name them, and as
    // nothing clients are shown changes, no delta forms at all (seq stays; the board's count moves)
    const meta = `${c.prefix}:{h:${hunt.id}}:meta`;
    const seqBefore = await settledSeq(c, hunt.id);
    const boardBefore = Number(await c.redis.hget(meta, 'zseq'));
    const hidden = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const j = await c.gm().join(hunt.id, `late${i}`);
      hidden.add(j.player);
      await adjust(hunt.id, j.player, 1);
    }
    const seq = await settledSeq(c, hunt.id);
    expect(seq).toBe(seqBefore);
    expect(Number(await c.redis.hget(meta, 'zseq'))).toBeGreaterThan(boardBefore);

    // each player's last `you` is ZREVRANK + 1 and the score on the board
    await until(
      'every you agrees with the board',
      async () => {
        for (const s of seats.slice(1)) {
          const rank = await c.redis.zrevrank(board, s.player);
          const z = await c.redis.zscore(board, s.player);
          if (rank === null || z === null) return undefined;
          if (s.ws.you?.rank !== rank + 1 || s.ws.you.score !== decodeScore(z)) return undefined;
        }
        return true;
      },
      20_000,
    );
    const top5 = new Set(await c.redis.zrevrange(board, 0, TOP - 1));
    for (const s of seats.slice(1)) {
      // at most one `you` a second: never more than the seconds it has been open, plus one
      expect(s.yous.length).toBeLessThanOrEqual(Math.floor((Date.now() - s.at) / 1000) + 1);
      const w = s.ws.received.find((m) => m.t === 'welcome');
      const top = new Set<string>();
      if (w?.t === 'welcome') for (const e of w.leaderboard) top.add(entryId(e));
      await until('the last delta', () => (s.ws.lastSeq >= seq ? true : undefined));
      checkView(s.ws, w?.t === 'welcome' ? w.seq : 0, top, hidden);
      // what came in and what left add up to the board's top
      expect(top).toEqual(top5);
    }
    expect(seats.some((s) => s.yous.length > 0)).toBe(true);
    // each front read the board into its rank index once
    c.nodes.forEach((n, i) =>
      expect(metricValue(n.metrics.render(), 'hunt_rank_index_seeds_total') - (seedsBefore[i] ?? 0)).toBe(1),
    );

    // back with `since`: the missed deltas in the same top-only form, then its standing
    const back = await PlayerSocket.connect(c.url(1), away.token, awaySeq);
    await back.waitFor((m) => isLb(m) && m.seq === seq, 15_000);
    expect(back.received.some((m) => m.t === 'welcome')).toBe(false);
    checkView(back, awaySeq, awayTop, hidden);
    expect(awayTop).toEqual(top5);
    const rank = await c.redis.zrevrank(board, away.player);
    await back.waitFor((m) => m.t === 'you' && m.rank === (rank ?? -2) + 1, 15_000);
    back.close();
    for (const s of seats.slice(1)) s.ws.close();
  });
  it("tells each member of a team its team's standing, on either front", async () => {
    await setConfig(c, 'fanout', { fullBoardMax: 2, topN: 1 });
    const { id: hunt } = await c.gm().createHunt({
      name: 'Team standings',
      puzzles: [
        { id: 'q', type: 'text', title: 'Q', prompt: 'Which colour is the door?', points: 10, answers: ['green'] },
      ],
      teams: { maxSize: 2 },
    } as never);
    await c.gm().lifecycle(hunt, 'launch');
    const board = `${c.prefix}:{h:${hunt}}:board`;
    const members: { team: string; player: string; ws: PlayerSocket }[] = [];
    for (let t = 0; t < 4; t++) {
      const first = await c
        .gm()
        .request<{ player: string; token: string; team: { id: string; code: string } }>(
          'POST',
          `/api/hunts/${hunt}/players`,
          {
            name: `lead${t}`,
            team: `Team ${t}`,
          },
        );
      const second = await c.gm(1).request<{ player: string; token: string }>('POST', `/api/hunts/${hunt}/players`, {
        name: `mate${t}`,
        teamCode: first.team.code,
      });
      for (const [i, m] of [first, second].entries()) {
        const ws = await PlayerSocket.connect(c.url(i), m.token);
        await ws.waitType('welcome');
        members.push({ team: first.team.id, player: m.player, ws });
      }
    }
    // the last team climbs to the top, the first one to second place
    await adjust(hunt, members[6]!.player, 50);
    await adjust(hunt, members[0]!.player, 20);
    await settledSeq(c, hunt);
    await until(
      "every member told its team's standing",
      async () => {
        for (const m of members) {
          const rank = await c.redis.zrevrank(board, m.team);
          const z = await c.redis.zscore(board, m.team);
          if (rank === null || z === null || m.ws.you?.rank !== rank + 1 || m.ws.you.score !== decodeScore(z))
            return undefined;
        }
        return true;
      },
      20_000,
    );
    expect(members[6]!.ws.you).toMatchObject({ rank: 1, score: 50 });
    expect(members[1]!.ws.you).toMatchObject({ rank: 2, score: 20 });
    for (const m of members) m.ws.close();
  });
});
