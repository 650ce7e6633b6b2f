/**
 * A room shard: holds leases on stream partitions of the oldest live routing epoch and runs
 * a PartitionConsumer for each. Any number of shards may run; each takes a fair share of the
 * partitions, hands extras back, and takes over a dead shard's share when its leases expire.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/index.js';
import type { Logger } from 'pino';
import { ConfigStore, DEFAULT_ROUTING } from '../config/index.js';
import { EpochRegistry, type Epoch } from './epochs.js';
import { Keys } from './keys.js';
import { PartitionConsumer, type ShardMetrics, type Verifier } from './partition-consumer.js';
import type { ScriptParams } from './params.js';
import { releaseLease, renewLease } from './scripts.js';
import { DeltaTicker } from './delta-ticker.js';

export interface ShardOptions {
  redis: RedisClient;
  prefix: string;
  logger: Logger;
  verify: Verifier;
  /** scoring and fan-out parameters in force now */
  params: () => ScriptParams;
  metrics?: ShardMetrics;
  /** How long a lease lives unrenewed; a dead shard's partitions are taken over within about this long. @default 1500 */
  leaseMs?: number;
  /** @default leaseMs / 4 */
  renewMs?: number;
  /** Stream entries read per batch. @default 256 */
  batch?: number;
  /** How long new moves are folded in memory before they are written, ms. @default the routing default (500) */
  movesFlushMs?: () => number;
  /** replicas that must hold a batch's effects before its entries are acknowledged */
  durability?: () => { ackReplicas: number; ackTimeoutMs: number };
}

/** How often a partition's lag gauge is read (a script call per partition): every tick was 20 calls a second for 8 partitions. */
const LAG_EVERY_MS = 1000;

const keyOf = (epoch: number, partition: number): string => `${epoch}.${partition}`;

export class Shard {
  readonly id = `shard-${randomBytes(4).toString('hex')}`;
  private readonly keys: Keys;
  private readonly epochs: EpochRegistry;
  private readonly owned = new Map<string, PartitionConsumer>();
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private readonly log: Logger;
  /** hunts whose leaderboard delta waits for the fan-out tick */
  private readonly ticker: DeltaTicker;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;
  /** when each partition's lag was last read */
  private readonly lagReadAt = new WeakMap<PartitionConsumer, number>();

  constructor(private readonly opts: ShardOptions) {
    this.keys = new Keys(opts.prefix);
    this.epochs = new EpochRegistry(opts.redis, this.keys, new ConfigStore(opts.redis, opts.prefix));
    this.leaseMs = opts.leaseMs ?? 1500;
    this.renewMs = opts.renewMs ?? Math.max(100, Math.floor(this.leaseMs / 4));
    this.log = opts.logger.child({ shard: this.id });
    this.ticker = new DeltaTicker(opts.redis, this.keys, opts.params, this.log, () => opts.metrics?.delta());
  }

  /** Partitions held right now, as `<epoch>.<partition>`. */
  get partitions(): string[] {
    return [...this.owned.keys()].sort();
  }

  start(): void {
    const loop = (): void => {
      this.ticking = this.tick().catch((err: unknown) => this.log.error({ err }, 'shard tick failed'));
      this.timer = setTimeout(() => void this.ticking.then(loop), this.renewMs);
    };
    loop();
  }

