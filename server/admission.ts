/**
 * Load shedding at a front node. A node that cannot keep up refuses new events with
 * OVERLOADED (and a retry hint) instead of queueing without bound, when any of these is past
 * its limit (the `limits` config): events accepted but not yet written to Redis; events
 * written but not yet applied by the shards (the consumer-group backlog of the partitions it
 * writes, polled); its own event-loop delay. Pings are never refused, and nothing already
 * accepted is dropped.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { LimitsConfig } from '../config/index.js';
import { STREAM_GROUP } from '../rooms/index.js';
import type { LoopLag } from './loop-lag.js';
import type { EventRouter } from './router.js';

export class Admission {
  private backlogEntries = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly redis: Redis,
    private readonly router: EventRouter,
    private readonly lag: LoopLag,
    private readonly limits: () => LimitsConfig,
    private readonly log: Logger,
    private readonly pollMs = 100,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Events written to this node's partitions and not yet applied, as of the last poll. */
  get backlogEvents(): number {
    return Math.round(this.backlogEntries * this.router.eventsPerEntry);
  }

  /** null when a new event may be taken now; else how long the sender should wait, ms. */
  refuse(): number | null {
    const l = this.limits();
    if (this.router.queued > l.maxQueuedEvents) return 100;
    if (this.lag.current > l.maxLoopLagMs) return Math.min(2000, Math.max(100, Math.round(this.lag.current * 2)));
    const backlog = this.backlogEvents;
    // a hint, not a promise: about the time a shard needs for the backlog at 50,000 events/s
    if (backlog > l.maxBacklogEvents) return Math.min(5000, Math.max(100, Math.round(backlog / 50)));
    return null;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      let entries = 0;
      for (const stream of this.router.streams()) {
        // XINFO is sent on its own (not auto-pipelined): it has no key position for a cluster to route by
        const groups = (await this.redis.call('XINFO', 'GROUPS', stream).catch(() => [])) as unknown[];
        let found = false;
        for (const g of groups) {
          if (!Array.isArray(g)) continue;
          const fields = new Map<string, unknown>();
          for (let i = 0; i + 1 < g.length; i += 2) fields.set(String(g[i]), g[i + 1]);
          if (fields.get('name') !== STREAM_GROUP) continue;
          found = true;
          entries += Number(fields.get('lag') ?? 0) + Number(fields.get('pending') ?? 0);
        }
        // no shard has read this stream yet: all of it waits
        if (!found) entries += await this.redis.xlen(stream);
      }
      this.backlogEntries = entries;
    } catch (err) {
      this.log.debug({ err }, 'backlog poll failed');
    } finally {
      this.polling = false;
    }
  }
}
