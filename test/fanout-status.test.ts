/**
 * A socket that joins a hunt's topic right after a status change went out still hears it:
 * the front counts the status changes it has heard, and a socket welcomed from before the
 * change is sent the last one with its welcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '../redis/index.js';
import { Fanout } from '../server/fanout.js';
import { deletePrefix, redisUrl, storeUnderFreshPrefix, until } from './helpers.js';

let redis: RedisClient;
beforeAll(() => {
  redis = connectRedis(redisUrl());
});
afterAll(() => redis.quit());

describe('status changes at a front', () => {
  it('are handed to a socket whose welcome was read before them, and only to it', async () => {
    const { prefix, keys, store, log } = storeUnderFreshPrefix(redis);
    const sent: string[] = [];
    const fanout = new Fanout({
      redis,
      keys,
      store,
      sink: {
        toHunt: (_h, json) => sent.push(json),
        toPlayer: () => undefined,
        kick: () => undefined,
        toTeam: () => undefined,
        toGms: () => undefined,
      },
      log,
    });
    try {
      await fanout.join('h1');
      const before = fanout.statusMark('h1');
      expect(fanout.statusSince('h1', before)).toBeUndefined();
      const live = JSON.stringify({ t: 'hunt', status: 'live' });
      await redis.spublish(keys.huntChannel('h1'), live);
      await until('the status heard', () => (sent.includes(live) ? true : undefined));
      // a socket whose welcome was read before the change gets it; one read after does not
      expect(fanout.statusSince('h1', before)).toBe(live);
      const after = fanout.statusMark('h1');
      expect(fanout.statusSince('h1', after)).toBeUndefined();
      const ended = JSON.stringify({ t: 'hunt', status: 'ended' });
      await redis.spublish(keys.huntChannel('h1'), ended);
      await until('the end heard', () => (sent.includes(ended) ? true : undefined));
      expect(fanout.statusSince('h1', before)).toBe(ended); // the last one is what the hunt is now
      expect(fanout.statusSince('h1', after)).toBe(ended);
      expect(fanout.statusSince('other', 0)).toBeUndefined();
    } finally {
      await fanout.close();
      await deletePrefix(redis, prefix);
    }
  });
});
