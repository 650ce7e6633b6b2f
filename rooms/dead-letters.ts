/**
 * Poison in a partition: events set aside before any script runs (no kind accepts them), and
 * events a script refuses, found by isolating them in bounded tries. Each becomes a dead
 * letter: listed in the hunt's `dead` list, counted, and its request answered
 * EVENT_UNPROCESSABLE, while the rest of the partition goes on.
 */
import type { Logger } from 'pino';
import { isReplyError, type RedisClient } from '../redis/index.js';
import { stringField } from './events.js';
import type { Keys } from './keys.js';
import type { ApplyItem } from './scripts.js';
import type { Split } from './stream-entries.js';

export interface DeadLettersDeps {
  redis: RedisClient;
  keys: Keys;
  log: Logger;
  stream: string;
  /** a stream event set aside */
  counted?: (() => void) | undefined;
}

export class DeadLetters {
  constructor(private readonly deps: DeadLettersDeps) {}

  /** Sets aside the events of a read batch that no kind accepts. */
  async setAside(poison: Split['poison']): Promise<void> {
    for (const p of poison) {
      if (p.hunt) await this.record(p.hunt, p.node, p.ev, p.reason);
      else {
        this.deps.counted?.();
        this.deps.log.error(
          { stream: this.deps.stream, reason: p.reason },
          'stream event without a readable hunt set aside',
        );
      }
    }
  }

  /**
   * Applies one hunt's items with `apply`; when the script refuses them (a poison event: Redis
   * replied with an error), finds the culprit in bounded tries: each item alone, then each
   * event of a failing item alone. What still fails becomes a dead letter and the rest goes
   * on. Errors that are not the script's (a lost connection) propagate, so the entry is read
   * again later.
   */
  async isolating(hunt: string, items: ApplyItem[], apply: (items: ApplyItem[]) => Promise<void>): Promise<void> {
    try {
      return await apply(items);
    } catch (err) {
      if (!isReplyError(err)) throw err;
      this.deps.log.warn(
        { err: err.message, hunt, stream: this.deps.stream, items: items.length },
        'apply refused; isolating the poison event',
      );
    }
    for (const item of items) {
      try {
        await apply([item]);
        continue;
      } catch (err) {
        if (!isReplyError(err)) throw err;
      }
      for (const [k, ev] of item.ev.entries()) {
        try {
          await apply([{ sid: `${item.sid}-${k}`, n: item.n, ev: [ev] }]);
        } catch (err) {
          if (!isReplyError(err)) throw err;
          await this.record(hunt, item.n, ev, err.message);
        }
      }
      // closes the entry's fence past its last event
      await apply([{ sid: item.sid, n: item.n, ev: [] }]);
    }
  }

  /** Sets one event aside: listed in the hunt's dead letters, counted, and its request answered. */
  async record(hunt: string, node: string, ev: unknown, reason: string): Promise<void> {
    const { redis, keys } = this.deps;
    const k = keys.hunt(hunt);
    const player = stringField(ev, 'p') ?? '';
    const id = stringField(ev, 'id');
    this.deps.counted?.();
    this.deps.log.error({ hunt, player, stream: this.deps.stream, reason }, 'stream event set aside as a dead letter');
    if ((await redis.exists(k.meta)) === 0) return; // no such hunt: nothing to record it in, nobody to tell
    // JSON.stringify escapes what cjson could not read, so the record itself is always storable
    const record = JSON.stringify({
      player,
      puzzle: stringField(ev, 'puzzle') ?? '',
      id: id ?? '',
      kind: stringField(ev, 'k') ?? '',
      reason: `stream event: ${reason.slice(0, 200)}`,
      at: Date.now(),
    });
    await redis.multi().lpush(k.dead, record).ltrim(k.dead, 0, 99).hincrby(k.meta, 'deadLetters', 1).exec();
    if (player && node) {
      const msg = { t: 'error', ...(id === undefined ? {} : { id }), code: 'EVENT_UNPROCESSABLE' };
      await redis.spublish(keys.huntChannel(hunt), JSON.stringify({ t: 'reply', p: player, m: msg }));
    }
  }
}
