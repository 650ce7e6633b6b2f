/** GET /api/stats: live figures for the game-master console (this node's counters, queue depths, stream lag, per-node config versions). */
import { Queue } from 'bullmq';
import type { RedisClient } from '../redis/index.js';
import type { ConfigStore } from '../config/index.js';
import { queueConnection } from '../redis/index.js';
import { MESSAGE_KINDS, perKind } from '../protocol/index.js';
import { GENERATION_QUEUE, VERIFICATION_QUEUES } from '../puzzles/index.js';
import { EpochRegistry, Keys, STREAM_GROUP, streamBacklog } from '../rooms/index.js';
import { route, type HttpContext } from './http.js';
import type { NodeMetrics } from './metrics.js';

export interface StatsDeps {
  nodeId: string;
  redis: RedisClient;
  redisUrl: string;
  prefix: string;
  metrics: NodeMetrics;
  configs: ConfigStore;
  staleMs: number;
}

/** What the stats show, by the name they show it under: the verification queues are summed. */
const QUEUES = { generate: [GENERATION_QUEUE], verify: VERIFICATION_QUEUES, schedule: ['schedule'] } as const;
const COUNTED = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

/** Installs the route; returns a close() for the queue handles it opened. */
export function installStatsApi(ctx: HttpContext, deps: StatsDeps): { close(): Promise<void> } {
  const conn = queueConnection(deps.redisUrl);
  const keys = new Keys(deps.prefix);
  const queues = Object.entries(QUEUES).map(([shown, names]) => ({
    shown,
    queues: names.map((name) => new Queue(name, { connection: conn.connection, prefix: keys.queuePrefix(name) })),
  }));
  const epochs = new EpochRegistry(deps.redis, keys, deps.configs);

  // any game-master key: the figures are the node's, not any hunt's
  route(
    ctx,
    'get',
    '/api/stats',
    async () => {
      const m = deps.metrics;
      const counts = await Promise.all(
        queues.map(async ({ shown, queues: qs }) => {
          const sum: Record<string, number> = Object.fromEntries(COUNTED.map((c) => [c, 0]));
          for (const c of await Promise.all(qs.map((q) => q.getJobCounts(...COUNTED))))
            for (const k of COUNTED) sum[k]! += c[k] ?? 0;
          return [shown, sum] as const;
        }),
      );
      const streams: { stream: string; length: number; lag: number }[] = [];
      for (const e of await epochs.list()) {
        for (let p = 0; p < e.partitions; p++) {
          const stream = keys.stream(e.epoch, p);
          const b = await streamBacklog(deps.redis, stream, STREAM_GROUP);
          const length = Math.max(0, b.length);
          const lag = b.length <= 0 ? 0 : b.lag < 0 ? b.length : b.lag + b.pending;
          streams.push({ stream: `s${e.epoch}.${p}`, length, lag });
        }
      }
      return {
        body: {
          node: deps.nodeId,
          at: Date.now(),
          connections: Number(/hunt_ws_connections (\d+)/.exec(m.wsConnections.render())?.[1] ?? 0),
          received: perKind((t) => m.eventsReceived.get({ type: MESSAGE_KINDS[t].label })),
          queues: Object.fromEntries(counts),
          streams,
          nodes: await deps.configs.nodeReports(deps.staleMs),
        },
      };
    },
    { who: 'gm' },
  );
  return {
    close: async () => {
      await Promise.all(queues.flatMap((q) => q.queues.map((x) => x.close())));
      await conn.close();
    },
  };
}
