/**
 * Each hunt script run alone against the real redis-server, on fixture keys under a fresh
 * prefix: what the rules promise at their edges, without a node around them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeSubscriber, connectRedis, subscriberOf, type RedisClient } from '../../redis/index.js';
import { DEFAULT_FANOUT, DEFAULT_LIMITS, DEFAULT_SCORING } from '../../config/index.js';
import { Keys, scriptParams, type ScriptParams } from '../../rooms/index.js';
import { MAX_SCORE, SCORE_SCALE, decodeScore } from '../../rooms/score.js';
import {
  applyAnswers,
  applyMoves,
  flushMoves,
  joinPlayer,
  readWelcome,
  readWelcomes,
  SCRIPTS,
  transition,
  type ApplyItem,
} from '../../rooms/scripts.js';
import { deletePrefix, freshPrefix, redisUrl, until } from '../helpers.js';

const LUA = new URL('../../rooms/lua/', import.meta.url).pathname;
const HUNT = 'fixture';

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

function params(patch: Partial<ScriptParams> = {}): ScriptParams {
  return { ...scriptParams(DEFAULT_SCORING, DEFAULT_LIMITS, DEFAULT_FANOUT), ...patch };
}

/** A live hunt with one easy cipher puzzle p1 and the given players, under a fresh prefix. */
async function fixture(players: string[], meta: Record<string, string | number> = {}): Promise<void> {
  prefix = freshPrefix();
  keys = new Keys(prefix);
  const k = keys.hunt(HUNT);
  await redis.hset(k.meta, { status: 'live', seq: 0, launchedAt: Date.now(), ...meta });
  await redis.hset(
    k.puzzles,
    'p1',
    JSON.stringify({ id: 'p1', index: 0, type: 'cipher', difficulty: 'easy', points: 100, prompt: {} }),
  );
  await redis.hset(k.hints, 'p1', JSON.stringify(['first', 'second']));
  for (const p of players) await redis.hset(k.players, p, JSON.stringify({ name: p, joinedAt: 1 }));
}

/** When a moves script runs, with the default parameters. */
function movesAt(): { now: number; params: string } {
  return { now: Date.now(), params: JSON.stringify(params()) };
}

let sidSeq = 0;
function answerItem(p: string, id: string, correct: boolean, sid = `1-${Date.now()}-${sidSeq++}`): ApplyItem {
  return { sid, n: 'node-x', ev: [{ k: 'answer', h: HUNT, p, id, puzzle: 'p1', answer: '', correct }] };
}

/** The stored reply to a request, looked up as apply-answers does at `now`: this window's hash, then the one before. */
async function reply(
  p: string,
  id: string,
  now: number,
  windowMs = params().replyWindowMs,
): Promise<Record<string, unknown> | null> {
  const window = Math.floor(now / windowMs);
  const base = keys.hunt(HUNT).replies;
  const raw =
    (await redis.hget(`${base}:${window}`, `${p}:${id}`)) ?? (await redis.hget(`${base}:${window - 1}`, `${p}:${id}`));
  return raw === null ? null : (JSON.parse(raw) as Record<string, unknown>);
}

describe('the Lua files', () => {
  it('each compiles, and names every hunt key it uses', async () => {
    for (const script of Object.values(SCRIPTS)) {
      const sha = await redis.script('LOAD', script.source);
      expect(sha).toMatch(/^[0-9a-f]{40}$/);
      const used = new Set([...script.source.matchAll(/\bK\.(\w+)/g)].map((m) => m[1]));
      for (const key of used) expect(script.keyNames, `${script.name} uses K.${key}`).toContain(key);
    }
    expect(Object.keys(SCRIPTS).length).toBeGreaterThanOrEqual(
      readdirSync(LUA).filter(
        (f) => f.endsWith('.lua') && !f.includes('lease') && !f.startsWith('stream-') && f !== 'deltas-after.lua',
      ).length,
    );
  });

  it('keeps the score encoding the TypeScript side decodes', () => {
    const lua = readFileSync(`${LUA}/includes/score.lua`, 'utf8');
    expect(Number(/local SCALE = (\d+)/.exec(lua)?.[1])).toBe(SCORE_SCALE);
    expect(Number(/local MAX_SCORE = (\d+)/.exec(lua)?.[1])).toBe(MAX_SCORE);
  });
});

