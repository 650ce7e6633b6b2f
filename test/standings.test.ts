/**
 * A front's standings: the rank index seeded from the board, fed by deltas in seq order, seeded
 * again after a missed delta, and `you` sent only when a member's rank or score changed.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '../redis/index.js';
import { decodeScore, HuntStore, Keys } from '../rooms/index.js';
import { Standings } from '../server/standings.js';
import { deletePrefix, redisUrl, storeUnderFreshPrefix, until } from './helpers.js';

let redis: RedisClient;
beforeAll(() => {
  redis = connectRedis(redisUrl());
});
afterAll(() => redis.quit());

const SCALE = 2 ** 32;
const value = (score: number, tick: number): number => score * SCALE + (SCALE - 1 - tick);

/** A hunt store under a fresh prefix, the keys of hunt `hunt`, and a silent log. */
function storeFor(hunt: string): { prefix: string; k: ReturnType<Keys['hunt']>; store: HuntStore; log: pino.Logger } {
  const { prefix, keys, store, log } = storeUnderFreshPrefix(redis);
  return { prefix, k: keys.hunt(hunt), store, log };
}

describe('standings', () => {
  it('ranks as ZREVRANK does, through deltas and a missed one, and sends `you` on a change only', async () => {
    const { prefix, k, store, log } = storeFor('h1');
    const sent: { member: string; msg: unknown }[] = [];
    let seeds = 0;
    const standings = new Standings({
      store,
      log,
      send: (member, json) => sent.push({ member, msg: JSON.parse(json) }),
      onSeed: () => seeds++,
      periodMs: 20,
    });
    // the board changes in Redis, then the delta that carries it is heard
    const change = async (seq: number, values: Record<string, number>, heard: boolean): Promise<void> => {
      for (const [m, v] of Object.entries(values)) await redis.zadd(k.board, v, m);
      // here every tick shows clients something: the board's change count moves with seq
      await redis.hset(k.meta, 'seq', seq, 'zseq', seq);
      if (heard) standings.onDelta('h1', { seq, board: seq }, new Map(Object.entries(values)));
    };
    const agrees = async (member: string): Promise<true | undefined> => {
      const rank = await redis.zrevrank(k.board, member);
      const z = await redis.zscore(k.board, member);
      const s = standings.standing('h1', member);
      return rank !== null && z !== null && s?.rank === rank + 1 && s.score === decodeScore(z) ? true : undefined;
    };
    try {
      // equal values too: of those, the member that sorts later ranks first, as in Redis
      await change(10, { a: value(5, 1), b: value(7, 2), c: value(7, 2), d: value(1, 3) }, false);
      standings.watch('h1', 'a');
      standings.watch('h1', 'd', { rank: 4, score: 1 });
      await until('seeded', () => agrees('a'));
      expect(standings.standing('h1', 'c')).toMatchObject({ rank: 1, seq: 10 });
      expect(standings.standing('h1', 'b')).toMatchObject({ rank: 2 });
      await until('a told its standing', () => (sent.some((s) => s.member === 'a') ? true : undefined));
      // d's welcome said rank 4, score 1: nothing changed, nothing sent
      expect(sent.filter((s) => s.member === 'd')).toEqual([]);

      await change(11, { d: value(9, 4) }, true);
      await until('d passes everyone', () => agrees('d'));
      await until('a hears it moved down', () => agrees('a'));
      // a delta missed (12: a scores), then 13 heard: the index is seeded again and has both
      await change(12, { a: value(20, 5) }, false);
      await change(13, { b: value(30, 6) }, true);
      await until('seeded again after the gap', () => (seeds === 2 ? true : undefined));
      await until('a at the rank the board gives', () => agrees('a'));
      expect(standings.standing('h1', 'a')).toMatchObject({ rank: 2, score: 20, seq: 13 });
      await until('a told rank 2', () =>
        sent.some(
          (s) =>
            s.member === 'a' && JSON.stringify(s.msg) === JSON.stringify({ t: 'you', rank: 2, score: 20, seq: 13 }),
        )
          ? true
          : undefined,
      );
      // nothing changes: several periods pass without another `you`
      const count = sent.length;
      await new Promise((r) => setTimeout(r, 200));
      expect(sent.length).toBe(count);
      // board values alone (a tick that changed nothing clients are shown): the index follows
      // without a seed, and a `you` still carries the clients' seq, 13
      await redis.zadd(k.board, value(40, 7), 'a');
      await redis.hset(k.meta, 'zseq', 14);
      standings.onDelta('h1', { seq: 13, board: 14 }, new Map([['a', value(40, 7)]]));
      expect(standings.standing('h1', 'a')).toMatchObject({ rank: 1, score: 40, seq: 13 });
      expect(seeds).toBe(2);
      await until('a told rank 1 at seq 13', () =>
        sent.some((s) => JSON.stringify(s.msg) === JSON.stringify({ t: 'you', rank: 1, score: 40, seq: 13 }))
          ? true
          : undefined,
      );
      // a member off the board (removed) is not told anything
      standings.onDelta('h1', { seq: 14, board: 15 }, new Map([['d', null]]));
      expect(standings.standing('h1', 'd')).toBeUndefined();
    } finally {
      standings.close();
      await deletePrefix(redis, prefix);
    }
  });

  it('keeps a hunt whose last member left for lingerMs, fed by deltas: one who comes back costs no seed', async () => {
    const { prefix, k, store, log } = storeFor('h2');
    let seeds = 0;
    const standings = new Standings({
      store,
      log,
      send: () => undefined,
      onSeed: () => seeds++,
      periodMs: 20,
      lingerMs: 400,
    });
    try {
      await redis.zadd(k.board, value(3, 1), 'a', value(5, 2), 'b');
      await redis.hset(k.meta, 'seq', 4, 'zseq', 4);
      standings.watch('h2', 'a');
      await until('seeded', () => (standings.standing('h2', 'a') ? true : undefined));
      // a leaves; while the hunt lingers a delta still reaches the index, and a comes back to it
      standings.unwatch('h2', 'a');
      await redis.zadd(k.board, value(9, 3), 'a');
      standings.onDelta('h2', { seq: 5, board: 5 }, new Map([['a', value(9, 3)]]));
      standings.watch('h2', 'a');
      expect(standings.standing('h2', 'a')).toMatchObject({ rank: 1, score: 9, seq: 5 });
      expect(seeds).toBe(1);
      // gone past lingerMs with nobody here: dropped, and the next watch seeds again
      standings.unwatch('h2', 'a');
      await until('dropped after lingering', () => (standings.standing('h2', 'a') === undefined ? true : undefined));
      standings.watch('h2', 'a');
      await until('seeded again', () => (seeds === 2 ? true : undefined));
    } finally {
      standings.close();
      await deletePrefix(redis, prefix);
    }
  });
});
