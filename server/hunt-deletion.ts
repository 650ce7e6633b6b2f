/**
 * Deleting hunts: `DELETE /api/hunts/:id` and the retention sweep. A deletion ends the hunt if
 * it runs (its players hear `{"t":"hunt","status":"ended"}`), removes its launch and end timers,
 * and purges what it holds at once (rooms/hunt-purge.ts); the hunt is 404 from then on. It is
 * also noted in `Keys.purging`, and the sweep purges it again on each run for REPEAT_MS, so
 * what events in flight wrote after the first pass is gone within a minute too.
 *
 * The sweep runs on one node at a time (a Redis lease), every `sweepMs`; every `endedScanMs`
 * it also deletes hunts that ended more than `retention.endedHuntDays` ago.
 */
import type { Logger } from 'pino';
import type { RetentionConfig } from '../config/index.js';
import { HuntError } from '../protocol/index.js';
import type { RedisClient } from '../redis/index.js';
import { HUNT_ID, purgeHunt, type HuntScheduler, type HuntStore } from '../rooms/index.js';

/** How long a deleted hunt is purged again on every sweep: late writes of events in flight land within it. */
const REPEAT_MS = 2 * 60_000;
const DAY_MS = 24 * 3600_000;

export interface HuntDeletionOptions {
  redis: RedisClient;
  store: HuntStore;
  scheduler: HuntScheduler;
  log: Logger;
  nodeId: string;
  retention: () => RetentionConfig;
  /** takes the hunt out of its game masters' lists (before its keys go) */
  forget?: (hunt: string) => Promise<void>;
  /** how often a node tries to run the sweep. @default 20000 */
  sweepMs?: number;
  /** how often the sweep looks for ended hunts past retention. @default 600000 */
  endedScanMs?: number;
}

export class HuntDeletion {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private lastEndedScan = 0;
  private readonly sweepMs: number;
  private readonly endedScanMs: number;

  constructor(private readonly opts: HuntDeletionOptions) {
    this.sweepMs = opts.sweepMs ?? 20_000;
    this.endedScanMs = opts.endedScanMs ?? 600_000;
  }

  /** Ends the hunt if it runs, then deletes all it holds; HUNT_NOT_FOUND when there is no such hunt. */
  async delete(id: string): Promise<void> {
    const { redis, store, scheduler, log } = this.opts;
    if (!HUNT_ID.test(id)) throw new HuntError('HUNT_NOT_FOUND');
    const [status, createdAt] = await redis.hmget(store.keys.hunt(id).meta, 'status', 'createdAt');
    if (!status) throw new HuntError('HUNT_NOT_FOUND');
    if (status === 'live' || status === 'paused' || status === 'ready') {
      await store
        .transition(id, 'end')
        .catch((err: unknown) =>
          log.warn({ err, hunt: id }, 'ending a hunt before its deletion failed; deleting it anyway'),
        );
    }
    await scheduler.cancel(id);
    await this.opts.forget?.(id);
    await redis.zadd(store.keys.purging, Date.now(), id);
    const done = await purgeHunt(redis, store.keys, id, Number(createdAt ?? 0));
    log.info({ hunt: id, ...done }, 'hunt deleted');
  }

  /** The game-master account that made the hunt, or null (the admin's, or no such hunt). */
  async owner(id: string): Promise<string | null> {
    return HUNT_ID.test(id) ? (await this.opts.redis.hget(this.opts.store.keys.hunt(id).meta, 'owner')) || null : null;
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  private async tick(): Promise<void> {
    if (this.sweeping) return;
    const { redis, store, nodeId, log } = this.opts;
    this.sweeping = (async () => {
      try {
        const lease = store.keys.retentionLease;
        const held =
          (await redis.set(lease, nodeId, 'PX', this.sweepMs * 2, 'NX')) === 'OK' ||
          ((await redis.get(lease)) === nodeId && (await redis.pexpire(lease, this.sweepMs * 2)) === 1);
        if (held) await this.sweep();
      } catch (err) {
        log.warn({ err }, 'retention sweep failed');
      } finally {
        this.sweeping = undefined;
      }
    })();
    await this.sweeping;
  }

  /** One sweep: deleted hunts purged again, and (every endedScanMs) ended hunts past retention deleted. */
  async sweep(now = Date.now()): Promise<{ repurged: number; expired: number }> {
    const { redis, store, log } = this.opts;
    const purging = await redis.zrange(store.keys.purging, 0, -1, 'WITHSCORES');
    for (let i = 0; i < purging.length; i += 2) {
      const id = purging[i]!;
      await purgeHunt(redis, store.keys, id);
      if (Number(purging[i + 1]) < now - REPEAT_MS) await redis.zrem(store.keys.purging, id);
    }
    let expired = 0;
    if (now - this.lastEndedScan >= this.endedScanMs) {
      this.lastEndedScan = now;
      const keepMs = this.opts.retention().endedHuntDays * DAY_MS;
      let cursor = '0';
      do {
        const [next, ids] = await redis.sscan(store.keys.huntIndex, cursor, 'COUNT', 500);
        cursor = next;
        const metas = await Promise.all(ids.map((id) => redis.hmget(store.keys.hunt(id).meta, 'status', 'endedAt')));
        for (const [i, id] of ids.entries()) {
          const [status, endedAt] = metas[i] ?? [];
          if (status !== 'ended' || !endedAt || Number(endedAt) + keepMs > now) continue;
          await this.delete(id).catch((err: unknown) => log.warn({ err, hunt: id }, 'deleting an expired hunt failed'));
          expired++;
        }
      } while (cursor !== '0');
      if (expired)
        log.info({ expired, days: this.opts.retention().endedHuntDays }, 'ended hunts past retention deleted');
    }
    return { repurged: purging.length / 2, expired };
  }
}
