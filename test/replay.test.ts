/**
 * Reconnect replays cost the same however long the delta log: only the deltas after `since`
 * are read (from their offset), identical reads in flight share one Redis read, a front that
 * forwarded them serves them from its ring, and a client too far behind gets a fresh welcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '../redis/index.js';
import { Fanout, REPLAY_MAX, type ReplaySource } from '../server/fanout.js';
import { deletePrefix, redisUrl, storeUnderFreshPrefix, until } from './helpers.js';

let redis: RedisClient;
beforeAll(() => {
  redis = connectRedis(redisUrl());
});
afterAll(() => redis.quit());

const delta = (seq: number): string => JSON.stringify({ t: 'lb', seq, ts: seq, changes: [] });

describe('reconnect replay', () => {
  it('reads only the deltas after since from a long log, once for identical reads in flight, and from the ring once forwarded', async () => {
    const { prefix, keys, store, log } = storeUnderFreshPrefix(redis);
    const replays: { source: ReplaySource; read: number }[] = [];
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
      onReplay: (source, read) => replays.push({ source, read }),
    });
    try {
      // a log of 20,001 … 30,000 (the first 20,000 trimmed away)
      const k = keys.hunt('h1');
      for (let at = 20_001; at <= 30_000; at += 1000)
        await redis.rpush(k.deltas, ...Array.from({ length: 1000 }, (_, i) => delta(at + i)));
      await fanout.join('h1');

      // 50 reconnects at once with the same since: one read of 100 deltas, shared
      const all = await Promise.all(Array.from({ length: 50 }, () => fanout.replay('h1', 29_900)));
      expect(replays.filter((r) => r.source === 'redis')).toEqual([{ source: 'redis', read: 100 }]);
      expect(replays.filter((r) => r.source === 'shared')).toHaveLength(49);
      for (const r of all)
        expect(r).toEqual({ upTo: 30_000, raw: Array.from({ length: 100 }, (_, i) => delta(29_901 + i)) });

      // further back than REPLAY_MAX, before the log, or ahead of it: a fresh welcome (null)
      expect(await fanout.replay('h1', 30_000 - REPLAY_MAX - 1)).toBeNull();
      expect(await fanout.replay('h1', 1)).toBeNull();
      expect(await fanout.replay('h1', 30_001)).toBeNull();
      expect(await fanout.replay('h1', 30_000)).toEqual({ upTo: 30_000, raw: [] });
      expect(replays.filter((r) => r.source === 'redis').every((r) => r.read <= REPLAY_MAX)).toBe(true);

      // once this front forwarded deltas, a replay they cover comes from its ring: no read at all
      await fanout.catchUp('h1', 30_000);
      for (const seq of [30_001, 30_002, 30_003]) {
        await redis.rpush(k.deltas, delta(seq));
        await redis.spublish(keys.huntChannel('h1'), delta(seq));
      }
      await until('three deltas forwarded', () => (sent.length === 3 ? true : undefined));
      replays.length = 0;
      expect(await fanout.replay('h1', 30_001)).toEqual({ upTo: 30_003, raw: [delta(30_002), delta(30_003)] });
      expect(replays).toEqual([{ source: 'ring', read: 0 }]);
    } finally {
      await fanout.close();
      await deletePrefix(redis, prefix);
    }
  });
});
