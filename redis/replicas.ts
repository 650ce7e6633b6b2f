import type { RedisClient } from './script.js';
import { isCluster } from './connect.js';

/** The fewest replicas connected to any master (0 on a redis-server without replicas). */
export async function fewestReplicas(redis: RedisClient): Promise<number> {
  const masters = isCluster(redis) ? redis.nodes('master') : [redis];
  const counts = await Promise.all(
    masters.map(async (m) => Number(/^connected_slaves:(\d+)/m.exec(await m.info('replication'))?.[1] ?? 0)),
  );
  return counts.length ? Math.min(...counts) : 0;
}
