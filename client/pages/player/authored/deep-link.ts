/**
 * The QR deep link `/?hunt=<id>&puzzle=<p>&code=<code>`: scanning a code mission's QR with the
 * phone's camera opens the app, which joins first if needed (asking a name) and then sends that
 * code for that puzzle once. The link is kept in sessionStorage across the join (which rewrites
 * the address) and marked as sent, so a reload or a reconnect never sends it again.
 */
import { isRecord } from '../../../../protocol/input.js';

const KEY = 'hunt-deep-link';

interface DeepLink {
  hunt: string;
  puzzle: string;
  code: string;
}

function read(): DeepLink | null {
  try {
    const v: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    return isRecord(v) && typeof v.hunt === 'string' && typeof v.puzzle === 'string' && typeof v.code === 'string'
      ? { hunt: v.hunt, puzzle: v.puzzle, code: v.code }
      : null;
  } catch {
    return null;
  }
}

function sentKey(l: DeepLink): string {
  return `hunt-deep-link-sent:${l.hunt}:${l.puzzle}:${l.code}`;
}

/** At start-up: keeps a deep link from the address, then takes it out of the address. */
export function captureDeepLink(params: URLSearchParams): void {
  const hunt = params.get('hunt');
  const puzzle = params.get('puzzle');
  const code = params.get('code');
  if (!hunt || !puzzle || !code) return;
  const link = { hunt, puzzle: puzzle.slice(0, 64), code: code.slice(0, 64) };
  if (sessionStorage.getItem(sentKey(link)) === null) sessionStorage.setItem(KEY, JSON.stringify(link));
  history.replaceState(null, '', `/?hunt=${encodeURIComponent(hunt)}`);
}

/** Once the hunt's puzzles are known: the waiting link for this hunt, taken (so it runs once). */
export function takeDeepLink(hunt: string): { puzzle: string; code: string } | null {
  const link = read();
  if (!link || link.hunt !== hunt) return null;
  sessionStorage.removeItem(KEY);
  if (sessionStorage.getItem(sentKey(link)) !== null) return null;
  sessionStorage.setItem(sentKey(link), '1');
  return { puzzle: link.puzzle, code: link.code };
}
