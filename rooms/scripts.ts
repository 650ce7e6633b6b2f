/**
 * Typed wrappers of the hunt's Lua scripts (`lua/*.lua`). Each script runs atomically in the
 * hunt's hash slot, so a score change, its idempotency record, the delta with the next `seq`
 * and the publish happen together or not at all. The keys a script takes are named in its
 * file and filled in from the one key table (`keys.ts`); every reply is checked, not cast.
 * The scripts are loaded in script-table.ts; the wrappers of the moves lane, of joins and of
 * welcomes have files of their own, gathered here.
 */
import type { RedisClient } from '../redis/index.js';
import { isStreamedType, type ErrorCode, type StreamedType } from '../protocol/index.js';
import type { Keys } from './keys.js';
import type { ScriptParams } from './params.js';
import { okInteger, okIntegers, okValues, readReply } from './script-replies.js';
import type { ApplyItem } from './move-scripts.js';
import { integer, leaseScripts, SCRIPTS, streamScripts } from './script-table.js';

export { SCRIPTS };
export * from './move-scripts.js';
export * from './join-scripts.js';
export * from './welcome-scripts.js';

export interface AnswersApplied {
  /** events applied, by kind (replies of repeated requests and refusals not counted) */
  applied: [StreamedType, number][];
  /** the delta's seq; 0 when none was formed, -1 when one waits for the fan-out tick */
  seq: number;
  dead: number;
}

export async function applyAnswers(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  items: readonly ApplyItem[],
  now: number,
  params: string,
): Promise<AnswersApplied> {
  const reply = await SCRIPTS.applyAnswers.run(redis, keys.hunt(hunt), [
    JSON.stringify(items),
    now,
    keys.huntChannel(hunt),
    params,
  ]);
  if (!Array.isArray(reply) || reply.length < 2 || reply.length % 2 !== 0)
    throw new Error(`script apply-answers replied ${JSON.stringify(reply)}`);
  const [seq, dead, ...pairs]: unknown[] = reply;
  const applied: [StreamedType, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const kind = pairs[i];
    const count = pairs[i + 1];
    if (!isStreamedType(kind) || typeof count !== 'number')
      throw new Error(`script apply-answers replied ${JSON.stringify(reply)}`);
    applied.push([kind, count]);
  }
  return { applied, seq: integer('apply-answers', seq), dead: integer('apply-answers', dead) };
}

/** Returns the seq emitted, 0 when nothing was pending, -1 when the tick has not passed. */
export async function flushDelta(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  now: number,
  params: string,
  force: boolean,
): Promise<number> {
  return integer(
    'flush-delta',
    await SCRIPTS.flushDelta.run(redis, keys.hunt(hunt), [now, keys.huntChannel(hunt), params, force ? '1' : '0']),
  );
}

/** Sets (or, with '', removes) fields of a hunt's meta; HUNT_NOT_FOUND when there is no such hunt. */
export async function setSettings(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  fields: Record<string, string>,
): Promise<void> {
  const reply = await SCRIPTS.setSettings.run(redis, keys.hunt(hunt), Object.entries(fields).flat());
  okValues('set-settings', reply);
}

/** Returns the player's new score and the delta seq (-1: waiting for the tick). */
export async function adjustScore(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  player: string,
  points: number,
  reason: string,
  now: number,
  params: ScriptParams,
): Promise<{ score: number; seq: number }> {
  const reply = await SCRIPTS.adjustScore.run(redis, keys.hunt(hunt), [
    player,
    points,
    reason,
    now,
    keys.huntChannel(hunt),
    JSON.stringify(params),
  ]);
  const [score = 0, seq = 0] = okIntegers('adjust-score', reply, 2);
  return { score, seq };
}

/** Returns the delta seq (-1: waiting for the tick). */
export async function removePlayer(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  player: string,
  now: number,
  params: ScriptParams,
): Promise<number> {
  const reply = await SCRIPTS.removePlayer.run(redis, keys.hunt(hunt), [
    player,
    now,
    keys.huntChannel(hunt),
    JSON.stringify(params),
  ]);
  return okInteger('remove-player', reply);
}

/** Compare-and-set on the status: `ok` with the new status, or not with the current one ('' when the hunt is gone). */
export async function transition(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  to: string,
  from: readonly string[],
  now: number,
): Promise<{ ok: boolean; status: string }> {
  const reply = await SCRIPTS.transition.run(redis, keys.hunt(hunt), [to, now, keys.huntChannel(hunt), ...from]);
  const read = readReply('transition', reply);
  const [status] = read.ok ? read.values : read.details;
  if (
    typeof status !== 'string' ||
    (!read.ok && read.code !== 'HUNT_NOT_FOUND' && read.code !== 'HUNT_INVALID_TRANSITION')
  )
    throw new Error(`script transition replied ${JSON.stringify(reply)}`);
  return { ok: read.ok, status };
}

/** A puzzle as the store scripts take it: JSON texts, and places as `lat,lng,radius` ('' for none). */
export interface StoredParts {
  id: string;
  public: string;
  solution: string;
  hints: string;
  /** locked until reached */
  location: string;
  /** a check-in's place: solved on arrival */
  checkin: string;
}

/** Returns how many puzzles of the hunt are stored. */
export async function storePuzzle(redis: RedisClient, keys: Keys, hunt: string, puzzle: StoredParts): Promise<number> {
  const reply = await SCRIPTS.storePuzzle.run(redis, keys.hunt(hunt), [
    puzzle.id,
    puzzle.public,
    puzzle.solution,
    puzzle.hints,
    keys.huntChannel(hunt),
    puzzle.location,
    puzzle.checkin,
  ]);
  return okInteger('store-puzzle', reply);
}

