/**
 * Redis memory as a node sees it: `INFO memory` of every master (one server: itself), polled,
 * used_memory over maxmemory of the fullest. Above `storage.highWater`, new hunts, new players
 * and submissions are refused with 507 STORAGE_FULL, while live play (answers, hints, moves,
 * deltas) goes on: Redis itself refuses writes (noeviction) only at maxmemory, so the room
 * between the high-water mark and it is what live play uses meanwhile. A server without a
 * maxmemory counts as 0 (never full).
 */
import type { Logger } from 'pino';
import { HuntError } from '../protocol/index.js';
import { isCluster, type RedisClient } from '../redis/index.js';

/** used_memory over maxmemory in an `INFO memory` reply; 0 without a maxmemory. */
export function memoryRatio(info: string): number {
  const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)\\r?$`, 'm').exec(info)?.[1] ?? 0);
  const max = field('maxmemory');
  return max > 0 ? field('used_memory') / max : 0;
}

/** What a StorageWatch is built from. */
export interface StorageWatchDeps {
  redis: RedisClient;
  /** the ratio of maxmemory past which writes are refused */
  highWater: () => number;
  /** told of each ratio read */
  report: (ratio: number) => void;
  log: Logger;
  /** how often the memory is read, ms; @default 1000 */
  everyMs?: number;
}

export class StorageWatch {
  /** the fullest master's ratio at the last poll */
  ratio = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  private readonly redis: RedisClient;
  private readonly highWater: () => number;
  private readonly report: (ratio: number) => void;
  private readonly log: Logger;
  private readonly everyMs: number;

  constructor(deps: StorageWatchDeps) {
    this.redis = deps.redis;
    this.highWater = deps.highWater;
    this.report = deps.report;
    this.log = deps.log;
    this.everyMs = deps.everyMs ?? 1000;
  }

  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Throws STORAGE_FULL while Redis is above the high-water mark. */
  refuseNew(): void {
    const mark = this.highWater();
    if (this.ratio >= mark)
      throw new HuntError(
        'STORAGE_FULL',
        `Redis memory is at ${Math.round(this.ratio * 100)}% of maxmemory, above the ${Math.round(mark * 100)}% high-water mark; new hunts, players and submissions wait until hunts are deleted or memory is added`,
      );
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const servers = isCluster(this.redis) ? this.redis.nodes('master') : [this.redis];
      const infos = await Promise.all(servers.map((s) => s.info('memory')));
      this.ratio = Math.max(0, ...infos.map(memoryRatio));
      this.report(this.ratio);
    } catch (err) {
      this.log.debug({ err }, 'memory poll failed');
    } finally {
      this.polling = false;
    }
  }
}
