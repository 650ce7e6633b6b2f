/**
 * Answer verification on BullMQ, batched: a shard sends every answer of one read batch as
 * one job and waits for the verdicts, so throughput is not capped by one job per answer.
 */
import { Queue, QueueEvents, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { PuzzleType } from '../protocol/index.js';
import { kindOf } from './registry.js';
import { queueConnection, type QueueConnection } from '../redis/index.js';

/**
 * Verification is spread over several queues, each with its own hash tag, so that on a Redis
 * Cluster the jobs land on several masters; clients take them in turn, workers serve them all.
 */
export const VERIFICATION_QUEUES = ['verify-0of4', 'verify-1of4', 'verify-2of4', 'verify-3of4'] as const;
/** A queue's BullMQ prefix (its hash tag). */
export type QueuePrefix = (queue: string) => string;

const verifyItem = z.object({ hunt: z.string().min(1).max(64), puzzle: z.string().min(1).max(64), answer: z.string().max(4096) });
/** Items are checked one by one: one unreadable item is a dead letter of its own, not of its whole batch. */
const verifyJob = z.object({ items: z.array(z.unknown()).min(1).max(10000) });
export interface VerifyJob {
  items: z.infer<typeof verifyItem>[];
}

export interface StoredSolution {
  type: PuzzleType;
  answer: string;
  solution: unknown;
}
export type SolutionLoader = (hunt: string) => Promise<Map<string, StoredSolution>>;

/** Checks each answer; unknown hunts or puzzles are simply wrong; an unreadable item gets null (a dead letter). */
export async function verifyBatch(job: { items: readonly unknown[] }, load: SolutionLoader): Promise<(boolean | null)[]> {
  const cache = new Map<string, Map<string, StoredSolution>>();
  const out: (boolean | null)[] = [];
  for (const raw of job.items) {
    const parsed = verifyItem.safeParse(raw);
    if (!parsed.success) {
      out.push(null);
      continue;
    }
    const item = parsed.data;
    let solutions = cache.get(item.hunt);
    if (!solutions) cache.set(item.hunt, (solutions = await load(item.hunt)));
    const stored = solutions.get(item.puzzle);
    const kind = stored ? kindOf(stored.type) : undefined;
    let ok = false;
    try {
      ok = stored !== undefined && kind !== undefined && kind.verify(item.answer, stored);
    } catch {
      ok = false; // an answer the verifier cannot even read is simply wrong
    }
    out.push(ok);
  }
  return out;
}

/** The shard's side: submit a batch to the next queue in turn, wait for its verdicts. */
export class VerificationClient {
  private readonly conn: QueueConnection;
  private readonly lanes: { queue: Queue; events: QueueEvents; ready: Promise<unknown> }[];
  private next = 0;

  constructor(redisUrl: string, prefix: QueuePrefix, private readonly timeoutMs = 10_000) {
    this.conn = queueConnection(redisUrl);
    const connection = this.conn.connection;
    this.lanes = VERIFICATION_QUEUES.map((name) => {
      const queue = new Queue(name, { connection, prefix: prefix(name) });
      const events = new QueueEvents(name, { connection, prefix: prefix(name) });
      // every waiting batch listens on these: many at once is normal here
      queue.setMaxListeners(0);
      events.setMaxListeners(0);
      return { queue, events, ready: events.waitUntilReady() };
    });
  }

  /**
   * One verdict per item. A job that failed for good (a poison payload: no retries) gives
   * null for each item, a dead letter; a timeout throws, so the caller tries again later.
   */
  async verify(items: VerifyJob['items']): Promise<(boolean | null)[]> {
    const lane = this.lanes[this.next++ % this.lanes.length]!;
    await lane.ready;
    const job = await lane.queue.add('batch', { items } satisfies VerifyJob, {
      removeOnComplete: { age: 60, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    const started = Date.now();
    try {
      const verdicts = (await job.waitUntilFinished(lane.events, this.timeoutMs)) as unknown;
      if (!Array.isArray(verdicts) || verdicts.length !== items.length) throw new Error(`verification job ${job.id} returned a malformed result`);
      return verdicts.map((v) => (v === null ? null : v === true));
    } catch (err) {
      if ((await job.getState().catch(() => 'unknown')) === 'failed') return items.map(() => null);
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(`verification job ${job.id} on ${lane.queue.name} (${items.length} answers) failed after ${Date.now() - started} ms: ${why}`);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.lanes.map(async (l) => {
      await l.events.close();
      await l.queue.close();
    }));
    await this.conn.close();
  }
}

export interface VerificationWorkerOptions {
  redisUrl: string;
  prefix: QueuePrefix;
  logger: Logger;
  solutions: SolutionLoader;
  onVerified?(correct: number, wrong: number): void;
  /** jobs at once, over all the queues. @default 16 */
  concurrency?: number;
}

/** Serves every verification queue. */
export function startVerificationWorker(opts: VerificationWorkerOptions): { workers: Worker[]; close(): Promise<void> } {
  const log = opts.logger.child({ queue: 'verify' });
  const conn = queueConnection(opts.redisUrl);
  // Solutions never change once a puzzle is stored; keep them for a short while to spare Redis.
  const cache = new Map<string, { at: number; value: Map<string, StoredSolution> }>();
  const load: SolutionLoader = async (hunt) => {
    const hit = cache.get(hunt);
    if (hit && Date.now() - hit.at < 5000) return hit.value;
    const value = await opts.solutions(hunt);
    cache.set(hunt, { at: Date.now(), value });
    if (cache.size > 1000) cache.delete(cache.keys().next().value as string);
    return value;
  };
  const perQueue = Math.max(1, Math.ceil((opts.concurrency ?? 16) / VERIFICATION_QUEUES.length));
  const handle = async (job: Job): Promise<(boolean | null)[]> => {
    const parsed = verifyJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad verification job ${job.id}: ${parsed.error.message}`);
    const verdicts = await verifyBatch(parsed.data, load);
    const correct = verdicts.filter((v) => v === true).length;
    opts.onVerified?.(correct, verdicts.filter((v) => v === false).length);
    return verdicts;
  };
  const workers = VERIFICATION_QUEUES.map((name) => {
    const worker = new Worker(name, handle, { connection: conn.connection, prefix: opts.prefix(name), concurrency: perQueue });
    worker.on('failed', (job, err) => log.warn({ queue: name, job: job?.id, err: err.message }, 'verification job failed'));
    worker.on('error', (err) => log.error({ queue: name, err }, 'verification worker error'));
    return worker;
  });
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await conn.close();
    },
  };
}
