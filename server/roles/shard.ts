/** The shard role: reads room stream partitions under leases and applies them (rooms/). */
import { cheapToVerify, verifyBatch, VerificationClient, type StoredSolution } from '../../puzzles/index.js';
import { batchingVerifier, Shard, type VerifyItem } from '../../rooms/index.js';
import type { NodeContext, RoleSteps } from './context.js';

export interface ShardRoleOptions {
  /** Shard lease time. @default 1500 */
  leaseMs?: number | undefined;
}

export function startShardRole(ctx: NodeContext, opts: ShardRoleOptions): { shard: Shard; steps: RoleSteps } {
  const { metrics } = ctx;
  const verifier = new VerificationClient({ redis: ctx.redis, redisUrl: ctx.redisUrl, prefix: (queue) => ctx.store.keys.queuePrefix(queue), verdictChannel: (client) => ctx.store.keys.verdictChannel(client) });
  // in-shard verification reads each hunt's solutions once and keeps them (they never change once stored)
  const solutions = new Map<string, { at: number; value: Promise<Map<string, StoredSolution>> }>();
  const load = (hunt: string): Promise<Map<string, StoredSolution>> => {
    const hit = solutions.get(hunt);
    if (hit && Date.now() - hit.at < 5000) return hit.value;
    const value = ctx.store.views.solutions(hunt);
    solutions.set(hunt, { at: Date.now(), value });
    value.catch(() => solutions.delete(hunt));
    if (solutions.size > 1000) solutions.delete(solutions.keys().next().value as string);
    return value;
  };
  const verifyHere = async (items: VerifyItem[]): Promise<(boolean | null)[]> => {
    // a hunt read before all its puzzles were stored is read again when an answer names a new one
    for (const hunt of new Set(items.map((i) => i.hunt))) {
      const known = await load(hunt);
      if (items.some((i) => i.hunt === hunt && !known.has(i.puzzle))) solutions.delete(hunt);
    }
    const verdicts = await verifyBatch({ items }, load);
    // counted as the worker counts what it checks
    metrics.answersVerified.inc({ correct: 'true' }, verdicts.filter((v) => v === true).length);
    metrics.answersVerified.inc({ correct: 'false' }, verdicts.filter((v) => v === false).length);
    return verdicts;
  };
  // auto: answers to types that are cheap to check are checked here, the rest go to the queue
  const verifyAuto = async (items: VerifyItem[]): Promise<(boolean | null)[]> => {
    const here: number[] = [];
    const queued: number[] = [];
    for (const [i, item] of items.entries()) {
      const stored = (await load(item.hunt)).get(item.puzzle);
      // an unknown puzzle is checked here too: it is wrong wherever it is checked (or read again)
      (stored === undefined || cheapToVerify(stored.type) ? here : queued).push(i);
    }
    const out: (boolean | null)[] = new Array<boolean | null>(items.length).fill(null);
    const [a, b] = await Promise.all([here.length ? verifyHere(here.map((i) => items[i]!)) : [], queued.length ? verifier.verify(queued.map((i) => items[i]!)) : []]);
    here.forEach((at, k) => (out[at] = a[k] ?? null));
    queued.forEach((at, k) => (out[at] = b[k] ?? null));
    return out;
  };
  const verifiers = { auto: verifyAuto, shard: verifyHere, queue: (items: VerifyItem[]) => verifier.verify(items) };
  const shard = new Shard({
    redis: ctx.redis,
    prefix: ctx.prefix,
    logger: ctx.log,
    // every partition of this shard shares one job per tick
    verify: batchingVerifier((items) => verifiers[ctx.config.routing.verifyIn](items)),
    params: ctx.params,
    movesFlushMs: () => ctx.config.routing.movesFlushMs,
    durability: () => ctx.config.routing,
    ...(opts.leaseMs === undefined ? {} : { leaseMs: opts.leaseMs, renewMs: Math.max(100, Math.floor(opts.leaseMs / 4)) }),
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
