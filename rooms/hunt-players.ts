/** A hunt's players: join, read, adjust and remove. Board changes wait for their tick in one delta. */
import type { RedisClient } from '../redis/index.js';
import type { DeltaTicker } from './delta-ticker.js';
import type { Keys } from './keys.js';
import type { ScriptParams } from './params.js';
import { newId, readPlayer, type PlayerRecord } from './records.js';
import { adjustScore, joinPlayer, removePlayer } from './scripts.js';
import { DEFAULT_MAX_PLAYERS } from '../protocol/index.js';

/**
 * A display name as names are compared for uniqueness: compatibility forms folded (NFKC: full-width
 * letters, ligatures), case dropped, runs of spaces as one. A removed player keeps its name.
 */
export function foldName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export class HuntPlayers {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly params: () => ScriptParams,
    private readonly ticker: DeltaTicker,
  ) {}

  /** Throws HUNT_NOT_FOUND, HUNT_ENDED, HUNT_FULL or NAME_TAKEN. */
  async join(id: string, name: string): Promise<string> {
    const player = newId();
    const record: PlayerRecord = { name, joinedAt: Date.now() };
    this.ticker.note(id, await joinPlayer(this.redis, this.keys, id, player, JSON.stringify(record), Date.now(), this.params(), foldName(name), DEFAULT_MAX_PLAYERS));
    return player;
  }

  async get(id: string, player: string): Promise<PlayerRecord | null> {
    return readPlayer(await this.redis.hget(this.keys.hunt(id).players, player));
  }

  async adjust(id: string, player: string, points: number, reason: string): Promise<number> {
    const { score, seq } = await adjustScore(this.redis, this.keys, id, player, points, reason, Date.now(), this.params());
    this.ticker.note(id, seq);
    return score;
  }

  async remove(id: string, player: string): Promise<void> {
    this.ticker.note(id, await removePlayer(this.redis, this.keys, id, player, Date.now(), this.params()));
  }

  /** The top of the board and the seq it reflects, read atomically. */}
