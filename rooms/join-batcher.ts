/**
 * Joins of one hunt that arrive in the same turn of the event loop go to Redis together: one
 * join-player call per hunt and turn (at most JOINS_MAX joins), so a burst of 2,000 joins costs
 * a handful of script calls, not 2,000, and no join waits beyond the end of its own turn.
 */
import type { RedisClient } from '../redis/index.js';
import type { DeltaTicker } from './delta-ticker.js';
import type { Keys } from './keys.js';
import type { ScriptParams } from './params.js';
import { joinPlayers, JOINS_MAX, type JoinOutcome, type JoinRequest } from './scripts.js';
import { DEFAULT_MAX_PLAYERS } from '../protocol/index.js';

interface Waiting {
  req: JoinRequest;
  resolve: (outcome: JoinOutcome) => void;
  reject: (err: unknown) => void;
}

/** What a JoinBatcher is built from. */
export interface JoinBatcherDeps {
  redis: RedisClient;
  keys: Keys;
  params: () => ScriptParams;
  ticker: DeltaTicker;
}

export class JoinBatcher {
  /** hunt -> joins waiting for the end of this turn, in arrival order */
  private pending = new Map<string, Waiting[]>();
  private tick: NodeJS.Immediate | undefined;

  private readonly redis: RedisClient;
  private readonly keys: Keys;
  private readonly params: () => ScriptParams;
  private readonly ticker: DeltaTicker;

  constructor(deps: JoinBatcherDeps) {
    this.redis = deps.redis;
    this.keys = deps.keys;
    this.params = deps.params;
    this.ticker = deps.ticker;
  }

  /** One join, sent with the others of its hunt at the end of this turn; HUNT_NOT_FOUND (thrown) when there is no such hunt. */
  join(hunt: string, req: JoinRequest): Promise<JoinOutcome> {
    return new Promise((resolve, reject) => {
      let waiting = this.pending.get(hunt);
      if (!waiting) this.pending.set(hunt, (waiting = []));
      waiting.push({ req, resolve, reject });
      this.tick ??= setImmediate(() => this.send());
    });
  }

  private send(): void {
    this.tick = undefined;
    const batches = this.pending;
    this.pending = new Map();
    const params = this.params();
    for (const [hunt, waiting] of batches) {
      for (let i = 0; i < waiting.length; i += JOINS_MAX) {
        const part = waiting.slice(i, i + JOINS_MAX);
        joinPlayers(
          this.redis,
          this.keys,
          hunt,
          part.map((w) => w.req),
          Date.now(),
          params,
          DEFAULT_MAX_PLAYERS,
        ).then(
          ({ seq, outcomes }) => {
            this.ticker.note(hunt, seq);
            part.forEach((w, k) => {
              const outcome = outcomes[k];
              if (outcome) w.resolve(outcome);
              else w.reject(new Error(`join-player gave no outcome for join ${k} of ${part.length}`));
            });
          },
          (err: unknown) => {
            for (const w of part) w.reject(err);
          },
        );
      }
    }
  }
}
