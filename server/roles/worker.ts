/** The worker role: puzzle generation, answer verification and scheduled lifecycle jobs. */
import { GENERATION_QUEUE, startGenerationWorker, startVerificationWorker } from '../../puzzles/index.js';
import { startScheduleWorker } from '../../rooms/index.js';
import type { NodeContext, RoleSteps } from './context.js';

export function startWorkerRole(ctx: NodeContext): RoleSteps {
  const { store, log, metrics, config } = ctx;
  const workers = [
    startScheduleWorker(ctx.redisUrl, ctx.redis, store, log),
    startGenerationWorker({
      redisUrl: ctx.redisUrl,
      prefix: store.keys.queuePrefix(GENERATION_QUEUE),
      logger: log,
      points: () => config.scoring.points,
      store: async (hunt, puzzle) => void (await store.storePuzzle(hunt, puzzle)),
      fail: (hunt, reason) => store.failGeneration(hunt, reason),
    }),
    startVerificationWorker({
      redisUrl: ctx.redisUrl,
      redis: ctx.redis,
      prefix: (queue) => store.keys.queuePrefix(queue),
      logger: log,
      solutions: (hunt) => store.views.solutions(hunt),
      onVerified: (correct, wrong) => {
        metrics.answersVerified.inc({ correct: 'true' }, correct);
        metrics.answersVerified.inc({ correct: 'false' }, wrong);
      },
    }),
  ];
  return { closeWorkers: async () => void (await Promise.all(workers.map((w) => w.close()))) };
}
