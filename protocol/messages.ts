/**
 * The wire contract of PROTOCOL.md as zod schemas (what crosses the edge inbound) and
 * TypeScript types (what the server sends). The server validates with these; the typed
 * client and the load bots build their messages from the same types. Client messages are
 * declared in `message-kinds.ts`, one entry per kind.
 */
import { z } from 'zod';

import { isWellFormed } from './input.js';
import type { AnyPuzzleType, Difficulty, HuntStatus } from './constants.js';
import {
  TEAM_NAME_MAX,
  TEAM_SIZE_MAX,
  type PlayerMessage,
  type SolvedMessage,
  type TeamMessage,
  type WelcomeTeam,
} from './field.js';
import { huntPuzzles, type PuzzleLocation } from './authored.js';

export * from './constants.js';

/** A string of at most `max` UTF-16 units that is well-formed Unicode (what Redis and Lua can hold). */
export function text(max: number): z.ZodString {
  return z.string().max(max).refine(isWellFormed, { message: 'must be well-formed Unicode (no lone surrogates)' });
}

const isoTime = z.iso.datetime({ offset: true });

/** A hunt takes this many players unless its `maxPlayers` says otherwise. */
export const DEFAULT_MAX_PLAYERS = 10_000;
/** Hunt settings of `POST /api/hunts` and `PATCH /api/hunts/:id` (a `null` passcode clears it). */
export const huntSettings = {
  maxPlayers: z.number().int().min(1).max(1_000_000).optional(),
  passcode: text(64).min(1).nullable().optional(),
  /** a team hunt: players join a team of at most `maxSize` (null: a hunt of single players) */
  teams: z
    .strictObject({ maxSize: z.number().int().min(1).max(TEAM_SIZE_MAX) })
    .nullable()
    .optional(),
};

export const createHuntBody = z
  .object({
    name: text(100).trim().min(1),
    ...huntSettings,
    /** generated specs and authored puzzles, in order */
    puzzles: huntPuzzles.optional(),
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
export const joinBody = z.object({
  name: text(32).trim().min(1),
  passcode: text(64).optional(),
  /** a team hunt: the name of a new team to create (its code comes back in the answer) */
  team: text(TEAM_NAME_MAX).trim().min(1).optional(),
  /** a team hunt: the code of the team to join */
  teamCode: text(16).trim().min(1).optional(),
});
export type JoinBody = z.infer<typeof joinBody>;
export const scheduleBody = z.strictObject({
  startsAt: isoTime.nullable().optional(),
  endsAt: isoTime.nullable().optional(),
  ...huntSettings,
});
export const eventsBody = z.object({ events: z.array(z.unknown()).min(1).max(1000) });
export const adjustBody = z.object({
  points: z.number().int().min(-1_000_000).max(1_000_000),
  reason: text(200).min(1),
});

/** A board entry: a player's, or in a team hunt a team's (`team` instead of `player`). */
export type LeaderboardEntry = { rank: number; name: string; score: number } & (
  { player: string; team?: never } | { team: string; player?: never }
);

export { entryId } from './board.js';
export type LeaderboardChange = {
  name: string;
  /** null when the player left the board (removed by the game master) */
  score: number | null;
  rank: number | null;
} & ({ player: string; team?: never } | { team: string; player?: never });
export interface PublicPuzzle {
  id: string;
  type: AnyPuzzleType;
  /** authored puzzles have none of their own: "medium" */
  difficulty: Difficulty;
  points: number;
  /** e.g. "3 · Cipher (hard)" for a generated puzzle */
  title?: string;
  /** the type's own data; for authored types `{text, options?}`; null while the puzzle is locked */
  prompt: unknown;
  solved: boolean;
  /** true while the player cannot open it (see `lockedBy`) */
  locked: boolean;
  /** why it is locked: a location not reached, `after` puzzles unsolved, or its opening time not come */
  lockedBy?: 'location' | 'after' | 'time';
  /** puzzles to solve first */
  after?: string[];
  /** epoch ms when it opens and closes, once the hunt is launched */
  opensAt?: number;
  closesAt?: number;
  /** true once its closing time has passed: answers are refused (PUZZLE_CLOSED) */
  closed?: boolean;
  /** a judged submission of this player waits for review */
  pending?: boolean;
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
      /** in a team hunt: the player's team */
      team?: WelcomeTeam;
    }
  | PlayerMessage
  | SolvedMessage
  | TeamMessage
  | { t: 'lb'; seq: number; ts: number; changes: LeaderboardChange[] }
  | { t: 'hunt'; status: HuntStatus }
  /** (v1.2) this player's (or team's) own standing when it changed, at most once a second: ZREVRANK + 1 at delta `seq` */
  | { t: 'you'; rank: number; score: number; seq: number }
  /** (extension) a game master changed this player's score: the change, why, and the new score */
  | { t: 'adjusted'; points: number; reason: string; score: number }
  | { t: 'result'; id: string; puzzle: string; correct: boolean; points: number; score: number; pending?: undefined }
  /** an answer to a `free` puzzle: a submission waiting for a game master */
  | {
      t: 'result';
      id: string;
      puzzle: string;
      pending: true;
      correct?: undefined;
      points?: undefined;
      score?: undefined;
    }
  /** a puzzle added, or opened for this player (its `after` solved, its time come) */
  | { t: 'puzzle'; puzzle: PublicPuzzle }
  | { t: 'closed'; puzzle: string }
  | { t: 'checkin'; puzzle: string; points: number; score: number }
  | { t: 'review'; puzzle: string; approved: boolean; points: number; score: number; reason?: string }
  | { t: 'hint'; id: string; puzzle: string; text: string; penalty: number }
  | { t: 'found'; puzzle: PublicPuzzle }
  | { t: 'pong'; id: string; ts: number }
  /** a `help` was taken (kept for the game masters) */
  | { t: 'ack'; id: string }
  /** a fresh player token for the same player and hunt; `expiresAt` in epoch ms */
  | { t: 'token'; id: string; token: string; expiresAt: number }
  | { t: 'error'; id?: string; code: string; message: string; retryAfterMs?: number };

export type LbDelta = Extract<ServerMessage, { t: 'lb' }>;
