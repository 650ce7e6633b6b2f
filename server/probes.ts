/** The routes every node serves whatever its roles: /healthz, /readyz and /metrics. */
import type { Redis } from 'ioredis';
import type { Role } from '../config/index.js';
import { HuntError } from '../protocol/index.js';
import { route, type HttpContext } from './http.js';
import type { NodeMetrics } from './metrics.js';

export interface ProbeDeps {
  id: string;
  roles: readonly Role[];
  redis: Redis;
  metrics: NodeMetrics;
  /** serve /metrics to loopback peers only */
  metricsLoopbackOnly: boolean;
}

function isLoopback(address: string): boolean {
  return /^(::ffff:)?127\./.test(address) || address === '::1' || /^(0000:){7}0001$/.test(address);
}

export function installProbes(http: HttpContext, deps: ProbeDeps): void {
  route(http, 'get', '/healthz', () => ({ body: { status: 'ok' } }));
  route(http, 'get', '/readyz', async () => {
    try {
      await deps.redis.ping();
      return { body: { status: 'ready', node: deps.id, roles: deps.roles } };
    } catch {
      return { status: 503, body: { error: { code: 'NOT_READY', message: 'Redis does not answer' } } };
    }
  });
  route(http, 'get', '/metrics', (req) => {
    if (deps.metricsLoopbackOnly && !isLoopback(req.remote)) throw new HuntError('FORBIDDEN', '/metrics answers loopback clients only on this node');
    return { text: deps.metrics.render(), contentType: 'text/plain; version=0.0.4; charset=utf-8' };
  });
}
