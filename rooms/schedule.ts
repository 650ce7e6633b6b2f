/**
 * Hunt scheduling: `startsAt` and `endsAt` become BullMQ delayed jobs, so a hunt launches and
 * ends on time by itself, exactly once across the cluster (one job, one worker takes it; the
 * transition is a compare-and-set anyway). Every reschedule bumps the hunt's schedule
 * revision; jobs of an older revision do nothing, and are removed where they still wait.
 * A puzzle's `opensAfterS` and `closesAfterS` become jobs of the same queue at launch (or when
 * the puzzle is added later): at its time, its players hear of it (`puzzle`, `closed`).
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { isCluster, queueConnection, type QueueConnection, type RedisClient } from '../redis/index.js';
import type { Logger } from 'pino';
import { z } from 'zod';
import { HuntError, PUZZLE_ID } from '../protocol/index.js';
import type { HuntStore } from './hunt-store.js';
import type { Keys } from './keys.js';
import { allows } from './lifecycle.js';
import { openPuzzle } from './scripts.js';
import { parseSequence } from './sequence.js';

export const SCHEDULE_QUEUE = 'schedule';
/** Tries of a launch job: 0.5 s apart, an hour in all (it waits for a hunt still generating). */
const LAUNCH_RETRIES = 7200;

const scheduleJob = z.object({
  hunt: z.string().min(1),
  action: z.enum(['launch', 'end']),
  rev: z.number().int().min(1),
});
type ScheduleJob = z.infer<typeof scheduleJob>;
/** A game master's message to deliver at its time (its text waits in the hunt's `scheduled` hash). */
const messageJob = z.object({ hunt: z.string().min(1), message: z.string().min(1) });
type MessageJob = z.infer<typeof messageJob>;
const MESSAGE_JOB = 'message';
const puzzleJob = z.object({
  hunt: z.string().min(1).max(64),
  action: z.enum(['open', 'close']),
  puzzle: z.string().regex(PUZZLE_ID),
});
type PuzzleJob = z.infer<typeof puzzleJob>;

/**
 * Places the open and close jobs of a launched hunt's timed puzzles (all of them, or the ones
 * named). A job id names the hunt, puzzle, action and launch time, so placing them twice adds
 * nothing. Jobs due already run at once.
 */
