/**
 * Reading a player's frame: a validated message or the error to answer with. The two frames
 * every client sends all the time (moves and pings, in the form client libraries write them)
 * are read straight from the bytes; anything else goes the full way (UTF-8, JSON, bounds, type,
 * schema), which decides the same.
 */
import {
  CLIENT_MESSAGE_TYPES,
  describeIssues,
  inputProblem,
  isClientMessageType,
  isWellFormed,
  MESSAGE_BOUNDS,
  parseClientMessage,
  type ClientMessage,
  type ErrorCode,
} from '../protocol/index.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeText(message: ArrayBuffer): string | null {
  try {
    return utf8.decode(message);
  } catch {
    return null;
  }
}

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
const MOVE_PREFIX = bytesOf('{"t":"move"');
const MOVE_LAT = bytesOf('{"t":"move","lat":');
const MOVE_LNG = bytesOf(',"lng":');

/** True when `b` holds `expected` from `at`. */
function bytesAt(b: Uint8Array, at: number, expected: Uint8Array): boolean {
  if (at + expected.length > b.length) return false;
  for (let i = 0; i < expected.length; i++) if (b[at + i] !== expected[i]) return false;
  return true;
}

/** True for a frame that begins as a move (the form every client library sends). */
export function startsWithMove(message: ArrayBuffer): boolean {
  return bytesAt(new Uint8Array(message, 0, Math.min(message.byteLength, MOVE_PREFIX.length)), 0, MOVE_PREFIX);
}

export type Read = { msg: ClientMessage } | { code: ErrorCode; id?: string; message?: string };

/**
 * A frame to a validated message, or the error to answer with. The reply never repeats what
 * the client sent beyond a well-formed request id of the contract's size.
 */
export function readMessage(message: ArrayBuffer, isBinary: boolean): Read {
  return (isBinary ? null : (fastMove(message) ?? fastPing(message))) ?? readFrame(message, isBinary);
}

const PING_ID = bytesOf('{"t":"ping","id":"');
const PING_END = bytesOf('"}');
const ascii = new TextDecoder('ascii');

/**
 * The other frame every client sends all the time: a ping in the form clients write it, with
 * a plain ASCII id (printable, no quote or backslash) of 1 to 64 characters, read from the
 * bytes. Anything else takes the full path.
 */
function fastPing(message: ArrayBuffer): Read | null {
  const n = message.byteLength;
  if (n > 88 || n < 22) return null;
  const b = new Uint8Array(message);
  if (!bytesAt(b, 0, PING_ID) || !bytesAt(b, n - PING_END.length, PING_END)) return null;
  const from = PING_ID.length;
  const to = n - PING_END.length;
  if (to - from < 1 || to - from > 64) return null;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return null;
  }
  return { msg: { t: 'ping', id: ascii.decode(b.subarray(from, to)) } };
}

/** 10^0 to 10^22: every one exact in a double. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Where the last number read by `plainNumber` ended. */
let numberEnd = 0;

/**
 * A JSON number written as `-?int(.digits)?` with at most 15 significant digits and 22
 * decimals, read straight from the bytes; NaN for anything else (exponents, longer numbers,
 * not a number), which the caller leaves to the full path. Both the digits and the power of
 * ten are exact doubles, so one division rounds exactly as Number() and JSON.parse do.
 */
function plainNumber(b: Uint8Array, at: number): number {
  let i = at;
  const negative = b[i] === 0x2d;
  if (negative) i++;
  let mantissa = 0;
  let significant = 0;
  let decimals = 0;
  const intStart = i;
  if (b[i] === 0x30) i++;
  else
    while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) {
      mantissa = mantissa * 10 + (b[i]! - 0x30);
      if (mantissa > 0) significant++;
      i++;
    }
  if (i === intStart) return NaN;
  if (b[i] === 0x2e) {
    i++;
    const fracStart = i;
    while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) {
      mantissa = mantissa * 10 + (b[i]! - 0x30);
      if (mantissa > 0) significant++;
      decimals++;
      i++;
    }
    if (i === fracStart) return NaN;
  }
  if (b[i] === 0x65 || b[i] === 0x45 || significant > 15 || decimals > 22) return NaN;
  numberEnd = i;
  const value = mantissa / (POW10[decimals] ?? NaN);
  return negative ? -value : value;
}

/** A move's coordinates, as `readMoveInto` leaves them. */
export interface Coordinates {
  lat: number;
  lng: number;
}

/**
 * The hot path: most frames are moves written exactly like this, and reading them needs
 * neither a string, a UTF-8 decoder, JSON.parse nor the schema, nor an object: the
 * coordinates go into `out`. Anything else (other field orders, spaces, exponents, long
 * numbers, out-of-range values) returns false and takes the full path, which decides the same.
 */
export function readMoveInto(message: ArrayBuffer, out: Coordinates): boolean {
  if (message.byteLength > 96 || message.byteLength < 30) return false;
  const b = new Uint8Array(message);
  if (!bytesAt(b, 0, MOVE_LAT)) return false;
  const lat = plainNumber(b, MOVE_LAT.length);
  if (Number.isNaN(lat) || !bytesAt(b, numberEnd, MOVE_LNG)) return false;
  const lng = plainNumber(b, numberEnd + MOVE_LNG.length);
  if (Number.isNaN(lng) || numberEnd !== b.length - 1 || b[numberEnd] !== 0x7d) return false;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return false;
  out.lat = lat;
  out.lng = lng;
  return true;
}

/** `readMoveInto` as a message. */
export function fastMove(message: ArrayBuffer): Read | null {
  const at: Coordinates = { lat: 0, lng: 0 };
  return readMoveInto(message, at) ? { msg: { t: 'move', lat: at.lat, lng: at.lng } } : null;
}

/** Any frame, read in full: UTF-8, JSON, bounds, type, schema. */
export function readFrame(message: ArrayBuffer, isBinary: boolean): Read {
  const text = isBinary ? null : decodeText(message);
  if (text === null) return { code: 'BAD_REQUEST', message: 'frames must be UTF-8 JSON text' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { code: 'INVALID_JSON' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { code: 'VALIDATION_FAILED', message: 'a message is a JSON object' };
  const rawId = 'id' in raw ? raw.id : undefined;
  const id =
    typeof rawId === 'string' && rawId.length > 0 && rawId.length <= 64 && isWellFormed(rawId) ? rawId : undefined;
  if (!('t' in raw) || !isClientMessageType(raw.t)) {
    return {
      code: 'UNKNOWN_MESSAGE',
      ...(id === undefined ? {} : { id }),
      message: `unknown message type; "t" is one of ${CLIENT_MESSAGE_TYPES.join(', ')}`,
    };
  }
  const problem = inputProblem(raw, MESSAGE_BOUNDS);
  if (problem)
    return {
      code: 'VALIDATION_FAILED',
      ...(id === undefined ? {} : { id }),
      message: `the message cannot be taken: ${problem}`,
    };
  const parsed = parseClientMessage(raw);
  if (!parsed.success)
    return {
      code: 'VALIDATION_FAILED',
      ...(id === undefined ? {} : { id }),
      message: parsed.error ? describeIssues(parsed.error.issues) : 'unknown message type',
    };
  return { msg: parsed.data };
}
