/**
 * Parsers for what the hunt keeps in Redis. Every value read from Redis enters TypeScript
 * through one of these (or a script reply check in `scripts.ts`): a value that does not have
 * the shape its writer promised is unreadable (null, or left out of a list), never cast into a
 * type it does not have. Objects are loose: fields added by newer writers pass through.
 */
import { z } from 'zod';
import { HUNT_STATUSES, isRecord, puzzleLocation, type HuntStatus, type LbDelta } from '../protocol/index.js';
import type { PublicRecord } from '../puzzles/index.js';

/** A stored puzzle as the hunt keeps it: the public part players see (puzzles stored before titles existed have none). */
export type StoredPuzzle = Omit<PublicRecord, 'title'> & { title?: string };

/** JSON text checked against `schema`; null when absent, not JSON, or not of that shape. */
export function readJson<T>(schema: z.ZodType<T>, raw: string | null | undefined): T | null {
  if (raw === null || raw === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** hash `players`: player id -> record; `team`: the player's team, in a team hunt */
export const playerRecord = z.looseObject({
  name: z.string(),
  joinedAt: z.number(),
  removed: z.boolean().optional(),
  team: z.string().optional(),
});
export type PlayerRecord = z.infer<typeof playerRecord>;

/**
 * hash `puzzles`: puzzle id -> public puzzle. Its `type` is checked to be a name; which names
 * exist is the puzzle registry's business (a puzzle of a type it does not know fails its check).
 */
export const storedPuzzle: z.ZodType<StoredPuzzle> = z.looseObject({
  id: z.string(),
  index: z.number(),
  type: z.custom<StoredPuzzle['type']>((v) => typeof v === 'string'),
  difficulty: z.custom<StoredPuzzle['difficulty']>((v) => typeof v === 'string'),
  points: z.number(),
  title: z.string().optional(),
  prompt: z.unknown(),
  location: puzzleLocation.optional(),
});

/** hash `solutions`: puzzle id -> the accepted answer and the type's own solution data */
export const storedSolution = z.looseObject({ answer: z.string(), solution: z.unknown() });

/** list `dead`: dead letters, newest first */
export const deadLetter = z.looseObject({
  player: z.string(),
  puzzle: z.string(),
  id: z.string(),
  reason: z.string(),
  at: z.number(),
});

/** list `log`: solves, hints and adjustments for the export; each has at least its time */
export const logEntry = z.looseObject({ at: z.number() });

/** The `status` field of a hunt's meta hash, or undefined when it is absent or not a status. */
export function huntStatus(raw: string | null | undefined): HuntStatus | undefined {
  return HUNT_STATUSES.find((s) => s === raw);
}

/**
 * A leaderboard delta as the hunt's scripts write it (list `deltas`, and the hunt channel):
 * its head is checked; its changes are the script's own entries, read on the fan-out's hot
 * path, so they are not checked one by one.
 */
export function isLbDelta(v: unknown): v is LbDelta {
  return (
    isRecord(v) &&
    v.t === 'lb' &&
    typeof v.seq === 'number' &&
    Number.isInteger(v.seq) &&
    typeof v.ts === 'number' &&
    Array.isArray(v.changes)
  );
}

/**
 * The replies of a MULTI ... EXEC, in order; an aborted transaction or a failed command is an
 * error naming `what`. Each reply is still unknown: check it with one of the parsers below.
 */
export function execReplies(out: [Error | null, unknown][] | null, what: string): unknown[] {
  if (!out) throw new Error(`${what}: the transaction was aborted`);
  const failed = out.find(([err]) => err);
  if (failed) throw new Error(`${what} failed: ${failed[0]?.message}`);
  return out.map(([, v]) => v);
}

/** A hash as HGETALL answers it: field -> value. */
export const stringHash = z.record(z.string(), z.string());
/** A list of members or fields. */
export const stringList = z.array(z.string());
