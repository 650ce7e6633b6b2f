/**
 * join-player.lua takes the joins of one moment together: each join is checked against what the
 * joins before it in the same call wrote (names, maxPlayers, teams), and the passcode is checked
 * in the script, for the joins that must give it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FANOUT, DEFAULT_LIMITS, DEFAULT_SCORING } from '../../config/index.js';
import { connectRedis, type RedisClient } from '../../redis/index.js';
import { Keys, scriptParams } from '../../rooms/index.js';
import { joinPlayers, type JoinRequest } from '../../rooms/scripts.js';
import { deletePrefix, freshPrefix, redisUrl } from '../helpers.js';

describe('joins in one call', () => {
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

  const one = (player: string, name: string, passcode?: string | null): JoinRequest => ({
    player,
    record: JSON.stringify({ name, joinedAt: 1 }),
    folded: name,
    team: { mode: '' },
    passcode,
  });

  it('checks each join against the ones before it in the same call, and the passcode of those that must give it', async () => {
    const k = keys.hunt('h');
    await redis.hset(k.meta, { status: 'live', seq: 0, maxPlayers: '3', passcode: 'sesame' });
    const params = scriptParams(DEFAULT_SCORING, DEFAULT_LIMITS, DEFAULT_FANOUT);
    const { outcomes } = await joinPlayers(
      redis,
      keys,
      'h',
      [
        one('p1', 'ann', 'sesame'),
        one('p2', 'ann'), // a key that may run the hunt: no passcode, but the name is taken
        one('p3', 'bob', null),
        one('p4', 'bob', 'wrong'),
        one('p5', 'bob'),
        one('p6', 'cy'),
        one('p7', 'dee'),
      ],
      1,
      params,
      10,
    );
    expect(outcomes).toEqual([
      { team: '' },
      { code: 'NAME_TAKEN' },
      { code: 'PASSCODE_REQUIRED' },
      { code: 'PASSCODE_WRONG' },
      { team: '' },
      { team: '' },
      { code: 'HUNT_FULL' },
    ]);
    expect((await redis.hkeys(k.players)).sort()).toEqual(['p1', 'p5', 'p6']);
    expect(await redis.zcard(k.board)).toBe(3);
  });
});
