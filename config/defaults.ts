/** The values every named config starts from; written to Redis on first start where absent. */
import type { FanoutConfig, LimitsConfig, RoutingConfig, ScoringConfig, Template } from './schemas.js';

export const DEFAULT_ROUTING: RoutingConfig = { partitions: 8, batch: { maxEvents: 512, maxDelayMs: 50, urgentEveryMs: 2 }, movesFlushMs: 500, verifyIn: 'auto', ackReplicas: 0, ackTimeoutMs: 500 };

export const DEFAULT_LIMITS: LimitsConfig = {
  messagesPerSecond: 200,
  burst: 1000,
  strikesBeforeClose: 50,
  answersPerMinutePerPuzzle: 10,
  maxFrameBytes: 16 * 1024,
  maxBackpressureBytes: 1024 * 1024,
  maxBodyBytes: 256 * 1024,
  idleTimeoutSeconds: 120,
  maxQueuedEvents: 50_000,
  maxBacklogEvents: 50_000,
  maxLoopLagMs: 50,
  socketsPerPlayer: 3,
  socketsPerAddress: 1000,
  joinsPerMinutePerAddress: 30,
};

export const DEFAULT_SCORING: ScoringConfig = {
  points: { easy: 100, medium: 200, hard: 300 },
  hintPenaltyFraction: 0.25,
  decay: { perMinute: 0, floor: 0.5 },
  firstSolverBonus: [],
  wrongAnswerPenalty: 0,
  wrongAnswerCooldownMs: 0,
};

export const DEFAULT_FANOUT: FanoutConfig = { tickMs: 50, topN: 20, logLength: 1000 };

export const DEFAULT_TEMPLATES: Record<string, Template> = {
  starter: {
    description: 'A first hunt that shows the engine: six types, and a nonogram that unlocks at the harbour',
    puzzles: [
      { type: 'cipher', difficulty: 'easy' },
      { type: 'anagram', difficulty: 'easy' },
      { type: 'sudoku', difficulty: 'medium' },
      { type: 'maze', difficulty: 'medium' },
      { type: 'sliding', difficulty: 'easy' },
      // locked until a player's `move` comes within 250 m of this spot (Marseille's Vieux-Port)
      { type: 'nonogram', difficulty: 'easy', location: { lat: 43.2951, lng: 5.3745, radius: 250 } },
    ],
  },
};

/** Every default as name -> value. */
export function defaultConfigs(): Record<string, unknown> {
  const out: Record<string, unknown> = { routing: DEFAULT_ROUTING, limits: DEFAULT_LIMITS, scoring: DEFAULT_SCORING, fanout: DEFAULT_FANOUT };
  for (const [name, value] of Object.entries(DEFAULT_TEMPLATES)) out[`template:${name}`] = value;
  return out;
}
