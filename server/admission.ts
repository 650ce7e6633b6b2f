/**
 * Load shedding at a front node. A node that cannot keep up refuses new events with
 * OVERLOADED (and a retry hint) instead of queueing without bound, when any of these is past
 * its limit (the `limits` config): events accepted but not yet written to Redis; events
 * written but not yet applied by the shards (the consumer-group backlog of the partitions it
 * writes, polled); its own event-loop delay. Pings are never refused, and nothing already
 * accepted is dropped.
 *
 * Fairness: past a limit but under HARD_FACTOR times it, only the heaviest senders (players or
 * addresses that sent well above their group's mean lately, see senders.ts) are refused, so one
 * client's flood does not get everyone else OVERLOADED; past HARD_FACTOR times a limit, every
 * sender is.
 */
import type { RedisClient } from '../redis/index.js';
import type { Logger } from 'pino';
import type { LimitsConfig } from '../config/index.js';
import { STREAM_GROUP, streamBacklog } from '../rooms/index.js';
import type { LoopLag } from './loop-lag.js';
import type { EventRouter } from './router.js';
import { isHeavy, type From } from './senders.js';

/** The limits a node sheds load at: events it holds, events its shards have not applied, its event-loop delay. */
export type ShedCause = 'queued' | 'backlog' | 'lag';

/** Past this many times a limit, every sender is refused, not only the heaviest. */
export const HARD_FACTOR = 2;

/** A stream this node has not written to for this long, and whose backlog it last saw empty, is not polled. */
const QUIET_MS = 5000;

/** What an Admission is built from. */
export interface AdmissionDeps {
  redis: RedisClient;
  router: EventRouter;
  lag: LoopLag;
  limits: () => LimitsConfig;
  log: Logger;
  /** how often the streams' backlogs are polled, ms; @default 100 */
  pollMs?: number;
  /** a stream this node has not written to for this long, its backlog last seen empty, is not polled, ms; @default 5000 */
  quietMs?: number;
}

export class Admission {
  /** entries not yet applied, by stream, as of the last poll of each (streams seen empty and not written to are left out) */
  private readonly backlogOf = new Map<string, number>();
  /** their sum (read on every frame while shedding) */
  private backlogEntries = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  private readonly redis: RedisClient;
  private readonly router: EventRouter;
  private readonly lag: LoopLag;
  private readonly limits: () => LimitsConfig;
  private readonly log: Logger;
  private readonly pollMs: number;
  private readonly quietMs: number;

  constructor(deps: AdmissionDeps) {
    this.redis = deps.redis;
    this.router = deps.router;
    this.lag = deps.lag;
    this.limits = deps.limits;
    this.log = deps.log;
    this.pollMs = deps.pollMs ?? 100;
    this.quietMs = deps.quietMs ?? QUIET_MS;
  }

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

  /** Streams polled at the last poll: those written to lately or last seen with a backlog. */
  get watched(): number {
    return this.backlogOf.size;
  }

  /**
   * null when a new event may be taken now; else how long the sender should wait, ms. `from`:
   * who sends it; without it, the event is refused at any limit.
   */
  refuse(from?: From): number | null {
    const l = this.limits();
    // no closures or objects: this runs for every frame
    const queued = this.router.queued / l.maxQueuedEvents;
    const lag = this.lag.current / l.maxLoopLagMs;
    const backlog = this.backlogEvents;
    const waiting = backlog / l.maxBacklogEvents;
    const worst = Math.max(queued, lag, waiting);
    if (worst <= 1) return null;
    if (from !== undefined && worst < HARD_FACTOR && !isHeavy(from)) return null;
    if (worst === queued) return 100;
    if (worst === lag) return Math.min(2000, Math.max(100, Math.round(this.lag.current * 2)));
    // a hint, not a promise: about the time a shard needs for the backlog at 50,000 events/s
    return Math.min(5000, Math.max(100, Math.round(backlog / 50)));
  }

  /**
   * The limit furthest past now ('queued', 'backlog' or 'lag'): why an event refused now was
   * refused, for `hunt_events_shed_cause_total`.
   */
  cause(): ShedCause {
    const l = this.limits();
    const queued = this.router.queued / l.maxQueuedEvents;
    const lag = this.lag.current / l.maxLoopLagMs;
    const waiting = this.backlogEvents / l.maxBacklogEvents;
    if (lag >= queued && lag >= waiting) return 'lag';
    return queued >= waiting ? 'queued' : 'backlog';
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      // the partitions this node writes to, or saw a backlog in: an idle node or partition costs
      // no script call every poll (8 partitions polled every 100 ms were most of an idle node's
      // Redis calls); a node refusing everything keeps polling what it saw waiting
      const streams = this.router
        .streams()
        .filter((s) => this.router.wroteWithin(s, this.quietMs) || (this.backlogOf.get(s) ?? 0) > 0);
      // all at once: the reads are in flight together, not one round trip after another
      const backlogs = await Promise.all(streams.map((stream) => streamBacklog(this.redis, stream, STREAM_GROUP)));
      this.backlogOf.clear();
      this.backlogEntries = 0;
      // a group no shard has created yet (lag -1 on a fresh group too): all of the stream waits
      streams.forEach((stream, i) => {
        const b = backlogs[i]!;
        const entries = b.length <= 0 ? 0 : b.lag < 0 ? b.length : b.lag + b.pending;
        this.backlogOf.set(stream, entries);
        this.backlogEntries += entries;
      });
    } catch (err) {
      this.log.debug({ err }, 'backlog poll failed');
    } finally {
      this.polling = false;
    }
  }
}
