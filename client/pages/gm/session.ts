/**
 * The console's session: the game-master key, the hunt in view, the API call that carries the
 * key, and the timers the current view polls with (stopped whenever the view changes).
 */
import { HuntHttpClient } from '../../http-client.js';

export const session = {
  key: sessionStorage.getItem('gm-key') ?? '',
  /** the hunt shown in the hunt panel ('' while creating one) */
  current: '',
};

let timers: ReturnType<typeof setInterval>[] = [];

/** Calls the API with the key; errors are HttpError with the contract's code. */
export function api<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<T> {
  return new HuntHttpClient('', session.key).request<T>(method, path, body, undefined, accept);
}

/** Polls `fn` every `ms` until the view changes. */
export function every(ms: number, fn: () => void): void {
  timers.push(setInterval(fn, ms));
}

export function stopTimers(): void {
  timers.forEach(clearInterval);
  timers = [];
}

export function signOut(): void {
  sessionStorage.removeItem('gm-key');
  session.key = '';
}
