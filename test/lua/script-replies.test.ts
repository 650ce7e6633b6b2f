/**
 * The one reply shape of the hunt's scripts: `{ 'OK', ...values }` or `{ CODE, ...details }`,
 * read in rooms/script-replies.ts. A code the error registry does not know is refused as a bug,
 * and every script says its reply in its header, except those listed as still on an older shape.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HuntError } from '../../protocol/index.js';
import { connectRedis, type RedisClient } from '../../redis/index.js';
import { Keys } from '../../rooms/index.js';
import { okIntegers, okValues, readReply } from '../../rooms/script-replies.js';
import { setSettings, transition } from '../../rooms/scripts.js';
import { deletePrefix, freshPrefix, redisUrl } from '../helpers.js';

const LUA = new URL('../../rooms/lua/', import.meta.url).pathname;
/** Scripts still on an older reply shape (docs/architecture.md, "Script replies" says why). */
const OLDER_SHAPE = [
  'apply-answers',
  'apply-moves',
  'deltas-after',
  'flush-delta',
  'flush-moves',
  'stream-undelivered',
  'welcome',
];

describe('reading a script reply', () => {
  it("takes { 'OK', ...values } and { code, ...details } with a code of the registry", () => {
    expect(readReply('s', ['OK', 1, 'x'])).toEqual({ ok: true, values: [1, 'x'] });
    expect(readReply('s', ['HUNT_NOT_FOUND', 'ready'])).toEqual({
      ok: false,
      code: 'HUNT_NOT_FOUND',
      details: ['ready'],
    });
    expect(okIntegers('s', ['OK', 3, -1], 2)).toEqual([3, -1]);
  });

  it('refuses a code the error registry does not know, naming the script', () => {
    expect(() => readReply('set-settings', ['NOT_A_CODE'])).toThrow(/set-settings.*unknown code "NOT_A_CODE"/);
    expect(() => readReply('set-settings', ['NOT_A_CODE'])).not.toThrow(HuntError);
  });

  it('refuses another shape: a bare value, an empty table, OK with values of the wrong kind', () => {
    expect(() => readReply('s', 1)).toThrow(/script s replied 1/);
    expect(() => readReply('s', [])).toThrow(/script s replied \[\]/);
    expect(() => okIntegers('s', ['OK', 'x'], 1)).toThrow(/not 'OK' and 1 integers/);
  });

  it('turns a known code into the HuntError of that code', () => {
    expect(() => okValues('s', ['PLAYER_NOT_FOUND'])).toThrow(expect.objectContaining({ code: 'PLAYER_NOT_FOUND' }));
  });
});

describe('the scripts answer in that shape', () => {
  let redis: RedisClient;
  let prefix: string;
  beforeAll(() => {
    redis = connectRedis(redisUrl());
  });
  afterAll(() => redis.quit());
  afterEach(() => deletePrefix(redis, prefix));

  it('set-settings and transition: a missing hunt is HUNT_NOT_FOUND, a wrong status HUNT_INVALID_TRANSITION', async () => {
    prefix = freshPrefix();
    const keys = new Keys(prefix);
    await expect(setSettings(redis, keys, 'gone', { name: 'x' })).rejects.toMatchObject({ code: 'HUNT_NOT_FOUND' });
    expect(await transition(redis, keys, 'gone', 'live', ['ready'], 1)).toEqual({ ok: false, status: '' });
    await redis.hset(keys.hunt('h').meta, 'status', 'paused');
    await setSettings(redis, keys, 'h', { name: 'x' });
    expect(await redis.hget(keys.hunt('h').meta, 'name')).toBe('x');
    expect(await transition(redis, keys, 'h', 'live', ['ready'], 1)).toEqual({ ok: false, status: 'paused' });
    expect(await transition(redis, keys, 'h', 'live', ['paused'], 1)).toEqual({ ok: true, status: 'live' });
  });

  it('every script declares its reply in its header, but those listed as on an older shape', () => {
    const scripts = readdirSync(LUA)
      .filter((f) => f.endsWith('.lua'))
      .map((f) => f.slice(0, -4));
    const declared = scripts.filter((s) =>
      /^-- Reply \(docs\/architecture\.md/m.test(readFileSync(`${LUA}${s}.lua`, 'utf8')),
    );
    expect(scripts.filter((s) => !declared.includes(s)).sort()).toEqual(OLDER_SHAPE);
  });
});
