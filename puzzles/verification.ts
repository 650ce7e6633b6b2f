/**
 * Answer verification on BullMQ, batched: a shard sends every answer of one read batch as
 * one job and waits for the verdicts, so throughput is not capped by one job per answer.
 */
import { randomUUID } from 'node:crypto';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AnyPuzzleType } from '../protocol/index.js';
import { verifierOf } from './registry.js';
import {
  closeSubscriber,
  queueConnection,
  subscriberOf,
  type QueueConnection,
  type RedisClient,
} from '../redis/index.js';
import { isWellFormed } from '../protocol/index.js';

/**
 * Verification is spread over several queues, each with its own hash tag, so that on a Redis
 * Cluster the jobs land on several masters; clients take them in turn, workers serve them all.
 */
export const VERIFICATION_QUEUES = ['verify-0of4', 'verify-1of4', 'verify-2of4', 'verify-3of4'] as const;
/** A queue's BullMQ prefix (its hash tag). */
export type QueuePrefix = (queue: string) => string;

const verifyItem = z.object({
  hunt: z.string().min(1).max(64),
  puzzle: z.string().min(1).max(64),
  answer: z.string().max(4096),
});
/** Items are checked one by one: one unreadable item is a dead letter of its own, not of its whole batch. */
const verifyJob = z.object({
  items: z.array(z.unknown()).min(1).max(10000),
  reply: z.string().min(1).max(256).refine(isWellFormed).optional(),
});
export interface VerifyJob {
  items: z.infer<typeof verifyItem>[];
  /** the client's verdict channel: the worker publishes the verdicts there as soon as they are known */
  reply?: string;
}

/** true, false, null (could not be verified for good: a dead letter) or 'judged' (a game master decides). */
export type Verdict = boolean | null | 'judged';

export interface StoredSolution {
  type: AnyPuzzleType;
  answer: string;
  solution: unknown;
}
export type SolutionLoader = (hunt: string) => Promise<Map<string, StoredSolution>>;

/** Checks each answer; unknown hunts or puzzles are simply wrong; an unreadable item gets null (a dead letter). */
export async function verifyBatch(job: { items: readonly unknown[] }, load: SolutionLoader): Promise<Verdict[]> {
  const cache = new Map<string, Map<string, StoredSolution>>();
  const out: Verdict[] = [];
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
    if (stored !== undefined && stored.type === 'free') {
      out.push('judged');
      continue;
    }
    const verify = stored ? verifierOf(stored.type) : undefined;
    let ok = false;
    try {
      ok = stored !== undefined && verify !== undefined && verify(item.answer, stored);
    } catch {
      ok = false; // an answer the verifier cannot even read is simply wrong
    }
    out.push(ok);
  }
  return out;
}

/** What a worker publishes on the client's verdict channel once a job is done. */
const verdictMessage = z.object({ id: z.string(), v: z.array(z.union([z.boolean(), z.null(), z.literal('judged')])) });
/** How long a client waits for a published verdict before it reads the job's state itself. */
const POLL_AFTER_MS = 1000;

export interface VerificationClientOptions {
  /** a connection of the deployment (one server or a cluster); the client subscribes through a duplicate */
  redis: RedisClient;
  redisUrl: string;
  prefix: QueuePrefix;
  /** the sharded pub/sub channel for this client's verdicts */
  verdictChannel: (client: string) => string;
  /** a batch not verified within this is an error (the caller reads its events again later) @default 10000 */
  timeoutMs?: number;
}

interface Waiter {
  resolve: (verdicts: Verdict[]) => void;
  count: number;
}

/**
 * The shard's side: submit a batch to the next queue in turn, wait for its verdicts. The
 * worker publishes them on this client's own channel the moment the job is done (no
 * QueueEvents stream every client would read all events of); a verdict that does not come
 * within a second is read from the job itself, so a lost message costs time, not answers.
 */
