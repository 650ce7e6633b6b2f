/**
 * The front's event router on a real redis-server: answers go at the end of their turn, at
 * most once every `urgentEveryMs`; whatever the spacing, every event reaches the stream once,
 * in the order it was accepted; moves fold into one per player and window, every one counted.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '../redis/index.js';
import { Keys, type StreamEvent } from '../rooms/index.js';
import { EventRouter } from '../server/router.js';
import { deletePrefix, freshPrefix, redisUrl } from './helpers.js';

const HUNT = 'routed';
let redis: RedisClient;

beforeAll(() => {
  redis = connectRedis(redisUrl());
});
afterAll(() => redis.quit());

const answer = (i: number): StreamEvent => ({
  k: 'answer',
  h: HUNT,
  p: `p${i % 7}`,
  id: `a${i}`,
  puzzle: 'p1',
  answer: `guess ${i}`,
});
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Sends `turns` (answer counts per event-loop turn) through a router with the given spacing,
 * waits until every one is stored, and returns the request ids of each stream entry in order.
 */
async function route(turns: number[], urgentEveryMs: number): Promise<string[][]> {
  const prefix = freshPrefix();
  const router = new EventRouter({
    redis,
    prefix,
    route: { epoch: 1, partitions: 1 },
    nodeId: 'node-t',
    batching: () => ({ maxEvents: 512, maxDelayMs: 50, urgentEveryMs }),
  });
  const stored: Promise<void>[] = [];
  let next = 0;
  try {
    for (const n of turns) {
      for (let i = 0; i < n; i++)
        stored.push(
          new Promise((resolve, reject) =>
            router.enqueue(HUNT, answer(next++), (err) => (err ? reject(err) : resolve())),
          ),
        );
      await turn();
    }
    await Promise.all(stored);
    const entries = await redis.xrange(new Keys(prefix).stream(1, 0), '-', '+');
    return entries.map(([, fields]) =>
      (JSON.parse(fields[fields.indexOf('e') + 1] ?? '[]') as { id: string }[]).map((e) => e.id),
    );
  } finally {
    await deletePrefix(redis, prefix);
  }
}

const turns = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 });
const ids = (turns: number[]): string[] => Array.from({ length: turns.reduce((a, b) => a + b, 0) }, (_, i) => `a${i}`);

describe('the urgent lane of the event router', () => {
  it('with no spacing, writes each turn its own entry, in order', async () => {
    await fc.assert(
      fc.asyncProperty(turns, async (t) => {
        const entries = await route(t, 0);
        expect(entries.map((e) => e.length)).toEqual(t);
        expect(entries.flat()).toEqual(ids(t));
      }),
      { numRuns: 15 },
    );
  });

  it('within the spacing, writes the first turn at once and the turns after it together, nothing lost or reordered', async () => {
    await fc.assert(
      fc.asyncProperty(turns, async (t) => {
        // a second is far longer than a few turns take, so every later turn falls inside the gap
        const entries = await route(t, 1000);
        expect(entries.flat()).toEqual(ids(t));
        expect(entries[0]).toHaveLength(t[0]!);
        expect(entries.length).toBe(t.length > 1 ? 2 : 1);
      }),
      { numRuns: 4 },
    );
  });
});

describe('moves in the event router', () => {
  it("folds each player's moves, from sockets or the API, into the last position and the count", async () => {
    const move = fc.record({
      player: fc.integer({ min: 0, max: 4 }),
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lng: fc.double({ min: -180, max: 180, noNaN: true }),
      viaApi: fc.boolean(),
      turnAfter: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(move, { minLength: 1, maxLength: 40 }), async (moves) => {
        const prefix = freshPrefix();
        const router = new EventRouter({
          redis,
          prefix,
          route: { epoch: 1, partitions: 1 },
          nodeId: 'node-t',
          batching: () => ({ maxEvents: 512, maxDelayMs: 5, urgentEveryMs: 2 }),
        });
        try {
          for (const m of moves) {
            if (m.viaApi) router.enqueue(HUNT, { k: 'move', h: HUNT, p: `p${m.player}`, lat: m.lat, lng: m.lng });
            else router.move(HUNT, `p${m.player}`, m.lat, m.lng);
            if (m.turnAfter) await new Promise((r) => setTimeout(r, 6));
          }
          await router.drain();
          expect(router.queued).toBe(0);
          const entries = await redis.xrange(new Keys(prefix).stream(1, 0), '-', '+');
          const events = entries.flatMap(
            ([, fields]) => JSON.parse(fields[fields.indexOf('e') + 1] ?? '[]') as StreamEvent[],
          );
          // what the shard gets: every move counted once, each player's last position last
          const counted = new Map<string, number>();
          const lastAt = new Map<string, [number, number]>();
          for (const e of events) {
            if (e.k !== 'move') throw new Error(`not a move: ${e.k}`);
            counted.set(e.p, (counted.get(e.p) ?? 0) + (e.n ?? 1));
            lastAt.set(e.p, [e.lat + 0, e.lng + 0]);
          }
          const sent = new Map<string, number>();
          for (const m of moves) sent.set(`p${m.player}`, (sent.get(`p${m.player}`) ?? 0) + 1);
          expect(counted).toEqual(sent);
          expect(lastAt).toEqual(new Map(moves.map((m) => [`p${m.player}`, [m.lat + 0, m.lng + 0]])));
        } finally {
          await deletePrefix(redis, prefix);
        }
      }),
      { numRuns: 25 },
    );
  });
});
