/**
 * The one registry of error codes, shared by the server and the typed client.
 * Each code carries its default message, the HTTP status it maps to, and, where the
 * error ends a WebSocket, the close code. Codes are stable: add, never rename.
 */
export const ERRORS = {
  BAD_REQUEST: { status: 400, message: 'The request is malformed' },
  VALIDATION_FAILED: { status: 400, message: 'The body or message does not match its schema' },
  BODY_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  UNAUTHORIZED: { status: 401, message: 'Missing or invalid credentials', close: 4001 },
  TOKEN_EXPIRED: { status: 401, message: 'The player token has expired', close: 4001 },
  FORBIDDEN: { status: 403, message: 'These credentials may not do that' },
  NOT_FOUND: { status: 404, message: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed on this route' },
  HUNT_NOT_FOUND: { status: 404, message: 'No hunt with that id' },
  PLAYER_NOT_FOUND: { status: 404, message: 'No player with that id in this hunt' },
  PUZZLE_NOT_FOUND: { status: 404, message: 'No puzzle with that id in this hunt' },
  PUZZLE_TYPE_UNKNOWN: { status: 400, message: 'Unknown puzzle type' },
  TEMPLATE_NOT_FOUND: { status: 400, message: 'No hunt template with that name' },
  HUNT_INVALID_TRANSITION: { status: 409, message: 'The hunt status does not allow that transition' },
  HUNT_NOT_LIVE: { status: 409, message: 'The hunt is not live' },
  HUNT_ENDED: { status: 409, message: 'The hunt has ended' },
  ALREADY_SOLVED: { status: 409, message: 'You have already solved this puzzle' },
  NO_MORE_HINTS: { status: 409, message: 'No hints are left for this puzzle' },
  PLAYER_REMOVED: { status: 403, message: 'The game master removed this player', close: 4008 },
  PUZZLE_LOCKED: { status: 403, message: 'Reach the puzzle location to unlock it first' },
  ANSWER_COOLDOWN: { status: 429, message: 'Wait a moment after a wrong answer before trying this puzzle again' },
  TOO_MANY_ATTEMPTS: { status: 429, message: 'Too many answers to this puzzle in the last minute' },
  VERIFICATION_FAILED: { status: 503, message: 'The answer could not be verified; send it again' },
  EVENT_UNPROCESSABLE: { status: 422, message: 'The event could not be applied and was set aside as a dead letter' },
  OVERLOADED: { status: 503, message: 'The node is at capacity; send again after retryAfterMs' },
  RATE_LIMITED: { status: 429, message: 'Too many messages; slow down', close: 4008 },
  UNKNOWN_MESSAGE: { status: 400, message: 'Unknown message type' },
  INVALID_JSON: { status: 400, message: 'The frame or body is not valid JSON' },
  SLOW_CONSUMER: { status: 503, message: 'The client reads too slowly', close: 4009 },
  FRAME_TOO_LARGE: { status: 413, message: 'The frame is too large', close: 1009 },
  SHUTTING_DOWN: { status: 503, message: 'The node is shutting down', close: 1001 },
  NOT_READY: { status: 503, message: 'The node is not ready' },
  CONFIG_NOT_FOUND: { status: 404, message: 'No config with that name' },
  CONFIG_INVALID: { status: 400, message: 'The config value does not match its schema' },
  CONFIG_VERSION_CONFLICT: { status: 409, message: 'The config changed since the version you expected' },
  TIMEOUT: { status: 504, message: 'A call to another part of the system timed out' },
  HUNT_FULL: { status: 409, message: 'The hunt has as many players as it takes' },
  PASSCODE_REQUIRED: { status: 403, message: 'This hunt needs a passcode to join' },
  PASSCODE_WRONG: { status: 403, message: 'That passcode is wrong' },
  TEAM_REQUIRED: { status: 400, message: 'This is a team hunt: give a new team name or a team code' },
  TEAM_NOT_FOUND: { status: 404, message: 'No team with that code in this hunt' },
  TEAM_FULL: { status: 409, message: 'That team is full' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The body must be application/json' },
  STORAGE_FULL: { status: 507, message: 'Storage is near its limit; new hunts, players and submissions wait' },
  PUZZLE_CLOSED: { status: 409, message: 'This puzzle has closed' },
  MEDIA_INVALID: { status: 400, message: 'The photo must be a JPEG, PNG or WebP of at most 5 MiB' },
  SUBMISSION_NOT_FOUND: { status: 404, message: 'No submission with that id in this hunt' },
  ALREADY_REVIEWED: { status: 409, message: 'That submission has already been reviewed' },
  GM_NOT_FOUND: { status: 404, message: 'No game-master account with that id' },
  NAME_TAKEN: { status: 409, message: 'A player of this hunt already has that name; choose another' },
  TEAM_NAME_TAKEN: { status: 409, message: 'A team of this hunt already has that name; choose another' },
  SCHEDULE_FULL: { status: 409, message: 'The hunt has as many scheduled messages waiting as it keeps' },
  HUNT_STATUS_CONFLICT: { status: 409, message: "The hunt's status does not allow this change to its puzzles" },
  SUBMISSION_PENDING: { status: 409, message: 'Your last submission for this puzzle waits for a game master' },
  REVIEW_QUEUE_FULL: {
    status: 503,
    message: "This hunt's review queue is full; submit again once game masters have reviewed",
  },
  INTERNAL: { status: 500, message: 'Internal error', close: 1011 },
} as const satisfies Record<string, { status: number; message: string; close?: number }>;

export type ErrorCode = keyof typeof ERRORS;

/** The body of every HTTP error. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** An error carrying a registry code; thrown by handlers, turned into HTTP or WebSocket errors at the edge. */
export class HuntError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERRORS[code].message);
    this.name = 'HuntError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERRORS, value);
}
