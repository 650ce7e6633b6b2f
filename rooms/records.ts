/**
 * The hunt's records as Redis holds them, and the small readers every part of the store shares.
 * A record that cannot be read is left out (or reads as empty) rather than failing a whole view.
 */
import { randomBytes } from 'node:crypto';
import type {
  Difficulty,
  HuntStatus,
  LeaderboardEntry,
  PlayerMessage,
  PublicPuzzle,
  WelcomeTeam,
  PuzzleLocation,
  AnyPuzzleType,
} from '../protocol/index.js';
import { isRecord } from '../protocol/index.js';
import { decodeScore } from './score.js';
import { playerRecord, readJson, storedPuzzle, type PlayerRecord, type StoredPuzzle } from './stored.js';

export type { PlayerRecord, StoredPuzzle } from './stored.js';

export interface HuntView {
  id: string;
  name: string;
  status: HuntStatus;
  createdAt: string;
  launchedAt: string | null;
  endedAt: string | null;
  failure?: string;
  seq: number;
  generation: { done: number; total: number };
  puzzles: {
    id: string;
    type: AnyPuzzleType;
    difficulty: Difficulty;
    points: number;
    title?: string;
    location?: PuzzleLocation;
    after?: string[];
    opensAfterS?: number;
    closesAfterS?: number;
  }[];
  /** judged submissions waiting for review */
  pendingSubmissions: number;
  players: number;
  /** answers whose verification failed for good, newest first (at most 100 kept) */
  deadLetters: { count: number; recent: { player: string; puzzle: string; id: string; reason: string; at: string }[] };
  schedule: { startsAt: string | null; endsAt: string | null };
  /** players it takes (not counting removed ones) */
  maxPlayers: number;
  /** what a join must carry, null for none (this view is for game masters only) */
  passcode: string | null;
  /** the game-master account that created it, or 'admin' */
  /** a team hunt's team size, or null for a hunt of single players */
  teams: { maxSize: number } | null;
  owner: string;
}

export interface WelcomeState {
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

export function newId(bytes = 6): string {
  return randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x');
}

export function isoOrNull(ms: string | undefined): string | null {
  return ms ? new Date(Number(ms)).toISOString() : null;
}

/** A stored puzzle, or nothing when its record is unreadable (it is left out rather than failing the view). */
export function readPuzzle(raw: string): StoredPuzzle[] {
  const p = readJson(storedPuzzle, raw);
  return p ? [p] : [];
}

/** A player's record, or null when there is none (or it is unreadable). */
export function readPlayer(raw: string | null | undefined): PlayerRecord | null {
  return readJson(playerRecord, raw);
}

/** Board entries from a flat [id, score, ...] list; ids in `teams` are teams' (a team hunt). */
export function toEntries(
  flat: string[],
  names: Map<string, string>,
  teams: ReadonlySet<string> = new Set(),
): LeaderboardEntry[] {
  const entries: LeaderboardEntry[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const id = flat[i]!;
    const common = { rank: i / 2 + 1, name: names.get(id) ?? '', score: decodeScore(flat[i + 1]!) };
    entries.push(teams.has(id) ? { ...common, team: id } : { ...common, player: id });
  }
  return entries;
}

/** A record of the board's names: a player's, or a team's (which has a `code`). */
export function boardName(raw: string | null | undefined): { name: string; team: boolean } {
  try {
    const r: unknown = raw == null ? null : JSON.parse(raw);
    if (!isRecord(r)) return { name: '', team: false };
    return { name: typeof r.name === 'string' ? r.name : '', team: typeof r.code === 'string' };
  } catch {
    return { name: '', team: false };
  }
}