describe('apply-answers', () => {
  it('rounds decayed points half up and never below the floor', async () => {
    const launched = Date.now() - 30 * 60_000;
    await fixture(['a', 'b'], { launchedAt: launched });
    const now = launched + 30 * 60_000;
    // 100 points decayed 1.5 % a minute for 30 minutes: 55 exactly; with 1.65 %: 50.5 -> 51
    await applyAnswers(
      redis,
      keys,
      HUNT,
      [answerItem('a', 'r1', true)],
      now,
      JSON.stringify(params({ decayPerMinute: 0.015, decayFloor: 0, firstSolverBonus: [] })),
    );
    expect(await reply('a', 'r1', now)).toMatchObject({ correct: true, points: 55 });
    await applyAnswers(
      redis,
      keys,
      HUNT,
      [answerItem('b', 'r1', true)],
      now,
      JSON.stringify(params({ decayPerMinute: 0.0165, decayFloor: 0, firstSolverBonus: [] })),
    );
    expect(await reply('b', 'r1', now)).toMatchObject({ correct: true, points: 51 });
    await fixture(['c'], { launchedAt: launched });
    await applyAnswers(
      redis,
      keys,
      HUNT,
      [answerItem('c', 'r1', true)],
      now,
      JSON.stringify(params({ decayPerMinute: 0.1, decayFloor: 0.25, firstSolverBonus: [] })),
    );
    expect(await reply('c', 'r1', now)).toMatchObject({ points: 25 });
  });

  it('counts attempts in a one-minute window: the limit refuses inside it and resets at its edge', async () => {
    await fixture(['a']);
    const t0 = 1_000_000;
    const p = JSON.stringify(params({ answersPerMinutePerPuzzle: 2, wrongAnswerCooldownMs: 0 }));
    await applyAnswers(redis, keys, HUNT, [answerItem('a', 'w1', false)], t0, p);
    await applyAnswers(redis, keys, HUNT, [answerItem('a', 'w2', false)], t0 + 10, p);
    await applyAnswers(redis, keys, HUNT, [answerItem('a', 'w3', false)], t0 + 59_999, p);
    expect(await reply('a', 'w1', t0 + 59_999)).toMatchObject({ correct: false });
    expect(await reply('a', 'w2', t0 + 59_999)).toMatchObject({ correct: false });
    expect(await reply('a', 'w3', t0 + 59_999)).toBeNull(); // refused: TOO_MANY_ATTEMPTS is not stored as a reply
    await applyAnswers(redis, keys, HUNT, [answerItem('a', 'w4', false)], t0 + 60_000, p);
    expect(await reply('a', 'w4', t0 + 60_000)).toMatchObject({ correct: false });
  });

  it('applies items above the fence only, comparing the routing epoch first', async () => {
    await fixture(['a']);
    const p = JSON.stringify(params({ wrongAnswerCooldownMs: 0 }));
    await applyAnswers(redis, keys, HUNT, [answerItem('a', 'x1', false, '2-100-0')], 1, p);
    // an older epoch with a later time, and the same id again: both below the fence
    await applyAnswers(
      redis,
      keys,
      HUNT,
      [answerItem('a', 'x2', false, '1-999-9'), answerItem('a', 'x3', false, '2-100-0')],
      2,
      p,
    );
    await applyAnswers(
      redis,
      keys,
      HUNT,
      [answerItem('a', 'x4', false, '2-100-1'), answerItem('a', 'x5', false, '3-1-0')],
      3,
      p,
    );
    expect(await reply('a', 'x1', 3)).not.toBeNull();
    expect(await reply('a', 'x2', 3)).toBeNull();
    expect(await reply('a', 'x3', 3)).toBeNull();
    expect(await reply('a', 'x4', 3)).not.toBeNull();
    expect(await reply('a', 'x5', 3)).not.toBeNull();
    expect(await redis.hget(keys.hunt(HUNT).applied, 'a')).toBe('3-1-0');
  });

  it('ranks equal scores by who got there first', async () => {
    await fixture(['late', 'early']);
    const p = JSON.stringify(params({ firstSolverBonus: [], decayPerMinute: 0 }));
    await applyAnswers(redis, keys, HUNT, [answerItem('early', 'r', true)], Date.now(), p);
    await applyAnswers(redis, keys, HUNT, [answerItem('late', 'r', true)], Date.now(), p);
    const board = await redis.zrevrange(keys.hunt(HUNT).board, 0, -1, 'WITHSCORES');
    expect(board.filter((_, i) => i % 2 === 0)).toEqual(['early', 'late']);
    expect(decodeScore(board[1]!)).toBe(decodeScore(board[3]!));
  });

  it('refuses answers while the hunt is not live, without scoring', async () => {
    await fixture(['a'], { status: 'paused' });
    const now = Date.now();
    await applyAnswers(redis, keys, HUNT, [answerItem('a', 'r', true)], now, JSON.stringify(params()));
    expect(await reply('a', 'r', now)).toBeNull();
    expect(await redis.zscore(keys.hunt(HUNT).board, 'a')).toBeNull();
  });

  it('gives a repeated request id its first reply for one to two reply windows, then forgets it (the hash expires)', async () => {
    await fixture(['a']);
    const windowMs = 60_000;
    const p = JSON.stringify(
      params({ replyWindowMs: windowMs, firstSolverBonus: [], decayPerMinute: 0, wrongAnswerCooldownMs: 0 }),
    );
    const t0 = 100 * windowMs + 10; // early in a window
    await applyAnswers(redis, keys, HUNT, [answerItem('a', 'r1', false)], t0, p);
    // the same request id, now claiming a right answer: within the next window it still gets the first (wrong) reply
    await applyAnswers(redis, keys, HUNT, [answerItem('a', 'r1', true)], t0 + windowMs + windowMs / 2, p);
    expect(await redis.zscore(keys.hunt(HUNT).board, 'a')).toBeNull();
    expect(await reply('a', 'r1', t0 + windowMs, windowMs)).toMatchObject({ correct: false });
    const hash = `${keys.hunt(HUNT).replies}:${Math.floor(t0 / windowMs)}`;
    const ttl = await redis.pttl(hash);
    expect(ttl).toBeGreaterThan(windowMs);
    expect(ttl).toBeLessThanOrEqual(2 * windowMs);
    // two windows on, the id is new again: applied, and its reply kept in that window's hash
    await applyAnswers(redis, keys, HUNT, [answerItem('a', 'r1', true)], t0 + 2 * windowMs, p);
    expect(await redis.zscore(keys.hunt(HUNT).board, 'a')).not.toBeNull();
    expect(await reply('a', 'r1', t0 + 2 * windowMs, windowMs)).toMatchObject({ correct: true });
  });

  it('fails on a malformed batch instead of applying part of it', async () => {
    await fixture(['a']);
    await expect(
      SCRIPTS.applyAnswers.run(redis, keys.hunt(HUNT), ['{not json', 1, 'ch', 'n:', JSON.stringify(params())]),
    ).rejects.toThrow();
    expect(await redis.hget(keys.hunt(HUNT).applied, 'a')).toBeNull();
  });
});

