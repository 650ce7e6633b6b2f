/** A hunt's players: join, read, adjust and remove. Board changes wait for their tick in one delta. */
import type { RedisClient } from '../redis/index.js';
import type { DeltaTicker } from './delta-ticker.js';
import type { Keys } from './keys.js';
import type { ScriptParams } from './params.js';
import { newId, readPlayer, type PlayerRecord } from './records.js';
import { adjustScore, removePlayer, type TeamChoice } from './scripts.js';
import { JoinBatcher } from './join-batcher.js';
import { HuntError } from '../protocol/index.js';
import { newTeamCode } from './hunt-teams.js';

/** How a join names its team in a team hunt (ignored in a hunt of single players). */
export interface JoinTeam {
  /** a new team's name */
  create?: string | undefined;
  /** an existing team's code */
  code?: string | undefined;
}

/** Team codes a new team is offered, the first not in use taken, before its join gives up (a collision is one in 10^9). */
const CODE_TRIES = 5;

/**
 * A display name as names are compared for uniqueness: compatibility forms folded (NFKC: full-width
 * letters, ligatures), case dropped, runs of spaces as one. A removed player keeps its name.
 */
export function foldName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** What a HuntPlayers is built from. */
export interface HuntPlayersDeps {
  redis: RedisClient;
  keys: Keys;
  params: () => ScriptParams;
  ticker: DeltaTicker;
}

export class HuntPlayers {
  private readonly batcher: JoinBatcher;

  private readonly redis: RedisClient;
  private readonly keys: Keys;
  private readonly params: () => ScriptParams;
  private readonly ticker: DeltaTicker;

  constructor(deps: HuntPlayersDeps) {
    this.redis = deps.redis;
    this.keys = deps.keys;
    this.params = deps.params;
    this.ticker = deps.ticker;
    this.batcher = new JoinBatcher(deps);
  }

  /**
   * Throws HUNT_NOT_FOUND, HUNT_ENDED, HUNT_FULL or NAME_TAKEN; where the hunt has a passcode,
   * PASSCODE_REQUIRED (`passcode` null) or PASSCODE_WRONG (undefined: a key that may run the
   * hunt, not checked); in a team hunt also TEAM_REQUIRED, TEAM_NOT_FOUND, TEAM_FULL or
   * TEAM_NAME_TAKEN. Returns the player's id and, in a team hunt, the team's id. Joins of one
   * hunt in the same turn share one script call (join-batcher.ts).
   */
  async join(
    id: string,
    name: string,
    team: JoinTeam = {},
    passcode?: string | null,
  ): Promise<{ player: string; team: string | null }> {
    const player = newId();
    const record: PlayerRecord = { name, joinedAt: Date.now() };
    const choice: TeamChoice =
      team.create !== undefined
        ? {
            mode: 'new',
            id: newId(),
            name: team.create,
            folded: foldName(team.create),
            codes: Array.from({ length: CODE_TRIES }, newTeamCode),
          }
        : team.code !== undefined
          ? { mode: 'code', code: team.code.toUpperCase() }
          : { mode: '' };
    const out = await this.batcher.join(id, {
      player,
      record: JSON.stringify(record),
      folded: foldName(name),
      team: choice,
      passcode,
    });
    if ('code' in out) throw new HuntError(out.code);
    return { player, team: out.team || null };
  }

  async get(id: string, player: string): Promise<PlayerRecord | null> {
    return readPlayer(await this.redis.hget(this.keys.hunt(id).players, player));
  }

  async adjust(id: string, player: string, points: number, reason: string): Promise<number> {
    const { score, seq } = await adjustScore(
      this.redis,
      this.keys,
      id,
      player,
      points,
      reason,
      Date.now(),
      this.params(),
    );
    this.ticker.note(id, seq);
    return score;
  }

  async remove(id: string, player: string): Promise<void> {
    this.ticker.note(id, await removePlayer(this.redis, this.keys, id, player, Date.now(), this.params()));
  }

  /** The top of the board and the seq it reflects, read atomically. */
}
