/** A hunt played over real Redis: join, welcome, answers, idempotency, deltas across two front nodes, bad input. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, PlayerSocket, type ServerMessage } from '../client/index.js';
import { DEFAULT_LIMITS, DEFAULT_SCORING } from '../config/index.js';
import { GM_KEY, liveHunt, startCluster, until, type Cluster, settledSeq } from './helpers.js';

describe('a hunt played end to end', () => {
  let c: Cluster;
  let hunt: { id: string; answers: Map<string, string> };

  beforeAll(async () => {
    // node 0: every role; node 1: a second front node on the same Redis
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
    hunt = await liveHunt(c.gm());
  });
  afterAll(() => c.close());

  it('welcomes a player and answers wrong and right with results', async () => {
    const { player, token } = await c.gm().join(hunt.id, 'alice');
    const ws = await PlayerSocket.connect(c.url(), token);
    const welcome = await ws.waitType('welcome');
    expect(welcome.player).toEqual({ id: player, name: 'alice' });
    expect(welcome.hunt).toEqual({ id: hunt.id, name: 'test hunt', status: 'live' });
    expect(welcome.puzzles.map((p) => p.id)).toEqual(['p1', 'p2', 'p3']);
    expect(welcome.puzzles.every((p) => p.solved === false)).toBe(true);
    expect(welcome.you).toEqual({ rank: expect.any(Number), score: 0 });

    const wrong = await ws.request({ t: 'answer', id: 'w1', puzzle: 'p1', answer: 'certainly not it' });
    expect(wrong).toMatchObject({ t: 'result', id: 'w1', puzzle: 'p1', correct: false, points: 0, score: 0 });

    const right = await ws.request({
      t: 'answer',
      id: 'r1',
      puzzle: 'p1',
      answer: hunt.answers.get('p1')!.toLowerCase(),
    });
    // the first solver of p1 gets the first bonus on top of the base points
    const first = DEFAULT_SCORING.points.easy + (DEFAULT_SCORING.firstSolverBonus[0] ?? 0);
    expect(right).toMatchObject({ t: 'result', id: 'r1', puzzle: 'p1', correct: true, points: first, score: first });
    ws.close();
  });

  it('never leaks an answer in welcome prompts', async () => {
    const { token } = await c.gm().join(hunt.id, 'reader');
    const ws = await PlayerSocket.connect(c.url(), token);
    const welcome = await ws.waitType('welcome');
    const text = JSON.stringify(welcome)
      .toUpperCase()
      .replace(/[^A-Z]/g, '');
    for (const answer of hunt.answers.values()) expect(text).not.toContain(answer.toUpperCase().replace(/[^A-Z]/g, ''));
    ws.close();
  });

  it('scores the same answer id once, and replays the first outcome', async () => {
    const { token } = await c.gm().join(hunt.id, 'bob');
    const ws = await PlayerSocket.connect(c.url(), token);
    await ws.waitType('welcome');
    const answer = hunt.answers.get('p2')!;
    const first = await ws.request({ t: 'answer', id: 'same', puzzle: 'p2', answer });
    ws.close();
    // after a reconnect, the same id again
    const again = await PlayerSocket.connect(c.url(1), token);
    await again.waitType('welcome');
    const second = await again.request({ t: 'answer', id: 'same', puzzle: 'p2', answer });
    expect(second).toEqual(first);
    const third = await again.request({ t: 'answer', id: 'other', puzzle: 'p2', answer });
    expect(third).toMatchObject({ t: 'error', id: 'other', code: 'ALREADY_SOLVED' });
    const board = await c.gm().leaderboard(hunt.id, 100);
    expect(board.entries.find((e) => e.name === 'bob')?.score).toBe(
      DEFAULT_SCORING.points.medium + (DEFAULT_SCORING.firstSolverBonus[0] ?? 0),
    );
    again.close();
  });

  it('shows a score change to a player on another front node with the same seq', async () => {
    const a = await c.gm().join(hunt.id, 'carol');
    const b = await c.gm(1).join(hunt.id, 'dave');
    const wsA = await PlayerSocket.connect(c.url(0), a.token);
    const wsB = await PlayerSocket.connect(c.url(1), b.token);
    await wsA.waitType('welcome');
    await wsB.waitType('welcome');
    const result = await wsA.request({ t: 'answer', id: 'x1', puzzle: 'p3', answer: hunt.answers.get('p3')! });
    const points = DEFAULT_SCORING.points.hard + (DEFAULT_SCORING.firstSolverBonus[0] ?? 0);
    expect(result).toMatchObject({ correct: true, points });
    const isCarol = (m: ServerMessage): m is Extract<ServerMessage, { t: 'lb' }> =>
      m.t === 'lb' && m.changes.some((ch) => ch.player === a.player && ch.score === points);
    const onA = await wsA.waitFor(isCarol);
    const onB = await wsB.waitFor(isCarol);
    expect(onB.seq).toBe(onA.seq);
    expect(onB).toEqual(onA);
    const board = await c.gm(1).leaderboard(hunt.id, 100);
    expect(board.seq).toBeGreaterThanOrEqual(onA.seq);
    expect(board.entries.find((e) => e.player === a.player)).toMatchObject({ score: points, name: 'carol' });
    wsA.close();
    wsB.close();
  });

  it('replays missed deltas after `since`, in order', async () => {
    const watcher = await c.gm().join(hunt.id, 'watcher');
    const ws = await PlayerSocket.connect(c.url(), watcher.token);
    const welcome = await ws.waitType('welcome');
    ws.close();
    const players = await Promise.all(['e1', 'e2', 'e3'].map((n) => c.gm().join(hunt.id, n)));
    for (const [i, p] of players.entries())
      await c
        .gm()
        .request('POST', `/api/hunts/${hunt.id}/players/${p.player}/adjust`, { points: i + 1, reason: 'test' });
    const back = await PlayerSocket.connect(c.url(1), watcher.token, welcome.seq);
    const board = { seq: await settledSeq(c, hunt.id) };
    await back.waitFor((m) => m.t === 'lb' && m.seq === board.seq);
    const seqs = back.received.filter((m) => m.t === 'lb').map((m) => (m as { seq: number }).seq);
    expect(back.received.some((m) => m.t === 'welcome')).toBe(false);
    expect(seqs).toEqual(Array.from({ length: board.seq - welcome.seq }, (_, i) => welcome.seq + 1 + i));
    back.close();
    // a client ahead of the log (its state came from elsewhere) and since=0 both get a fresh welcome
    for (const since of [board.seq + 1000, 0]) {
      const fresh = await PlayerSocket.connect(c.url(), watcher.token, since);
      expect((await fresh.waitType('welcome')).seq).toBeGreaterThanOrEqual(board.seq);
      fresh.close();
    }
  });

  it('refuses forged and expired tokens at the upgrade with 401', async () => {
    const { token } = await c.gm().join(hunt.id, 'mallory');
    const [body, mac] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { p: string; h: string; exp: number };
    const forged = `${Buffer.from(JSON.stringify({ ...claims, p: 'someone-else' })).toString('base64url')}.${mac}`;
    await expect(PlayerSocket.connect(c.url(), forged)).rejects.toMatchObject({ status: 401 });
    const expired = `${Buffer.from(JSON.stringify({ ...claims, exp: 1 })).toString('base64url')}.${mac}`;
    await expect(PlayerSocket.connect(c.url(), expired)).rejects.toMatchObject({ status: 401 });
    await expect(PlayerSocket.connect(c.url(), 'garbage')).rejects.toMatchObject({ status: 401 });
    await expect(c.gm().sendEvents(forged, [{ t: 'move', lat: 1, lng: 1 }])).rejects.toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    });
  });

  it('answers a malformed frame with an error code and keeps the connection usable', async () => {
    const { token } = await c.gm().join(hunt.id, 'fuzzer');
    const ws = await PlayerSocket.connect(c.url(), token);
    await ws.waitType('welcome');
    ws.sendRaw('{not json');
    expect(await ws.waitType('error')).toMatchObject({ code: 'INVALID_JSON' });
    ws.send({ t: 'teleport', id: 'q1' });
    expect(await ws.waitFor((m) => m.t === 'error' && m.id === 'q1')).toMatchObject({ code: 'UNKNOWN_MESSAGE' });
    ws.send({ t: 'answer', id: 'q2', puzzle: 'p1', answer: 42 });
    expect(await ws.waitFor((m) => m.t === 'error' && m.id === 'q2')).toMatchObject({ code: 'VALIDATION_FAILED' });
    ws.send({ t: 'move', lat: 'north', lng: 0 });
    const pong = await ws.request({ t: 'ping', id: 'still-here' });
    expect(pong).toMatchObject({ t: 'pong', id: 'still-here', ts: expect.any(Number) });
    expect(ws.closeCode).toBeUndefined();
    ws.close();
  });

  it('closes an oversized frame with 1009', async () => {
    const { token } = await c.gm().join(hunt.id, 'bigmouth');
    const ws = await PlayerSocket.connect(c.url(), token);
    await ws.waitType('welcome');
    ws.send({ t: 'answer', id: 'big', puzzle: 'p1', answer: 'x'.repeat(DEFAULT_LIMITS.maxFrameBytes + 10) });
    expect(await ws.waitClose()).toBe(1009);
  });

  it('keeps lifecycle transitions to what the status allows', async () => {
    const gm = c.gm();
    const { id } = await gm.createHunt({ name: 'lifecycle', template: 'starter' });
    await gm.waitReady(id);
    await expect(gm.lifecycle(id, 'pause')).rejects.toMatchObject({ status: 409, code: 'HUNT_INVALID_TRANSITION' });
    await expect(gm.lifecycle(id, 'resume')).rejects.toMatchObject({ status: 409 });
    expect(await gm.lifecycle(id, 'launch')).toEqual({ id, status: 'live' });
    await expect(gm.lifecycle(id, 'launch')).rejects.toMatchObject({ status: 409 });
    const { token } = await gm.join(id, 'pat');
    const ws = await PlayerSocket.connect(c.url(), token);
    await ws.waitType('welcome');
    expect(await gm.lifecycle(id, 'pause')).toEqual({ id, status: 'paused' });
    expect(await ws.waitType('hunt')).toEqual({ t: 'hunt', status: 'paused' });
    const { answers } = await gm.answers(id);
    const refused = await ws.request({ t: 'answer', id: 'p', puzzle: 'p1', answer: answers[0]!.answer });
    expect(refused).toMatchObject({ t: 'error', id: 'p', code: 'HUNT_NOT_LIVE' });
    expect(await gm.lifecycle(id, 'resume')).toEqual({ id, status: 'live' });
    const accepted = await ws.request({ t: 'answer', id: 'p', puzzle: 'p1', answer: answers[0]!.answer });
    expect(accepted).toMatchObject({ t: 'result', correct: true });
    expect(await gm.lifecycle(id, 'end')).toEqual({ id, status: 'ended' });
    await expect(gm.lifecycle(id, 'resume')).rejects.toMatchObject({ status: 409 });
    await expect(gm.lifecycle('nope', 'launch')).rejects.toMatchObject({ status: 404, code: 'HUNT_NOT_FOUND' });
    ws.close();
  });

  it('keeps game master endpoints behind the key and validates bodies', async () => {
    const anon = c.gm();
    await expect(anon.request('GET', '/api/hunts', undefined, 'wrong-key')).rejects.toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    });
    await expect(anon.request('POST', '/api/hunts', { name: '' }, GM_KEY)).rejects.toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    await expect(
      anon.request('POST', '/api/hunts', { name: 'x', puzzles: [{ type: 'chess', difficulty: 'easy' }] }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(anon.request('POST', '/api/hunts', { name: 'x', template: 'nope' })).rejects.toMatchObject({
      status: 400,
      code: 'TEMPLATE_NOT_FOUND',
    });
    const res = await fetch(`${c.url()}/api/hunts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${GM_KEY}` },
      body: '{"name":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_JSON');
    expect(await (await fetch(`${c.url()}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${c.url()}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${c.url()}/metrics`)).text();
    for (const name of [
      'hunt_ws_connections',
      'hunt_events_received_total',
      'hunt_events_applied_total',
      'hunt_answers_verified_total',
      'hunt_leaderboard_deltas_total',
      'hunt_stream_lag',
      'hunt_config_version',
      'hunt_event_apply_seconds_bucket',
      'hunt_answer_result_seconds_bucket',
    ]) {
      expect(metrics).toContain(name);
    }
  });

  it('accepts events over HTTP and applies them', async () => {
    const { player, token } = await c.gm().join(hunt.id, 'http-only');
    const moves = Array.from({ length: 20 }, (_, i) => ({ t: 'move', lat: i, lng: -i }));
    expect(await c.gm().sendEvents(token, moves)).toEqual({ accepted: 20 });
    const k = `${c.prefix}:{h:${hunt.id}}`;
    await until('20 moves applied', async () =>
      (await c.redis.hget(`${k}:moves`, player)) === '20' ? true : undefined,
    );
    expect(await c.redis.hget(`${k}:positions`, player)).toBe('19,-19');
    await expect(c.gm().sendEvents(token, [{ t: 'move', lat: 500, lng: 0 }])).rejects.toBeInstanceOf(HttpError);
  });
});
