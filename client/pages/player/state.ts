/** The player app's state: the session (kept per hunt in localStorage) and what the server said. */
import type { HuntConnection, ConnectionState } from '../../connection.js';
import type { LeaderboardEntry, PublicPuzzle } from '../../../protocol/messages.js';

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
  hints: new Map<string, string[]>(),
  watchingLocation: false,
};

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