describe('apply-moves', () => {
  it('counts every folded move and keeps the last position, once per item', async () => {
    await fixture(['a', 'b']);
    const items: ApplyItem[] = [
      {
        sid: '1-5-0',
        n: 'n',
        ev: [
          { k: 'move', h: HUNT, p: 'a', lat: 1, lng: 2, n: 3 },
          { k: 'move', h: HUNT, p: 'b', lat: 5, lng: 6 },
        ],
      },
      { sid: '1-5-1', n: 'n', ev: [{ k: 'move', h: HUNT, p: 'a', lat: 3, lng: 4 }] },
    ];
    expect(await applyMoves(redis, keys, HUNT, items, movesAt())).toEqual({ moves: 5 });
    expect(await applyMoves(redis, keys, HUNT, items, movesAt())).toEqual({ moves: 0 }); // delivered again
    const k = keys.hunt(HUNT);
    expect(await redis.hgetall(k.moves)).toEqual({ a: '4', b: '1' });
    expect(await redis.hget(k.positions, 'a')).toBe('3,4');
  });
});

describe('flush-moves', () => {
  it('writes folded counts and last positions once per flush, checks reaches, and keeps the fence', async () => {
    await fixture(['a', 'b']);
    const k = keys.hunt(HUNT);
    await redis.hset(k.locations, 'p1', '10,20,50');
    const folded = [
      { player: 'a', lat: 1.5, lng: 2.25, n: 12 },
      { player: 'b', lat: 10, lng: 20, n: 1 },
    ];
    expect(
      await flushMoves(redis, keys, HUNT, '1-10-0', folded, [{ player: 'b', puzzle: 'p1', node: 'n1' }], movesAt()),
    ).toEqual({ moves: 13, found: 1, seq: 0, refused: [] });
    expect(await redis.hgetall(k.moves)).toEqual({ a: '12', b: '1' });
    expect(await redis.hgetall(k.positions)).toEqual({ a: '1.5,2.25', b: '10,20' });
    expect(await redis.sismember(k.found, 'b:p1')).toBe(1);
    // the same flush again (a retry after a lost reply) changes nothing; a reach already found is not found twice
    expect(
      await flushMoves(redis, keys, HUNT, '1-10-0', folded, [{ player: 'b', puzzle: 'p1', node: 'n1' }], movesAt()),
    ).toEqual({ moves: 0, found: 0, seq: 0, refused: [] });
    expect(
      await flushMoves(redis, keys, HUNT, '1-11-0', [], [{ player: 'b', puzzle: 'p1', node: 'n1' }], movesAt()),
    ).toEqual({ moves: 0, found: 0, seq: 0, refused: [] });
    expect(await redis.hget(k.applied, 'm')).toBe('1-11-0');
  });

  it('keeps any well-formed player id and any coordinate exactly as folded (the moves travel as one JSON argument)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({
            player: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
            lat: fc.double({ min: -90, max: 90, noNaN: true }),
            lng: fc.double({ min: -180, max: 180, noNaN: true }),
            n: fc.integer({ min: 1, max: 1_000_000 }),
          }),
          { selector: (m) => m.player, minLength: 1, maxLength: 30 },
        ),
        async (folded) => {
          await fixture([]);
          const k = keys.hunt(HUNT);
          expect(await flushMoves(redis, keys, HUNT, '1-1-0', folded, [], movesAt())).toEqual({
            moves: folded.reduce((a, m) => a + m.n, 0),
            found: 0,
            seq: 0,
            refused: [],
          });
          const positions = await redis.hgetall(k.positions);
          const moves = await redis.hgetall(k.moves);
          expect(Object.keys(positions).sort()).toEqual(folded.map((m) => m.player).sort());
          for (const m of folded) {
            expect(positions[m.player]).toBe(`${m.lat},${m.lng}`);
            expect(Number(moves[m.player])).toBe(m.n);
          }
          await deletePrefix(redis, prefix);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('writes a flush of 10,000 players (in calls of at most FLUSH_MAX_PLAYERS)', async () => {
    await fixture([]);
    const many = Array.from({ length: 10_000 }, (_, i) => ({ player: `p${i}`, lat: i % 90, lng: 1, n: 2 }));
    expect(await flushMoves(redis, keys, HUNT, '1-1-0', many, [], movesAt())).toEqual({
      moves: 20_000,
      found: 0,
      seq: 0,
      refused: [],
    });
    expect(await redis.hlen(keys.hunt(HUNT).positions)).toBe(10_000);
  });

  it('marks 10,000 changed players dirty in one answers batch (no unpack overflow)', async () => {
    const players = Array.from({ length: 10_000 }, (_, i) => `q${i}`);
    // a delta went out just now, so this batch's changes wait for the next tick (all 10,000 dirty)
    await fixture([], { lastDeltaAt: Date.now() });
    const k = keys.hunt(HUNT);
    const pipe = redis.pipeline();
    for (const p of players) pipe.hset(k.players, p, JSON.stringify({ name: p, joinedAt: 1 }));
    await pipe.exec();
    const items = players.map((p, i) => answerItem(p, 'r', true, `1-5-${i}`));
    const out = await applyAnswers(redis, keys, HUNT, items, Date.now(), JSON.stringify(params({ tickMs: 60_000 })));
    expect(out).toMatchObject({ applied: [['answer', 10_000]], seq: -1 });
    expect(await redis.scard(k.dirty)).toBe(10_000);
  });
});

