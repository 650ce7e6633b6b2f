/** Restart Redis (AOF on) under a running node: acknowledged scores survive and play goes on. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HuntHttpClient, PlayerSocket } from '../client/index.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../redis/index.js';
import { createLogger, createNode, type HuntNode } from '../server/index.js';
import { GM_KEY, until } from './helpers.js';

describe('a Redis restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-restart-'));
  let redis: EmbeddedRedis | undefined;
  let node: HuntNode | undefined;
  afterAll(async () => {
    await node?.close();
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps acknowledged scores and recovers', async () => {
    redis = await startEmbeddedRedis({ dir });
    const port = redis.port;
    node = await createNode({
      redisUrl: redis.url,
      port: 0,
      host: '127.0.0.1',
      gmKey: GM_KEY,
      logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      prefix: 'restart',
    });
    const base = `http://127.0.0.1:${node.port}`;
    const gm = new HuntHttpClient(base, GM_KEY);
    const { id } = await gm.createHunt({
      name: 'durable',
      puzzles: [
        { type: 'cipher', difficulty: 'easy' },
        { type: 'anagram', difficulty: 'easy' },
      ],
    });
    await gm.waitReady(id);
    await gm.lifecycle(id, 'launch');
    const key = new Map((await gm.answers(id)).answers.map((a) => [a.puzzle, a.answer]));
    const { token, player } = await gm.join(id, 'keeper');
    const ws = await PlayerSocket.connect(base, token);
    await ws.waitType('welcome');
    const first = await ws.request({ t: 'answer', id: 'one', puzzle: 'p1', answer: key.get('p1')! });
    expect(first).toMatchObject({ correct: true });
    const acknowledged = (first as { score: number }).score;

    await redis.close();
    redis = await startEmbeddedRedis({ dir, port });
    await until('ready again', async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), 20_000);
    const board = await until('the board back', async () => await gm.leaderboard(id, 5).catch(() => undefined));
    expect(board.entries.find((e) => e.player === player)?.score).toBe(acknowledged);

    // play goes on: a new answer is verified, applied and answered
    const again = await PlayerSocket.connect(base, token);
    await again.waitType('welcome');
    const second = await until(
      'an answer after the restart',
      async () => {
        const r = await again
          .request({ t: 'answer', id: `two-${Date.now()}`, puzzle: 'p2', answer: key.get('p2')! }, 5000)
          .catch(() => undefined);
        return r && r.t === 'result' ? r : undefined;
      },
      30_000,
    );
    expect(second).toMatchObject({ correct: true });
    expect((await gm.leaderboard(id, 5)).entries.find((e) => e.player === player)?.score).toBeGreaterThan(acknowledged);
    ws.close();
    again.close();
  });
});
