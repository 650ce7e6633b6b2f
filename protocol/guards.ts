/** Type guards shared by every part: a check that narrows, in place of a cast. */
import type { ServerMessage } from './messages.js';

/** True when `value` is one of `list` (a fixed `as const` list of names), narrowed to it. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && list.some((item) => item === value);
}

/**
 * A frame from the server: an object with a string `t`. Its other fields are the server's own
 * (the contract's), so they are not checked one by one here; an unknown `t` is ignored by the
 * handlers' tables.
 */
export function isServerMessage(value: unknown): value is ServerMessage {
  return typeof value === 'object' && value !== null && 't' in value && typeof value.t === 'string';
}

/** The `error` of a contract error body (`{ error: { code, message, details? } }`), read as far as it goes. */
export function errorOf(value: unknown): { code?: string; message?: string; details?: unknown } | undefined {
  if (typeof value !== 'object' || value === null || !('error' in value)) return undefined;
  const { error } = value;
  if (typeof error !== 'object' || error === null) return undefined;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const message = 'message' in error && typeof error.message === 'string' ? error.message : undefined;
  return {
    ...(code === undefined ? {} : { code }),
    ...(message === undefined ? {} : { message }),
    ...('details' in error ? { details: error.details } : {}),
  };
}
