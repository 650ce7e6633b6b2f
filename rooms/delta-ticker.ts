/**
 * Emits the deltas that wait for their fan-out tick. Whoever changes a board (a shard applying
 * answers; a front node taking joins, departures and adjustments) marks the players dirty in
 * Redis; when the tick has not passed yet, the script answers -1 and the hunt is handed here,
 * and one flush per tick forms one delta for everything that changed in it.
 */
import type { Logger } from 'pino';
import type { RedisClient } from '../redis/index.js';
import type { Keys } from './keys.js';
import type { ScriptParams } from './params.js';
import { flushDelta } from './scripts.js';

export class DeltaTicker {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly params: () => ScriptParams,
    private readonly log: Logger,
    /** told of every delta this ticker formed */
    private readonly onDelta: () => void = () => undefined,
  ) {}

  /** Takes the result of a script that may have formed a delta: -1 means one waits for the tick. */
  note(hunt: string, seq: number): void {
    if (seq > 0) this.onDelta();
    if (seq === -1) this.schedule(hunt);
  }

  schedule(hunt: string): void {
    this.pending.add(hunt);
    if (this.timer || this.closed) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.flush(false);
      },
      Math.max(1, this.params().tickMs),
    );
  }

  /** Emits what waits (at once with `force`); a hunt stays pending until its delta went out. */
  async flush(force: boolean): Promise<void> {
    const hunts = [...this.pending];
    this.pending.clear();
    const params = JSON.stringify(this.params());
    await Promise.all(
      hunts.map(async (hunt) => {
        try {
          this.note(hunt, await flushDelta(this.redis, this.keys, hunt, Date.now(), params, force));
        } catch (err) {
          this.log.warn({ err, hunt }, 'delta flush failed; retrying next tick');
          if (!this.closed) this.schedule(hunt);
        }
      }),
    );
  }

  /** Sends what waits now, whatever the tick, and stops. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush(true);
  }
}