/** Adds, replaces or removes a puzzle; a refusal comes back as its error code and the hunt's status. */
export async function editPuzzle(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  mode: 'add' | 'put' | 'del',
  parts: StoredParts,
  sequence: string,
  def: string,
  now: number,
): Promise<{ ok: true } | { ok: false; code: ErrorCode; status: string }> {
  const reply = await SCRIPTS.editPuzzle.run(redis, keys.hunt(hunt), [
    mode,
    parts.id,
    parts.public,
    parts.solution,
    parts.hints,
    parts.location,
    parts.checkin,
    sequence,
    def,
    keys.huntChannel(hunt),
    now,
  ]);
  const read = readReply('edit-puzzle', reply);
  return read.ok ? { ok: true } : { ok: false, code: read.code, status: String(read.details[0] ?? '') };
}

/**
 * Tells the hunt's players that a puzzle opened (its `opensAfterS` came) or closed. Returns the
 * messages sent, 0 when the puzzle or hunt is gone, -1 when its time has not come yet.
 */
export async function openPuzzle(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  puzzle: string,
  action: 'open' | 'close',
  now: number,
): Promise<number> {
  return okInteger(
    'open-puzzle',
    await SCRIPTS.openPuzzle.run(redis, keys.hunt(hunt), [puzzle, action, keys.huntChannel(hunt), now]),
  );
}

export async function failGeneration(redis: RedisClient, keys: Keys, hunt: string, reason: string): Promise<boolean> {
  return (
    okInteger(
      'fail-generation',
      await SCRIPTS.failGeneration.run(redis, keys.hunt(hunt), [reason, keys.huntChannel(hunt)]),
    ) === 1
  );
}

/** Extends a lease this shard holds; false when it is no longer this shard's. */
export async function renewLease(redis: RedisClient, lease: string, holder: string, ms: number): Promise<boolean> {
  return okInteger('renew-lease', await leaseScripts.renew.run(redis, [lease], [holder, ms])) === 1;
}

export async function releaseLease(redis: RedisClient, lease: string, holder: string): Promise<boolean> {
  return okInteger('release-lease', await leaseScripts.release.run(redis, [lease], [holder])) === 1;
}

/** A consumer group's backlog on a stream: entries, not yet read (-1 unknown), read and not acknowledged. */
export interface StreamBacklog {
  /** -1 when the stream does not exist */
  length: number;
  lag: number;
  pending: number;
}

export async function streamBacklog(redis: RedisClient, stream: string, group: string): Promise<StreamBacklog> {
  const [length = -1, lag = -1, pending = 0] = okIntegers(
    'stream-backlog',
    await streamScripts.backlog.run(redis, [stream], [group]),
    3,
  );
  return { length, lag, pending };
}

/** Creates the group (and the stream) where missing; true when it was created now. */
export async function ensureStreamGroup(redis: RedisClient, stream: string, group: string): Promise<boolean> {
  return okInteger('stream-group', await streamScripts.group.run(redis, [stream], [group])) === 1;
}

/** How `send-message.lua` runs: deliver now, keep for later, or deliver a kept one that fell due. */
export type SendMode = 'now' | 'schedule' | 'due';

/** Returns false when a due message was no longer waiting (delivered already, or its hunt is gone). */
export async function sendMessage(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  m: {
    mode: SendMode;
    id: string;
    entry: string;
    wire: string;
    field: string;
    recipient: string;
    logMax: number;
    inboxMax: number;
    scheduledMax: number;
  },
): Promise<boolean> {
  const reply = await SCRIPTS.sendMessage.run(redis, keys.hunt(hunt), [
    m.mode,
    m.id,
    m.entry,
    m.wire,
    m.field,
    keys.huntChannel(hunt),
    m.logMax,
    m.inboxMax,
    m.scheduledMax,
    m.recipient,
  ]);
  return okInteger('send-message', reply) === 1;
}

/** Marks players online as of `now` (at most 1,000 a call); returns how many were marked. */
export async function markOnline(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  now: number,
  players: readonly string[],
): Promise<number> {
  return okInteger('mark-online', await SCRIPTS.markOnline.run(redis, keys.hunt(hunt), [now, ...players]));
}

/** One socket opened (registered) or closed (forgotten) across front nodes. */
export interface SocketChange {
  op: 'open' | 'close';
  player: string;
  socket: string;
}

/** Most socket changes one player-sockets call takes (3 arguments each). */
export const SOCKET_CHANGES_MAX = 1000;

/**
 * Registers (`open`) or forgets (`close`) players' sockets across front nodes, in order (at most
 * SOCKET_CHANGES_MAX); past `cap` per player, the oldest are dropped (published for their nodes
 * to close). Returns how many were dropped.
 */
export async function playerSockets(
  redis: RedisClient,
  keys: Keys,
  hunt: string,
  changes: readonly SocketChange[],
  cap: number,
): Promise<number> {
  const args: (string | number)[] = [cap, keys.huntChannel(hunt)];
  for (const c of changes.slice(0, SOCKET_CHANGES_MAX)) args.push(c.op, c.player, c.socket);
  return okInteger('player-sockets', await SCRIPTS.playerSockets.run(redis, keys.hunt(hunt), args));
}
