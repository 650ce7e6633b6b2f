/**
 * What every role of a node shares (built once by createNode), and what a role hands back:
 * its shutdown steps, run by the node in the order of SHUTDOWN_PHASES across all roles.
 */
import type { RedisClient } from '../../redis/index.js';
import type { Logger } from 'pino';
import type { App } from '../transport/index.js';
import type { LiveConfig, Role } from '../../config/index.js';
import type { HuntStore, ScriptParams } from '../../rooms/index.js';
import type { HttpContext } from '../http.js';
import type { LoopLag } from '../loop-lag.js';
import type { NodeMetrics } from '../metrics.js';
import type { StorageWatch } from '../storage-watch.js';

export interface NodeContext {
  id: string;
  roles: readonly Role[];
  redisUrl: string;
  prefix: string;
  redis: RedisClient;
  log: Logger;
  metrics: NodeMetrics;
  config: LiveConfig;
  store: HuntStore;
  params: () => ScriptParams;
  app: App;
  http: HttpContext;
  /** this process's event-loop delay, shared by what sheds load */
  loopLag: LoopLag;
  /** Redis memory against its maxmemory: past storage.highWater, new work is refused */
  storage: StorageWatch;
}

/**
 * A node stops as: stop reading streams → tell clients 1001 (no frame can arrive after this) →
 * drain what the front accepted → close workers → fan-out → queues.
 */
export const SHUTDOWN_PHASES = [
  'stopReading',
  'tellClients',
  'drain',
  'closeWorkers',
  'closeFanout',
  'closeQueues',
] as const;
export type ShutdownPhase = (typeof SHUTDOWN_PHASES)[number];

export type RoleSteps = Partial<Record<ShutdownPhase, () => Promise<void> | void>>;
