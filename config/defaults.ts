import type { Difficulty, PuzzleSpec } from '../client/protocol.js';

/** Points awarded for a first correct answer, by difficulty. */
export const POINTS: Readonly<Record<Difficulty, number>> = Object.freeze({ easy: 100, medium: 200, hard: 300 });

/** Points taken for each hint, as a fraction of the puzzle's points (rounded down). */
export const HINT_PENALTY_FRACTION = 0.25;

/** Built-in hunt templates, usable as `{"name","template":"<name>"}` on POST /api/hunts. */
export const TEMPLATES: Readonly<Record<string, readonly PuzzleSpec[]>> = Object.freeze({
  starter: [
    { type: 'cipher', difficulty: 'easy' },
    { type: 'cipher', difficulty: 'medium' },
    { type: 'cipher', difficulty: 'hard' },
  ],
});

/** Per-connection abuse limits applied by the front node. */
export interface Limits {
  messagesPerSecond: number;
  burst: number;
  strikesBeforeClose: number;
  maxFrameBytes: number;
  maxBackpressureBytes: number;
  maxBodyBytes: number;
  idleTimeoutSeconds: number;
}

export const LIMITS: Readonly<Limits> = Object.freeze({
  /** Sustained messages per second per connection. */
  messagesPerSecond: 100,
  /** Bucket size: messages allowed in a burst above the sustained rate. */
  burst: 200,
  /** Rate-limited messages in a row before the connection is closed with 4008. */
  strikesBeforeClose: 20,
  /** Largest WebSocket frame accepted, in bytes; larger closes with 1009. */
  maxFrameBytes: 16 * 1024,
  /** Bytes buffered for one slow client before it is cut off with 4009. */
  maxBackpressureBytes: 1024 * 1024,
  /** Largest HTTP body accepted, in bytes. */
  maxBodyBytes: 256 * 1024,
  /** Seconds without any frame before a socket is closed (uWS idleTimeout). */
  idleTimeoutSeconds: 120,
});

/** Leaderboard entries sent in `welcome`. */
export const WELCOME_TOP_N = 50;
/** Deltas kept per hunt for replay to clients that reconnect with `since`. */
export const DELTA_LOG_LENGTH = 1000;

/** How a front node folds events into stream entries. */
export const ROUTING_BATCH = Object.freeze({ maxEvents: 512, maxDelayMs: 2 });
