/**
 * The wire contract of PROTOCOL.md as zod schemas (what crosses the edge inbound) and
 * TypeScript types (what the server sends). The server validates with these; the typed
 * client and the load bots build their messages from the same types. Client messages are
 * declared in `message-kinds.ts`, one entry per kind.
 */
import { z } from 'zod';

import { isWellFormed } from './input.js';
import { DIFFICULTIES, PUZZLE_TYPES, type Difficulty, type HuntStatus, type PuzzleType } from './constants.js';
import type { PlayerMessage } from './field.js';

export * from './constants.js';

/** A string of at most `max` UTF-16 units that is well-formed Unicode (what Redis and Lua can hold). */
export function text(max: number): z.ZodString {
  return z.string().max(max).refine(isWellFormed, { message: 'must be well-formed Unicode (no lone surrogates)' });
}

export const puzzleLocation = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  /** metres */
  radius: z.number().positive().max(100_000),
});
export type PuzzleLocation = z.infer<typeof puzzleLocation>;
export const puzzleSpec = z.object({
  type: z.enum(PUZZLE_TYPES),
  difficulty: z.enum(DIFFICULTIES),
  /** when set, the puzzle stays locked (no prompt) until a `move` brings the player within `radius` */
  location: puzzleLocation.optional(),
});
export type PuzzleSpec = z.infer<typeof puzzleSpec>;

const isoTime = z.iso.datetime({ offset: true });

/** A hunt takes this many players unless its `maxPlayers` says otherwise. */
export const DEFAULT_MAX_PLAYERS = 10_000;
/** Hunt settings of `POST /api/hunts` and `PATCH /api/hunts/:id` (a `null` passcode clears it). */
export const huntSettings = {
  maxPlayers: z.number().int().min(1).max(1_000_000).optional(),
  passcode: text(64).min(1).nullable().optional(),
};

export const createHuntBody = z
  .object({
    name: text(100).trim().min(1),
    ...huntSettings,
    puzzles: z.array(puzzleSpec).min(1).max(200).optional(),
    template: text(64).min(1).optional(),
    seed: z.union([text(64), z.number().int()]).optional(),
    startsAt: isoTime.nullable().optional(),
    endsAt: isoTime.nullable().optional(),
  })
  .refine((b) => (b.puzzles === undefined) !== (b.template === undefined), {
    message: 'give exactly one of "puzzles" and "template"',
  });
export type CreateHuntBody = z.infer<typeof createHuntBody>;

/** A join: fields this server does not know are dropped, not refused (teams add theirs here). */
export const joinBody = z.object({ name: text(32).trim().min(1), passcode: text(64).optional() });
export type JoinBody = z.infer<typeof joinBody>;
export const scheduleBody = z.strictObject({ startsAt: isoTime.nullable().optional(), endsAt: isoTime.nullable().optional(), ...huntSettings });
export const eventsBody = z.object({ events: z.array(z.unknown()).min(1).max(1000) });
export const adjustBody = z.object({ points: z.number().int().min(-1_000_000).max(1_000_000), reason: text(200).min(1) });

export interface LeaderboardEntry {
  rank: number;
  player: string;
  name: string;
  score: number;
}
export interface LeaderboardChange {
  player: string;
  name: string;
  /** null when the player left the board (removed by the game master) */
  score: number | null;
  rank: number | null;
}
export interface PublicPuzzle {
  id: string;
  type: PuzzleType;
  difficulty: Difficulty;
  points: number;
  /** null while the puzzle is locked */
  prompt: unknown;
  solved: boolean;
  /** true until the player reaches the puzzle's location */
  locked: boolean;
  location?: PuzzleLocation;
  /** points one hint costs now */
  hintCost?: number;
  /** (v1.2) the texts of the hints this player already paid for, in order */
  hints?: string[];
  /** hints still to take here */
  hintsLeft?: number;
  /** (v1.2) once solved: the answer that was accepted */
  answer?: string;
}

export type ServerMessage =
  | {
      t: 'welcome';
      player: { id: string; name: string };
      hunt: { id: string; name: string; status: HuntStatus };
      seq: number;
      puzzles: PublicPuzzle[];
      leaderboard: LeaderboardEntry[];
      you: { rank: number | null; score: number };
      /** the last messages this player may see, oldest first */
      messages: PlayerMessage[];
    }
  | PlayerMessage
  | { t: 'lb'; seq: number; ts: number; changes: LeaderboardChange[] }
  | { t: 'hunt'; status: HuntStatus }
  /** (extension) a game master changed this player's score: the change, why, and the new score */
  | { t: 'adjusted'; points: number; reason: string; score: number }
  | { t: 'result'; id: string; puzzle: string; correct: boolean; points: number; score: number }
  | { t: 'hint'; id: string; puzzle: string; text: string; penalty: number }
  | { t: 'found'; puzzle: PublicPuzzle }
  | { t: 'pong'; id: string; ts: number }
  /** a `help` was taken (kept for the game masters) */
  | { t: 'ack'; id: string }
  /** a fresh player token for the same player and hunt; `expiresAt` in epoch ms */
  | { t: 'token'; id: string; token: string; expiresAt: number }
  | { t: 'error'; id?: string; code: string; message: string; retryAfterMs?: number };

export type LbDelta = Extract<ServerMessage, { t: 'lb' }>;