export class VerificationClient {
  private readonly conn: QueueConnection;
  private readonly lanes: { queue: Queue }[];
  private readonly sub: RedisClient;
  private readonly channel: string;
  private readonly id = `c${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  private readonly waiting = new Map<string, Waiter>();
  private readonly ready: Promise<unknown>;
  private readonly timeoutMs: number;
  private next = 0;
  private seq = 0;
  /** batches whose verdicts were read from the job because no message came */
  readFromJobs = 0;

  constructor(opts: VerificationClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.conn = queueConnection(opts.redisUrl);
    const connection = this.conn.connection;
    this.lanes = VERIFICATION_QUEUES.map((name) => ({
      queue: new Queue(name, { connection, prefix: opts.prefix(name) }),
    }));
    this.channel = opts.verdictChannel(this.id);
    this.sub = subscriberOf(opts.redis);
    this.sub.on('smessage', (_channel: string, message: string) => this.onVerdicts(message));
    this.sub.on('error', () => undefined); // reconnects on its own; a lost verdict is read from its job
    this.ready = this.sub.ssubscribe(this.channel);
  }

  private onVerdicts(message: string): void {
    let parsed: z.infer<typeof verdictMessage>;
    try {
      parsed = verdictMessage.parse(JSON.parse(message));
    } catch {
      return; // not ours to read; the job itself still has the verdicts
    }
    const w = this.waiting.get(parsed.id);
    if (!w || parsed.v.length !== w.count) return;
    this.waiting.delete(parsed.id);
    w.resolve(parsed.v);
  }

  /**
   * One verdict per item. A job that failed for good (a poison payload: no retries) gives
   * null for each item, a dead letter; a timeout throws, so the caller tries again later.
   */
  async verify(items: VerifyJob['items']): Promise<Verdict[]> {
    const lane = this.lanes[this.next++ % this.lanes.length]!;
    await this.ready;
    const jobId = `${this.id}.${++this.seq}`;
    const started = Date.now();
    // waiting before the job exists: its verdicts may arrive before the add is acknowledged
    let settle!: (verdicts: Verdict[]) => void;
    const published = new Promise<Verdict[]>((resolve) => (settle = resolve));
    this.waiting.set(jobId, { resolve: settle, count: items.length });
    try {
      await lane.queue.add('batch', { items, reply: this.channel } satisfies VerifyJob, {
        jobId,
        removeOnComplete: { age: 60, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
      for (;;) {
        const left = this.timeoutMs - (Date.now() - started);
        if (left <= 0) throw new Error('no verdicts in time');
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<undefined>(
          (resolve) => (timer = setTimeout(() => resolve(undefined), Math.min(POLL_AFTER_MS, left))),
        );
        const got = await Promise.race([published, late]);
        clearTimeout(timer);
        if (got) return got;
        const read = await this.readJob(lane.queue, jobId, items.length);
        if (read) {
          this.readFromJobs++;
          return read;
        }
      }
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(
        `verification job ${jobId} on ${lane.queue.name} (${items.length} answers) failed after ${Date.now() - started} ms: ${why}`,
        { cause: err },
      );
    } finally {
      this.waiting.delete(jobId);
    }
  }

  /** The verdicts of a job whose message did not come: its return value, nulls when it failed for good, undefined while it runs. */
  private async readJob(queue: Queue, jobId: string, count: number): Promise<Verdict[] | undefined> {
    const job = await Job.fromId(queue, jobId);
    if (!job) throw new Error('the job is gone without a verdict');
    const state = await job.getState();
    if (state === 'failed') return Array.from({ length: count }, () => null);
    if (state !== 'completed') return undefined;
    const verdicts: unknown = job.returnvalue;
    if (!Array.isArray(verdicts) || verdicts.length !== count) throw new Error('the job returned a malformed result');
    return verdicts.map((v) => (v === null ? null : v === 'judged' ? 'judged' : v === true));
  }

  async close(): Promise<void> {
    await closeSubscriber(this.sub);
    await Promise.all(this.lanes.map((l) => l.queue.close()));
    await this.conn.close();
  }
}

export interface VerificationWorkerOptions {
  redisUrl: string;
  /** publishes verdicts on the client's channel (SPUBLISH) */
  redis: RedisClient;
  prefix: QueuePrefix;
  logger: Logger;
  solutions: SolutionLoader;
  onVerified?(correct: number, wrong: number): void;
  /** jobs at once, over all the queues. @default 16 */
  concurrency?: number;
}

/** Serves every verification queue. */
export function startVerificationWorker(opts: VerificationWorkerOptions): {
  workers: Worker[];
  close(): Promise<void>;
} {
  const log = opts.logger.child({ queue: 'verify' });
  const conn = queueConnection(opts.redisUrl);
  // Solutions never change once a puzzle is stored; keep them for a short while to spare Redis.
  const cache = new Map<string, { at: number; value: Map<string, StoredSolution> }>();
  const load: SolutionLoader = async (hunt) => {
    const hit = cache.get(hunt);
    if (hit && Date.now() - hit.at < 5000) return hit.value;
    const value = await opts.solutions(hunt);
    cache.set(hunt, { at: Date.now(), value });
    const oldest = cache.keys().next();
    if (cache.size > 1000 && !oldest.done) cache.delete(oldest.value);
    return value;
  };
  const perQueue = Math.max(1, Math.ceil((opts.concurrency ?? 16) / VERIFICATION_QUEUES.length));
  const handle = async (job: Job<unknown, Verdict[]>): Promise<Verdict[]> => {
    const parsed = verifyJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`bad verification job ${job.id}: ${parsed.error.message}`);
    const verdicts = await verifyBatch(parsed.data, load);
    const correct = verdicts.filter((v) => v === true).length;
    opts.onVerified?.(correct, verdicts.filter((v) => v === false).length);
    const { reply } = parsed.data;
    if (reply !== undefined && job.id !== undefined) {
      // not awaited: a message lost (or stuck in a reconnect) is not an answer lost, as the
      // client reads the job's return value instead; the job completes either way
      void opts.redis
        .spublish(reply, JSON.stringify({ id: job.id, v: verdicts }))
        .catch((err: unknown) =>
          log.warn(
            { job: job.id, err: err instanceof Error ? err.message : String(err) },
            'verdicts not published; the client reads them from the job',
          ),
        );
    }
    return verdicts;
  };
  const workers = VERIFICATION_QUEUES.map((name) => {
    const worker = new Worker(name, handle, {
      connection: conn.connection,
      prefix: opts.prefix(name),
      concurrency: perQueue,
    });
    worker.on('failed', (job, err) =>
      log.warn({ queue: name, job: job?.id, err: err.message }, 'verification job failed'),
    );
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