describe('the answers lane dispatch', () => {
  it('refuses a batch with a kind it has no handler for, before writing anything', async () => {
    await fixture(['a']);
    const k = keys.hunt(HUNT);
    const good = answerItem('a', 'r1', true, '1-10-0');
    // a kind no table entry declares: never applied as some other kind
    const odd = {
      sid: '1-10-1',
      n: 'node-x',
      ev: [{ k: 'shout', h: HUNT, p: 'a', id: 'r2', puzzle: 'p1' }],
    } as unknown as ApplyItem;
    await expect(applyAnswers(redis, keys, HUNT, [good, odd], Date.now(), JSON.stringify(params()))).rejects.toThrow(
      /EVENT_UNPROCESSABLE: unknown event kind shout/,
    );
    expect(await redis.zscore(k.board, 'a')).toBeNull();
    expect(await redis.hget(k.applied, 'a')).toBeNull();
    expect(await redis.hlen(k.hintsTaken)).toBe(0);
    // the known kind alone goes through
    expect(await applyAnswers(redis, keys, HUNT, [good], Date.now(), JSON.stringify(params()))).toMatchObject({
      applied: [['answer', 1]],
      dead: 0,
    });
  });
});

describe('help', () => {
  const helpItem = (p: string, id: string, text: string, sid = `1-${Date.now()}-${sidSeq++}`): ApplyItem => ({
    sid,
    n: 'node-x',
    ev: [{ k: 'help', h: HUNT, p, id, text }],
  });

  it('logs a help request for the game masters, publishes it, and acks each request id once', async () => {
    await fixture(['ann']);
    const k = keys.hunt(HUNT);
    const sub = subscriberOf(redis);
    const heard: string[] = [];
    sub.on('smessage', (_channel: string, message: string) => heard.push(message));
    // the help on the hunt's channel (for the game masters), the acks on the reply channel of the accepting node
    await sub.ssubscribe(keys.huntChannel(HUNT), keys.replyChannel(HUNT, 'node-x'));
    try {
      const now = Date.now();
      const p = JSON.stringify(params());
      expect(
        await applyAnswers(redis, keys, HUNT, [helpItem('ann', 'h1', 'lost near the bridge')], now, p),
      ).toMatchObject({ applied: [['help', 1]], dead: 0 });
      // the same request id again: the first reply, no second entry
      expect(
        await applyAnswers(redis, keys, HUNT, [helpItem('ann', 'h1', 'lost near the bridge')], now + 1, p),
      ).toMatchObject({ applied: [] });
      const log = (await redis.lrange(k.messages, 0, -1)).map((e) => JSON.parse(e) as unknown);
      expect(log).toEqual([
        { id: 'help-1', kind: 'help', from: { player: 'ann', name: 'ann' }, text: 'lost near the bridge', at: now },
      ]);
      expect(await reply('ann', 'h1', now)).toEqual({ t: 'ack', id: 'h1' });
      await until('the help and both acks published', () => (heard.length >= 3 ? true : undefined));
      const published = heard.map((m) => JSON.parse(m) as Record<string, unknown>);
      expect(published[0]).toEqual({
        t: 'help',
        id: 'help-1',
        kind: 'help',
        from: { player: 'ann', name: 'ann' },
        text: 'lost near the bridge',
        at: now,
      });
      expect(published.slice(1)).toEqual([
        { t: 'reply', p: 'ann', m: { t: 'ack', id: 'h1' } },
        { t: 'reply', p: 'ann', m: { t: 'ack', id: 'h1' } },
      ]);
    } finally {
      await closeSubscriber(sub);
    }
  });

  it('keeps the newest messageLogMax entries, and takes help while paused but not once ended', async () => {
    await fixture(['ann'], { status: 'paused' });
    const k = keys.hunt(HUNT);
    const p = JSON.stringify(params({ messageLogMax: 3 }));
    for (let i = 1; i <= 5; i++)
      await applyAnswers(redis, keys, HUNT, [helpItem('ann', `h${i}`, `text ${i}`)], Date.now(), p);
    const log = (await redis.lrange(k.messages, 0, -1)).map((e) => (JSON.parse(e) as { text: string }).text);
    expect(log).toEqual(['text 3', 'text 4', 'text 5']);
    await redis.hset(k.meta, 'status', 'ended');
    await applyAnswers(redis, keys, HUNT, [helpItem('ann', 'late', 'anyone?')], Date.now(), p);
    expect(await reply('ann', 'late', Date.now())).toBeNull();
    expect(await redis.llen(k.messages)).toBe(3);
  });
});

