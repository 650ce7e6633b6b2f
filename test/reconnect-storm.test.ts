/**
 * Reconnect storms: a `welcome` reads its own player's part from Redis, not the hunt's puzzle
 * list or top again (the front holds them until a puzzle changes or a delta goes out), and a
 * storm of welcomes shares reads. Measured as Redis's own count of bytes it sent
 * (INFO stats total_net_output_bytes, every master) over a wave of reconnects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket, type ServerMessage } from '../client/index.js';
import { isCluster, type RedisClient } from '../redis/index.js';
import { liveHunt, settledSeq, startCluster, type Cluster } from './helpers.js';

type Welcome = Extract<ServerMessage, { t: 'welcome' }>;

/** Bytes Redis has sent, summed over the masters (less the INFO replies that asked). */
async function redisBytesOut(redis: RedisClient): Promise<number> {
  let total = 0;
  for (const server of isCluster(redis) ? redis.nodes('master') : [redis]) {
    const info = await server.info('stats');
    total += Number(/total_net_output_bytes:(\d+)/.exec(info)?.[1] ?? NaN) - info.length;
  }
  return total;
}

describe('reconnect storms', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([['front', 'shard', 'worker'], ['front']]);
  });
  afterAll(() => c.close());

  it('reads at most ~2 KB from Redis per reconnect, and a changed puzzle list is read again', async () => {
    const hunt = await liveHunt(c.gm(), 12);
    const players = [];
    for (let i = 0; i < 80; i++) players.push(await c.gm().join(hunt.id, `r${i}`));
    const welcome = async (token: string, node: number): Promise<Welcome> => {
      const ws = await PlayerSocket.connect(c.url(node), token);
      const w = await ws.waitType('welcome');
      ws.close();
      return w;
    };
    // a player stays on each front, as in any hunt with players: each front seeds its rank index
    // of the board once (server/standings.ts), and reads the puzzle list once
    const stay = [
      await PlayerSocket.connect(c.url(0), players[0]!.token),
      await PlayerSocket.connect(c.url(1), players[1]!.token),
    ];
    const first = await stay[0]!.waitType('welcome');
    await stay[1]!.waitType('welcome');
    expect(first.puzzles).toHaveLength(12);
    await settledSeq(c, hunt.id);

    // one after another: without the front's copy, each would read the whole puzzle list
    // what the nodes read anyway (leases, node reports), per millisecond, taken off the waves below
    let before = await redisBytesOut(c.redis);
    let started = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    const idlePerMs = Math.max(0, (await redisBytesOut(c.redis)) - before) / (Date.now() - started);
    const since = async (from: number, at: number): Promise<number> =>
      (await redisBytesOut(c.redis)) - from - idlePerMs * (Date.now() - at);

    before = await redisBytesOut(c.redis);
    started = Date.now();
    for (const p of players.slice(2, 22)) await welcome(p.token, 0);
    const oneByOne = (await since(before, started)) / 20;

    // all at once, on both fronts
    before = await redisBytesOut(c.redis);
    started = Date.now();
    const storm = await Promise.all(players.slice(22).map((p, i) => welcome(p.token, i % 2)));
    const atOnce = (await since(before, started)) / storm.length;
    console.log(
      `Redis bytes sent per reconnect: ${Math.round(oneByOne)} one by one, ${Math.round(atOnce)} in a storm (idle ${Math.round(idlePerMs * 1000)} B/s taken off)`,
    );
    for (const w of storm) expect(w.puzzles).toEqual(first.puzzles);
    expect(oneByOne).toBeLessThanOrEqual(2048);
    expect(atOnce).toBeLessThanOrEqual(2048);

    // a bonus mission: the next welcome on either front has it
    await c.gm().request('POST', `/api/hunts/${hunt.id}/puzzles`, {
      id: 'bonus',
      type: 'text',
      title: 'Bonus',
      prompt: 'Which sea?',
      points: 40,
      answers: ['Mediterranean'],
    });
    for (const node of [0, 1]) {
      const w = await welcome(players[node]!.token, node);
      expect(w.puzzles.map((p) => p.id)).toContain('bonus');
      expect(w.puzzles).toHaveLength(13);
    }
    for (const ws of stay) ws.close();
  });
});
