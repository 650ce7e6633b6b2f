/**
 * Joins per client address, counted in Redis so the bound holds however many front nodes the
 * joins are spread over: at most `limits.joinsPerMinutePerAddress` in a minute that opens with
 * an address's first join. Past it a join is refused with the time left in that minute. The
 * joins from one address in one turn of the event loop are counted in one call (a crowd behind
 * one address, a venue's Wi-Fi, joins in a burst), each at its own place in the count.
 */
import { loadScript, type RedisClient } from '../redis/index.js';
import type { Keys } from '../rooms/index.js';

const countWindow = loadScript(new URL('./lua/', import.meta.url), 'count-window');

export const JOIN_WINDOW_MS = 60_000;

interface Waiting {
  resolve: (retryAfterMs: number | null) => void;
  reject: (err: unknown) => void;
}

export class JoinLimiter {
  /** address -> joins waiting for the end of this turn */
  private pending = new Map<string, Waiting[]>();
  private tick: NodeJS.Immediate | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    /** the limit in force now */
    private readonly perMinute: () => number,
  ) {}

  /** Counts one join from `address`: null when it may go ahead, else the ms until it may. */
  take(address: string): Promise<number | null> {
    return new Promise((resolve, reject) => {
      let waiting = this.pending.get(address);
      if (!waiting) this.pending.set(address, (waiting = []));
      waiting.push({ resolve, reject });
      this.tick ??= setImmediate(() => this.count());
    });
  }

  private count(): void {
    this.tick = undefined;
    const batches = this.pending;
    this.pending = new Map();
    for (const [address, waiting] of batches) {
      countWindow.run(this.redis, [this.keys.joinRate(address)], [JOIN_WINDOW_MS, waiting.length]).then(
        (reply) => {
          if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
            const err = new Error(`script count-window replied ${JSON.stringify(reply)}`);
            for (const w of waiting) w.reject(err);
            return;
          }
          const [after, ttl] = reply;
          const limit = this.perMinute();
          // the joins of this turn take the places up to `after`, in the order they came
          waiting.forEach((w, i) => w.resolve(after - waiting.length + i + 1 > limit ? Math.max(1, ttl) : null));
        },
        (err: unknown) => {
          for (const w of waiting) w.reject(err);
        },
      );
    }
  }
}
