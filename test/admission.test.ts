/**
 * Backlog shedding at a front (server/admission.ts) on a real redis-server: the streams a node
 * polls are those it wrote to lately or last saw waiting, so an idle node polls none, and a node
 * that refuses everything (and so writes nothing) keeps seeing the backlog until it is applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DEFAULT_LIMITS } from '../config/index.js';
import { connectRedis, type RedisClient } from '../redis/index.js';
import { Keys, partitionOf, STREAM_GROUP } from '../rooms/index.js';
import { Admission } from '../server/admission.js';
import { LoopLag } from '../server/loop-lag.js';
import { EventRouter } from '../server/router.js';
import { deletePrefix, freshPrefix, redisUrl, until } from './helpers.js';

const QUIET_MS = 300;
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

describe('backlog admission', () => {
  it('polls only what it writes to or saw waiting, and keeps refusing until the backlog is applied', async () => {
    const router = new EventRouter({
      redis,
      prefix,
      route: { epoch: 1, partitions: 4 },
      nodeId: 'node-a',
      batching: () => ({ maxEvents: 512, maxDelayMs: 0, urgentEveryMs: 0 }),
    });
    const admission = new Admission({
      redis,
      router,
      lag: new LoopLag(() => undefined),
      limits: () => ({ ...DEFAULT_LIMITS, maxBacklogEvents: 50 }),
      log: pino({ level: 'silent' }),
      pollMs: 20,
      quietMs: QUIET_MS,
    });
    admission.start();
    try {
      // nothing written yet: no stream is polled, nothing refused
      await new Promise((r) => setTimeout(r, 100));
      expect(admission.watched).toBe(0);
      expect(admission.refuse()).toBeNull();

      // 100 hints to one hunt, one entry each, no shard reading: the backlog passes the limit of 50
      const stream = new Keys(prefix).stream(1, partitionOf('hunt-x', 4));
      for (let i = 0; i < 100; i++)
        await router.accept('hunt-x', [{ k: 'hint', h: 'hunt-x', p: `p${i}`, id: `h${i}`, puzzle: 'p1' }]);
      const refusal = await until('refused', () => admission.refuse() ?? undefined);
      expect(refusal).toBeGreaterThan(0);
      expect(admission.watched).toBe(1);

      // long after the last write, still refused: the backlog is still there
      await new Promise((r) => setTimeout(r, QUIET_MS * 3));
      expect(admission.refuse()).toBeGreaterThan(0);
      expect(admission.watched).toBe(1);

      // a consumer group that has read and acknowledged everything: taken again, then no stream polled
      expect(await redis.xlen(stream)).toBeGreaterThan(0);
      await redis.xgroup('CREATE', stream, STREAM_GROUP, '$', 'MKSTREAM');
      await until('taken again', () => (admission.refuse() === null ? true : undefined));
      await until('nothing polled', () => (admission.watched === 0 ? true : undefined));
    } finally {
      admission.stop();
    }
  });
});
