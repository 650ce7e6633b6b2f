/**
 * The router with a hunt's moves spread over several partitions (routing.movePartitions): each
 * player's moves go to one stream of the hunt's window of partitions, every other kind to the
 * hunt's own; a caller waiting on events that went to several streams hears once all have them;
 * a routing change moves the spread with the epoch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type RedisClient } from '../redis/index.js';
import { fnv1a, Keys, movePartitionOf, movePartitionSet, partitionOf, type StreamEvent } from '../rooms/index.js';
import { EventRouter } from '../server/router.js';
import { deletePrefix, freshPrefix, redisUrl } from './helpers.js';

const HUNT = 'city';
let redis: RedisClient;
let prefix: string;
beforeAll(() => {
  redis = connectRedis(redisUrl());
  prefix = freshPrefix();
});
afterAll(async () => {
  await deletePrefix(redis, prefix);
  await redis.quit();
});

/** The events stored in each stream of an epoch, by partition. */
async function stored(keys: Keys, epoch: number, partitions: number): Promise<StreamEvent[][]> {
  return Promise.all(
    Array.from({ length: partitions }, async (_, p) => {
      const entries = await redis.xrange(keys.stream(epoch, p), '-', '+');
      return entries.flatMap(([, fields]) => JSON.parse(fields[fields.indexOf('e') + 1] ?? '[]') as StreamEvent[]);
    }),
  );
}

describe('spread moves', () => {
  it('sends each player to one partition of the hunt set of move partitions, answers to its own, and follows a routing change', async () => {
    const keys = new Keys(prefix);
    const router = new EventRouter({
      redis,
      prefix,
      route: { epoch: 1, partitions: 8, movePartitions: 4 },
      nodeId: 'node-s',
      batching: () => ({ maxEvents: 512, maxDelayMs: 0, urgentEveryMs: 0 }),
    });
    const home = partitionOf(HUNT, 8);
    const players = Array.from({ length: 200 }, (_, i) => `walker${i}`);
    for (const p of players) router.move(HUNT, p, 1, 2);
    // a batch of one player's move and answer: told once both streams have them
    await router.accept(HUNT, [
      { k: 'move', h: HUNT, p: 'walker7', lat: 3, lng: 4 },
      { k: 'answer', h: HUNT, p: 'walker7', id: 'a1', puzzle: 'p1', answer: 'x' },
    ]);
    await router.drain();
    const byPartition = await stored(keys, 1, 8);
    const window = movePartitionSet(fnv1a(HUNT), 8, 4);
    expect(window).toHaveLength(4);
    byPartition.forEach((events, p) => {
      for (const ev of events) {
        if (ev.k === 'move') expect(movePartitionOf(fnv1a(HUNT), ev.p, 8, 4)).toBe(p);
        else expect(p).toBe(home);
      }
      // every partition of the window has a share, none outside it
      expect(events.some((e) => e.k === 'move')).toBe(window.includes(p));
    });
    const moves = byPartition.flat().filter((e) => e.k === 'move');
    expect(moves.reduce((n, e) => n + (e.k === 'move' ? (e.n ?? 1) : 0), 0)).toBe(201);
    expect(byPartition[home]?.filter((e) => e.k === 'answer')).toHaveLength(1);

    // a routing change: one partition for moves again, all on the hunt's own of the new epoch
    await router.switchTo({ epoch: 2, partitions: 4, movePartitions: 1 });
    for (const p of players) router.move(HUNT, p, 5, 6);
    await router.drain();
    const after = await stored(keys, 2, 4);
    after.forEach((events, p) => expect(events.length > 0).toBe(p === partitionOf(HUNT, 4)));
  });
});