/** Whether a per-puzzle list of a welcome read holds anything for some puzzle. */
const has = (list: readonly (string | number | null)[]): boolean => list.some((v) => v !== null && v !== 0);

describe('the progress set', () => {
  it('holds each owner once a solve, a hint, a reach or a submission is written, and no one else', async () => {
    await fixture(['a', 'b', 'c', 'd', 'e', 'f'], { progressSet: 1 });
    const k = keys.hunt(HUNT);
    const puzzle = (id: string, index: number, type: string): string =>
      JSON.stringify({ id, index, type, difficulty: 'easy', points: 10, prompt: {} });
    await redis.hset(k.puzzles, 'p2', puzzle('p2', 1, 'cipher'), 'p3', puzzle('p3', 2, 'free'));
    await redis.hset(k.locations, 'p2', '10,20,50');
    const now = Date.now();
    const event = (p: string, ev: Record<string, unknown>): ApplyItem => ({
      sid: `1-${now}-${sidSeq++}`,
      n: 'node-x',
      ev: [{ h: HUNT, p, id: `r-${p}`, ...ev } as ApplyItem['ev'][number]],
    });
    await applyAnswers(
      redis,
      keys,
      HUNT,
      [
        answerItem('a', 'r1', true),
        event('b', { k: 'hint', puzzle: 'p1' }),
        answerItem('d', 'r1', false),
        event('e', { k: 'answer', puzzle: 'p3', answer: 'my story', judged: true }),
      ],
      now,
      JSON.stringify(params()),
    );
    await flushMoves(
      redis,
      keys,
      HUNT,
      `1-${now}-${sidSeq++}`,
      [{ player: 'c', lat: 10, lng: 20, n: 1 }],
      [{ player: 'c', puzzle: 'p2', node: 'n1' }],
      movesAt(),
    );
    await applyMoves(
      redis,
      keys,
      HUNT,
      [{ sid: `1-${now}-${sidSeq++}`, n: 'n', ev: [{ k: 'move', h: HUNT, p: 'f', lat: 10, lng: 20 }] }],
      movesAt(),
    );
    // a wrong answer is no progress: d stays out, so a welcome of d skips the per-puzzle reads
    expect((await redis.smembers(k.progress)).sort()).toEqual(['a', 'b', 'c', 'e', 'f']);
    const read = await readWelcomes(redis, keys, HUNT, ['a', 'b', 'c', 'd', 'e', 'f'], 10);
    const lists = read!.players.map((w) => [has(w.solved), has(w.taken), has(w.reached), has(w.pending)]);
    expect(lists).toEqual([
      [true, false, false, false],
      [false, true, false, false],
      [false, false, true, false],
      [false, false, false, false],
      [false, false, false, true],
      [false, false, true, false],
    ]);
  });

  it('gates the per-puzzle reads only in a hunt that keeps it (one made before it reads every owner)', async () => {
    await fixture(['a'], { progressSet: 1 });
    const k = keys.hunt(HUNT);
    // progress written without the set (as by a version before it): a hunt that keeps the set does not see it
    await redis.hset(k.solves, 'a:p1', '100');
    expect(has((await readWelcomes(redis, keys, HUNT, ['a'], 10))!.players[0]!.solved)).toBe(false);
    await redis.hdel(k.meta, 'progressSet');
    expect(has((await readWelcomes(redis, keys, HUNT, ['a'], 10))!.players[0]!.solved)).toBe(true);
  });
});

