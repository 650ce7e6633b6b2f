/**
 * The per-player socket record across front nodes, written a turn at a time: one script call
 * applies many opens and closes in order and keeps each player's newest `cap`; a burst of
 * sockets opened at once on one node for one player leaves exactly `cap` open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { connectRedis, type RedisClient } from '../redis/index.js';
import { Keys, playerSockets } from '../rooms/index.js';
import { deletePrefix, freshPrefix, liveHunt, redisUrl, startCluster, until, type Cluster } from './helpers.js';

describe('socket records', () => {
  let redis: RedisClient;
  const prefix = freshPrefix();
  const keys = new Keys(prefix);
  beforeAll(() => {
    redis = connectRedis(redisUrl());
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('applies a batch of opens and closes in order, keeping each player’s newest cap', async () => {
    await redis.hset(keys.hunt('h').meta, 'status', 'live');
    const dropped = await playerSockets(
      redis,
      keys,
      'h',
      [
        { op: 'open', player: 'ann', socket: 'n1.1' },
        { op: 'open', player: 'bob', socket: 'n1.2' },
        { op: 'open', player: 'ann', socket: 'n2.1' },
        { op: 'open', player: 'ann', socket: 'n1.3' },
        { op: 'close', player: 'bob', socket: 'n1.2' },
        { op: 'open', player: 'ann', socket: 'n2.2' },
      ],
      2,
    );
    expect(dropped).toBe(2);
    expect(await redis.hgetall(keys.hunt('h').sockets)).toEqual({ ann: JSON.stringify(['n1.3', 'n2.2']) });
  });

  describe('on a node', () => {
    let c: Cluster;
    beforeAll(async () => {
      c = await startCluster();
    });
    afterAll(() => c.close());

    it('keeps socketsPerPlayer (3) of 12 sockets of one player opened at once: the others close with 4008', async () => {
      const hunt = await liveHunt(c.gm(), 1);
      const { player, token } = await c.gm().join(hunt.id, 'burst');
      const sockets = await Promise.all(Array.from({ length: 12 }, () => PlayerSocket.connect(c.url(), token)));
      const codes: number[] = [];
      for (const s of sockets)
        s.waitClose(30_000).then(
          (code) => codes.push(code),
          () => undefined,
        );
      await until('9 sockets closed with 4008', async () =>
        codes.filter((code) => code === 4008).length >= 9 ? true : undefined,
      );
      const ids: unknown = JSON.parse((await c.redis.hget(new Keys(c.prefix).hunt(hunt.id).sockets, player)) ?? '[]');
      expect(Array.isArray(ids) && ids.length).toBe(3);
      for (const s of sockets) s.close();
    });
  });
});
