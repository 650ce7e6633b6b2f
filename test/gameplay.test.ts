/** Gameplay as PROTOCOL.md and the configs say: scoring, coalesced deltas, resume, limits, locations, moderation. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { entryId, PlayerSocket, type LbDelta, type ServerMessage } from '../client/index.js';
import { DEFAULT_FANOUT, DEFAULT_LIMITS, DEFAULT_SCORING } from '../config/index.js';
import { liveHunt, restoreConfigs, setConfig, startCluster, until, type Cluster, settledSeq } from './helpers.js';

const isLb = (m: ServerMessage): m is LbDelta => m.t === 'lb';

describe('gameplay', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
  });
  afterAll(() => c.close());
  // a test that fails half-way still leaves the defaults for the next one
  afterEach(() => restoreConfigs(c, { scoring: DEFAULT_SCORING, fanout: DEFAULT_FANOUT, limits: DEFAULT_LIMITS }));

  const join = async (
    hunt: string,
    name: string,
    node = 0,
  ): Promise<{ player: string; token: string; ws: PlayerSocket }> => {
    const j = await c.gm(node).join(hunt, name);
    const ws = await PlayerSocket.connect(c.url(node), j.token);
    await ws.waitType('welcome');
    return { ...j, ws };
  };

  it('scores with decay, first-solver bonuses and hint penalties as the config says, and applies a change to the next solve', async () => {
    await setConfig(c, 'scoring', {
      decay: { perMinute: 0.1, floor: 0.5 },
      firstSolverBonus: [40, 20],
      hintPenaltyFraction: 0.25,
    });
    const hunt = await liveHunt(c.gm(), 1); // one easy cipher: 100 points
    // as if launched two minutes ago: 100 × (1 − 0.1 × 2) = 80
    await c.redis.hset(`${c.prefix}:{h:${hunt.id}}:meta`, 'launchedAt', Date.now() - 120_000);
    const a = await join(hunt.id, 'ann');
    const hint = await a.ws.request({ t: 'hint', id: 'h1', puzzle: 'p1' });
    expect(hint).toMatchObject({ t: 'hint', penalty: 25 });
    const first = await a.ws.request({ t: 'answer', id: 'a1', puzzle: 'p1', answer: hunt.answers.get('p1')! });
    expect(first).toMatchObject({ correct: true, points: 80 + 40, score: 80 + 40 - 25 });

    await setConfig(c, 'scoring', { decay: { perMinute: 0.2, floor: 0.5 }, hintPenaltyFraction: 0.5 });
    const b = await join(hunt.id, 'ben');
    expect(await b.ws.request({ t: 'hint', id: 'h1', puzzle: 'p1' })).toMatchObject({ penalty: 50 });
    // 100 × (1 − 0.2 × 2) = 60, plus the second solver's 20
    expect(await b.ws.request({ t: 'answer', id: 'a1', puzzle: 'p1', answer: hunt.answers.get('p1')! })).toMatchObject({
      correct: true,
      points: 60 + 20,
    });
    a.ws.close();
    b.ws.close();
  });

  it('turns a burst of 1,000 answers from 100 players into the expected board and far fewer deltas, the same on both fronts', async () => {
    await setConfig(c, 'scoring', { firstSolverBonus: [] });
    // about deltas, not shedding: a burst of 1,000 answers into nodes that share this process (and
    // a loaded machine's cores) can run the loop late enough to shed (test/shedding.test.ts covers that)
    await setConfig(c, 'limits', { maxLoopLagMs: 10_000 });
    const hunt = await liveHunt(c.gm(), 5);
    const points = [100, 200, 300, 100, 200];
    const watchers = [await join(hunt.id, 'watch0', 0), await join(hunt.id, 'watch1', 1)];
    const players = await Promise.all(Array.from({ length: 100 }, (_, i) => join(hunt.id, `p${i}`, i % 2)));
    const startSeq = await settledSeq(c, hunt.id);
    for (const p of players) {
      for (let k = 1; k <= 5; k++) {
        p.ws.send({ t: 'answer', id: `w${k}`, puzzle: `p${k}`, answer: 'not this' });
        p.ws.send({ t: 'answer', id: `r${k}`, puzzle: `p${k}`, answer: hunt.answers.get(`p${k}`)! });
      }
    }
    await Promise.all(players.map((p) => p.ws.waitFor((m) => m.t === 'result' && m.id === 'r5', 30_000)));
    const board = await until('every score on the board', async () => {
      const b = await c.gm().leaderboard(hunt.id, 200);
      return b.entries.filter((e) => e.score === 900).length === 100 ? b : undefined;
    });
    // the deltas still waiting for their tick go out too
    const lastScores = (w: PlayerSocket): Map<string, number | null> => {
      const last = new Map<string, number | null>();
      for (const d of w.received.filter(isLb)) for (const ch of d.changes) last.set(entryId(ch), ch.score);
      return last;
    };
    await until('every final score in a delta', () =>
      players.every((p) => lastScores(watchers[0]!.ws).get(p.player) === 900) ? true : undefined,
    );
    const finalSeq = watchers[0]!.ws.lastSeq;
    expect(finalSeq).toBeGreaterThanOrEqual(board.seq);
    await until('the last delta on both fronts', () =>
      watchers.every((w) => w.ws.lastSeq >= finalSeq) ? true : undefined,
    );
    const streams = watchers.map((w) =>
      w.ws.received.filter(isLb).filter((d) => d.seq > startSeq && d.seq <= finalSeq),
    );
    expect(streams[0]).toEqual(streams[1]);
    const seqs = streams[0]!.map((d) => d.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
    expect(seqs.length).toBeLessThan(1000 / 5);
    // the last delta a watcher saw for each player agrees with the board
    const last = new Map<string, number | null>();
    for (const d of streams[0]!) for (const ch of d.changes) last.set(entryId(ch), ch.score);
    for (const p of players) expect(last.get(p.player)).toBe(900);
    expect(points.reduce((a, b) => a + b)).toBe(900);
    for (const p of [...players, ...watchers]) p.ws.close();
  });

  it('replays 50 missed deltas in order after `since`, and sends a fresh welcome past the log', async () => {
    // one delta per adjustment: no tick to fold them
    await setConfig(c, 'fanout', { tickMs: 0 });
    const hunt = await liveHunt(c.gm(), 1);
    const w = await join(hunt.id, 'away');
    const seen = w.ws.lastSeq;
    w.ws.close();
    const others = await Promise.all(Array.from({ length: 5 }, (_, i) => c.gm().join(hunt.id, `o${i}`)));
    const bySeq = await settledSeq(c, hunt.id);
    for (let i = 0; i < 50; i++)
      await c.gm().request('POST', `/api/hunts/${hunt.id}/players/${others[i % 5]!.player}/adjust`, {
        points: 1,
        reason: `step ${i}`,
      });
    const to = await settledSeq(c, hunt.id);
    expect(to - bySeq).toBe(50);
    const back = await PlayerSocket.connect(c.url(1), w.token, seen);
    await back.waitFor((m) => isLb(m) && m.seq === to);
    const seqs = back.received.filter(isLb).map((d) => d.seq);
    expect(seqs).toEqual(Array.from({ length: to - seen }, (_, i) => seen + 1 + i));
    expect(back.received.some((m) => m.t === 'welcome')).toBe(false);
    back.close();

    await setConfig(c, 'fanout', { tickMs: 0, logLength: 10 });
    for (let i = 0; i < 20; i++)
      await c
        .gm()
        .request('POST', `/api/hunts/${hunt.id}/players/${others[0]!.player}/adjust`, { points: 1, reason: 'more' });
    // through a front that holds no ring of the hunt (the others keep theirs for LINGER_MS after
    // their last player left, and may replay from it): what the log holds decides
    const fresh = await c.add(['front']);
    try {
      const late = await PlayerSocket.connect(`http://127.0.0.1:${fresh.port}`, w.token, to);
      const welcome = await late.waitType('welcome');
      expect(welcome.seq).toBe(to + 20);
      late.close();
    } finally {
      c.nodes.splice(c.nodes.indexOf(fresh), 1);
      await fresh.close();
    }
  });

  it('throttles brute force: answers per minute per puzzle, and the cooldown after a wrong answer', async () => {
    const hunt = await liveHunt(c.gm(), 2);
    const p = await join(hunt.id, 'guesser');
    const replies: ServerMessage[] = [];
    for (let i = 0; i < DEFAULT_LIMITS.answersPerMinutePerPuzzle + 3; i++)
      replies.push(await p.ws.request({ t: 'answer', id: `g${i}`, puzzle: 'p1', answer: `guess ${i}` }));
    expect(
      replies.slice(0, DEFAULT_LIMITS.answersPerMinutePerPuzzle).every((r) => r.t === 'result' && !r.correct),
    ).toBe(true);
    for (const r of replies.slice(DEFAULT_LIMITS.answersPerMinutePerPuzzle))
      expect(r).toMatchObject({ t: 'error', code: 'TOO_MANY_ATTEMPTS', retryAfterMs: expect.any(Number) });
    // even the right answer waits for the window
    expect(
      await p.ws.request({ t: 'answer', id: 'right', puzzle: 'p1', answer: hunt.answers.get('p1')! }),
    ).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });

    await setConfig(c, 'scoring', { wrongAnswerCooldownMs: 60_000, wrongAnswerPenalty: 5 });
    expect(await p.ws.request({ t: 'answer', id: 'c1', puzzle: 'p2', answer: 'nope' })).toMatchObject({
      t: 'result',
      correct: false,
      points: -5,
    });
    expect(await p.ws.request({ t: 'answer', id: 'c2', puzzle: 'p2', answer: hunt.answers.get('p2')! })).toMatchObject({
      t: 'error',
      code: 'ANSWER_COOLDOWN',
    });
    p.ws.close();
  });

  it('cuts a flooding client off with 4008 while others keep playing', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const flood = await join(hunt.id, 'flood');
    const calm = await join(hunt.id, 'calm');
    for (let i = 0; i < 2000; i++) flood.ws.send({ t: 'ping', id: `f${i}` });
    expect(await flood.ws.waitClose()).toBe(4008);
    expect(flood.ws.received.some((m) => m.t === 'error' && m.code === 'RATE_LIMITED')).toBe(true);
    expect(await calm.ws.request({ t: 'ping', id: 'still' })).toMatchObject({ t: 'pong' });
    expect(
      await calm.ws.request({ t: 'answer', id: 'x', puzzle: 'p1', answer: hunt.answers.get('p1')! }),
    ).toMatchObject({ correct: true });
    calm.ws.close();
  });

  it('folds a mass join into one delta per tick: O(N) frames per client, not one delta per join', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const watcher = await join(hunt.id, 'watcher');
    const from = watcher.ws.received.length;
    const before = Number(
      /hunt_leaderboard_deltas_total (\d+)/.exec(c.nodes.map((n) => n.metrics.render()).join('\n'))?.[1] ?? 0,
    );
    const joined = await Promise.all(Array.from({ length: 200 }, (_, i) => c.gm().join(hunt.id, `crowd${i}`)));
    // every joiner shows up on the watcher's board...
    const seen = new Set<string>();
    await until('every join in a delta', () => {
      for (const m of watcher.ws.received.slice(from)) if (isLb(m)) for (const ch of m.changes) seen.add(entryId(ch));
      return joined.every((j) => seen.has(j.player)) ? true : undefined;
    });
    // ...in far fewer deltas than joins, seq still rising by one
    const deltas = watcher.ws.received.slice(from).filter(isLb);
    expect(deltas.length).toBeLessThan(100);
    deltas.forEach((d, i) => i > 0 && expect(d.seq).toBe(deltas[i - 1]!.seq + 1));
    // and the delta counter counts them, whatever caused them
    const after = c.nodes
      .map((n) => Number(/hunt_leaderboard_deltas_total (\d+)/.exec(n.metrics.render())?.[1] ?? 0))
      .reduce((a, b) => a + b, 0);
    expect(after - before).toBeGreaterThanOrEqual(deltas.length);
    watcher.ws.close();
  });

  it('closes a client that never reads with 4009, and the others are unaffected', async () => {
    await setConfig(c, 'limits', { messagesPerSecond: 1_000_000, burst: 1_000_000, maxBackpressureBytes: 64 * 1024 });
    const hunt = await liveHunt(c.gm(), 1);
    const slow = await join(hunt.id, 'sleepy');
    const fine = await join(hunt.id, 'awake');
    const open = (): number => Number(/hunt_ws_connections (\d+)/.exec(c.nodes[0]!.metrics.render())?.[1]);
    const before = open();
    const raw = (slow.ws.ws as unknown as { _socket: import('node:net').Socket })._socket;
    raw.pause();
    // pongs well past what the kernel's socket buffers hold, so uWS itself has to buffer
    const pad = 'x'.repeat(56);
    for (let i = 0; i < 120_000; i++) slow.ws.send({ t: 'ping', id: `${pad}${i}` });
    await until('the slow client cut off', () => (open() === before - 1 ? true : undefined), 20_000);
    raw.resume();
    expect(await slow.ws.waitClose()).toBe(4009);
    expect(await fine.ws.request({ t: 'ping', id: 'ok' })).toMatchObject({ t: 'pong', id: 'ok' });
    fine.ws.close();
  });

  it('binds a token to its hunt: events land in that hunt only', async () => {
    // distinct seeds, so that an answer right in one hunt is wrong in the other
    const a = await liveHunt(c.gm(), 1, 'seed-a');
    const b = await liveHunt(c.gm(), 1, 'seed-b');
    expect(a.answers.get('p1')).not.toBe(b.answers.get('p1'));
    const joined = await c.gm().join(a.id, 'loyal');
    const other = await c.gm().join(b.id, 'bystander');
    // events name no hunt: the token decides, so hunt b's answer is judged against hunt a's puzzle
    const ws = await PlayerSocket.connect(c.url(), joined.token);
    const welcome = await ws.waitType('welcome');
    expect(welcome.hunt.id).toBe(a.id);
    expect(await ws.request({ t: 'answer', id: 'x', puzzle: 'p1', answer: b.answers.get('p1')! })).toMatchObject({
      t: 'result',
      correct: false,
    });
    const right = await ws.request({ t: 'answer', id: 'y', puzzle: 'p1', answer: a.answers.get('p1')! });
    expect(right).toMatchObject({ t: 'result', correct: true });
    ws.close();
    const boardA = await c.gm().leaderboard(a.id, 5);
    expect(boardA.entries).toEqual([
      expect.objectContaining({ player: joined.player, score: (right as { score: number }).score }),
    ]);
    // hunt b holds its own player only, untouched
    expect((await c.gm().leaderboard(b.id, 5)).entries).toEqual([
      expect.objectContaining({ player: other.player, score: 0 }),
    ]);
  });

  it('keeps a located puzzle locked until a move brings the player within reach', async () => {
    const gm = c.gm();
    const { id } = await gm.createHunt({
      name: 'harbour walk',
      puzzles: [
        { type: 'anagram', difficulty: 'easy' },
        { type: 'anagram', difficulty: 'easy', location: { lat: 48.8584, lng: 2.2945, radius: 50 } },
      ],
    });
    await gm.waitReady(id);
    await gm.lifecycle(id, 'launch');
    const key = new Map((await gm.answers(id)).answers.map((x) => [x.puzzle, x.answer]));
    const j = await gm.join(id, 'walker');
    const ws = await PlayerSocket.connect(c.url(), j.token);
    const welcome = await ws.waitType('welcome');
    expect(welcome.puzzles[0]).toMatchObject({ id: 'p1', locked: false });
    expect(welcome.puzzles[1]).toMatchObject({
      id: 'p2',
      locked: true,
      prompt: null,
      location: { lat: 48.8584, lng: 2.2945, radius: 50 },
    });
    expect(await ws.request({ t: 'answer', id: 'early', puzzle: 'p2', answer: key.get('p2')! })).toMatchObject({
      t: 'error',
      code: 'PUZZLE_LOCKED',
    });
    ws.send({ t: 'move', lat: 48.86, lng: 2.3 }); // about 400 m away
    ws.send({ t: 'move', lat: 48.8586, lng: 2.2946 }); // about 25 m away
    const found = await ws.waitType('found');
    expect(found.puzzle).toMatchObject({
      id: 'p2',
      locked: false,
      solved: false,
      prompt: { letters: expect.any(String) },
    });
    expect(await ws.request({ t: 'answer', id: 'now', puzzle: 'p2', answer: key.get('p2')! })).toMatchObject({
      t: 'result',
      correct: true,
    });
    ws.close();
  });

  it('ranks the player who reached a score first above a later tie', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const first = await c.gm().join(hunt.id, 'early bird');
    const second = await c.gm().join(hunt.id, 'late bird');
    await c.gm().request('POST', `/api/hunts/${hunt.id}/players/${first.player}/adjust`, { points: 42, reason: 'tie' });
    await c
      .gm()
      .request('POST', `/api/hunts/${hunt.id}/players/${second.player}/adjust`, { points: 42, reason: 'tie' });
    const board = await c.gm().leaderboard(hunt.id, 2);
    expect(board.entries.map((e) => [e.name, e.score, e.rank])).toEqual([
      ['early bird', 42, 1],
      ['late bird', 42, 2],
    ]);
  });

  it('lets the game master remove and adjust players, with both in the export', async () => {
    const hunt = await liveHunt(c.gm(), 1);
    const stay = await join(hunt.id, 'stays');
    const gone = await join(hunt.id, 'goes');
    expect(
      await c.gm().request('POST', `/api/hunts/${hunt.id}/players/${stay.player}/adjust`, {
        points: 7,
        reason: 'helped a lost tourist',
      }),
    ).toEqual({ score: 7 });
    await c.gm().request('DELETE', `/api/hunts/${hunt.id}/players/${gone.player}`);
    expect(await gone.ws.waitClose()).toBe(4008);
    const removal = await stay.ws.waitFor(
      (m) => isLb(m) && m.changes.some((ch) => ch.player === gone.player && ch.score === null),
    );
    expect((removal as LbDelta).changes.find((ch) => ch.player === gone.player)).toMatchObject({
      score: null,
      rank: null,
    });
    expect((await c.gm().leaderboard(hunt.id, 10)).entries.map((e) => e.player)).not.toContain(gone.player);
    await expect(c.gm().sendEvents(gone.token, [{ t: 'move', lat: 1, lng: 1 }])).rejects.toMatchObject({
      code: 'PLAYER_REMOVED',
    });
    // coming back on a socket, fresh (the record comes with the welcome's read) or resuming: refused all the same
    expect(await (await PlayerSocket.connect(c.url(0), gone.token)).waitClose()).toBe(4008);
    expect(await (await PlayerSocket.connect(c.url(0), gone.token, 1)).waitClose()).toBe(4008);
    const data = await c.gm().request<{
      players: { player: string; removed: boolean; score: number }[];
      events: { k: string; reason?: string }[];
    }>('GET', `/api/hunts/${hunt.id}/export`);
    expect(data.players.find((p) => p.player === gone.player)?.removed).toBe(true);
    expect(data.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ k: 'adjust', reason: 'helped a lost tourist' }),
        expect.objectContaining({ k: 'remove' }),
      ]),
    );
    const csv = await c.gm().request<string>('GET', `/api/hunts/${hunt.id}/export`, undefined, undefined, 'text/csv');
    expect(csv.split('\r\n')[0]).toBe('kind,at,player,name,puzzle,points,score,reason');
    expect(csv).toContain('helped a lost tourist');
    expect(csv).toContain('remove');
    stay.ws.close();
  });
});
