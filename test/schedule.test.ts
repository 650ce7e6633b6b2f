/** A hunt scheduled a few seconds ahead launches and ends by itself exactly once, with three nodes running. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlayerSocket } from '../client/index.js';
import { Queue } from 'bullmq';
import { GENERATION_QUEUE } from '../puzzles/index.js';
import { queueConnection } from '../redis/index.js';
import { Keys } from '../rooms/index.js';
import { redisUrl, startCluster, until, type Cluster } from './helpers.js';

describe('scheduled hunts', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster([
      ['front', 'shard', 'worker'],
      ['front', 'worker'],
      ['front', 'worker'],
    ]);
  });
  afterAll(() => c.close());

  it('launches and ends on time, once, and a reschedule replaces the timers', async () => {
    const gm = c.gm(1);
    const { id } = await gm.createHunt({
      name: 'timed',
      template: 'starter',
      startsAt: new Date(Date.now() + 120_000).toISOString(),
      endsAt: new Date(Date.now() + 180_000).toISOString(),
    });
    // timed from readiness (generation takes longer on a busy machine), so the sockets below are in before the launch
    await gm.waitReady(id);
    // the sockets are in (welcomed) before any timer is set, so no socket races the launch
    const joined = await gm.join(id, 'early');
    const sockets = await Promise.all([0, 1, 2].map((i) => PlayerSocket.connect(c.url(i), joined.token)));
    await Promise.all(sockets.map((s) => s.waitType('welcome')));
    const now = Date.now();
    await gm.request('PATCH', `/api/hunts/${id}`, {
      startsAt: new Date(now + 1000).toISOString(),
      endsAt: new Date(now + 60_000).toISOString(),
    });
    // move both times: the old timers must not fire
    const startsAt = now + 3000;
    const endsAt = now + 5000;
    const view = await gm.request<{ schedule: { startsAt: string; endsAt: string } }>('PATCH', `/api/hunts/${id}`, {
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
    });
    expect(view.schedule).toEqual({
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
    });

    // the server's own stamps show the first timers did not fire: launched and ended at the moved times
    const launched = await until(
      'the launch',
      async () =>
        (await gm.hunt(id)).status !== 'ready'
          ? gm.request<{ launchedAt: string | null }>('GET', `/api/hunts/${id}`)
          : undefined,
      10_000,
    );
    expect(Date.parse(launched.launchedAt ?? '')).toBeGreaterThanOrEqual(startsAt);
    const ended = await until(
      'the end',
      async () =>
        (await gm.hunt(id)).status === 'ended'
          ? gm.request<{ endedAt: string | null }>('GET', `/api/hunts/${id}`)
          : undefined,
      10_000,
    );
    expect(Date.parse(ended.endedAt ?? '')).toBeGreaterThanOrEqual(endsAt);
    for (const s of sockets) {
      const statuses = await until('both status changes on every socket', () => {
        const seen = s.received.filter((m) => m.t === 'hunt').map((m) => (m as { status: string }).status);
        return seen.length >= 2 ? seen : undefined;
      });
      expect(statuses).toEqual(['live', 'ended']);
      s.close();
    }
    await expect(
      gm.request('PATCH', `/api/hunts/${id}`, {
        startsAt: new Date(Date.now() + 9000).toISOString(),
        endsAt: new Date(Date.now() + 8000).toISOString(),
      }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('launches a hunt whose start falls due while its puzzles are still generating, once they are ready', async () => {
    const gm = c.gm();
    // generation held: the schedule's launch comes due first
    const conn = queueConnection(redisUrl());
    const generate = new Queue(GENERATION_QUEUE, {
      connection: conn.connection,
      prefix: new Keys(c.prefix).queuePrefix(GENERATION_QUEUE),
    });
    await generate.pause();
    try {
      const startsAt = Date.now() + 1000;
      const { id } = await gm.createHunt({
        name: 'slow to make',
        template: 'starter',
        startsAt: new Date(startsAt).toISOString(),
      });
      const schedule = new Queue('schedule', {
        connection: conn.connection,
        prefix: new Keys(c.prefix).queuePrefix('schedule'),
      });
      // the launch job ran at its time and found the hunt generating (it retries)
      await until(
        'the launch tried while generating',
        async () => (((await schedule.getJob(`${id}-launch-r1`))?.attemptsMade ?? 0) >= 2 ? true : undefined),
        20_000,
      );
      await schedule.close();
      expect((await gm.hunt(id)).status).toBe('generating');
      await generate.resume();
      const live = await until(
        'the launch once ready',
        async () => {
          const v = await gm.request<{ status: string; launchedAt: string | null }>('GET', `/api/hunts/${id}`);
          return v.status === 'live' ? v : undefined;
        },
        30_000,
      );
      expect(Date.parse(live.launchedAt ?? '')).toBeGreaterThanOrEqual(startsAt);
    } finally {
      await generate.resume();
      await generate.close();
      await conn.close();
    }
  });
});
