/**
 * REDIS_URL and the server must agree on cluster mode: a cluster node addressed as one
 * server answers MOVED to most keys, and a lone server addressed as a cluster never lets
 * the cluster client connect. Checked once at start-up against the first seed, so the node
 * stops with one clear line instead of failing request after request.
 */
import { isCluster, connectOne } from './connect.js';
import type { RedisClient } from './script.js';
import { parseRedisUrl, redact } from './url.js';

export async function assertRedisMode(url: string, timeoutMs = 10_000): Promise<void> {
  const t = parseRedisUrl(url);
  let info = '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = connectOne(url, undefined, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined); // the command below reports it
    try {
      await probe.connect();
      info = await probe.info('cluster');
      break;
    } catch (err) {
      // Redis may still be starting: try again until the deadline
      if (Date.now() > deadline)
        throw new Error(
          `Redis at ${redact(url)} does not answer: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        );
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      probe.disconnect();
    }
  }
  const clustered = /cluster_enabled:1/.test(info);
  const where = `${t.nodes[0]!.host}:${t.nodes[0]!.port}`;
  if (clustered && !t.cluster)
    throw new Error(
      `REDIS_URL names one redis-server, but ${where} is a Redis Cluster node: use redis+cluster://${where}`,
    );
  if (!clustered && t.cluster)
    throw new Error(`REDIS_URL names a Redis Cluster, but ${where} runs without cluster mode: use redis://${where}`);
}

/** Why a connected cluster is not fit to serve (a master down, slots unassigned), or null; always null on one server. */
export async function clusterProblem(redis: RedisClient): Promise<string | null> {
  if (!isCluster(redis)) return null;
  const masters = redis.nodes('master');
  if (masters.length === 0) return 'no Redis Cluster master is known';
  for (const m of masters) {
    const info = await m.cluster('INFO');
    const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
    if (state !== 'ok') return `Redis Cluster state is ${state} at ${m.options.host ?? '?'}:${m.options.port ?? '?'}`;
  }
  return null;
}
