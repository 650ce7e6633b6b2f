/** The shard role: reads room stream partitions under leases and applies them (rooms/). */
import { answerChecker, VerificationClient } from '../../puzzles/index.js';
import { batchingVerifier, Shard } from '../../rooms/index.js';
import type { NodeContext, RoleSteps } from './context.js';

export interface ShardRoleOptions {
  /** Shard lease time. @default 1500 */
  leaseMs?: number | undefined;
}

export function startShardRole(ctx: NodeContext, opts: ShardRoleOptions): { shard: Shard; steps: RoleSteps } {
  const { metrics } = ctx;
  const verifier = new VerificationClient({
    redis: ctx.redis,
    redisUrl: ctx.redisUrl,
    prefix: (queue) => ctx.store.keys.queuePrefix(queue),
    verdictChannel: (client) => ctx.store.keys.verdictChannel(client),
  });
  const check = answerChecker({
    solutions: (hunt) => ctx.store.views.solutions(hunt),
    queue: verifier,
    mode: () => ctx.config.routing.verifyIn,
    checked: (correct, wrong) => {
      metrics.answersVerified.inc({ correct: 'true' }, correct);
      metrics.answersVerified.inc({ correct: 'false' }, wrong);
    },
  });
  const shard = new Shard({
    redis: ctx.redis,
    prefix: ctx.prefix,
    logger: ctx.log,
    // every partition of this shard shares its verification jobs (at most four in flight)
    verify: batchingVerifier(check),
    params: ctx.params,
    movesFlushMs: () => ctx.config.routing.movesFlushMs,
    durability: () => ctx.config.routing,
    ...(opts.leaseMs === undefined
      ? {}
      : { leaseMs: opts.leaseMs, renewMs: Math.max(100, Math.floor(opts.leaseMs / 4)) }),
    metrics: {
      applied: (kind, count) => count > 0 && metrics.eventsApplied.inc({ type: kind }, count),
      applyLatency: (seconds, count) => metrics.applySeconds.observe(seconds, count),
      delta: () => metrics.deltas.inc(),
      lag: (partition, entries) => metrics.streamLag.set({ shard: partition }, entries),
      poison: () => metrics.poisonEvents.inc(),
      deadLetters: (count) => metrics.deadLetters.inc({ queue: 'verify' }, count),
      streamDeadLetter: () => metrics.streamDeadLetters.inc(),
    },
  });
  shard.start();
  return { shard, steps: { stopReading: () => shard.close(), closeQueues: () => verifier.close() } };
}
