/** The player app's state: the session (kept per hunt in localStorage) and what the server said. */
import type { HuntConnection, ConnectionState } from '../../connection.js';
import type { LeaderboardEntry, PublicPuzzle } from '../../../protocol/messages.js';
import type { PlayerMessage, WelcomeTeam } from '../../../protocol/field.js';
import { isRecord } from '../../../protocol/input.js';

export interface Session {
  hunt: string;
  player: string;
  token: string;
  name: string;
}

export const params = new URLSearchParams(location.search);

export interface PlayerState {
  session: Session | null;
  conn: HuntConnection | null;
  connState: ConnectionState;
  huntName: string;
  huntStatus: string;
  puzzles: PublicPuzzle[];
  board: Map<string, LeaderboardEntry>;
  you: { rank: number | null; score: number };
  selected: string;
  watchingLocation: boolean;
  /** a puzzle whose hint the player is asked to confirm (it costs points) */
  confirmingHint: string;
  /** what the game masters told this player (score adjustments), newest first, at most 20 */
  notices: { text: string; at: number }[];
  /** in a team hunt: the player's team, with its code to share */
  team: WelcomeTeam | null;
  /** the game masters' messages, oldest first (the last 50 kept) */
  messages: PlayerMessage[];
  /** messages not yet seen (the badge) */
  unread: number;
}

export const state: PlayerState = {
  session: null,
  conn: null,
  connState: 'closed',
  huntName: '',
  huntStatus: '',
  puzzles: [],
  board: new Map(),
  you: { rank: null, score: 0 },
  selected: '',
  watchingLocation: false,
  confirmingHint: '',
  notices: [],
  team: null,
  messages: [],
  unread: 0,
};

/** The hunt as the player sees it now: before the start, running, paused, or over. */
export type Phase = 'waiting' | 'live' | 'paused' | 'ended';

export function phase(): Phase {
  switch (state.huntStatus) {
    case 'live':
      return 'live';
    case 'paused':
      return 'paused';
    case 'ended':
    case 'failed':
      return 'ended';
    default:
      return 'waiting';
  }
}

/** The puzzle's number in the list and a title to tell it apart ("3 · Cipher (hard)"). */
export function puzzleTitle(p: { id: string; type: string; difficulty: string; title?: string }): string {
  if (p.title) return p.title;
  const n = state.puzzles.findIndex((x) => x.id === p.id) + 1;
  return `${n} · ${p.type[0]!.toUpperCase()}${p.type.slice(1)} (${p.difficulty})`;
}

function isSession(v: unknown): v is Session {
  return (
    isRecord(v) &&
    typeof v.hunt === 'string' &&
    typeof v.player === 'string' &&
    typeof v.token === 'string' &&
    typeof v.name === 'string'
  );
}

function storageKey(hunt: string): string {
  return `hunt-session:${hunt}`;
}

export function loadSession(hunt: string): Session | null {
  try {
    const raw = localStorage.getItem(storageKey(hunt));
    const v: unknown = raw ? JSON.parse(raw) : null;
    return isSession(v) ? v : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(storageKey(session.hunt), JSON.stringify(session));
}

export function forgetSession(hunt: string): void {
  localStorage.removeItem(storageKey(hunt));
}
