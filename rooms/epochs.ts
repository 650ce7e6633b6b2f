/**
 * Routing epochs. Each version of the `routing` config is an epoch with its own set of
 * stream partitions. Front nodes write to the epoch they apply; shards serve only the
 * oldest epoch that may still hold events. An epoch is closed once a newer one exists and
 * every live front node reports a newer routing version (so none writes to it again); its
 * partitions are then drained one by one, and when all are, the epoch is retired and the
 * shards move on. A room's events therefore keep their order across a change of shard count.
 */
import type { RedisClient } from '../redis/index.js';
import { NODE_REPORT_STALE_MS, type ConfigStore } from '../config/index.js';
import type { Keys } from './keys.js';

export interface Epoch {
  epoch: number;
  /** stream partitions of the epoch */
  partitions: number;
  /**
   * over how many of them one hunt's moves are spread (routing.movePartitions); only front
   * nodes need it (a shard tells a hunt's own partition from the others by `partitionOf`)
   * @default 1
   */
  movePartitions?: number;
}

export class EpochRegistry {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly configs: ConfigStore,
  ) {}

  /** Announces an epoch before anything is written to it. */
  async register(epoch: Epoch): Promise<void> {
    await this.redis.hsetnx(this.keys.epochs, String(epoch.epoch), String(epoch.partitions));
  }

  /** Epochs that may hold events, oldest first. */
  async list(): Promise<Epoch[]> {
    const h = await this.redis.hgetall(this.keys.epochs);
    return Object.entries(h)
      .map(([e, n]) => ({ epoch: Number(e), partitions: Number(n) }))
      .sort((a, b) => a.epoch - b.epoch);
  }

  /** True when no live front node writes to `epoch` any more and a newer epoch exists. */
  async closed(epoch: number, newest: number): Promise<boolean> {
    if (newest <= epoch) return false;
    const reports = await this.configs.nodeReports(NODE_REPORT_STALE_MS);
    return reports.filter((r) => r.roles.includes('front')).every((r) => (r.versions.routing ?? 0) > epoch);
  }

  async done(epoch: number): Promise<Set<number>> {
    return new Set((await this.redis.smembers(this.keys.epochDone(epoch))).map(Number));
  }

  /** Records a drained partition and drops its stream; retires the epoch when it was the last. */
  async markDrained(epoch: Epoch, partition: number): Promise<void> {
    // separate commands: the stream and the epoch's set live in different cluster slots
    await this.redis.sadd(this.keys.epochDone(epoch.epoch), String(partition));
    await this.redis.del(this.keys.stream(epoch.epoch, partition));
    if ((await this.redis.scard(this.keys.epochDone(epoch.epoch))) >= epoch.partitions) await this.retire(epoch.epoch);
  }

  async retire(epoch: number): Promise<void> {
    await this.redis.hdel(this.keys.epochs, String(epoch));
    await this.redis.del(this.keys.epochDone(epoch));
  }
}
