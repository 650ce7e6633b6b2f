/**
 * The shard's moves lane on a real redis-server: moves wait out `movesFlushMs` in memory, but a
 * move that reaches a located puzzle not found before is written at once, with everything folded
 * before it, so an unlock never waits for the window.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '../redis/index.js';
import { Keys } from '../rooms/index.js';
import { MoveFolder } from '../rooms/move-folder.js';
import { deletePrefix, freshPrefix, redisUrl } from './helpers.js';

const HUNT = 'folder';
let redis: RedisClient;
let keys: Keys;
let prefix: string;

beforeAll(async () => {
  redis = connectRedis(redisUrl());
  prefix = freshPrefix();
  keys = new Keys(prefix);
  const k = keys.hunt(HUNT);
  await redis.hset(k.meta, { status: 'live', seq: 0 });
  await redis.hset(
    k.puzzles,
    'p1',
    JSON.stringify({ id: 'p1', index: 0, type: 'cipher', difficulty: 'easy', points: 100, prompt: {} }),
  );
  await redis.hset(k.locations, 'p1', '43.2965,5.3698,100');
  for (const p of ['a', 'b']) await redis.hset(k.players, p, JSON.stringify({ name: p, joinedAt: 1 }));
});
afterAll(async () => {
  await deletePrefix(redis, prefix);
  await redis.quit();
});

const move = (p: string, lat: number, lng: number) => ({ k: 'move' as const, h: HUNT, p, lat, lng });
const settledSoon = async (p: Promise<void>): Promise<boolean> => {
  let settled = false;
  void p.then(() => (settled = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 100));
  return settled;
};

describe('the moves lane', () => {
  // a window far longer than the test: whatever is written before it came from a reach
  const folder = () =>
    new MoveFolder({
      redis,
      keys,
      log: pino({ level: 'silent' }),
      flushMs: () => 60_000,
      applied: () => undefined,
    });

  it('writes at once when a move reaches a puzzle, every move folded before it included', async () => {
    const f = folder();
    await f.prepare([HUNT]);
    const k = keys.hunt(HUNT);
    const far = f.fold(HUNT, '1-1-0', 'n1', [move('a', 48.85, 2.35), move('a', 48.86, 2.36)]);
    expect(await settledSoon(far)).toBe(false); // no reach: the moves wait for the window
    const near = f.fold(HUNT, '1-2-0', 'n1', [move('b', 43.2966, 5.3699)]);
    await Promise.all([far, near]);
    expect(await redis.sismember(k.found, 'b:p1')).toBe(1);
    expect(await redis.hgetall(k.positions)).toEqual({ a: '48.86,2.36', b: '43.2966,5.3699' });
    expect(await redis.hgetall(k.moves)).toEqual({ a: '2', b: '1' });
    expect(await redis.hget(k.applied, 'm')).toBe('1-2-0');

    // the same player in the same zone again: found already, so it waits for the window like any move
    const again = f.fold(HUNT, '1-3-0', 'n1', [move('b', 43.2965, 5.3698)]);
    expect(await settledSoon(again)).toBe(false);
    await f.flush();
    await again;
    expect(await redis.hget(k.moves, 'b')).toBe('2');
    // another player reaching it is news again
    const other = f.fold(HUNT, '1-4-0', 'n1', [move('a', 43.2965, 5.3698)]);
    await other;
    expect(await redis.sismember(k.found, 'a:p1')).toBe(1);
  });
});
