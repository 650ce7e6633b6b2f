/** GET /api/stats: live figures for the game-master console (this node's counters, queue depths, stream lag, per-node config versions). */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ConfigStore } from '../config/index.js';
import { redisOptionsFromUrl } from '../redis/index.js';
import { EpochRegistry, Keys, STREAM_GROUP } from '../rooms/index.js';
import { requireGm } from './auth.js';
import { route, type HttpContext } from './http.js';
import type { NodeMetrics } from './metrics.js';

export interface StatsDeps {
  nodeId: string;
  redis: Redis;
  redisUrl: string;
  prefix: string;
  queuePrefix: string;
  metrics: NodeMetrics;
  configs: ConfigStore;
  gmKey: string;
  staleMs: number;
}

const QUEUES = ['generate', 'verify', 'schedule'] as const;

/** Installs the route; returns a close() for the queue handles it opened. */
export function installStatsApi(ctx: HttpContext, deps: StatsDeps): { close(): Promise<void> } {
  const connection = redisOptionsFromUrl(deps.redisUrl);
  const queues = QUEUES.map((name) => new Queue(name, { connection, prefix: deps.queuePrefix }));
  const keys = new Keys(deps.prefix);
  const epochs = new EpochRegistry(deps.redis, keys, deps.configs);

  route(ctx, 'get', '/api/stats', async (req) => {
    requireGm(req, deps.gmKey);
    const m = deps.metrics;
    const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')));
    const streams: { stream: string; length: number; lag: number }[] = [];
    for (const e of await epochs.list()) {
      for (let p = 0; p < e.partitions; p++) {
        const stream = keys.stream(e.epoch, p);
        const [length, groups] = await Promise.all([deps.redis.xlen(stream), deps.redis.xinfo('GROUPS', stream).catch(() => [] as unknown[])]);
        let lag = 0;
        for (const g of groups as unknown[][]) {
          const f = new Map<string, unknown>();
          for (let i = 0; i < g.length; i += 2) f.set(String(g[i]), g[i + 1]);
          if (f.get('name') === STREAM_GROUP) lag = Number(f.get('lag') ?? 0) + Number(f.get('pending') ?? 0);
        }
        streams.push({ stream: `s${e.epoch}.${p}`, length, lag });
      }
    }
    return {
      body: {
        node: deps.nodeId,
        at: Date.now(),
        connections: Number(/hunt_ws_connections (\d+)/.exec(m.wsConnections.render())?.[1] ?? 0),
        received: Object.fromEntries(['move', 'answer', 'hint', 'ping'].map((t) => [t, m.eventsReceived.get({ type: t })])),
        queues: Object.fromEntries(QUEUES.map((name, i) => [name, counts[i]])),
        streams,
        nodes: await deps.configs.nodeReports(deps.staleMs),
      },
    };
  });
  return { close: async () => void (await Promise.all(queues.map((q) => q.close()))) };
}