describe('welcome', () => {
  it("reads the board, this player's solves, reaches and record and the top names at one seq; nothing for a missing hunt", async () => {
    await fixture(['ann', 'bob', 'cyd']);
    const k = keys.hunt(HUNT);
    await redis.hset(
      k.puzzles,
      'p2',
      JSON.stringify({
        id: 'p2',
        index: 1,
        type: 'maze',
        difficulty: 'easy',
        points: 100,
        prompt: {},
        location: { lat: 1, lng: 2, radius: 10 },
      }),
    );
    const p = JSON.stringify(params({ firstSolverBonus: [], decayPerMinute: 0 }));
    await applyAnswers(redis, keys, HUNT, [answerItem('bob', 'r1', true)], Date.now(), p);
    await redis.sadd(k.found, 'ann:p2');
    const ann = await readWelcome(redis, keys, HUNT, 'ann', 2);
    const bob = await readWelcome(redis, keys, HUNT, 'bob', 2);
    expect(ann?.meta.seq).toBe(bob?.meta.seq);
    const order = (r: typeof ann): string[] => r!.puzzles.filter((_, i) => i % 2 === 0);
    const flag = (r: typeof ann, id: string, list: 'solved' | 'reached'): unknown => r![list][order(r).indexOf(id)];
    expect(flag(bob, 'p1', 'solved')).not.toBeNull();
    expect(flag(ann, 'p1', 'solved')).toBeNull();
    expect(flag(ann, 'p2', 'reached')).toBe(1);
    expect(flag(bob, 'p2', 'reached')).toBe(0);
    expect(bob?.top[0]).toBe('bob');
    expect(bob?.top).toHaveLength(2); // only bob is on the board (the fixture seats nobody else)
    expect(JSON.parse(bob!.names[0]!)).toMatchObject({ name: 'bob' });
    expect(bob?.rank).toBe(0);
    expect(ann?.score).toBeNull();
    expect(ann?.rank).toBeNull();
    expect(JSON.parse(ann!.record!)).toMatchObject({ name: 'ann' });
    expect(await readWelcome(redis, keys, 'no-such-hunt', 'ann', 2)).toBeNull();
    // several players in one call: the shared part once, each player's part as if read alone
    const many = await readWelcomes(redis, keys, HUNT, ['bob', 'ann', 'nobody', 'bob'], 2);
    expect(many?.players).toHaveLength(4);
    const { players: [b, a, n, b2] = [], heldPuzzles, heldTop, ...shared } = many!;
    // nothing was held by the caller, so everything was read
    expect([heldPuzzles, heldTop]).toEqual([false, false]);
    expect({ ...shared, ...b }).toEqual(bob);
    expect({ ...shared, ...a }).toEqual(ann);
    expect(b2).toEqual(b);
    expect(n).toMatchObject({ score: null, rank: null, reached: [0, 0], record: null });
    expect(n?.solved).toEqual([null, null]);
    expect(await readWelcomes(redis, keys, 'no-such-hunt', ['ann', 'bob'], 2)).toBeNull();
    // the per-puzzle lists come sparse: (index, value) pairs where the player has something, so
    // a new player's part does not grow with the hunt's puzzles; equal progress, equal key
    const raw = await SCRIPTS.welcome.run(redis, keys.hunt(HUNT), [2, '', '', 'nobody', 'ann', 'bob']);
    const parts = Array.isArray(raw) ? raw.slice(6) : [];
    const lists = (part: unknown): unknown[] => (Array.isArray(part) ? [0, 1, 5, 6, 8].map((i) => part[i]) : []);
    expect(lists(parts[0])).toEqual([[], [], [], [], []]);
    const p2 = order(ann).indexOf('p2');
    expect(lists(parts[1])[1]).toEqual([p2, 1]);
    expect(n?.progress).not.toBe(a?.progress);
    expect(b2?.progress).toBe(b?.progress);
  });
});

