/** The routes every node serves whatever its roles: /healthz, /readyz and /metrics. */
import { clusterProblem, type RedisClient } from '../redis/index.js';
import type { Role } from '../config/index.js';
import { HuntError } from '../protocol/index.js';
import { route, type HttpContext } from './http.js';
import type { NodeMetrics } from './metrics.js';

export interface ProbeDeps {
  id: string;
  roles: readonly Role[];
  redis: RedisClient;
  metrics: NodeMetrics;
  /** serve /metrics to loopback peers only */
  metricsLoopbackOnly: boolean;
  /** why the node is not ready beyond Redis answering, or null */
  readiness: () => string | null;
}

/** Redis answers within `ms`, or the reason it does not. */
async function redisProblem(redis: RedisClient, ms: number): Promise<string | null> {
  if (redis.status !== 'ready') return `Redis connection is ${redis.status}`;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>(
    (resolve) => (timer = setTimeout(() => resolve(`Redis did not answer within ${ms} ms`), ms)),
  );
  try {
    // on a cluster: every master answers and says the cluster is ok
    return await Promise.race([redis.ping().then(() => clusterProblem(redis)), late]);
  } catch (err) {
    return `Redis: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}

function isLoopback(address: string): boolean {
  return /^(::ffff:)?127\./.test(address) || address === '::1' || /^(0000:){7}0001$/.test(address);
}

export function installProbes(http: HttpContext, deps: ProbeDeps): void {
  route(http, 'get', '/healthz', () => ({ body: { status: 'ok' } }));
  route(http, 'get', '/readyz', async () => {
    const problem = deps.readiness() ?? (await redisProblem(deps.redis, 1000));
    if (problem) throw new HuntError('NOT_READY', problem);
    return { body: { status: 'ready', node: deps.id, roles: deps.roles } };
  });
  route(http, 'get', '/metrics', (req) => {
    if (deps.metricsLoopbackOnly && !isLoopback(req.remote))
      throw new HuntError('FORBIDDEN', '/metrics answers loopback clients only on this node');
    return { text: deps.metrics.render(), contentType: 'text/plain; version=0.0.4; charset=utf-8' };
  });
}