  /** Renews what it holds; claims or hands back partitions of the oldest epoch toward a fair share. */
  private async tick(): Promise<void> {
    if (this.closing) return;
    const { redis } = this.opts;
    const now = Date.now();
    await redis
      .multi()
      .zadd(this.keys.shards, now, this.id)
      .zremrangebyscore(this.keys.shards, '-inf', now - this.leaseMs)
      .exec();
    const alive = Math.max(1, await redis.zcard(this.keys.shards));
    const epochs = await this.epochs.list();
    const oldest = epochs[0];
    const newest = epochs.at(-1);

    for (const [key, c] of [...this.owned]) {
      if (!(await renewLease(redis, this.keys.lease(c.epoch.epoch, c.partition), this.id, this.leaseMs))) {
        this.log.warn({ partition: key }, 'lease lost; stopping partition');
        await this.stop(key, false);
      } else if (!oldest || c.epoch.epoch !== oldest.epoch) {
        await this.stop(key, true); // its epoch was retired by another shard
      }
    }
    if (!oldest || !newest) return;

    const closed = await this.epochs.closed(oldest.epoch, newest.epoch);
    const drained = await this.epochs.done(oldest.epoch);
    const open = Array.from({ length: oldest.partitions }, (_, p) => p).filter((p) => !drained.has(p));
    if (open.length === 0) {
      await this.epochs.retire(oldest.epoch);
      return;
    }
    const fair = Math.ceil(open.length / alive);
    for (const p of open) {
      if (this.owned.size >= fair) break;
      if (this.owned.has(keyOf(oldest.epoch, p))) continue;
      const got = await redis.set(this.keys.lease(oldest.epoch, p), this.id, 'PX', this.leaseMs, 'NX');
      if (got === 'OK') this.begin(oldest, p);
    }
    while (this.owned.size > fair) {
      const key = [...this.owned.keys()].sort().at(-1);
      if (key === undefined) break;
      this.log.info({ partition: key, fair }, 'handing partition over');
      await this.stop(key, true);
    }
    for (const c of this.owned.values()) {
      c.closed = closed;
      if (!this.opts.metrics || now - (this.lagReadAt.get(c) ?? -Infinity) < LAG_EVERY_MS) continue;
      this.lagReadAt.set(c, now);
      this.opts.metrics.lag(c.label, await c.lag());
    }
  }

  private begin(epoch: Epoch, partition: number): void {
    const key = keyOf(epoch.epoch, partition);
    const consumer = new PartitionConsumer({
      redis: this.opts.redis,
      keys: this.keys,
      log: this.log,
      verify: this.opts.verify,
      params: this.opts.params,
      metrics: this.opts.metrics,
      batch: this.opts.batch ?? 256,
      pending: (hunt) => this.ticker.schedule(hunt),
      movesFlushMs: this.opts.movesFlushMs ?? (() => DEFAULT_ROUTING.movesFlushMs),
      durability: this.opts.durability,
      epoch,
      partition,
    });
    this.owned.set(key, consumer);
    this.log.info({ partition: key }, 'partition acquired');
    consumer.done.then(
      async (how) => {
        if (how !== 'drained' || this.owned.get(key) !== consumer) return;
        this.owned.delete(key);
        await this.epochs.markDrained(epoch, partition);
        await releaseLease(this.opts.redis, this.keys.lease(epoch.epoch, partition), this.id);
        this.log.info({ partition: key }, 'partition drained; epoch closed for it');
      },
      async (err: unknown) => {
        if (consumer.stopping) return;
        // Give the partition up; a tick claims it again and resumes from the pending list.
        this.log.error({ err, partition: key }, 'partition consumer failed; releasing it');
        if (this.owned.get(key) === consumer) this.owned.delete(key);
        await releaseLease(this.opts.redis, this.keys.lease(epoch.epoch, partition), this.id).catch(() => undefined);
      },
    );
  }

  private async stop(key: string, release: boolean): Promise<void> {
    const c = this.owned.get(key);
    if (!c) return;
    c.stopping = true;
    await c.done.catch(() => undefined);
    this.owned.delete(key);
    if (release) await releaseLease(this.opts.redis, this.keys.lease(c.epoch.epoch, c.partition), this.id);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.timer);
      await this.ticking;
      // all at once: each waits for its blocked read (up to 500 ms) to come back
      for (const c of this.owned.values()) c.stopping = true;
      await Promise.all(
        [...this.owned.keys()].map((key) =>
          this.stop(key, true).catch((err: unknown) => this.log.warn({ err, partition: key }, 'partition stop failed')),
        ),
      );
      // deltas still waiting for their tick go out now, whatever the tick
      await this.ticker.close().catch(() => undefined);
      try {
        await this.opts.redis.zrem(this.keys.shards, this.id);
      } catch {
        // Redis may already be gone
      }
    })();
    return this.closing;
  }
}
