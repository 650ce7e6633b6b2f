/**
 * A whole hunt of every puzzle type, played over WebSockets: each answer from the answer key
 * (the exact form a player submits) is accepted, and no message sent to any player holds an answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket, PUZZLE_TYPES, type ServerMessage } from '../client/index.js';
import { startCluster, type Cluster } from './helpers.js';

describe('a hunt of every type', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
  });
  afterAll(() => c.close());

  it('is solvable from the answer key and never leaks an answer', async () => {
    const gm = c.gm();
    const { id } = await gm.createHunt({
      name: 'everything',
      puzzles: PUZZLE_TYPES.map((type) => ({ type, difficulty: 'medium' as const })),
      seed: 42,
    });
    const view = await gm.waitReady(id, 30_000);
    expect(view.status).toBe('ready');
    expect(view.puzzles.map((p) => p.type)).toEqual([...PUZZLE_TYPES]);
    await gm.lifecycle(id, 'launch');
    const key = (await gm.answers(id)).answers;

    const solver = await gm.join(id, 'solver');
    const watcher = await gm.join(id, 'watcher');
    const a = await PlayerSocket.connect(c.url(0), solver.token);
    const b = await PlayerSocket.connect(c.url(1), watcher.token);
    await a.waitType('welcome');
    await b.waitType('welcome');
    for (const { puzzle, type, answer } of key) {
      const hint = await a.request({ t: 'hint', id: `h-${puzzle}`, puzzle });
      expect(hint, type).toMatchObject({ t: 'hint', text: expect.any(String) });
      const result = await a.request({ t: 'answer', id: `a-${puzzle}`, puzzle, answer });
      expect(result, type).toMatchObject({ t: 'result', correct: true });
    }
    const final = (await gm.leaderboard(id, 10)).entries.find((e) => e.player === solver.player)?.score;
    expect(final).toBeGreaterThan(0);
    await b.waitFor((m) => m.t === 'lb' && m.changes.some((ch) => ch.player === solver.player && ch.score === final));
    const all: ServerMessage[] = [...a.received, ...b.received];
    for (const { type, answer } of key) {
      for (const m of all)
        expect(JSON.stringify(m).includes(answer), `${type} answer in ${JSON.stringify(m).slice(0, 120)}`).toBe(false);
    }
    const welcome = await PlayerSocket.connect(c.url(), solver.token).then(async (s) => {
      const w = await s.waitType('welcome');
      s.close();
      return w;
    });
    expect(welcome.puzzles.every((p) => p.solved)).toBe(true);
    a.close();
    b.close();
  });
});
