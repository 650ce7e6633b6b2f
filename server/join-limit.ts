/**
 * Joins per client address, counted in Redis so the bound holds however many front nodes the
 * joins are spread over: at most `limits.joinsPerMinutePerAddress` in a minute that opens with
 * an address's first join. Past it a join is refused with the time left in that minute.
 */
import { loadScript, type RedisClient } from '../redis/index.js';
import type { Keys } from '../rooms/index.js';

const countWindow = loadScript(new URL('./lua/', import.meta.url), 'count-window');

export const JOIN_WINDOW_MS = 60_000;

export class JoinLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    /** the limit in force now */
    private readonly perMinute: () => number,
  ) {}

  /** Counts one join from `address`: null when it may go ahead, else the ms until it may. */
  async take(address: string): Promise<number | null> {
    const reply = await countWindow.run(this.redis, [this.keys.joinRate(address)], [JOIN_WINDOW_MS]);
    if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number')
      throw new Error(`script count-window replied ${JSON.stringify(reply)}`);
    return reply[0] > this.perMinute() ? Math.max(1, reply[1]) : null;
  }
}
