/**
 * The console's session: the game-master key, the hunt in view, the API call that carries the
 * key, and the timers the current view polls with (stopped whenever the view changes).
 */
import { HttpError, HuntHttpClient } from '../../http-client.js';
import { h } from '../dom.js';

/** Who a key is (`GET /api/me`). */
export type Me = { role: 'admin' } | { role: 'gm'; id: string; name: string };

export interface ConsoleSession {
  key: string;
  /** who the key is, once asked; the console shows only what that key may see */
  me: Me | null;
  /** the hunt shown in the hunt panel ('' while creating one) */
  current: string;
}

export const session: ConsoleSession = {
  key: sessionStorage.getItem('gm-key') ?? '',
  me: null,
  current: '',
};

let timers: ReturnType<typeof setInterval>[] = [];

let offlineSince = 0;

/** A banner under the header while the server cannot be reached: what is shown is stale. */
function showOffline(offline: boolean): void {
  const banner = document.getElementById('offline');
  if (!offline) {
    offlineSince = 0;
    banner?.remove();
    return;
  }
  offlineSince ||= Date.now();
  const text = `Offline: the server cannot be reached since ${new Date(offlineSince).toLocaleTimeString()}. What you see may be out of date; the console keeps trying.`;
  if (banner) banner.textContent = text;
  else
    document
      .querySelector('header.bar')
      ?.after(h('p', { class: 'banner offline', id: 'offline', role: 'alert' }, text));
}

/** Calls the API with the key; errors are HttpError with the contract's code. */
export async function api<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<T> {
  try {
    const out = await new HuntHttpClient('', session.key).request<T>(method, path, body, undefined, accept);
    showOffline(false);
    return out;
  } catch (err) {
    // an answer, even an error, means the server is there; no answer at all means it is not
    showOffline(!(err instanceof HttpError));
    throw err;
  }
}

/** Polls `fn` every `ms` until the view changes. */
export function every(ms: number, fn: () => void): void {
  timers.push(setInterval(fn, ms));
}

export function stopTimers(): void {
  timers.forEach(clearInterval);
  timers = [];
}

/** Asks who the key is; throws (401) when it is not a valid key. */
export async function whoAmI(): Promise<Me> {
  session.me = await api<Me>('GET', '/api/me');
  return session.me;
}

export function signOut(): void {
  sessionStorage.removeItem('gm-key');
  session.key = '';
  session.me = null;
}
