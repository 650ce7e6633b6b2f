/** The player app's state: the session (kept per hunt in localStorage) and what the server said. */
import type { HuntConnection, ConnectionState } from '../../connection.js';
import type { LeaderboardEntry, PublicPuzzle } from '../../../protocol/messages.js';
import type { PlayerMessage, WelcomeTeam } from '../../../protocol/field.js';

export interface Session {
  hunt: string;
  player: string;
  token: string;
  name: string;
}

export const params = new URLSearchParams(location.search);

export const state = {
  session: null as Session | null,
  conn: null as HuntConnection | null,
  connState: 'closed' as ConnectionState,
  huntName: '',
  huntStatus: '',
  puzzles: [] as PublicPuzzle[],
  board: new Map<string, LeaderboardEntry>(),
  you: { rank: null as number | null, score: 0 },
  selected: '' as string,
  watchingLocation: false,
  /** a puzzle whose hint the player is asked to confirm (it costs points) */
  confirmingHint: '' as string,
  /** what the game masters told this player (score adjustments), newest first, at most 20 */
  notices: [] as { text: string; at: number }[],
  /** in a team hunt: the player's team, with its code to share */
  team: null as WelcomeTeam | null,
  /** the game masters' messages, oldest first (the last 50 kept) */
  messages: [] as PlayerMessage[],
  /** messages not yet seen (the badge) */
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

function storageKey(hunt: string): string {
  return `hunt-session:${hunt}`;
}

export function loadSession(hunt: string): Session | null {
  try {
    const raw = localStorage.getItem(storageKey(hunt));
    return raw ? (JSON.parse(raw) as Session) : null;
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
