/**
 * A flush of more moved players than one script call may write goes in parts of at most
 * FLUSH_MAX_PLAYERS; the fence moves with the last part only, and a replay of the stream after a
 * shard died between two parts counts no move twice. Each partition a hunt's moves are spread
 * over has its own fence lane.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '../../redis/index.js';
import { DEFAULT_FANOUT, DEFAULT_LIMITS, DEFAULT_SCORING } from '../../config/index.js';
import { Keys, scriptParams } from '../../rooms/index.js';
import { applyMoves, FLUSH_MAX_PLAYERS, flushMoves, SCRIPTS, type ApplyItem } from '../../rooms/scripts.js';
import { deletePrefix, freshPrefix, redisUrl } from '../helpers.js';

const HUNT = 'parts';
let redis: RedisClient;
let keys: Keys;
let prefix: string;

beforeAll(() => {
  redis = connectRedis(redisUrl());
});
afterAll(() => redis.quit());
afterEach(async () => {
  await deletePrefix(redis, prefix);
});

async function fixture(): Promise<void> {
  prefix = freshPrefix();
  keys = new Keys(prefix);
  await redis.hset(keys.hunt(HUNT).meta, { status: 'live', seq: 0, launchedAt: Date.now() });
}

const at = (lane?: string) => ({
  now: Date.now(),
  params: JSON.stringify(scriptParams(DEFAULT_SCORING, DEFAULT_LIMITS, DEFAULT_FANOUT)),
  ...(lane === undefined ? {} : { lane }),
});

describe('flush-moves in parts', () => {
  it('stores every position of a flush of more players than one call writes, and the fence once', async () => {
    await fixture();
    const k = keys.hunt(HUNT);
    const count = 1207;
    expect(count).toBeGreaterThan(FLUSH_MAX_PLAYERS * 2); // three parts at least
    const many = Array.from({ length: count }, (_, i) => ({ player: `p${i}`, lat: (i % 90) / 3, lng: i % 180, n: 2 }));
    expect(await flushMoves(redis, keys, HUNT, '1-1-0', many, [], at())).toEqual({
      moves: count * 2,
      found: 0,
      seq: 0,
      refused: [],
    });
    expect(await redis.hlen(k.positions)).toBe(count);
    expect(await redis.hget(k.positions, `p${count - 1}`)).toBe(`${((count - 1) % 90) / 3},${(count - 1) % 180}`);
    // written in parts: each player's part recorded the item id against it
    expect(await redis.hlen(k.moveSids)).toBe(count);
    expect(await redis.hget(k.applied, 'm')).toBe('1-1-0');
    // a flush within one call records nothing per player
    await flushMoves(redis, keys, HUNT, '1-2-0', many.slice(0, 3), [], at());
    expect(await redis.hget(k.moveSids, 'p0')).toBe('1-1-0');
  });

  it('counts no move twice when the entries are replayed after a shard died between two parts', async () => {
    await fixture();
    const k = keys.hunt(HUNT);
    // the first part of a flush of items up to 1-9-0 went through; the shard died before the last
    const part = JSON.stringify(['a', '5,5', 2]);
    const { params } = at();
    await SCRIPTS.flushMoves.run(redis, k, ['1-9-0', 'ch', part, Date.now(), params, 'm.3', 'part']);
    expect(await redis.hget(k.applied, 'm.3')).toBeNull();
    // its successor replays the stream: a's two moves were counted, b's were not; a's later move is new
    const items: ApplyItem[] = [
      { sid: '1-4-0', n: 'n', ev: [{ k: 'move', h: HUNT, p: 'a', lat: 4, lng: 4 }] },
      {
        sid: '1-9-0',
        n: 'n',
        ev: [
          { k: 'move', h: HUNT, p: 'a', lat: 5, lng: 5 },
          { k: 'move', h: HUNT, p: 'b', lat: 1, lng: 1, n: 3 },
        ],
      },
      { sid: '1-12-0', n: 'n', ev: [{ k: 'move', h: HUNT, p: 'a', lat: 6, lng: 6 }] },
    ];
    expect(await applyMoves(redis, keys, HUNT, items, at('m.3'))).toEqual({ moves: 4 });
    expect(await redis.hgetall(k.moves)).toEqual({ a: '3', b: '3' });
    expect(await redis.hgetall(k.positions)).toEqual({ a: '6,6', b: '1,1' });
    expect(await redis.hget(k.applied, 'm.3')).toBe('1-12-0');
    // the hunt's own lane is a fence of its own
    expect(await redis.hget(k.applied, 'm')).toBeNull();
    expect(await applyMoves(redis, keys, HUNT, items, at('m.3'))).toEqual({ moves: 0 });
  });

  it('finds, on a replay, the located puzzles a move reaches and only those, once per player', async () => {
    await fixture();
    const k = keys.hunt(HUNT);
    await redis.hset(
      k.puzzles,
      'near',
      JSON.stringify({ id: 'near', index: 0, type: 'cipher', difficulty: 'easy', points: 1, prompt: {} }),
    );
    await redis.hset(k.locations, { near: '10,20,50', far: '-10,-20,50' });
    const items: ApplyItem[] = [
      { sid: '1-1-0', n: 'n', ev: [{ k: 'move', h: HUNT, p: 'a', lat: 10, lng: 20.0001 }] },
      { sid: '1-2-0', n: 'n', ev: [{ k: 'move', h: HUNT, p: 'b', lat: 11, lng: 20 }] },
    ];
    await applyMoves(redis, keys, HUNT, items, at());
    expect(await redis.smembers(k.found)).toEqual(['a:near']);
  });

  it('refuses a lane that is not a moves lane', async () => {
    await fixture();
    await expect(applyMoves(redis, keys, HUNT, [], at('a'))).rejects.toThrow(/bad moves lane/);
  });
});
