/**
 * Welcomes of a burst of joins: players at the same point of the hunt share one puzzle list,
 * players elsewhere get their own, and the text written from the shared parts is exactly what
 * `JSON.stringify` writes for the message.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '../redis/index.js';
import { DEFAULT_FANOUT, DEFAULT_LIMITS, DEFAULT_SCORING } from '../config/index.js';
import { Keys, scriptParams, type WelcomeState } from '../rooms/index.js';
import { HuntBoard } from '../rooms/hunt-board.js';
import { welcomeText } from '../server/welcome-text.js';
import { deletePrefix, freshPrefix, redisUrl } from './helpers.js';

let redis: RedisClient;
let prefix: string;
beforeAll(() => {
  redis = connectRedis(redisUrl());
});
afterAll(() => redis.quit());
afterEach(() => deletePrefix(redis, prefix));

describe('welcomes read together', () => {
  it('give each player their own progress, and players at the same point one list', async () => {
    prefix = freshPrefix();
    const keys = new Keys(prefix);
    const k = keys.hunt('h');
    await redis.hset(k.meta, { status: 'live', seq: 7, name: 'Hunt' });
    await redis.hset(
      k.puzzles,
      'p1',
      JSON.stringify({ id: 'p1', index: 0, type: 'cipher', difficulty: 'easy', points: 100, prompt: { text: 'one' } }),
    );
    await redis.hset(
      k.puzzles,
      'p2',
      JSON.stringify({
        id: 'p2',
        index: 1,
        type: 'maze',
        difficulty: 'easy',
        points: 100,
        prompt: { text: 'two' },
        location: { lat: 1, lng: 2, radius: 10 },
      }),
    );
    for (const p of ['ann', 'bob', 'cyd', 'dan', 'eve'])
      await redis.hset(k.players, p, JSON.stringify({ name: p, joinedAt: 1 }));
    await redis.hset(k.solves, 'bob:p1', '100');
    // eve solved p1 too, later, for fewer points: the same point of the hunt as bob
    await redis.hset(k.solves, 'eve:p1', '80');
    await redis.sadd(k.found, 'ann:p2');
    const board = new HuntBoard(redis, keys, () => scriptParams(DEFAULT_SCORING, DEFAULT_LIMITS, DEFAULT_FANOUT));

    const [ann, bob, cyd, dan, eve] = await Promise.all(
      ['ann', 'bob', 'cyd', 'dan', 'eve'].map((p) => board.welcome('h', p, 10)),
    );
    const alone = await board.welcome('h', 'ann', 10);
    const progress = (s: WelcomeState): string =>
      s.puzzles.map((p) => `${p.id}:${p.solved ? 'solved' : ''}${p.locked ? 'locked' : ''}`).join(' ');

    expect(progress(ann!.state)).toBe('p1: p2:');
    expect(ann!.state.puzzles[1]!.prompt).toEqual({ text: 'two' });
    expect(progress(bob!.state)).toBe('p1:solved p2:locked');
    expect(bob!.state.puzzles[1]!.prompt).toBeNull();
    expect(progress(cyd!.state)).toBe('p1: p2:locked');
    expect(cyd!.state.puzzles).toBe(dan!.state.puzzles);
    expect(eve!.state.puzzles).toBe(bob!.state.puzzles);
    expect(ann!.state.puzzles).not.toBe(cyd!.state.puzzles);
    expect(alone.state).toEqual(ann!.state);
    expect(dan!.record?.name).toBe('dan');
  });

  it('keep a list across reads only while its puzzles, params and timed openings hold', async () => {
    prefix = freshPrefix();
    const keys = new Keys(prefix);
    const k = keys.hunt('h');
    const launchedAt = Date.now() - 1000;
    const opensAt = launchedAt + 2000;
    await redis.hset(k.meta, { status: 'live', seq: 1, name: 'Hunt', launchedAt, puzzlesRev: 1 });
    const stored = (id: string, index: number, text: string): string =>
      JSON.stringify({ id, index, type: 'cipher', difficulty: 'easy', points: 10, prompt: { text } });
    await redis.hset(k.puzzles, 'p1', stored('p1', 0, 'one'), 'p2', stored('p2', 1, 'two'));
    await redis.hset(k.sequence, 'p2', JSON.stringify({ o: 2 }));
    for (const p of ['a', 'b', 'c', 'd', 'e']) await redis.hset(k.players, p, JSON.stringify({ name: p, joinedAt: 1 }));
    let params = scriptParams(DEFAULT_SCORING, DEFAULT_LIMITS, DEFAULT_FANOUT);
    const board = new HuntBoard(redis, keys, () => params);
    const p2 = (s: WelcomeState): unknown => s.puzzles.find((p) => p.id === 'p2');

    // two reads, one after the other, before p2 opens: one list, built once
    const a = (await board.welcome('h', 'a', 10)).state;
    const b = (await board.welcome('h', 'b', 10)).state;
    expect(p2(a)).toMatchObject({ locked: true, lockedBy: 'time', opensAt });
    expect(b.puzzles).toBe(a.puzzles);
    // new params (a config change): built again
    params = scriptParams(DEFAULT_SCORING, DEFAULT_LIMITS, DEFAULT_FANOUT);
    const c = (await board.welcome('h', 'c', 10)).state;
    expect(c.puzzles).not.toBe(a.puzzles);
    expect(c.puzzles).toEqual(a.puzzles);
    // p2's opening time passes: the next read builds the list anew, p2 open
    await new Promise((r) => setTimeout(r, Math.max(0, opensAt - Date.now() + 20)));
    const d = (await board.welcome('h', 'd', 10)).state;
    expect(p2(d)).toMatchObject({ locked: false, prompt: { text: 'two' } });
    // a puzzle edited (its revision moves): built again, with the edit
    await redis.hset(k.puzzles, 'p1', stored('p1', 0, 'one, edited'));
    await redis.hset(k.meta, 'puzzlesRev', 2);
    const e = (await board.welcome('h', 'e', 10)).state;
    expect(e.puzzles[0]!.prompt).toEqual({ text: 'one, edited' });
  });
});

describe('welcomeText', () => {
  const text = fc.string({ unit: 'binary', maxLength: 12 });
  const puzzle = fc.record({
    id: text,
    type: fc.constantFrom('cipher' as const, 'maze' as const),
    difficulty: fc.constantFrom('easy' as const, 'hard' as const),
    points: fc.integer(),
    prompt: fc.oneof(fc.constant(null), fc.dictionary(text, fc.oneof(text, fc.double(), fc.boolean()))),
    solved: fc.boolean(),
    locked: fc.boolean(),
    hintCost: fc.option(fc.integer(), { nil: undefined }),
  });
  const state = fc.record({
    hunt: fc.record({ id: text, name: text, status: fc.constantFrom('live' as const, 'ended' as const) }),
    seq: fc.nat(),
    puzzles: fc.array(puzzle, { maxLength: 4 }),
    leaderboard: fc.array(fc.record({ player: text, name: text, score: fc.double({ noNaN: true }), rank: fc.nat() }), {
      maxLength: 4,
    }),
    you: fc.record({ rank: fc.option(fc.nat(), { nil: null }), score: fc.double({ noNaN: true }) }),
    messages: fc.array(fc.record({ t: fc.constant('message' as const), id: text, text, ts: fc.nat() }), {
      maxLength: 3,
    }),
  });

  it('writes what JSON.stringify writes, for shared parts written once and reused', () => {
    fc.assert(
      fc.property(
        state,
        fc.array(fc.record({ id: text, name: text }), { minLength: 1, maxLength: 3 }),
        (s, players) => {
          for (const player of players) {
            const mine: WelcomeState = {
              ...s,
              you: { rank: s.you.rank, score: s.you.score + players.indexOf(player) },
            };
            expect(welcomeText(player, mine)).toBe(JSON.stringify({ t: 'welcome', player, ...mine }));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