describe('lifecycle and joins', () => {
  it('moves status only along the allowed transitions', async () => {
    await fixture([], { status: 'ready' });
    expect(await transition(redis, keys, HUNT, 'paused', ['live'], 1)).toEqual({ ok: false, status: 'ready' });
    expect(await transition(redis, keys, HUNT, 'live', ['ready'], 1)).toEqual({ ok: true, status: 'live' });
    expect(await transition(redis, keys, 'missing', 'live', ['ready'], 1)).toEqual({ ok: false, status: '' });
  });

  it('refuses a join to an ended hunt with its code', async () => {
    await fixture([], { status: 'ended' });
    await expect(
      joinPlayer(redis, keys, HUNT, 'p', JSON.stringify({ name: 'p', joinedAt: 1 }), 1, params(), 'p', 10),
    ).rejects.toMatchObject({ code: 'HUNT_ENDED' });
  });

  it('counts players against maxPlayers and names against the hunt, in the join itself', async () => {
    await fixture([], { status: 'live', maxPlayers: '2' });
    const join = (player: string, folded: string): Promise<unknown> =>
      joinPlayer(redis, keys, HUNT, player, JSON.stringify({ name: folded, joinedAt: 1 }), 1, params(), folded, 10);
    await join('p1', 'ann');
    await expect(join('p2', 'ann')).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    await join('p2', 'bob');
    await expect(join('p3', 'cy')).rejects.toMatchObject({ code: 'HUNT_FULL' });
    await redis.sadd(keys.hunt(HUNT).removed, 'p1');
    await join('p3', 'cy');
  });
});
