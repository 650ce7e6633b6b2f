/**
 * Verification over BullMQ on the run's Redis: the worker publishes each job's verdicts on
 * the client's own channel; a verdict that never arrives is read from the job itself.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVerificationWorker, VerificationClient, type StoredSolution } from '../puzzles/index.js';
import { connectRedis, type RedisClient } from '../redis/index.js';
import { Keys } from '../rooms/index.js';
import { deletePrefix, freshPrefix, redisUrl } from './helpers.js';

const log = pino({ level: 'silent' });
const solutions = async (hunt: string): Promise<Map<string, StoredSolution>> =>
  new Map(
    hunt === 'h1' ? [['p1', { type: 'cipher', answer: 'OPEN SESAME', solution: {} } satisfies StoredSolution]] : [],
  );
const items = [
  { hunt: 'h1', puzzle: 'p1', answer: 'open sesame' },
  { hunt: 'h1', puzzle: 'p1', answer: 'close sesame' },
  { hunt: 'h1', puzzle: 'nope', answer: 'open sesame' },
  { hunt: 'h2', puzzle: 'p1', answer: 'open sesame' },
];

let redis: RedisClient;
beforeAll(() => {
  redis = connectRedis(redisUrl());
});
afterAll(() => redis.quit());

describe('verification jobs', () => {
  it('come back on the client channel, with each verdict in order', async () => {
    const prefix = freshPrefix();
    const keys = new Keys(prefix);
    const worker = startVerificationWorker({
      redisUrl: redisUrl(),
      redis,
      prefix: (q) => keys.queuePrefix(q),
      logger: log,
      solutions,
    });
    const client = new VerificationClient({
      redis,
      redisUrl: redisUrl(),
      prefix: (q) => keys.queuePrefix(q),
      verdictChannel: (c) => keys.verdictChannel(c),
    });
    try {
      expect(await client.verify(items)).toEqual([true, false, false, false]);
      // several batches at once, over the four queues, each its own verdicts
      const many = await Promise.all(Array.from({ length: 12 }, (_, i) => client.verify([items[i % 2]!])));
      expect(many).toEqual(Array.from({ length: 12 }, (_, i) => [i % 2 === 0]));
      expect(client.readFromJobs).toBe(0); // every verdict came on the channel
    } finally {
      await client.close();
      await worker.close();
      await deletePrefix(redis, prefix);
    }
  });

  it('are read from the job when the published verdicts are lost', async () => {
    const prefix = freshPrefix();
    const keys = new Keys(prefix);
    // the worker publishes through a connection that is already closed: every message is lost
    const closed = connectRedis(redisUrl());
    await closed.quit();
    const worker = startVerificationWorker({
      redisUrl: redisUrl(),
      redis: closed,
      prefix: (q) => keys.queuePrefix(q),
      logger: log,
      solutions,
    });
    const client = new VerificationClient({
      redis,
      redisUrl: redisUrl(),
      prefix: (q) => keys.queuePrefix(q),
      verdictChannel: (c) => keys.verdictChannel(c),
    });
    try {
      expect(await client.verify(items)).toEqual([true, false, false, false]);
      expect(client.readFromJobs).toBe(1);
    } finally {
      await client.close();
      await worker.close();
      await deletePrefix(redis, prefix);
    }
  });
});
