/** Typed wrapper of join-player.lua: a turn's joins of one hunt in one call. */
import type { RedisClient } from '../redis/index.js';
import { HuntError, TEAMS_MAX, type ErrorCode } from '../protocol/index.js';
import type { Keys } from './keys.js';
import type { ScriptParams } from './params.js';
import { okValues, readReply } from './script-replies.js';
import { SCRIPTS } from './script-table.js';

/** How a join in a team hunt names its team: a new one (with its id and the codes it may get, the first not in use), or a code. */
export type TeamChoice =
  | { mode: 'new'; id: string; name: string; folded: string; codes: string[] }
  | { mode: 'code'; code: string }
  | { mode: '' };

/**
 * One join of a batch: the player, its record (JSON), its display name as names are compared
 * (see hunt-players.ts), its team, and the passcode given (null: none; undefined: not checked).
 */
export interface JoinRequest {
  player: string;
  record: string;
  folded: string;
  team: TeamChoice;
  passcode?: string | null | undefined;
}

/** A join's outcome: the player's team id ('' outside a team hunt), or the error code that refused it. */
export type JoinOutcome = { team: string } | { code: ErrorCode };

/** Most joins one join-player call takes. */
export const JOINS_MAX = 500;

/**
 * Joins players to a hunt in order, in one call (at most JOINS_MAX): the seq of the delta that
 * announced them (-1 when it waits for the fan-out tick) and each join's outcome; HUNT_NOT_FOUND
 * (thrown) when there is no such hunt. `maxPlayers`: the bound where the hunt sets none.
 */
export async function joinPlayers(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  joins: readonly JoinRequest[],
  now: number,
  params: ScriptParams,
  maxPlayers: number,
): Promise<{ seq: number; outcomes: JoinOutcome[] }> {
  const wire = joins.slice(0, JOINS_MAX).map((j) => ({
    p: j.player,
    rec: j.record,
    folded: j.folded,
    ...(j.passcode === undefined ? {} : { check: true, ...(j.passcode === null ? {} : { pass: j.passcode }) }),
    mode: j.team.mode,
    ...(j.team.mode === 'new'
      ? { tid: j.team.id, tname: j.team.name, tfolded: j.team.folded, tcodes: j.team.codes }
      : {}),
    ...(j.team.mode === 'code' ? { code: j.team.code } : {}),
  }));
  const [seq, ...each] = okValues(
    'join-player',
    await SCRIPTS.joinPlayer.run(redis, keys.hunt(hunt), [
      now,
      keys.huntChannel(hunt),
      JSON.stringify(params),
      maxPlayers,
      TEAMS_MAX,
      JSON.stringify(wire),
    ]),
  );
  if (typeof seq !== 'number' || each.length !== wire.length)
    throw new Error(
      `script join-player replied seq ${JSON.stringify(seq)} and ${each.length} outcomes for ${wire.length} joins`,
    );
  const outcomes = each.map((v): JoinOutcome => {
    const read = readReply('join-player', v);
    if (!read.ok) return { code: read.code };
    const [team] = read.values;
    if (typeof team !== 'string') throw new Error(`script join-player replied ${JSON.stringify(v)} for a join`);
    return { team };
  });
  return { seq, outcomes };
}

/** One join alone: the delta seq and the player's team id ('' outside a team hunt); a refusal is thrown as its HuntError. */
export async function joinPlayer(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  player: string,
  record: string,
  now: number,
  params: ScriptParams,
  folded: string,
  maxPlayers: number,
  team: TeamChoice = { mode: '' },
): Promise<{ seq: number; team: string }> {
  const { seq, outcomes } = await joinPlayers(
    redis,
    keys,
    hunt,
    [{ player, record, folded, team }],
    now,
    params,
    maxPlayers,
  );
  const out = outcomes[0];
  if (!out) throw new Error('script join-player replied no outcome');
  if ('code' in out) throw new HuntError(out.code);
  return { seq, team: out.team };
}
