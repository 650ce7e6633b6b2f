/**
 * The hunt's records as Redis holds them, and the small readers every part of the store shares.
 * A record that cannot be read is left out (or reads as empty) rather than failing a whole view.
 */
import { randomBytes } from 'node:crypto';
import type { AnyPuzzleType, Difficulty, HuntStatus, LeaderboardEntry, PlayerMessage, PublicPuzzle, PuzzleLocation } from '../protocol/index.js';
import type { PublicRecord } from '../puzzles/index.js';
import { decodeScore } from './score.js';


/** A stored puzzle as the hunt keeps it: the public part players see (puzzles stored before titles existed have none). */
export type StoredPuzzle = Omit<PublicRecord, 'title'> & { title?: string };

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
  owner: string;
}

export interface PlayerRecord {
  name: string;
  joinedAt: number;
  removed?: boolean;
  /** the player's team, in a team hunt */
  team?: string;
}

export interface WelcomeState {
  hunt: { id: string; name: string; status: HuntStatus };
  seq: number;
  puzzles: PublicPuzzle[];
  leaderboard: LeaderboardEntry[];
  you: { rank: number | null; score: number };
  /** the last messages this player may see, oldest first */
  messages: PlayerMessage[];
}


export function newId(bytes = 6): string {
  return randomBytes(bytes).toString('base64url').replace(/[-_]/g, 'x');
}

export function isoOrNull(ms: string | undefined): string | null {
  return ms ? new Date(Number(ms)).toISOString() : null;
}

/** A stored puzzle, or nothing when its record is unreadable (it is left out rather than failing the view). */
export function readPuzzle(raw: string): StoredPuzzle[] {
  try {
    const p = JSON.parse(raw) as StoredPuzzle;
    return typeof p === 'object' && p !== null && typeof p.id === 'string' ? [p] : [];
  } catch {
    return [];
  }
}

export function parseJson<T>(raw: string | null | undefined): T | null {
  return raw == null ? null : (JSON.parse(raw) as T);
}

export function toEntries(flat: string[], names: Map<string, string>): LeaderboardEntry[] {
  const entries: LeaderboardEntry[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const player = flat[i] as string;
    entries.push({ rank: i / 2 + 1, player, name: names.get(player) ?? '', score: decodeScore(flat[i + 1] as string) });
  }
  return entries;
}

