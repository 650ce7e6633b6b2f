/** GET /api/hunts/:id/figures: the hunt's own players, answers and solves a minute, for the console. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { liveHunt, startCluster, type Cluster } from './helpers.js';

interface Figures {
  players: number;
  online: number;
  answersPerMinute: number;
  solvesPerMinute: number;
}

describe('hunt figures', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker']]);
  });
  afterAll(() => c.close());

  it('counts players not removed, and the answers checked and solves of the last minute', async () => {
    // the figures weigh the minute before by what is left of this one: keep the whole test inside one minute
    const into = Date.now() % 60_000;
    if (into > 40_000) await new Promise((r) => setTimeout(r, 60_500 - into));
    const hunt = await liveHunt(c.gm(), 2);
    const figures = (): Promise<Figures> => c.gm().request<Figures>('GET', `/api/hunts/${hunt.id}/figures`);
    expect(await figures()).toEqual({ players: 0, online: 0, answersPerMinute: 0, solvesPerMinute: 0 });
    const [ann, bob, cyd] = [
      await c.gm().join(hunt.id, 'ann'),
      await c.gm().join(hunt.id, 'bob'),
      await c.gm().join(hunt.id, 'cyd'),
    ];
    await c.gm().request('DELETE', `/api/hunts/${hunt.id}/players/${cyd.player}`);
    const [a, b] = [await PlayerSocket.connect(c.url(), ann.token), await PlayerSocket.connect(c.url(), bob.token)];
    await Promise.all([a.waitType('welcome'), b.waitType('welcome')]);
    expect(await a.request({ t: 'answer', id: 'w1', puzzle: 'p1', answer: 'not this' })).toMatchObject({
      correct: false,
    });
    expect(await a.request({ t: 'answer', id: 'r2', puzzle: 'p2', answer: hunt.answers.get('p2')! })).toMatchObject({
      correct: true,
    });
    expect(await b.request({ t: 'answer', id: 'r1', puzzle: 'p1', answer: hunt.answers.get('p1')! })).toMatchObject({
      correct: true,
    });
    // a repeated request id is one answer, and a hint none
    await a.request({ t: 'answer', id: 'r2', puzzle: 'p2', answer: hunt.answers.get('p2')! });
    await b.request({ t: 'hint', id: 'h1', puzzle: 'p2' });
    // ann and bob hold sockets; cyd, removed, never had one
    await expect.poll(async () => (await figures()).online, { timeout: 10_000 }).toBe(2);
    expect(await figures()).toEqual({ players: 2, online: 2, answersPerMinute: 3, solvesPerMinute: 2 });
    expect(
      (await c
        .gm()
        .request('GET', '/api/hunts/nope/figures')
        .catch((e: { status?: number }) => e)) as { status?: number },
    ).toMatchObject({ status: 404 });
    a.close();
    // a closed socket stops counting once its front node forgets it
    await expect.poll(async () => (await figures()).online, { timeout: 10_000 }).toBe(1);
    b.close();
  });
});
