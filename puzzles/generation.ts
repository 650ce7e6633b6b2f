/**
 * Puzzle generation on BullMQ: one job per puzzle slot, retried with backoff; a hunt whose
 * puzzle cannot be made is failed with the reason. Storing the result is the caller's
 * (rooms') business, passed in as `store`.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  DIFFICULTIES,
  isRecord,
  PUZZLE_TYPES,
  puzzleLocation,
  type Difficulty,
  type PuzzleLocation,
  type PuzzleType,
} from '../protocol/index.js';
import { kindOf } from './registry.js';
import { GeneratorPool } from './generator-pool.js';
import { queueConnection, type QueueConnection } from '../redis/index.js';

export const GENERATION_QUEUE = 'generate';

const generateJob = z.object({
  hunt: z.string().min(1),
  puzzle: z.string().min(1),
  index: z.number().int().min(0),
  type: z.enum(PUZZLE_TYPES),
  difficulty: z.enum(DIFFICULTIES),
  seed: z.string(),
  location: puzzleLocation.optional(),
  title: z.string().max(200).optional(),
});
export type GenerateJob = z.infer<typeof generateJob>;

import { makePuzzle, type GeneratedPuzzle } from './make-puzzle.js';

export { makePuzzle, type GeneratedPuzzle };

/** A generated puzzle of a hunt waiting to be made. */
export interface GenerationSlot {
  id: string;
  index: number;
  seed: string;
  spec: { type: PuzzleType; difficulty: Difficulty; location?: PuzzleLocation | undefined; title?: string | undefined };
}

/** The seed of a hunt's generated puzzle where its spec gives none: from the hunt's seed, position, type and difficulty. */
export function slotSeed(huntSeed: string, index: number, type: PuzzleType, difficulty: Difficulty): string {
  return `${huntSeed}/${index}/${type}/${difficulty}`;
}

export class GenerationQueue {
  private readonly queue: Queue;
  private readonly conn: QueueConnection;
  constructor(redisUrl: string, prefix: string) {
    this.conn = queueConnection(redisUrl);
    this.queue = new Queue(GENERATION_QUEUE, { connection: this.conn.connection, prefix });
  }

  /** One job per slot; each slot's `seed` is the generator's seed for that puzzle (the same seed makes the same puzzle). */
  async enqueue(hunt: string, slots: readonly GenerationSlot[]): Promise<void> {
    await this.queue.addBulk(
      slots.map((slot) => ({
        name: 'puzzle',
        data: {
          hunt,
          puzzle: slot.id,
          index: slot.index,
          type: slot.spec.type,
          difficulty: slot.spec.difficulty,
          seed: slot.seed,
          ...(slot.spec.location ? { location: slot.spec.location } : {}),
          ...(slot.spec.title ? { title: slot.spec.title } : {}),
        } satisfies GenerateJob,
        opts: {
          jobId: `${hunt}-${slot.id}`,
          attempts: 3,
          backoff: { type: 'exponential', delay: 200 },
          removeOnComplete: { age: 3600, count: 10000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
  }

  async depth(): Promise<number> {
    return this.queue.count();
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.conn.close();
  }
}

export interface GenerationWorkerOptions {
  redisUrl: string;
  prefix: string;
  logger: Logger;
  /** points per difficulty in force now */
  points: () => Readonly<Record<Difficulty, number>>;
  store(hunt: string, puzzle: GeneratedPuzzle): Promise<void>;
  fail(hunt: string, reason: string): Promise<void>;
  /** jobs at once. @default 2 */
  concurrency?: number;
  /** threads making puzzles. @default 1 */
  threads?: number;
  /** longest one puzzle may take before the job fails and is retried. @default 5000 */
  budgetMs?: number;
}

/** A running generation worker: the BullMQ worker and the threads that make puzzles. */
export interface GenerationWorker {
  worker: Worker;
  close(): Promise<void>;
}

export function startGenerationWorker(opts: GenerationWorkerOptions): GenerationWorker {
  const log = opts.logger.child({ queue: GENERATION_QUEUE });
  const pool = new GeneratorPool(opts.threads ?? 1, opts.budgetMs ?? 5000);
  const conn = queueConnection(opts.redisUrl);
  const worker = new Worker(
    GENERATION_QUEUE,
    async (job: Job) => {
      const parsed = generateJob.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`bad generation job ${job.id}: ${parsed.error.message}`);
      if (!kindOf(parsed.data.type)) throw new UnrecoverableError(`puzzle type ${parsed.data.type} has no generator`);
      // a retry draws from a different seed: the same seed would meet the same slow search
      const data =
        job.attemptsMade > 0 ? { ...parsed.data, seed: `${parsed.data.seed}/retry${job.attemptsMade}` } : parsed.data;
      const made = await pool.make(data, { ...opts.points() });
      await opts.store(parsed.data.hunt, made);
      return { puzzle: made.puzzle.id };
    },
    { connection: conn.connection, prefix: opts.prefix, concurrency: opts.concurrency ?? 2 },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const finalAttempt = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    log.warn(
      { job: job.id, attempt: job.attemptsMade, final: finalAttempt, err: err.message },
      'puzzle generation failed',
    );
    if (!finalAttempt) return;
    const data: unknown = job.data;
    const hunt = isRecord(data) ? data.hunt : undefined;
    if (isRecord(data) && typeof hunt === 'string') {
      opts
        .fail(hunt, `puzzle ${String(data.puzzle ?? '?')} could not be generated: ${err.message}`)
        .catch((e: unknown) => log.error({ err: e }, 'could not mark hunt failed'));
    }
  });
  worker.on('error', (err) => log.error({ err }, 'generation worker error'));
  return {
    worker,
    close: async () => {
      await worker.close();
      await pool.close();
      await conn.close();
    },
  };
}