export async function queuePuzzleTimers(
  queue: Queue,
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  only?: readonly string[],
): Promise<number> {
  const k = keys.hunt(hunt);
  const [launchedAt, sequence] = await Promise.all([redis.hget(k.meta, 'launchedAt'), redis.hgetall(k.sequence)]);
  const launched = Number(launchedAt);
  if (!launchedAt || !Number.isFinite(launched)) return 0;
  let placed = 0;
  for (const [puzzle, raw] of Object.entries(sequence)) {
    if (only && !only.includes(puzzle)) continue;
    const seq = parseSequence(raw);
    for (const [action, seconds] of [
      ['open', seq?.o],
      ['close', seq?.c],
    ] as const) {
      if (seconds === undefined) continue;
      const at = launched + seconds * 1000;
      await queue.add(action, { hunt, action, puzzle } satisfies PuzzleJob, {
        jobId: `${hunt}-${action}-${puzzle}-${launched}`,
        delay: Math.max(0, at - Date.now()),
        attempts: 20,
        backoff: { type: 'fixed', delay: 500 },
        removeOnComplete: { age: 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
      placed++;
    }
  }
  return placed;
}

export interface Schedule {
  startsAt: number | null;
  endsAt: number | null;
}

export class HuntScheduler {
  private readonly queue: Queue;
  private readonly conn: QueueConnection;
  constructor(
    redisUrl: string,
    private readonly redis: RedisClient,
    private readonly store: HuntStore,
  ) {
    this.conn = queueConnection(redisUrl);
    this.queue = new Queue(SCHEDULE_QUEUE, {
      connection: this.conn.connection,
      prefix: store.keys.queuePrefix(SCHEDULE_QUEUE),
    });
  }

  /** Records the times and (re)places the timers. `undefined` keeps a time, `null` clears it. */
  async set(
    hunt: string,
    change: { startsAt?: number | null | undefined; endsAt?: number | null | undefined },
  ): Promise<Schedule> {
    const meta = this.store.keys.hunt(hunt).meta;
    const current = await this.redis.hmget(meta, 'status', 'startsAt', 'endsAt', 'scheduleRev');
    if (!current[0]) throw new HuntError('HUNT_NOT_FOUND');
    const next: Schedule = {
      startsAt: change.startsAt === undefined ? (current[1] ? Number(current[1]) : null) : change.startsAt,
      endsAt: change.endsAt === undefined ? (current[2] ? Number(current[2]) : null) : change.endsAt,
    };
    if (next.startsAt !== null && next.endsAt !== null && next.endsAt <= next.startsAt) {
      throw new HuntError('VALIDATION_FAILED', '`endsAt` must be after `startsAt`');
    }
    const oldRev = Number(current[3] ?? 0);
    const rev = await this.redis.hincrby(meta, 'scheduleRev', 1);
    const pipe = this.redis.multi();
    pipe.hset(meta, 'startsAt', next.startsAt ?? '', 'endsAt', next.endsAt ?? '');
    await pipe.exec();
    for (const action of ['launch', 'end'] as const) {
      if (oldRev > 0) await this.queue.remove(jobId(hunt, action, oldRev)).catch(() => 0);
      const at = action === 'launch' ? next.startsAt : next.endsAt;
      if (at === null) continue;
      await this.queue.add(action, { hunt, action, rev } satisfies ScheduleJob, {
        jobId: jobId(hunt, action, rev),
        delay: Math.max(0, at - Date.now()),
        // a launch due while puzzles generate retries every 0.5 s; an hour of that outlasts any generation
        attempts: action === 'launch' ? LAUNCH_RETRIES : 20,
        backoff: { type: 'fixed', delay: 500 },
        removeOnComplete: { age: 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    }
    return next;
  }

  /**
   * Delivers a kept message at `at` (epoch ms): one job per message, whichever worker takes it
   * when due; the delivery script lets it through once even if the job runs again.
   */
  async message(hunt: string, id: string, at: number): Promise<void> {
    await this.queue.add(MESSAGE_JOB, { hunt, message: id } satisfies MessageJob, {
      jobId: `${hunt}-msg-${id}`,
      delay: Math.max(0, at - Date.now()),
      attempts: 20,
      backoff: { type: 'fixed', delay: 500 },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** Places the timers of the hunt's timed puzzles (after a launch; `only`: puzzles added later). */
  timePuzzles(hunt: string, only?: readonly string[]): Promise<number> {
    return queuePuzzleTimers(this.queue, this.redis, this.store.keys, hunt, only);
  }

  /** Removes every timer of the hunt (launch, end, messages): a hunt being deleted. */
  async cancel(hunt: string): Promise<void> {
    const head = `${this.store.keys.queuePrefix(SCHEDULE_QUEUE)}:${SCHEDULE_QUEUE}:`;
    const jobs = new Set<string>();
    for (const server of isCluster(this.redis) ? this.redis.nodes('master') : [this.redis]) {
      let cursor = '0';
      do {
        const [next, found] = await server.scan(cursor, 'MATCH', `${head}${hunt}-*`, 'COUNT', 1000);
        cursor = next;
        // a job's hash and its companions (`:logs`, `:lock`) share the job id's prefix
        for (const key of found)
          jobs.add(key.slice(head.length).replace(/:(logs|lock|dependencies|processed|failed)$/, ''));
      } while (cursor !== '0');
    }
    for (const id of jobs) await this.queue.remove(id).catch(() => 0);
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.conn.close();
  }
}

function jobId(hunt: string, action: string, rev: number): string {
  return `${hunt}-${action}-r${rev}`;
}

/** Runs due schedule jobs. A launch due while puzzles are still generating waits and retries. */
export function startScheduleWorker(
  redisUrl: string,
  redis: RedisClient,
  store: HuntStore,
  logger: Logger,
): { close(): Promise<void> } {
  const log = logger.child({ queue: SCHEDULE_QUEUE });
  const conn = queueConnection(redisUrl);
  const timers = new Queue(SCHEDULE_QUEUE, {
    connection: conn.connection,
    prefix: store.keys.queuePrefix(SCHEDULE_QUEUE),
  });
  const worker = new Worker(
    SCHEDULE_QUEUE,
    async (job: Job) => {
      if (job.name === MESSAGE_JOB) {
        const m = messageJob.safeParse(job.data);
        if (!m.success) throw new UnrecoverableError(`bad message job ${job.id}: ${m.error.message}`);
        const delivered = await store.messages.due(m.data.hunt, m.data.message);
        log.info(
          {
            hunt: m.data.hunt,
            message: m.data.message,
            delivered,
            lateMs: Date.now() - job.timestamp - (job.opts.delay ?? 0),
          },
          'scheduled message',
        );
        return { delivered };
      }
      const timed = puzzleJob.safeParse(job.data);
      if (timed.success) {
        const { hunt, puzzle, action } = timed.data;
        const sent = await openPuzzle(redis, store.keys, hunt, puzzle, action, Date.now());
        if (sent < 0) throw new Error(`puzzle ${puzzle} of hunt ${hunt} is not due to ${action} yet; retrying`);
        return { sent };
      }
      const parsed = scheduleJob.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad schedule job ${job.id}: ${parsed.error.message}`);
      const { hunt, action, rev } = parsed.data;
      const [status, current] = await redis.hmget(store.keys.hunt(hunt).meta, 'status', 'scheduleRev');
      if (!status) return { skipped: 'hunt gone' };
      if (Number(current) !== rev) return { skipped: 'rescheduled' };
      if (action === 'launch' && status === 'generating')
        throw new Error(`hunt ${hunt} is still generating at its start time; retrying`);
      if (!allows(action, status)) return { skipped: `status ${status}` };
      const done = await store.transition(hunt, action);
      log.info({ hunt, action, status: done }, 'scheduled transition');
      if (action === 'launch') await queuePuzzleTimers(timers, redis, store.keys, hunt);
      return { status: done };
    },
    { connection: conn.connection, prefix: store.keys.queuePrefix(SCHEDULE_QUEUE), concurrency: 4 },
  );
  worker.on('error', (err) => log.error({ err }, 'schedule worker error'));
  return {
    close: async () => {
      await worker.close();
      await timers.close();
      await conn.close();
    },
  };
}
